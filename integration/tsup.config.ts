import { defineConfig } from 'tsup';

// One entry per subpath, built separately (the package script empties dist first) so each bundle
// and declaration file stands alone and importing one subpath never loads another's dependencies:
// `identity` is browser-safe (the SDK root re-exports it), `x509` loads @peculiar/x509 but no
// sockets, `connect` and `probe` are the Node-only TLS / HTTP / WebSocket handshakes.
const common = {
  format: ['cjs', 'esm'] as ('cjs' | 'esm')[],
  dts: true,
  sourcemap: true,
  clean: false,
  target: 'es2022',
  outExtension: ({ format }: { format: string }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
};

export default defineConfig(
  ['index', 'identity', 'x509', 'connect', 'probe'].map((name) => ({
    ...common,
    entry: { [name]: name === 'probe' ? 'src/probe/index.ts' : `src/${name}.ts` },
  })),
);
