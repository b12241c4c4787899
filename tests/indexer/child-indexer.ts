// An indexer in its own process, for the SIGKILL suite: `sync` catches up once and prints the
// result; `live` starts live mode and prints one line per announced reading. Run with
// ts-node/register/transpile-only and tsconfig-paths/register.
import { Indexer } from '@openvpp/indexer';

async function main() {
  const [mode, rpcUrl, store, pageSize] = process.argv.slice(2);
  const indexer = await Indexer.open({ rpcUrl, store: JSON.parse(store), pageSize: Number(pageSize ?? 1000) });
  if (mode === 'sync') {
    const result = await indexer.syncOnce();
    console.log(JSON.stringify(result));
    await indexer.close();
    return;
  }
  indexer.on('reading', (r) => console.log(JSON.stringify({ reading: r.signature })));
  indexer.on('syncError', (e) => console.error(e.message));
  await indexer.start();
  console.log(JSON.stringify({ started: true }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
