// The app API (issue 18) over a settlement world on the embedded runtime: wallet sign-in, who
// may read what (owner self, a utility's customers, the operator key), the owner and utility
// views (current state from the chain), named 4xx for bad input, bills as CSV (parsed back with
// csv-parse) and PDF (parsed back with poppler's pdftotext), the live feed, and the relayer.
// The index is a fixed in-memory `AppQueries` (the indexer's own suites test its answers).
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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

import { buildApp, generateApiKey, runtimeBackend, type AppQueries, type Statement } from '@openvpp/service';
import {
  fetchMandate,
  fetchTokenAmount,
  findEnrollmentPda,
  findUsdeAccount,
  mandateCreateInstructions,
  mandateRevokeInstructions,
} from '@openvpp/sdk/web3';

import { reading, settlementWorld } from '../utils/payments';

const API_KEY = generateApiKey();

/** Wallet Standard `solana:signMessage`: the ed25519 signature over the message bytes, base64. */
function signMessage(key: Keypair, message: string): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), key.secretKey.subarray(0, 32)]);
  const pk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return sign(null, Buffer.from(message, 'utf8'), pk).toString('base64');
}

function setup(opts: { relayLimits?: Record<string, number>; now?: () => number } = {}) {
  const s = settlementWorld({ escrow: 10_000_000n });
  const { rt } = s;
  // One settled reading: a real transaction signature for the bill lines.
  const settled = rt.processInstructions(s.settle(reading(1n, 1n, 2_000n, 500n)));
  const owner = s.owner.publicKey.toBase58();
  const device = s.device.toBase58();
  const program = s.program.toBase58();
  const utility = s.utilityPda.toBase58();
  const enrollment = findEnrollmentPda({ program: s.program, device: s.device })[0].toBase58();
  const zero = { importWh: 0, exportWh: 0, billed: '0', exportCredit: '0', exportPaid: '0', rewards: '0' };
  const statement = (o: string, period: string): Statement => ({
    owner: o,
    period,
    from: 1_795_564_800,
    to: 1_798_243_200,
    lines:
      o === owner
        ? [
            {
              kind: 'import',
              device,
              signature: settled.signature,
              slot: 7,
              blockTime: 1_795_568_400,
              intervalStart: 1_795_568_400,
              bandStartMinute: 0,
              importWh: 2_000,
              exportWh: 500,
              price: '100000',
              amount: '200000',
            },
            {
              kind: 'export_credit',
              device,
              signature: settled.signature,
              slot: 7,
              blockTime: 1_795_568_400,
              intervalStart: 1_795_568_400,
              bandStartMinute: 0,
              exportWh: 500,
              price: '50000',
              amount: '25000',
            },
          ]
        : [],
    totals: { billed: '200000', exportCredit: '25000', exportPaid: '25000', rewards: '0', fees: '0', net: '-175000' },
    exportOwedAtEnd: '0',
  });
  const queries: AppQueries = {
    ownerHome: async () => ({ today: { ...zero, importWh: 2_000, billed: '200000' }, exportOwed: '0' }),
    ownerDevices: async (o) => (o === owner ? [{ device, name: null, enrollments: [{ enrollment, program }] }] : []),
    ownerEnergy: async () => ({
      days: [
        {
          day: '2026-11-27',
          bands: [{ bandStartMinute: 0, importWh: 2_000, exportWh: 500, billed: '200000', exportCredit: '25000' }],
        },
      ],
    }),
    history: async () => ({
      items: [
        {
          kind: 'reading',
          signature: settled.signature,
          slot: 7,
          blockTime: 1_795_568_400,
          owner,
          utility,
          device,
          amount: '200000',
          importWh: 2_000,
          exportWh: 500,
          details: { intervalStart: 1_795_568_400 },
        },
      ],
      next: null,
    }),
    bills: async () => ({
      items: [
        {
          period: '2026-11',
          billed: '200000',
          exportCredit: '25000',
          exportPaid: '25000',
          rewards: '0',
          net: '-175000',
        },
      ],
    }),
    statement: async (o, p) => statement(o, p),
    utilityHome: async () => ({
      today: { revenue: '200000', exportPaid: '25000', rewardsPaid: '0', readings: 1 },
      programs: [{ program }],
      tariffs: [{ tariff: s.tariff.toBase58(), tariffId: 1, revision: 1, effectiveFrom: 1_795_564_800 }],
    }),
    utilityRevenue: async () => ({ days: [] }),
    utilityCustomers: async (u) =>
      u === utility
        ? [{ enrollment, program, programName: 'Tariff', device, owner, status: 'Approved', updatedAt: 1 }]
        : [],
    drEvents: async () => [],
  };
  const live = new EventEmitter();
  const relayKey = Keypair.generate();
  rt.airdrop(relayKey.publicKey, 1_000_000_000n);
  const app = buildApp({
    backend: runtimeBackend(rt),
    apiKey: API_KEY,
    queries,
    live: live as never,
    sessions: { now: opts.now },
    relayer: { feePayer: relayKey, limits: opts.relayLimits },
  });
  return { s, rt, app, owner, device, utility, program, relayKey, live, settled, queries };
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
  let w: ReturnType<typeof setup>;
  let ownerToken: string;
  let strangerToken: string;
  let utilityToken: string;
  const stranger = Keypair.generate();
  // The harness closes every runtime after each test: a fresh world per test.
  beforeEach(async () => {
    w = setup();
    ownerToken = (await signIn(w.app, w.s.owner)).token;
    strangerToken = (await signIn(w.app, stranger)).token;
    utilityToken = (await signIn(w.app, w.s.utility)).token;
  });
  afterEach(async () => {
    await w.app.close();
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
      const x = setup({ now: () => now });
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
        x.rt.close();
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
      expect(home.today.billed).to.equal('200000');
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
      const byOwner = await w.app.inject({ url: `/v1/utilities/${w.utility}`, headers: bearer(ownerToken) });
      expect([byOwner.statusCode, byOwner.json().error]).to.deep.equal([403, 'NotYourData']);
      const prog = await w.app.inject({ url: `/v1/programs/${w.program}`, headers: bearer(ownerToken) });
      expect(prog.json().utility).to.equal(w.utility);
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
      expect(lines).to.have.length(2);
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
      expect(text.split(w.settled.signature).length - 1).to.equal(2);
      expect(text).to.match(/Billed: 0\.200000 USDE \[200000\]/);
      expect(text).to.match(/Net: -0\.175000 USDE \[-175000\]/);
    });
  });

  describe('live feed', () => {
    it("streams the session's own events after a ready comment, not another owner's", async () => {
      await w.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = w.app.server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${port}/v1/live?token=${ownerToken}&maxSecs=1`, (res) => {
            expect(res.statusCode).to.equal(200);
            expect(res.headers['content-type']).to.match(/^text\/event-stream/);
            let data = '';
            res.on('data', (c: Buffer) => {
              if (!data) {
                const base = { slot: 1, blockTime: null, utility: null, amount: '1' };
                w.live.emit('reading', {
                  ...base,
                  type: 'reading',
                  owner: stranger.publicKey.toBase58(),
                  device: w.device,
                  signature: 'theirs',
                });
                w.live.emit('reading', {
                  ...base,
                  type: 'reading',
                  owner: w.owner,
                  device: w.device,
                  signature: 'mine',
                });
              }
              data += c.toString();
            });
            res.on('end', () => resolve(data));
          })
          .on('error', reject);
      });
      expect(body.startsWith(': ready\n\n')).to.equal(true);
      expect(body).to.include('event: reading');
      expect(body).to.include('"signature":"mine"');
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
    const revoke = (x: ReturnType<typeof setup>) =>
      mandateRevokeInstructions({ device: x.s.device, owner: x.s.owner.publicKey });

    it("cosigns and pays for an owner's action; the owner pays nothing", async () => {
      const x = setup();
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
        x.rt.close();
      }
    });

    it('refuses non-OpenVPP instructions, its key as an account, another owner, over-limit and over-cap requests; sends nothing', async () => {
      const x = setup({ relayLimits: { perOwnerPerMinute: 2, spendCapLamports: 10_000 } });
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
        // An allowlisted action that names the relayer as an account (rent payer).
        const create = mandateCreateInstructions({
          device: x.s.device,
          owner: x.s.owner.publicKey,
          utility: x.s.utilityPda,
          payer,
          maxPerPeriod: 1n,
          periodSecs: 86_400,
          maxTotal: 1n,
        });
        await refuse(await relayTx(x.app, token, payer, create, [x.s.owner]), 400, 'RelayNotOwnerAction');
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
        x.rt.close();
      }
    });

    it('limits each owner per minute (429 RelayRateLimited with Retry-After)', async () => {
      const x = setup({ relayLimits: { perOwnerPerMinute: 1 } });
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
        x.rt.close();
      }
    });
  });
});
