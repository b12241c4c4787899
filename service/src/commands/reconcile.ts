// `openvpp reconcile`: the event index against the chain. Catches the index up from the RPC
// (`--rpc`, `--ws`), then compares every metered device's indexed totals with its Meter account
// and every owner's statement lines with the USDE that moved (the indexer's `reconcile`), and
// prints the report as JSON. Exit code 0 when the index and the chain agree, 1 on any difference
// (or when the node or the index cannot be read), 2 on a usage problem.
import type { Command } from 'commander';

import { Indexer, IndexerConfigError, storeConfigOf, type StoreConfig } from '@openvpp/indexer';

import { usage } from './util';

export function register(parent: Command) {
  parent
    .command('reconcile')
    .description(
      "compare the event index with the chain (meters' totals, owners' bills against the USDE that moved); exit 1 on any difference",
    )
    .option('--rpc <url>', 'Solana JSON-RPC of the cluster the index follows (required)')
    .option('--ws <url>', 'its PubSub WebSocket (default: derived from --rpc)')
    .option('--index-db <file|url>', 'the event index: a SQLite file or a postgres:// URL (required)')
    // Checked here rather than by commander (which exits 1): a usage problem exits 2.
    .action(async (opts: { rpc?: string; ws?: string; indexDb?: string }) => {
      if (!opts.rpc) return usage('openvpp reconcile: --rpc <url> is required');
      if (!opts.indexDb) return usage('openvpp reconcile: --index-db <file|url> is required');
      const rpc = opts.rpc;
      let store: StoreConfig;
      try {
        store = storeConfigOf(opts.indexDb);
        for (const [name, url] of [
          ['--rpc', opts.rpc],
          ['--ws', opts.ws],
        ] as const) {
          if (url !== undefined && !/^(https?|wss?):\/\/[^\s]+$/.test(url)) {
            return usage(`${name}: not an http(s):// or ws(s):// URL: ${url}`);
          }
        }
      } catch (e) {
        if (!(e instanceof IndexerConfigError)) throw e;
        return usage(`--index-db: ${e.message}`);
      }
      let indexer: Indexer | undefined;
      try {
        indexer = await Indexer.open({ rpcUrl: rpc, ...(opts.ws && { wsUrl: opts.ws }), store });
        const report = await indexer.reconcile();
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (!report.ok) {
          const n = report.meters.differences.length + report.owners.differences.length;
          console.error(`openvpp reconcile: ${n} difference(s) between the index and the chain`);
          process.exitCode = 1;
        }
      } catch (e) {
        console.error(`openvpp reconcile: ${(e as Error).message}`);
        process.exitCode = 1;
      } finally {
        await indexer?.close().catch(() => undefined);
      }
    });
}
