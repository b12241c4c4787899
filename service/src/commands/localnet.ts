// `openvpp localnet`: a development/test Solana node on the embedded runtime (every OpenVPP
// program and the SPL programs): JSON-RPC on 127.0.0.1:8899, PubSub on :8900, a durable
// ledger (--ledger DIR) that survives a crash. A real cluster is the way to scale. Its subcommand
// `localnet repair` is in localnet-repair.ts.
import { Command, InvalidArgumentError } from 'commander';

import { LedgerCorruptError, LedgerFormatError, defaultLedgerDir, startLocalnet } from '@openvpp/localnet';
import { positiveInt, usage } from './util';

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
};

export function register(parent: Command): Command {
  return (
    parent
      .command('localnet')
      .description(
        'run a local Solana node (JSON-RPC + PubSub on 127.0.0.1) on the embedded runtime, with a durable ledger; for development and tests',
      )
      .option('--port <port>', 'JSON-RPC port (0: any free port)', port, 8899)
      .option('--ws-port <port>', 'PubSub (WebSocket) port (default: RPC port + 1)', port)
      .option('--ledger <dir>', 'ledger directory (WAL + snapshots)', defaultLedgerDir())
      .option('--slot-ms <ms>', 'slot duration', positiveInt, 400)
      .option('--snapshot-every <n>', 'write a snapshot after this many transactions', positiveInt, 5_000)
      .option('--no-cheatcodes', 'refuse the development openvpp_* JSON-RPC methods (clock, Switchboard feed)')
      // Its options come before a subcommand's name (`localnet repair --ledger DIR` is repair's).
      .enablePositionalOptions()
      .action(
        async (opts: {
          port: number;
          wsPort?: number;
          ledger: string;
          slotMs: number;
          snapshotEvery: number;
          cheatcodes: boolean;
        }) => {
          let net;
          try {
            net = await startLocalnet({
              port: opts.port,
              wsPort: opts.wsPort,
              ledgerDir: opts.ledger,
              slotMs: opts.slotMs,
              snapshotEvery: opts.snapshotEvery,
              cheatcodes: opts.cheatcodes,
            });
          } catch (e) {
            const err = e as NodeJS.ErrnoException;
            if (err.code === 'EADDRINUSE') return usage(`openvpp localnet: port in use (${err.message})`);
            if (e instanceof LedgerCorruptError || e instanceof LedgerFormatError) {
              console.error(`openvpp localnet: ${e.message}`);
              process.exitCode = 1;
              return;
            }
            throw e;
          }
          const { node } = net;
          const r = node.restoreStats;
          console.error(
            `openvpp localnet: ledger ${opts.ledger} (restored ${r.records} WAL records, ${r.accounts} accounts, ${node.txs.size} transactions in ${r.ms.toFixed(0)} ms)`,
          );
          const torn = r.tornTail;
          if (torn) {
            console.error(
              `openvpp localnet: cut a torn tail of ${torn.bytes} bytes from ${torn.file} at byte ${torn.offset} (frame index ${torn.frameIndex}: ${torn.reason}); no valid frame followed it`,
            );
          }
          // One JSON line on stdout: what a parent process or script needs to connect.
          console.log(
            JSON.stringify({
              rpc: net.rpcUrl,
              ws: net.wsUrl,
              slot: node.slot,
              genesisHash: node.genesisHash,
              faucet: node.rt.payer.publicKey.toBase58(),
              programs: Object.fromEntries(Object.entries(node.rt.programs).map(([k, v]) => [k, v.toBase58()])),
              restoreMs: Math.round(r.ms),
            }),
          );
          let stopping = false;
          const stop = () => {
            if (stopping) return;
            stopping = true;
            net.close().then(
              () => process.exit(0),
              (e) => {
                console.error(e);
                process.exit(1);
              },
            );
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        },
      )
  );
}
