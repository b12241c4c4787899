import { defineConfig } from 'tsup';

// The entries: the browser-safe, kit-first root (`@openvpp/sdk`), the web3.js builders
// (`@openvpp/sdk/web3`) and the Node-only `@openvpp/sdk/connect` (node:tls/https), which neither
// of the others imports. The JavaScript is built in one pass with code splitting, so the modules
// the entries share (the generated client, the recipes, `ClientError`) exist once and
// `instanceof` holds across entries. The connect entry carries the handshakes of
// `@openvpp/integration/connect` in its bundle, so the published subpath stands alone as the
// Node-only part of the SDK. Each declaration file is built on its own (the package script empties
// dist first): a shared declaration chunk mis-declares the generated client's namespaces.
const common = {
  format: ['cjs', 'esm'] as ('cjs' | 'esm')[],
  target: 'es2022',
  outExtension: ({ format }: { format: string }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
  clean: false,
};
const entries = { index: 'src/index.ts', web3: 'src/web3/index.ts', connect: 'src/connect/index.ts' };

export default defineConfig([
  {
    ...common,
    entry: entries,
    splitting: true,
    sourcemap: true,
    dts: false,
    noExternal: [/^@openvpp\/integration\/connect$/],
  },
  ...Object.entries(entries).map(([name, file]) => ({ ...common, entry: { [name]: file }, dts: { only: true } })),
]);
