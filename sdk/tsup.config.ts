import { defineConfig } from 'tsup';

// Three entries, built separately (the package script empties dist first) so each bundle and
// declaration file stands alone (a shared declaration chunk mis-declares the generated client's
// namespaces): the browser-safe, kit-first root (`@openvpp/sdk`), the web3.js builders
// (`@openvpp/sdk/web3`) and the Node-only `@openvpp/sdk/connect` (node:tls/https), which neither
// of the others imports.
const common = {
  format: ['cjs', 'esm'] as ('cjs' | 'esm')[],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  outExtension: ({ format }: { format: string }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
};

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' }, clean: false },
  { ...common, entry: { web3: 'src/web3/index.ts' }, clean: false },
  { ...common, entry: { connect: 'src/connect/index.ts' }, clean: false },
]);
