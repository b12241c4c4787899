// `openvpp serve`: OpenVPP World (the app at `/`), its API and the routing & integration API on
// 127.0.0.1, with the event indexer following the chain: a cluster (--rpc), or without --rpc an
// embedded runtime seeded with enrolled devices (@openvpp/localnet's buildWorld) behind an
// in-process local node.
import { Command } from 'commander';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import fs from 'node:fs';
import path from 'node:path';

import { IndexerConfigError, type StoreConfig, storeConfigOf } from '@openvpp/indexer';
import {
  type LedgeredRuntime,
  type LocalnetNode,
  RuntimeSender,
  buildWorld,
  ledgeredSender,
  startLocalnet,
  type SeededWorld,
} from '@openvpp/localnet';

import { startAppServer } from '../app-server';
import { rpcBackend, runtimeBackend } from '../backend';
import { InsecureApiKeyError, assertStrongApiKey, generateApiKey } from '../plugins/auth';
import { positiveInt, progress, readKeypair, usage } from './util';

/**
 * The API key `serve` runs with: the one given (--api-key or OVPP_API_KEY), which must be strong;
 * none given on a cluster (--rpc) is refused; none given on the embedded dev runtime gets a fresh
 * random key for this run. Throws `InsecureApiKeyError`.
 */
export function resolveServeApiKey({ apiKey, rpc }: { apiKey?: string; rpc?: string }): {
  apiKey: string;
  generated: boolean;
} {
  if (apiKey === undefined) {
    if (rpc) throw new InsecureApiKeyError('empty', 'serving a cluster (--rpc) needs an API key');
    return { apiKey: generateApiKey(), generated: true };
  }
  assertStrongApiKey(apiKey);
  return { apiKey, generated: false };
}

export function register(parent: Command) {
  parent
    .command('serve')
    .description(
      'run the routing & integration API on a Solana RPC (--rpc), or (embedded only, without --rpc) on an in-process runtime seeded with demo devices',
    )
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port', positiveInt, 8787)
    .option('--devices <n>', 'embedded only: devices to seed', positiveInt, 100)
    .option(
      '--api-key <key>',
      'x-api-key for writes, at least 32 characters (e.g. `openssl rand -hex 32`; default: OVPP_API_KEY; embedded runtime without one: a random key, printed)',
      process.env.OVPP_API_KEY,
    )
    .option('--rpc <url>', 'Solana RPC URL (without it: the embedded demo runtime)')
    .option(
      '--ledger <dir>',
      "embedded only: keep the runtime's state in this ledger (WAL + snapshots, as `openvpp localnet`); a restart restores it instead of seeding",
    )
    .option('--ws <url>', "the RPC node's PubSub URL for live updates (with --rpc; default: its port + 1)")
    .option(
      '--index-db <file|url>',
      'the event index: a SQLite file or a postgres:// URL (default: <ledger>/index.sqlite with --ledger, else in memory)',
    )
    .option('--payer-keypair <file>', 'fee payer keypair JSON (with --rpc)')
    .option('--relayer-keypair <file>', "fee payer of owners' relayed actions (default: the service's payer)")
    .option('--utility-keypair <file>', 'utility authority keypair JSON: decisions and routes (with --rpc)')
    .option('--protocol-keypair <file>', 'protocol authority keypair JSON: attestations (with --rpc)')
    .option(
      '--probe-allow <addresses>',
      'comma-separated IPs/CIDRs endpoint probes may reach although private, loopback or link-local (e.g. 127.0.0.1 for local test servers)',
      (v: string) =>
        v
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      [] as string[],
    )
    .action(
      async (opts: {
        host: string;
        port: number;
        devices: number;
        apiKey?: string;
        rpc?: string;
        ws?: string;
        indexDb?: string;
        ledger?: string;
        payerKeypair?: string;
        relayerKeypair?: string;
        utilityKeypair?: string;
        protocolKeypair?: string;
        probeAllow: string[];
      }) => {
        let apiKey: string;
        try {
          const resolved = resolveServeApiKey(opts);
          apiKey = resolved.apiKey;
          if (resolved.generated) {
            console.error(`openvpp serve: no --api-key given; this embedded run's random x-api-key is ${apiKey}`);
          }
        } catch (e) {
          if (!(e instanceof InsecureApiKeyError)) throw e;
          usage(e.message);
          return;
        }
        const readKey = (f?: string) => (f ? readKeypair(f) : undefined);
        let index: StoreConfig;
        try {
          index = storeConfigOf(opts.indexDb ?? (opts.ledger ? path.join(opts.ledger, 'index.sqlite') : ':memory:'));
        } catch (e) {
          if (!(e instanceof IndexerConfigError)) throw e;
          usage(`--index-db: ${e.message}`);
          return;
        }
        const onSyncError = (e: Error) => console.error(`openvpp serve: indexer: ${e.message}`);
        if (opts.rpc) {
          const payer = readKey(opts.payerKeypair);
          if (!payer) return usage('--rpc needs --payer-keypair');
          const server = await startAppServer({
            backend: rpcBackend(new Connection(opts.rpc, 'confirmed'), payer),
            apiKey,
            utilityKey: readKey(opts.utilityKeypair),
            protocolKey: readKey(opts.protocolKeypair),
            relayer: { feePayer: readKey(opts.relayerKeypair) },
            probeAllow: opts.probeAllow,
            logger: true,
            rpcUrl: opts.rpc,
            wsUrl: opts.ws,
            index,
            host: opts.host,
            port: opts.port,
            onSyncError,
          });
          console.error(`openvpp serve: OpenVPP World and the API at ${server.url}`);
          return;
        }
        // The embedded runtime behind an in-process local node (127.0.0.1, free ports): the
        // indexer follows it over JSON-RPC and PubSub like any cluster.
        const net = await startLocalnet({ port: 0, slotMs: 400, ledgerDir: opts.ledger });
        const world = opts.ledger
          ? await durableWorld(net.node, opts.ledger, opts.devices)
          : await seededWorld(ledgeredSender(net.node), opts.devices);
        const server = await startAppServer({
          backend: runtimeBackend(world.rt),
          apiKey,
          utilityKey: world.utility,
          protocolKey: world.admin,
          relayer: { feePayer: readKey(opts.relayerKeypair) },
          probeAllow: opts.probeAllow,
          logger: true,
          rpcUrl: net.rpcUrl,
          wsUrl: net.wsUrl,
          index,
          host: opts.host,
          port: opts.port,
          onSyncError,
        });
        console.error(`openvpp serve: OpenVPP World and the API at ${server.url} (local node ${net.rpcUrl})`);
        console.log(JSON.stringify({ program: world.program.toBase58(), sampleDevice: world.devices[0]?.toBase58() }));
      },
    );
}

/** `devices` enrolled, routed devices in the utility's DR program, over `sender`. */
async function seededWorld(sender: RuntimeSender<LedgeredRuntime>, devices: number): Promise<SeededWorld> {
  const world = await buildWorld(sender, { fleet: devices, onProgress: (d) => progress(d, devices) });
  return { ...world, rt: sender.runtime, program: world.program! };
}

interface WorldFile {
  admin: number[];
  utility: number[];
  vendor: number[];
  program: string;
  devices: string[];
}

/**
 * The embedded world on a ledger: a LocalnetNode (every write to its runtime is fsynced to the
 * ledger before it returns) seeded once; later starts restore it. The world's keys are kept next
 * to the ledger (`serve-world.json`; localnet demo keys only, never a cluster's).
 */
async function durableWorld(node: LocalnetNode, ledger: string, devices: number): Promise<SeededWorld> {
  const file = path.join(ledger, 'serve-world.json');
  const key = (k: number[]) => Keypair.fromSecretKey(Uint8Array.from(k));
  if (fs.existsSync(file) && node.txs.size > 0) {
    const w = JSON.parse(fs.readFileSync(file, 'utf8')) as WorldFile;
    console.error(`openvpp serve: restored ${node.txs.size} transactions from ${ledger}`);
    return {
      rt: node.rt,
      admin: key(w.admin),
      utility: key(w.utility),
      vendor: key(w.vendor),
      program: new PublicKey(w.program),
      devices: w.devices.map((d) => new PublicKey(d)),
    };
  }
  if (node.txs.size > 0) {
    throw new Error(
      `${ledger} holds transactions but no serve-world.json (seeding was interrupted?); use a fresh --ledger`,
    );
  }
  const world = await seededWorld(ledgeredSender(node), devices);
  const out: WorldFile = {
    admin: Array.from(world.admin.secretKey),
    utility: Array.from(world.utility.secretKey),
    vendor: Array.from(world.vendor.secretKey),
    program: world.program.toBase58(),
    devices: world.devices.map((d) => d.toBase58()),
  };
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(out), { mode: 0o600 });
  const fd = fs.openSync(tmp, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return world;
}
