import { defineConfig } from 'tsup';

// Two entries, built separately (the package script empties dist first) so each bundle and declaration file stands alone (a shared
// declaration chunk mis-declares the generated client's namespaces): the browser-safe root
// (`@openvpp/sdk`) and the Node-only `@openvpp/sdk/connect` (node:tls/https), which the root never
// imports. The connect entry carries the handshakes of `@openvpp/integration/connect` in its
// bundle, so the published subpath stands alone as the Node-only part of the SDK.
const common = {
  format: ['cjs', 'esm'] as ('cjs' | 'esm')[],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  outExtension: ({ format }: { format: string }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
};

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' }, clean: false },
  { ...common, entry: { connect: 'src/connect/index.ts' }, clean: false, noExternal: [/^@openvpp\/integration\//] },
]);
