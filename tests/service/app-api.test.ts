// The app API (issue 18) over a settlement world on a local node, indexed by the real event
// indexer (@openvpp/indexer over the node's JSON-RPC, SQLite): wallet sign-in, who may read what
// (owner self, a utility's customers, the operator key), the owner and utility views (current
// state from the chain, history and totals from the index), named 4xx for bad input, bills as
// CSV (parsed back with csv-parse) and PDF (parsed back with poppler's pdftotext), the live feed,
// and the relayer.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
  Keypair,
  PublicKey,
  SystemProgram,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';

import { Indexer } from '@openvpp/indexer';
import type { Localnet } from '@openvpp/localnet';
import type { Runtime } from '@openvpp/runtime';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import {
  deviceClaimInstructions,
  deviceOwnerTransferInstructions,
  drEventCreateInstructions,
  drRewardPayInstructions,
  endpointAttestInstructions,
  endpointAttestationRevokeInstructions,
  enrollmentRequestInstructions,
  fetchDevice,
  fetchMandate,
  fetchPaymentsConfig,
  fetchTariffRevision,
  fetchTokenAmount,
  HOOK_PROGRAM_ID,
  PAYMENTS_PROGRAM_ID,
  REGISTRY_PROGRAM_ID,
  ROUTING_PROGRAM_ID,
  findDrEventPda,
  findEnrollmentPda,
  findMemberPda,
  findUsdeAccount,
  findUtilityProgramPda,
  mandateCreateInstructions,
  mandateRevokeInstructions,
  memberRegisterInstructions,
  routeSetInstructions,
  usdeWrapInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';
import { WORLD_CA, reading, registryWorld, settlementWorld } from '@openvpp/testing';

import { inProcessNode } from '../localnet/node';

const API_KEY = generateApiKey();

/** Wallet Standard `solana:signMessage`: the ed25519 signature over the message bytes, base64. */
function signMessage(key: Keypair, message: string): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), key.secretKey.subarray(0, 32)]);
  const pk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return sign(null, Buffer.from(message, 'utf8'), pk).toString('base64');
}

interface Setup {
  net: Localnet;
  s: ReturnType<typeof settlementWorld>;
  rt: Runtime;
  app: FastifyInstance;
  indexer: Indexer;
  owner: string;
  device: string;
  utility: string;
  program: string;
  relayKey: Keypair;
  settled: { signature: string };
  close(): Promise<void>;
}

/**
 * A settlement world on a local node (in-process, free ports) with one settled reading, the
 * event indexer over the node's JSON-RPC (SQLite in a temporary directory, caught up), and the
 * service app over the node's runtime with that indexer's queries and live events.
 */
async function setup(opts: { relayLimits?: Record<string, number>; now?: () => number } = {}): Promise<Setup> {
  const net = await inProcessNode();
  const rt = net.node.rt;
  const s = settlementWorld(registryWorld(rt, WORLD_CA), { escrow: 10_000_000n });
  // One settled reading: a real transaction for the bill lines.
  const settled = rt.processInstructions(s.settle(reading(1n, 1n, 2_000n, 500n)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-app-api-'));
  const indexer = await Indexer.open({
    rpcUrl: net.rpcUrl,
    wsUrl: net.wsUrl,
    store: { sqlite: path.join(dir, 'index.sqlite') },
  });
  await indexer.syncOnce();
  const relayKey = Keypair.generate();
  rt.airdrop(relayKey.publicKey, 1_000_000_000n);
  const app = buildApp({
    backend: runtimeBackend(rt),
    apiKey: API_KEY,
    queries: indexer.queries,
    live: indexer,
    sessions: { now: opts.now },
    relayer: { feePayer: relayKey, limits: opts.relayLimits },
  });
  return {
    net,
    s,
    rt,
    app,
    indexer,
    owner: s.owner.publicKey.toBase58(),
    device: s.device.toBase58(),
    program: s.program.toBase58(),
    utility: s.utilityPda.toBase58(),
    relayKey,
    settled,
    async close() {
      await app.close();
      await indexer.stop().catch(() => undefined);
      await indexer.close();
      await net.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function signIn(app: FastifyInstance, key: Keypair) {
  const address = key.publicKey.toBase58();
  const c = await app.inject({ method: 'GET', url: `/v1/auth/challenge?address=${address}` });
  expect(c.statusCode).to.equal(200);
  const { message } = c.json() as { message: string };
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/session',
    payload: { address, message, signature: signMessage(key, message) },
  });
  expect(res.statusCode, res.body).to.equal(200);
  return res.json() as { token: string; role: string; utilities: string[]; expiresAt: number };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('service: app API (sessions, views, bills, live, relay)', () => {
  let w: Setup;
  let ownerToken: string;
  let strangerToken: string;
  let utilityToken: string;
  const stranger = Keypair.generate();
  // One world for the reads (the relayer's tests build their own: they change the chain).
  before(async () => {
    w = await setup();
    ownerToken = (await signIn(w.app, w.s.owner)).token;
    strangerToken = (await signIn(w.app, stranger)).token;
    utilityToken = (await signIn(w.app, w.s.utility)).token;
  });
  after(async () => {
    await w?.close();
  });

  describe('wallet sign-in', () => {
    it('gives the owner role to a wallet and the utility role (with its partner) to an active utility authority', async () => {
      const o = await signIn(w.app, w.s.owner);
      expect(o.role).to.equal('owner');
      expect(o.utilities).to.deep.equal([]);
      const u = await signIn(w.app, w.s.utility);
      expect(u.role).to.equal('utility');
      expect(u.utilities).to.deep.equal([w.utility]);
    });

    it('uses each nonce once, and refuses altered text, another address and a bad signature', async () => {
      const address = w.owner;
      const { message } = (
        await w.app.inject({ method: 'GET', url: `/v1/auth/challenge?address=${address}` })
      ).json() as {
        message: string;
      };
      const signature = signMessage(w.s.owner, message);
      const post = (payload: object) => w.app.inject({ method: 'POST', url: '/v1/auth/session', payload });
      expect((await post({ address, message, signature })).statusCode).to.equal(200);
      const again = await post({ address, message, signature });
      expect([again.statusCode, again.json().error]).to.deep.equal([401, 'ChallengeUnknown']);

      const fresh = (await w.app.inject({ method: 'GET', url: `/v1/auth/challenge?address=${address}` })).json() as {
        message: string;
      };
      const bad = await post({ address, message: fresh.message, signature: signMessage(stranger, fresh.message) });
      expect([bad.statusCode, bad.json().error]).to.deep.equal([401, 'InvalidSignature']);

      const other = (await w.app.inject({ method: 'GET', url: `/v1/auth/challenge?address=${address}` })).json() as {
        message: string;
      };
      const altered = other.message.replace('Sign in', 'Sign on');
      const mism = await post({ address, message: altered, signature: signMessage(w.s.owner, altered) });
      expect([mism.statusCode, mism.json().error]).to.deep.equal([401, 'ChallengeMismatch']);
    });

    it('lets challenges and sessions expire', async () => {
      let now = 1_800_000_000;
      const x = await setup({ now: () => now });
      try {
        const address = x.owner;
        const { message } = (
          await x.app.inject({ method: 'GET', url: `/v1/auth/challenge?address=${address}` })
        ).json() as {
          message: string;
        };
        now += 301;
        const late = await x.app.inject({
          method: 'POST',
          url: '/v1/auth/session',
          payload: { address, message, signature: signMessage(x.s.owner, message) },
        });
        expect([late.statusCode, late.json().error]).to.deep.equal([401, 'ChallengeExpired']);
        const { token } = await signIn(x.app, x.s.owner);
        expect((await x.app.inject({ url: `/v1/owners/${address}`, headers: bearer(token) })).statusCode).to.equal(200);
        now += 12 * 3600;
        const expired = await x.app.inject({ url: `/v1/owners/${address}`, headers: bearer(token) });
        expect([expired.statusCode, expired.json().error]).to.deep.equal([401, 'SessionExpired']);
        const forged = await x.app.inject({
          url: `/v1/owners/${address}`,
          headers: bearer(`${token.split('.')[0]}.AAAA`),
        });
        expect([forged.statusCode, forged.json().error]).to.deep.equal([401, 'InvalidToken']);
      } finally {
        await x.close();
      }
    });
  });

  describe('who reads what', () => {
    it("shows the owner their home with the chain's balances; 401 without a session", async () => {
      const res = await w.app.inject({ url: `/v1/owners/${w.owner}`, headers: bearer(ownerToken) });
      expect(res.statusCode, res.body).to.equal(200);
      const home = res.json();
      const usde = await fetchTokenAmount(runtimeBackend(w.rt).reader, findUsdeAccount({ owner: w.s.owner.publicKey }));
      expect(home.balances.usde).to.equal(usde.toString());
      expect(home.devices).to.equal(1);
      // "today" is the cluster clock's day; the reading settled an interval of 2026-11-25.
      const clock = Number(w.rt.getClock().unixTimestamp);
      expect([clock - 5, clock, clock + 5].map((t) => new Date(t * 1000).toISOString().slice(0, 10))).to.include(
        home.day,
      );
      expect(home.today).to.deep.include({ importWh: 0, billed: '0' });
      const energy = await w.app.inject({
        url: `/v1/owners/${w.owner}/energy?from=2026-11-25&to=2026-11-26`,
        headers: bearer(ownerToken),
      });
      expect(energy.json().days).to.have.length(1);
      expect(energy.json().days[0]).to.deep.include({ day: '2026-11-25' });
      expect(energy.json().days[0].bands[0]).to.deep.include({ importWh: 2_000, exportWh: 500, billed: '200000' });
      const anon = await w.app.inject({ url: `/v1/owners/${w.owner}` });
      expect([anon.statusCode, anon.json().error]).to.deep.equal([401, 'Unauthorized']);
      const operator = await w.app.inject({ url: `/v1/owners/${w.owner}`, headers: { 'x-api-key': API_KEY } });
      expect(operator.statusCode).to.equal(200);
    });

    it("refuses another owner's home, devices, history and bills with 403 NotYourData", async () => {
      for (const path of ['', '/devices', '/energy', '/history', '/bills', '/bills/2026-11', '/bills/2026-11/pdf']) {
        const res = await w.app.inject({ url: `/v1/owners/${w.owner}${path}`, headers: bearer(strangerToken) });
        expect([res.statusCode, res.json().error], path).to.deep.equal([403, 'NotYourData']);
      }
      const dev = await w.app.inject({ url: `/v1/devices/${w.device}/history`, headers: bearer(strangerToken) });
      expect([dev.statusCode, dev.json().error]).to.deep.equal([403, 'NotYourData']);
    });

    it('lists the owner its devices with meter, enrollment and mandate read from the chain', async () => {
      const res = await w.app.inject({ url: `/v1/owners/${w.owner}/devices`, headers: bearer(ownerToken) });
      expect(res.statusCode, res.body).to.equal(200);
      const { items, next } = res.json();
      expect(next).to.equal(null);
      expect(items).to.have.length(1);
      const [d] = items;
      expect(d.device).to.equal(w.device);
      expect(d.status).to.equal('active');
      expect(d.meter.totalImportWh).to.equal(2_000);
      expect(d.enrollments[0]).to.include({ program: w.program, utility: w.utility, status: 'approved' });
      expect(d.mandates).to.have.length(1);
      expect(d.mandates[0].utility).to.equal(w.utility);
    });

    it("lets a utility read its customers' data and its own views, not a stranger's or another utility's", async () => {
      const home = await w.app.inject({ url: `/v1/owners/${w.owner}`, headers: bearer(utilityToken) });
      expect(home.statusCode).to.equal(200);
      const dev = await w.app.inject({ url: `/v1/devices/${w.device}/history`, headers: bearer(utilityToken) });
      expect(dev.statusCode).to.equal(200);
      expect(dev.json().items[0].intervalStart).to.equal(1_795_568_400);
      const other = await w.app.inject({
        url: `/v1/owners/${stranger.publicKey.toBase58()}`,
        headers: bearer(utilityToken),
      });
      expect([other.statusCode, other.json().error]).to.deep.equal([403, 'NotYourData']);
      const u = await w.app.inject({ url: `/v1/utilities/${w.utility}`, headers: bearer(utilityToken) });
      expect(u.statusCode, u.body).to.equal(200);
      expect(u.json().programs[0].program).to.equal(w.program);
      expect(u.json().devicesByStatus.active).to.equal(1);
      expect(BigInt(u.json().escrow.balance) > 0n).to.equal(true);
      const q = await w.app.inject({
        url: `/v1/utilities/${w.utility}/enrollments?status=approved`,
        headers: bearer(utilityToken),
      });
      expect(q.json().items[0]).to.include({ device: w.device, status: 'approved' });
      const t = await w.app.inject({ url: `/v1/utilities/${w.utility}/tariffs`, headers: bearer(utilityToken) });
      expect(t.statusCode, t.body).to.equal(200);
      expect(t.json().items[0].intervals).to.have.length(3);
      // Revenue per day carries the day's energy and export credit (the app's revenue table).
      const rev = await w.app.inject({
        url: `/v1/utilities/${w.utility}/revenue?from=2026-11-25&to=2026-11-25`,
        headers: bearer(utilityToken),
      });
      expect(rev.statusCode, rev.body).to.equal(200);
      expect(rev.json().days[0]).to.deep.include({
        day: '2026-11-25',
        revenue: '200000',
        importWh: 2_000,
        exportWh: 500,
      });
      const byOwner = await w.app.inject({ url: `/v1/utilities/${w.utility}`, headers: bearer(ownerToken) });
      expect([byOwner.statusCode, byOwner.json().error]).to.deep.equal([403, 'NotYourData']);
      const prog = await w.app.inject({ url: `/v1/programs/${w.program}`, headers: bearer(ownerToken) });
      expect(prog.json().utility).to.equal(w.utility);
    });
  });

  describe('route attestations', () => {
    it("a route's endpoint attestation is valid on chain, then revoked (its account closes; the index remembers)", async () => {
      const x = await setup();
      try {
        const { s, rt } = x;
        const admin = s.reg.admin;
        const endpoint = 'https://vtn.gridco.example/openadr3';
        const pin = Buffer.alloc(32, 7);
        rt.processInstructions(
          endpointAttestInstructions({
            authority: admin.publicKey,
            payer: rt.payer.publicKey,
            endpoint,
            kind: 'openAdr3Conformance',
            spkiSha256: pin,
            evidenceHash: Buffer.alloc(32, 9),
            expiresAt: 4_000_000_000n,
          }),
          [admin],
        );
        rt.processInstructions(
          routeSetInstructions({
            program: s.program,
            authority: s.utility.publicKey,
            device: s.device,
            payer: rt.payer.publicKey,
            protocol: 'openAdr3Vtn',
            endpoint,
            certPins: [pin],
            expiresAt: 4_000_000_000n,
          }),
          [s.utility],
        );
        const status = async () => {
          await x.indexer.syncOnce();
          const res = await x.app.inject({ url: `/v1/owners/${x.owner}/devices`, headers: { 'x-api-key': API_KEY } });
          expect(res.statusCode, res.body).to.equal(200);
          return res.json().items[0].enrollments[0].route?.attestation.status;
        };
        expect(await status()).to.equal('valid');
        rt.processInstructions(endpointAttestationRevokeInstructions({ authority: admin.publicKey, endpoint }), [
          admin,
        ]);
        expect(await status()).to.equal('revoked');
      } finally {
        await x.close();
      }
    });
  });

  describe('network and programs', () => {
    it('GET /v1/network: the payments config mints, the program ids and the cluster clock', async () => {
      const res = await w.app.inject({ url: '/v1/network', headers: bearer(ownerToken) });
      expect(res.statusCode, res.body).to.equal(200);
      const n = res.json();
      const config = (await fetchPaymentsConfig(w.rt))!;
      expect(n).to.deep.include({
        usdcMint: config.usdcMint.toBase58(),
        usdcTokenProgram: config.usdcTokenProgram.toBase58(),
        usdeMint: config.usdeMint.toBase58(),
      });
      expect(n.programs).to.deep.equal({
        registry: REGISTRY_PROGRAM_ID.toBase58(),
        routing: ROUTING_PROGRAM_ID.toBase58(),
        payments: PAYMENTS_PROGRAM_ID.toBase58(),
        hook: HOOK_PROGRAM_ID.toBase58(),
      });
      const clock = Number(w.rt.getClock().unixTimestamp);
      expect(Math.abs(n.clock.unixTimestamp - clock)).to.be.below(5);
      expect(n.clock.day).to.equal(new Date(n.clock.unixTimestamp * 1000).toISOString().slice(0, 10));
      const anon = await w.app.inject({ url: '/v1/network' });
      expect([anon.statusCode, anon.json().error]).to.deep.equal([401, 'Unauthorized']);
    });

    it('GET /v1/programs: the open utility programs by name, paginated; tariffs carry their export cap', async () => {
      const res = await w.app.inject({ url: '/v1/programs', headers: bearer(ownerToken) });
      expect(res.statusCode, res.body).to.equal(200);
      const { items, next } = res.json();
      expect(next).to.equal(null);
      const p = items.find((i: { program: string }) => i.program === w.program);
      expect(p).to.deep.include({ utility: w.utility, utilityName: 'Gridco', open: true, kind: 'tariff' });
      const small = await w.app.inject({ url: '/v1/programs?limit=1&all=true', headers: bearer(ownerToken) });
      expect(small.json().items).to.have.length(1);
      const big = await w.app.inject({ url: '/v1/programs?limit=201', headers: bearer(ownerToken) });
      expect([big.statusCode, big.json().error]).to.deep.equal([400, 'PageTooLarge']);
      const t = await w.app.inject({ url: `/v1/utilities/${w.utility}/tariffs`, headers: bearer(utilityToken) });
      const rev = (await fetchTariffRevision(w.rt, { tariff: w.s.tariff, revision: 1 }))!;
      expect(t.json().items[0].exportCap).to.deep.equal({
        maxCredit: rev.exportCap.maxCredit.toString(),
        periodSecs: rev.exportCap.periodSecs,
      });
    });
  });

  describe('bad input gets named 4xx errors', () => {
    const cases: [string, number, string][] = [
      ['/bills/2026-13', 400, 'InvalidPeriod'],
      ['/bills/26-11', 400, 'InvalidPeriod'],
      ['/bills/2026-1/csv', 400, 'InvalidPeriod'],
      ['/history?limit=201', 400, 'PageTooLarge'],
      ['/history?limit=0', 400, 'InvalidInput'],
      ['/history?cursor=%24%24', 400, 'InvalidCursor'],
      ['/devices?cursor=zz', 400, 'InvalidCursor'],
      ['/energy?from=2026-02-30', 400, 'InvalidDay'],
      ['/energy?from=2026-11-02&to=2026-11-01', 400, 'InvalidRange'],
      ['/energy?from=2024-01-01&to=2026-01-01', 400, 'InvalidRange'],
      ['/history?device=nope', 400, 'InvalidPublicKey'],
    ];
    for (const [path, status, error] of cases) {
      it(`${path} -> ${status} ${error}`, async () => {
        const res = await w.app.inject({ url: `/v1/owners/${w.owner}${path}`, headers: bearer(ownerToken) });
        expect([res.statusCode, res.json().error], res.body).to.deep.equal([status, error]);
      });
    }
    it('an unknown device -> 404 UnknownDevice; an unknown utility -> 404 UnknownUtility', async () => {
      const nobody = Keypair.generate().publicKey.toBase58();
      const res = await w.app.inject({ url: `/v1/devices/${nobody}/history`, headers: bearer(ownerToken) });
      expect([res.statusCode, res.json().error]).to.deep.equal([404, 'UnknownDevice']);
      const u = await w.app.inject({ url: `/v1/utilities/${nobody}`, headers: { 'x-api-key': API_KEY } });
      expect([u.statusCode, u.json().error]).to.deep.equal([404, 'UnknownUtility']);
    });
  });

  describe('bills', () => {
    it('downloads the statement as CSV: one row per line with its signature, totals to the base unit', async () => {
      const res = await w.app.inject({ url: `/v1/owners/${w.owner}/bills/2026-11/csv`, headers: bearer(ownerToken) });
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      const rows = parse(res.body, { relax_column_count: true, skip_empty_lines: true }) as string[][];
      expect(rows[0]).to.include.members(['kind', 'signature', 'amount_raw', 'amount_usde']);
      const lines = rows.slice(1).filter((r) => r[0] !== 'total');
      // The import, its export credit and the export paid from the escrow at settlement.
      expect(lines.map((l) => l[0])).to.deep.equal(['import', 'export_credit', 'export_paid']);
      const sigCol = rows[0].indexOf('signature');
      for (const l of lines) expect(l[sigCol]).to.equal(w.settled.signature);
      expect(lines[0][rows[0].indexOf('amount_usde')]).to.equal('0.200000');
      const net = rows.find((r) => r[0] === 'total' && r[1] === 'net');
      expect(net?.slice(2)).to.deep.equal(['-175000', '-0.175000']);
    });

    it('downloads the statement as a PDF that pdftotext reads back: lines, signatures, totals', async () => {
      const res = await w.app.inject({ url: `/v1/owners/${w.owner}/bills/2026-11/pdf`, headers: bearer(ownerToken) });
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.rawPayload.subarray(0, 5).toString()).to.equal('%PDF-');
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: res.rawPayload }).toString();
      expect(text).to.include(`OpenVPP statement 2026-11`);
      expect(text).to.include(w.owner);
      expect(text.split(w.settled.signature).length - 1).to.equal(3);
      expect(text).to.match(/Billed: 0\.200000 USDE \[200000\]/);
      expect(text).to.match(/Net: -0\.175000 USDE \[-175000\]/);
    });
  });

  describe('live feed', () => {
    it("streams a reading the indexer sees settle, after a ready comment, and not another owner's", async () => {
      await w.indexer.start();
      await w.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = w.app.server.address() as AddressInfo;
      let mine = '';
      const body = await new Promise<string>((resolve, reject) => {
        const req = http
          .get(`http://127.0.0.1:${port}/v1/live?token=${ownerToken}&maxSecs=20`, (res) => {
            expect(res.statusCode).to.equal(200);
            expect(res.headers['content-type']).to.match(/^text\/event-stream/);
            let data = '';
            res.on('data', (c: Buffer) => {
              if (!data) {
                // Another owner's reading: a stand-in event on the indexer's emitter (a second
                // owner's settled reading would need a second enrolled, mandated device world).
                w.indexer.emit('reading', {
                  type: 'reading',
                  signature: 'theirs',
                  slot: 1,
                  blockTime: null,
                  device: w.device,
                  owner: stranger.publicKey.toBase58(),
                  utility: null,
                  tariff: w.s.tariff.toBase58(),
                  intervalStart: 0,
                  importWh: 1,
                  exportWh: 0,
                  amount: '1',
                  exportCredit: '0',
                  exportPaid: '0',
                });
                // The owner's own: a reading settled on the chain, seen by the indexer's live mode.
                mine = w.rt.processInstructions(w.s.settle(reading(2n, 2n, 1_000n, 0n))).signature;
              }
              data += c.toString();
              if (mine && data.includes(mine)) req.destroy();
            });
            res.on('close', () => resolve(data));
          })
          .on('error', (e) => (mine ? undefined : reject(e)));
      });
      expect(body.startsWith(': ready\n\n')).to.equal(true);
      expect(body).to.include('event: reading');
      expect(body).to.include(`"signature":"${mine}"`);
      expect(body).to.include(`"owner":"${w.owner}"`);
      expect(body).to.not.include('theirs');
    });
  });

  describe('relayer', () => {
    async function relayTx(
      app: FastifyInstance,
      token: string,
      feePayer: PublicKey,
      ixs: TransactionInstruction[],
      signers: Keypair[],
    ) {
      const info = (await app.inject({ url: '/v1/relay', headers: bearer(token) })).json() as { blockhash: string };
      const msg = new TransactionMessage({
        payerKey: feePayer,
        recentBlockhash: info.blockhash,
        instructions: ixs,
      }).compileToV0Message();
      const tx = new VersionedTransaction(msg);
      tx.sign(signers);
      return app.inject({
        method: 'POST',
        url: '/v1/relay',
        headers: bearer(token),
        payload: { transaction: Buffer.from(tx.serialize()).toString('base64') },
      });
    }
    const revoke = (x: Setup) => mandateRevokeInstructions({ device: x.s.device, owner: x.s.owner.publicKey });

    it("cosigns and pays for an owner's action; the owner pays nothing", async () => {
      const x = await setup();
      try {
        const { token } = await signIn(x.app, x.s.owner);
        const info = (await x.app.inject({ url: '/v1/relay', headers: bearer(token) })).json();
        expect(info.feePayer).to.equal(x.relayKey.publicKey.toBase58());
        expect(info.actions).to.be.an('object');
        const ownerLamports = x.rt.getBalance(x.s.owner.publicKey);
        const before = x.rt.getBalance(x.relayKey.publicKey);
        const res = await relayTx(x.app, token, x.relayKey.publicKey, revoke(x), [x.s.owner]);
        expect(res.statusCode, res.body).to.equal(200);
        expect(res.json().signature).to.be.a('string');
        expect(
          await fetchMandate(runtimeBackend(x.rt).reader, { owner: x.s.owner.publicKey, device: x.s.device }),
        ).to.equal(null);
        expect(x.rt.getBalance(x.relayKey.publicKey) === before - 10_000n).to.equal(true);
        // The mandate's rent went back to the owner; no fee came out.
        expect(x.rt.getBalance(x.s.owner.publicKey) >= ownerLamports).to.equal(true);
      } finally {
        await x.close();
      }
    });

    it('refuses non-OpenVPP instructions, its key as an account, another owner, over-limit and over-cap requests; sends nothing', async () => {
      const x = await setup({ relayLimits: { perOwnerPerMinute: 2, spendCapLamports: 10_000 } });
      try {
        const { token } = await signIn(x.app, x.s.owner);
        const other = await signIn(x.app, stranger);
        const payer = x.relayKey.publicKey;
        const before = x.rt.getBalance(payer);
        const refuse = async (res: Awaited<ReturnType<typeof relayTx>>, status: number, error: string) => {
          expect([res.statusCode, res.json().error], res.body).to.deep.equal([status, error]);
          expect(x.rt.getBalance(payer)).to.equal(before);
        };
        // A plain SOL transfer: not OpenVPP.
        const transfer = SystemProgram.transfer({
          fromPubkey: x.s.owner.publicKey,
          toPubkey: stranger.publicKey,
          lamports: 1,
        });
        await refuse(await relayTx(x.app, token, payer, [transfer], [x.s.owner]), 400, 'RelayNotOwnerAction');
        // An allowlisted action that names the relayer in a slot other than its rent payer's.
        const [create] = mandateCreateInstructions({
          device: x.s.device,
          owner: x.s.owner.publicKey,
          utility: x.s.utilityPda,
          payer,
          maxPerPeriod: 1n,
          periodSecs: 86_400,
          maxTotal: 1n,
        });
        const elsewhere = new TransactionInstruction({
          programId: create.programId,
          data: create.data,
          keys: create.keys.map((k, i) => (i === 2 ? { ...k, pubkey: payer } : k)),
        });
        await refuse(await relayTx(x.app, token, payer, [elsewhere], [x.s.owner]), 400, 'RelayNotOwnerAction');
        // ... or in an instruction that has no rent payer (the USDE account's funding slot of a wrap).
        const wrap = usdeWrapInstructions({ user: x.s.owner.publicKey, usdcMint: x.s.usdcMint, amount: 1n }).at(-1)!;
        const usdeSlot = wrap.keys.map((k, i) => (i === 5 ? { ...k, pubkey: payer } : k));
        await refuse(
          await relayTx(
            x.app,
            token,
            payer,
            [new TransactionInstruction({ programId: wrap.programId, data: wrap.data, keys: usdeSlot })],
            [x.s.owner],
          ),
          400,
          'RelayNotOwnerAction',
        );
        // The owner's transaction under another owner's session.
        await refuse(await relayTx(x.app, other.token, payer, revoke(x), [x.s.owner]), 403, 'RelaySignerMismatch');
        // The spend cap: 10,000 lamports is one two-signature transaction; with a price it is over.
        const priced = [
          new TransactionInstruction({
            programId: new PublicKey('ComputeBudget111111111111111111111111111111'),
            keys: [],
            data: Buffer.from([3, 0x10, 0x27, 0, 0, 0, 0, 0, 0]),
          }),
          ...revoke(x),
        ];
        await refuse(await relayTx(x.app, token, payer, priced, [x.s.owner]), 429, 'RelaySpendCapReached');
        // The rate limit: two per owner per minute (the refusals above took none).
        const ok = await relayTx(x.app, token, payer, revoke(x), [x.s.owner]);
        expect(ok.statusCode, ok.body).to.equal(200);
        const spent = x.rt.getBalance(payer);
        const again = await relayTx(x.app, token, payer, revoke(x), [x.s.owner]);
        // Over the cap now (10,000 spent): refused before the rate limit is even reached.
        expect([again.statusCode, again.json().error]).to.deep.equal([429, 'RelaySpendCapReached']);
        expect(x.rt.getBalance(payer)).to.equal(spent);
      } finally {
        await x.close();
      }
    });

    it('an owner with 0 lamports claims, registers, enrolls and creates a mandate: the relayer pays fees and rent', async () => {
      const x = await setup();
      try {
        const { s, rt } = x;
        const relayer = x.relayKey.publicKey;
        // The device passes to a brand-new owner, who holds no SOL at all.
        const fresh = Keypair.generate();
        rt.processInstructions(
          deviceOwnerTransferInstructions({
            deviceKey: s.deviceKey.publicKey,
            owner: s.owner.publicKey,
            newOwner: fresh.publicKey,
          }),
          [s.owner],
        );
        // A second program of the utility to enroll in (the device is enrolled in the first).
        rt.processInstructions(
          utilityProgramCreateInstructions({
            utility: s.utilityPda,
            authority: s.utility.publicKey,
            payer: rt.payer.publicKey,
            utilityProgramId: 9,
            kind: 'tariff',
            name: 'Second',
          }),
          [s.utility],
        );
        const program = findUtilityProgramPda({ utility: s.utilityPda, utilityProgramId: 9 })[0];
        expect(rt.getBalance(fresh.publicKey)).to.equal(0n);
        const { token } = await signIn(x.app, fresh);
        const before = rt.getBalance(relayer);
        const device = (await fetchDevice(rt, { address: s.device }))!;
        const member = device.member.equals(PublicKey.default) ? undefined : device.member;
        const steps: [string, TransactionInstruction[]][] = [
          ['claim', deviceClaimInstructions({ deviceKey: s.deviceKey.publicKey, newOwner: fresh.publicKey, member })],
          [
            'member',
            memberRegisterInstructions({ deviceKey: s.deviceKey.publicKey, owner: fresh.publicKey, payer: relayer }),
          ],
          [
            'enroll',
            enrollmentRequestInstructions({
              program,
              device: s.device,
              vendor: device.vendor,
              requester: fresh.publicKey,
              payer: relayer,
            }),
          ],
          [
            'mandate',
            mandateCreateInstructions({
              device: s.device,
              owner: fresh.publicKey,
              utility: s.utilityPda,
              payer: relayer,
              maxPerPeriod: 1_000_000n,
              periodSecs: 86_400,
              maxTotal: 5_000_000n,
            }),
          ],
        ];
        for (const [what, ixs] of steps) {
          const res = await relayTx(x.app, token, relayer, ixs, [fresh]);
          expect(res.statusCode, `${what}: ${res.body}`).to.equal(200);
        }
        expect(rt.getBalance(fresh.publicKey)).to.equal(0n);
        const mandate = await fetchMandate(rt, { owner: fresh.publicKey, device: s.device });
        expect(mandate?.maxTotal).to.equal(5_000_000n);
        const enrollment = findEnrollmentPda({ program, device: s.device })[0];
        const memberPda = findMemberPda({ wallet: fresh.publicKey })[0];
        // The relayer paid four fees and three rent deposits, exactly what it counted.
        const rent = [memberPda, enrollment, mandate!.address].reduce((n, a) => n + rt.getBalance(a), 0n);
        expect(before - rt.getBalance(relayer)).to.equal(4n * 10_000n + rent);
        const info = (await x.app.inject({ url: '/v1/relay', headers: bearer(token) })).json();
        expect(BigInt(info.limits.rentSpentLamports)).to.equal(rent);
        expect(BigInt(info.limits.spentLamports)).to.equal(4n * 10_000n + rent);
      } finally {
        await x.close();
      }
    });

    it("bounds a create/revoke loop (the mandate's rent refunds the owner) by the owner's rent budget: 429 RelaySpendCapReached", async () => {
      const budget = 5_000_000;
      const x = await setup({ relayLimits: { perOwnerPerMinute: 100, rentPerOwnerPerDay: budget } });
      try {
        const { s, rt } = x;
        const relayer = x.relayKey.publicKey;
        const { token } = await signIn(x.app, s.owner);
        const create = () =>
          mandateCreateInstructions({
            device: s.device,
            owner: s.owner.publicKey,
            utility: s.utilityPda,
            payer: relayer,
            maxPerPeriod: 1n,
            periodSecs: 86_400,
            maxTotal: 1n,
          });
        const before = rt.getBalance(relayer);
        let created = 0;
        let refusal: { statusCode: number; json(): { error: string } } | undefined;
        for (let i = 0; i < 10 && !refusal; i++) {
          const revoked = await relayTx(x.app, token, relayer, revoke(x), [s.owner]);
          expect(revoked.statusCode, revoked.body).to.equal(200);
          const res = await relayTx(x.app, token, relayer, create(), [s.owner]);
          if (res.statusCode === 200) created++;
          else refusal = res;
        }
        expect([refusal?.statusCode, refusal?.json().error]).to.deep.equal([429, 'RelaySpendCapReached']);
        // Two mandates' deposits fit the budget, the third does not.
        expect(created).to.equal(2);
        const lost = before - rt.getBalance(relayer);
        expect(lost <= BigInt(budget) + 10n * 20_000n, `lost ${lost}`).to.equal(true);
      } finally {
        await x.close();
      }
    });

    it("names each program's refusal of a relayed transaction as that program's error (codes overlap)", async () => {
      const x = await setup();
      try {
        const { s, rt } = x;
        const relayer = x.relayKey.publicKey;
        rt.airdrop(s.utility.publicKey, 1_000_000_000n);
        const owner = await signIn(x.app, s.owner);
        const utility = await signIn(x.app, s.utility);
        const other = await signIn(x.app, stranger);
        const refused = async (res: Awaited<ReturnType<typeof relayTx>>, program: string, error: string) => {
          expect([res.statusCode, res.json().error], res.body).to.deep.equal([422, error]);
          expect(res.json().message).to.match(new RegExp(`^refused by ${program}: `));
        };
        // payments 6032 DrEventNotEnded (registry's 6032 is ParentNameMismatch): a reward paid
        // before the event ended, a utility's own transaction.
        const now = BigInt(rt.getClock().unixTimestamp);
        rt.processInstructions(
          drEventCreateInstructions({
            utility: s.utilityPda,
            authority: s.utility.publicKey,
            payer: rt.payer.publicKey,
            eventId: 3,
            start: now - 60n,
            end: now + 3_600n,
            rewardPerKwh: 1n,
            budget: 1_000n,
          }),
          [s.utility],
        );
        const early = drRewardPayInstructions({
          event: findDrEventPda({ utility: s.utilityPda, eventId: 3 })[0],
          authority: s.utility.publicKey,
          device: s.device,
          owner: s.owner.publicKey,
          payer: s.utility.publicKey,
          flexWh: 1_000n,
        });
        await refused(
          await relayTx(x.app, utility.token, s.utility.publicKey, early, [s.utility]),
          'ovpp_payments',
          'DrEventNotEnded',
        );
        // registry: the owner claims a device it already holds (no pending transfer to it).
        await refused(
          await relayTx(
            x.app,
            owner.token,
            relayer,
            deviceClaimInstructions({ deviceKey: s.deviceKey.publicKey, newOwner: s.owner.publicKey }),
            [s.owner],
          ),
          'ovpp_registry',
          'NotPendingOwner',
        );
        // routing: a stranger asks to enroll someone else's device.
        const program2 = findUtilityProgramPda({ utility: s.utilityPda, utilityProgramId: 11 })[0];
        rt.processInstructions(
          utilityProgramCreateInstructions({
            utility: s.utilityPda,
            authority: s.utility.publicKey,
            payer: rt.payer.publicKey,
            utilityProgramId: 11,
            kind: 'tariff',
            name: 'Other',
          }),
          [s.utility],
        );
        const device = (await fetchDevice(rt, { address: s.device }))!;
        await refused(
          await relayTx(
            x.app,
            other.token,
            relayer,
            enrollmentRequestInstructions({
              program: program2,
              device: s.device,
              vendor: device.vendor,
              requester: stranger.publicKey,
              payer: relayer,
            }),
            [stranger],
          ),
          'ovpp_routing',
          'Unauthorized',
        );
        // hook 6001 ForeignMint (payments' 6001 is ZeroAmount): an extra-account-meta list for USDC.
        const metaList = PublicKey.findProgramAddressSync(
          [Buffer.from('extra-account-metas'), s.usdcMint.toBuffer()],
          HOOK_PROGRAM_ID,
        )[0];
        const foreign = new TransactionInstruction({
          programId: HOOK_PROGRAM_ID,
          keys: [
            { pubkey: s.utility.publicKey, isSigner: true, isWritable: true },
            { pubkey: s.usdcMint, isSigner: false, isWritable: false },
            { pubkey: metaList, isSigner: false, isWritable: true },
            { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
          ],
          data: Buffer.from([214, 48, 235, 130, 192, 25, 255, 177]),
        });
        await refused(
          await relayTx(x.app, utility.token, s.utility.publicKey, [foreign], [s.utility]),
          'ovpp_hook',
          'ForeignMint',
        );
        // The relayer paid no rent for the refused enrollment.
        const info = (await x.app.inject({ url: '/v1/relay', headers: bearer(other.token) })).json();
        expect(info.limits.rentSpentLamports).to.equal(0);
      } finally {
        await x.close();
      }
    });

    it('limits each owner per minute (429 RelayRateLimited with Retry-After)', async () => {
      const x = await setup({ relayLimits: { perOwnerPerMinute: 1 } });
      try {
        const { token } = await signIn(x.app, x.s.owner);
        const first = await relayTx(x.app, token, x.relayKey.publicKey, revoke(x), [x.s.owner]);
        expect(first.statusCode, first.body).to.equal(200);
        const before = x.rt.getBalance(x.relayKey.publicKey);
        const second = await relayTx(x.app, token, x.relayKey.publicKey, revoke(x), [x.s.owner]);
        expect([second.statusCode, second.json().error]).to.deep.equal([429, 'RelayRateLimited']);
        expect(Number(second.headers['retry-after'])).to.be.greaterThan(0);
        expect(x.rt.getBalance(x.relayKey.publicKey)).to.equal(before);
      } finally {
        await x.close();
      }
    });
  });
});
