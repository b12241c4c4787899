// `npm run demo -- --rpc <url>`: the whole demo over JSON-RPC against a fresh in-process
// `openvpp localnet` (its `openvpp_*` cheatcodes set the clock and the Switchboard feed), and
// the cheatcodes themselves: recorded in the ledger, refused when the node disables them.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';

import { Keypair } from '@solana/web3.js';

import { startLocalnet, type Localnet } from '@openvpp/localnet';

import { inProcessNode, tempLedger } from './node';

const ROOT = path.join(__dirname, '..', '..');

async function rpc(url: string, method: string, params: unknown[] = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

function runDemo(url: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/demo/demo.ts', '--rpc', url],
      { cwd: ROOT, env: { ...process.env, DEVICES: '10', TS_NODE_PROJECT: 'tsconfig.json' } },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 55_000);
    proc.once('error', reject);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('localnet: the demo over JSON-RPC', function () {
  this.timeout(60_000);
  let net: Localnet;

  before(async () => {
    net = await inProcessNode();
  });
  after(async () => {
    await net?.close();
  });

  it('runs the whole demo with --rpc against a fresh node and prints the table', async () => {
    const t0 = performance.now();
    const { code, out, err } = await runDemo(net.rpcUrl);
    expect(code, `${out}\n${err}`).to.equal(0);
    expect(out).to.include(`OpenVPP demo (over JSON-RPC: ${net.rpcUrl})`);
    expect(out).to.match(/devices registered \+ named\s+10 \(/);
    expect(out).to.match(/lookups \(name, key, LFDI, reverse\)\s+10\/10 consistent/);
    expect(out).to.match(/routes resolved \(GET \/v1\/resolve\)\s+10\/10/);
    expect(out).to.match(/replayed \/ out-of-order reading\s+ReplayedReading \/ ReadingOutOfOrder/);
    expect(out).to.match(/to a non-member: RecipientNotParticipant/);
    expect(out).to.match(/revoked device: reading \/ transfer\s+DeviceNotActive \/ DeviceNotActive/);
    expect(out).to.match(
      /device without an enrollment: bind \/ settle\s+refused \/ NotEnrolled \(escrow unchanged: true\)/,
    );
    expect(out).to.match(/device sale: buyer first \/ seller backlog\s+buyer's first reading settled at once/);
    expect(out).to.match(/USDE billed to the seller, 0\.18 USDE export paid to the seller; buyer charged 0/);
    expect(out).to.match(/USDC vault covers USDE supply\s+true/);
    expect(performance.now() - t0).to.be.below(55_000);
    // Everything went through the node: its ledger holds the demo's transactions.
    expect(net.node.txs.size).to.be.above(100);

    // A second run refuses the already-onboarded node instead of failing half-way.
    const again = await runDemo(net.rpcUrl);
    expect(again.code).to.equal(2);
    expect(again.err).to.include('already holds a registry config');
  });

  it('cheatcodes set the clock and a Switchboard feed; the ledger keeps them across a restart', async () => {
    // The cheatcodes as raw JSON-RPC calls (RpcSender uses them for the clock and feeds).
    const ledgerDir = tempLedger('cheat');
    let node = await startLocalnet({ port: 0, slotMs: 100, ledgerDir });
    const target = Math.floor(Date.now() / 1000) + 86_400 * 30;
    const feed = Keypair.generate().publicKey.toBase58();
    try {
      const set = await rpc(node.rpcUrl, 'openvpp_setUnixTimestamp', [target]);
      expect((set.result as { unixTimestamp: number }).unixTimestamp).to.equal(target);
      const clock = (await rpc(node.rpcUrl, 'openvpp_getClock')).result as { slot: number; unixTimestamp: number };
      expect(clock.unixTimestamp).to.equal(target);
      const wrote = await rpc(node.rpcUrl, 'openvpp_setSwitchboardFeed', [
        feed,
        { value: (10n ** 18n).toString(), stdDev: '1', numSamples: 5, slot: clock.slot },
      ]);
      expect(wrote.error).to.equal(undefined);
      const bad = await rpc(node.rpcUrl, 'openvpp_setSwitchboardFeed', [feed, { value: 'x', numSamples: 5 }]);
      expect(bad.error?.code).to.equal(-32602);
    } finally {
      await node.close();
    }
    node = await startLocalnet({ port: 0, slotMs: 100, ledgerDir });
    try {
      const info = (await rpc(node.rpcUrl, 'getAccountInfo', [feed, { encoding: 'base64' }])).result as {
        value: { owner: string } | null;
      };
      expect(info.value?.owner).to.equal('SBondMDrcV3K4kxZR1HNVT7osZxAHVHgYXL5Ze1oMUv');
      const clock = (await rpc(node.rpcUrl, 'openvpp_getClock')).result as { unixTimestamp: number };
      expect(clock.unixTimestamp).to.be.at.least(target);
    } finally {
      await node.close();
    }
  });

  it('a node started without cheatcodes refuses them with -32601', async () => {
    const plain = await startLocalnet({ port: 0, slotMs: 100, ledgerDir: tempLedger('nocheat'), cheatcodes: false });
    try {
      for (const method of ['openvpp_getClock', 'openvpp_setUnixTimestamp', 'openvpp_setSwitchboardFeed']) {
        const res = await rpc(plain.rpcUrl, method, [1]);
        expect(res.error?.code, method).to.equal(-32601);
      }
      expect((await rpc(plain.rpcUrl, 'getSlot')).result).to.be.a('number');
    } finally {
      await plain.close();
    }
  });
});
