import { defineConfig } from 'tsup';

// The library (`@openvpp/service`: buildApp, backends, x509 validation) as CJS + ESM with
// declarations, and the compiled CLI (`dist/cli.js`) that `bin/openvpp` runs without ts-node.
// Dependencies (SDK, runtime, testing, Fastify...) stay external.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['cjs', 'esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
  },
  {
    entry: ['src/cli.ts'],
    format: ['cjs'],
    sourcemap: true,
    target: 'es2022',
  },
]);
