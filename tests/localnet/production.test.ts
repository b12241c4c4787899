// The project's own production paths over `openvpp localnet`: the SDK fetchers over a web3.js
// Connection, `openvpp onboard --rpc` and `openvpp serve --rpc` as child processes.
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey } from '@solana/web3.js';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import type { Localnet } from '@openvpp/localnet';
import {
  createDrProgram,
  localnetAdmin,
  onboardPartners,
  type Partners,
  attestDemoEndpoint,
  registerEnrolledDevice,
} from '@openvpp/testing';
import { AnchorProvider, Wallet } from '@coral-xyz/anchor';
import { fetchRegistryConfig, fetchDevice, fetchPartner, fetchUtilityProgram } from '@openvpp/sdk/web3';
import { CA_FINGERPRINT, CA_PEM } from '../utils/harness';
import { CLI, inProcessNode, tempLedger } from './node';

/** Runs the CLI asynchronously (the node serves from this process meanwhile). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('localnet: the project’s production paths over RPC', function () {
  this.timeout(90_000);
  let node: Localnet;
  let connection: Connection;
  let partners: Partners;
  let program: PublicKey;
  let device: PublicKey;
  let deviceKey: PublicKey;
  const dir = tempLedger('keys');
  const keyFile = (name: string, kp: Keypair) => {
    const f = path.join(dir, `${name}.json`);
    fs.writeFileSync(f, JSON.stringify(Array.from(kp.secretKey)));
    return f;
  };

  before(async () => {
    node = await inProcessNode();
    connection = new Connection(node.rpcUrl, 'confirmed');
    // A world built on the node's runtime (recorded by the node like any transaction).
    const rt = node.node.rt;
    partners = onboardPartners(rt, { caFingerprints: [CA_FINGERPRINT] });
    program = createDrProgram(rt, partners);
    const registered = registerEnrolledDevice(rt, {
      partners,
      program,
      certFingerprint: new Uint8Array(32).fill(0x5a),
      issuerCa: CA_FINGERPRINT,
    });
    deviceKey = registered.key.publicKey;
    device = registered.device;
    for (const kp of [partners.admin, partners.utility]) {
      await connection.requestAirdrop(kp.publicKey, 5 * LAMPORTS_PER_SOL);
    }
  });
  after(async () => node?.close());

  it('SDK fetchers over a web3.js Connection', async () => {
    const partner = await fetchPartner(connection, { authority: partners.utility.publicKey });
    expect(partner?.address.toBase58()).to.equal(partners.utilityPda.toBase58());
    expect((await fetchDevice(connection, { address: device }))?.status).to.equal('active');
    expect((await fetchUtilityProgram(connection, { address: program }))?.address.toBase58()).to.equal(
      program.toBase58(),
    );
  });

  it('openvpp onboard --rpc registers a utility partner; a CA root already owned is refused by name', async () => {
    const partner = Keypair.generate();
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, CA_PEM);
    const taken = await cli([
      'onboard',
      '--kind',
      'vendor',
      '--name',
      'Copycat',
      '--ca',
      caFile,
      '--rpc',
      node.rpcUrl,
      '--authority-keypair',
      keyFile('admin', partners.admin),
      '--partner-keypair',
      keyFile('copycat', Keypair.generate()),
    ]);
    expect(taken.code).to.equal(1);
    expect(taken.stderr).to.match(/CaFingerprintTaken/);
    const out = await cli([
      'onboard',
      '--kind',
      'utility',
      '--name',
      'Localnet Utility',
      '--rpc',
      node.rpcUrl,
      '--authority-keypair',
      keyFile('admin', partners.admin),
      '--partner-keypair',
      keyFile('partner', partner),
    ]);
    expect(out.code, out.stderr).to.equal(0);
    const result = JSON.parse(out.stdout);
    expect(result.mode).to.equal('rpc');
    const tx = await connection.getTransaction(result.signature, { maxSupportedTransactionVersion: 0 });
    expect(tx?.meta?.err).to.equal(null);
    const info = await connection.getAccountInfo(new PublicKey(result.partner));
    expect(info?.owner.toBase58()).to.equal(node.node.rt.programs.ovpp_registry.toBase58());
  });

  it('openvpp serve --rpc: device lookup, enrollment decision and route over the API, then resolve', async () => {
    const port = await freePort();
    const apiKey = 'f'.repeat(16) + '0123456789abcdef0123456789abcdef';
    const serve = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--rpc',
        node.rpcUrl,
        '--port',
        String(port),
        '--api-key',
        apiKey,
        '--payer-keypair',
        keyFile('utility-payer', partners.utility),
        '--utility-keypair',
        keyFile('utility', partners.utility),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    serve.stderr.on('data', (d) => (stderr += d));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ok = await fetch(`${base}/openapi.json`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || serve.exitCode !== null) throw new Error(`serve did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const post = (url: string, body: object) =>
        fetch(`${base}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify(body),
        });
      const byKey = await fetch(`${base}/v1/devices/${deviceKey.toBase58()}`);
      expect(byKey.status).to.equal(200);
      expect(((await byKey.json()) as { status: string }).status).to.equal('active');
      const resolveUrl = `${base}/v1/resolve?device=${device.toBase58()}&program=${program.toBase58()}`;
      const before = await fetch(resolveUrl);
      expect(before.status).to.equal(404);
      expect(((await before.json()) as { error: string }).error).to.equal('enrollmentNotApproved');
      const decided = await post('/v1/enrollments/decision', {
        program: program.toBase58(),
        device: device.toBase58(),
        approve: true,
      });
      expect(decided.status, await decided.clone().text()).to.equal(200);
      // Routes go only to attested endpoints: the protocol authority attests this one (written
      // to the node's runtime, recorded in its ledger like any write).
      attestDemoEndpoint(node.node.rt, {
        admin: partners.admin,
        endpoint: 'https://vtn.gridco.example/oadr3',
        spkiSha256: Buffer.from('ab'.repeat(32), 'hex'),
      });
      const routed = await post('/v1/routes', {
        program: program.toBase58(),
        device: device.toBase58(),
        protocol: 'openAdr3Vtn',
        endpoint: 'https://vtn.gridco.example/oadr3',
        certPins: ['ab'.repeat(32)],
        expiresAt: 4_102_444_800,
      });
      expect(routed.status, await routed.clone().text()).to.equal(200);
      // The service caches reads for one slot over RPC.
      await new Promise((r) => setTimeout(r, 500));
      const resolved = await fetch(resolveUrl);
      expect(resolved.status).to.equal(200);
      expect(((await resolved.json()) as { endpoint: string }).endpoint).to.equal('https://vtn.gridco.example/oadr3');
      const again = await post('/v1/enrollments/decision', {
        program: program.toBase58(),
        device: device.toBase58(),
        approve: true,
      });
      expect(again.status).to.equal(422);
      expect(((await again.json()) as { error: string }).error).to.equal('InvalidEnrollmentStatus');
    } finally {
      serve.kill('SIGTERM');
    }
  });

  it('openvpp serve --ledger (embedded): a route published over the API survives SIGKILL', async () => {
    const ledger = tempLedger('serve');
    const apiKey = 'e'.repeat(16) + '0123456789abcdef0123456789abcdef';
    const start = async () => {
      const port = await freePort();
      const proc = spawn(
        process.execPath,
        [CLI, 'serve', '--ledger', ledger, '--devices', '2', '--port', String(port), '--api-key', apiKey],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += d));
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        proc.stdout.on('data', (d) => {
          out += d;
          const m = /\{"program".*\}/.exec(out);
          if (m) resolve(m[0]);
        });
        proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      return { proc, base: `http://127.0.0.1:${port}`, world: JSON.parse(line), stderr: () => stderr };
    };
    const first = await start();
    const { program, sampleDevice } = first.world as { program: string; sampleDevice: string };
    // The seeded world attests its demo VTN with the demo pin (ab…); the new route adds a second
    // pin, so the restored route is this one, not the seeded one.
    const route = {
      program,
      device: sampleDevice,
      protocol: 'openAdr3Vtn',
      endpoint: 'https://vtn.gridco.example/openadr3',
      certPins: ['ab'.repeat(32), 'cd'.repeat(32)],
      expiresAt: 4_102_444_800,
    };
    const set = await fetch(`${first.base}/v1/routes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(route),
    });
    expect(set.status, await set.clone().text()).to.equal(200);
    await new Promise<void>((r) => {
      first.proc.once('exit', () => r());
      first.proc.kill('SIGKILL');
    });
    const second = await start();
    try {
      expect(second.world.program).to.equal(program);
      expect(second.stderr()).to.match(/restored \d+ transactions/);
      const resolved = await fetch(`${second.base}/v1/resolve?device=${sampleDevice}&program=${program}`);
      expect(resolved.status).to.equal(200);
      const params = (await resolved.json()) as { endpoint: string; certPins: string[]; version: number };
      expect(params.endpoint).to.equal(route.endpoint);
      expect(params.certPins).to.deep.equal(route.certPins);
      expect(params.version).to.equal(2);
    } finally {
      second.proc.kill('SIGTERM');
    }
  });

  it('migrations/deploy.ts initialises the registry config through an AnchorProvider on the node', async () => {
    const fresh = await inProcessNode();
    try {
      const conn = new Connection(fresh.rpcUrl, 'confirmed');
      // On a natively hosted runtime only the localnet deployer may initialise the config.
      const deployer = localnetAdmin();
      await conn.requestAirdrop(deployer.publicKey, 10 * LAMPORTS_PER_SOL);
      const deploy = require('../../migrations/deploy') as (p: AnchorProvider) => Promise<void>;
      await deploy(new AnchorProvider(conn, new Wallet(deployer), { commitment: 'confirmed' }));
      const config = await fetchRegistryConfig(conn);
      expect(config?.authority.toBase58()).to.equal(deployer.publicKey.toBase58());
      const ws = (conn as unknown as { _rpcWebSocket?: { close(): void; reconnect: boolean } })._rpcWebSocket;
      if (ws) {
        ws.reconnect = false;
        ws.close();
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await fresh.close();
    }
  });
});
