import { defineConfig } from 'tsup';

// Two entries: the browser-safe root (`@openvpp/sdk`) and the Node-only `@openvpp/sdk/connect`
// (node:tls/https), which the root never imports.
export default defineConfig({
  entry: { index: 'src/index.ts', connect: 'src/connect/index.ts' },
  format: ['cjs', 'esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
});
