// The API contract at the edges: named errors instead of 500s, 405 with Allow, documented
// statuses, and a read cache that never serves a revoked, suspended or expired route.
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import { expect } from 'chai';

import { buildApp, generateApiKey, openapi, rpcBackend, runtimeBackend } from '@openvpp/service';
import { deviceStatusSetInstructions, fetchDevice, findPartnerPda, routeRevokeInstructions } from '@openvpp/sdk/web3';

import { seedWorld } from '@openvpp/testing';

const API_KEY = generateApiKey();

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const bs58 = {
  encode(bytes: Buffer): string {
    let n = BigInt(`0x${bytes.toString('hex') || '0'}`);
    let out = '';
    while (n > 0n) {
      out = ALPHABET[Number(n % 58n)] + out;
      n /= 58n;
    }
    let zeros = 0;
    while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
    return '1'.repeat(zeros) + out;
  },
};

/** Base58 strings of the key alphabet and length that do not decode to 32 bytes. */
const NOT_KEYS = [
  bs58.encode(Buffer.alloc(33, 0xff)), // 33 bytes, 45 characters
  bs58.encode(Buffer.alloc(31, 0xff)), // 31 bytes
  'z'.repeat(44), // more than 2^256
  '2'.repeat(32), // fewer than 32 bytes
];

describe('service: API contract', () => {
  const w = seedWorld({ devices: 2 });
  const app = buildApp({ backend: runtimeBackend(w.rt), apiKey: API_KEY, utilityKey: w.utility, protocolKey: w.admin });
  const [device] = w.devices;
  const program = w.program;
  const resolveUrl = `/v1/resolve?device=${device.toBase58()}&program=${program.toBase58()}`;
  const post = (url: string, payload: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });
  after(() => w.rt.close());

  it('answers a base58 string that is not a 32-byte key with 400 InvalidPublicKey, never 500', async () => {
    for (const bad of NOT_KEYS) {
      expect(bad).to.match(/^[1-9A-HJ-NP-Za-km-z]+$/);
      const responses = [
        await app.inject({ url: `/v1/devices/${bad}` }),
        await app.inject({ url: `/v1/resolve?device=${bad}&program=${program.toBase58()}` }),
        await app.inject({ url: `/v1/resolve?device=${device.toBase58()}&program=${bad}` }),
        await post('/v1/certificates/validate', { certificate: 'x', vendor: bad }),
        await post('/v1/enrollments/decision', { program: bad, device: device.toBase58(), approve: true }),
      ];
      for (const res of responses) {
        expect(res.statusCode, `${bad}: ${res.body}`).to.equal(400);
        expect(res.json().error).to.equal('InvalidPublicKey');
        expect(res.json().message).to.match(/base58 encoding of exactly 32 bytes/);
      }
    }
  });

  it('answers undeclared methods with 405 and Allow, before authentication or body parsing', async () => {
    const cases: [string, string, string][] = [
      ['PUT', resolveUrl, 'GET, HEAD'],
      ['DELETE', `/v1/devices/${Keypair.generate().publicKey.toBase58()}`, 'GET, HEAD'],
      ['QUERY', '/v1/resolve', 'GET, HEAD'],
      ['GET', '/v1/routes', 'POST'],
      ['PATCH', '/v1/attestations', 'POST'],
      ['TRACE', '/health', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const res = await app.inject({ method: method as 'GET', url });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).to.equal(405);
      expect(res.headers.allow).to.equal(allow);
      expect(res.json().error).to.equal('MethodNotAllowed');
    }
    expect((await app.inject({ url: '/v1/nowhere' })).json().error).to.equal('NotFound');
  });

  it('names body-level refusals: 413, 415, invalid JSON, too-long path parameters', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/v1/certificates/validate',
      headers: { 'content-type': 'application/json' },
      payload: `{"certificate":"${'a'.repeat(4 * 1024 * 1024)}"}`,
    });
    expect(big.statusCode).to.equal(413);
    expect(big.json().error).to.equal('PayloadTooLarge');
    const text = await app.inject({
      method: 'POST',
      url: '/v1/certificates/validate',
      headers: { 'content-type': 'application/xml' },
      payload: '<certificate/>',
    });
    expect(text.statusCode).to.equal(415);
    expect(text.json().error).to.equal('UnsupportedMediaType');
    const broken = await app.inject({
      method: 'POST',
      url: '/v1/certificates/validate',
      headers: { 'content-type': 'application/json' },
      payload: '{"certificate":',
    });
    expect(broken.statusCode).to.equal(400);
    expect(broken.json().error).to.equal('InvalidJson');
    const long = await app.inject({ url: `/v1/names/${'a'.repeat(300)}` });
    expect(long.statusCode).to.equal(400);
    expect(long.json().error).to.equal('InvalidInput');
  });

  it('reports program refusals and missing accounts by name, never "custom program error"', async () => {
    const stranger = Keypair.generate().publicKey.toBase58();
    const missing = await post('/v1/enrollments/decision', {
      program: stranger,
      device: device.toBase58(),
      approve: true,
    });
    expect(missing.statusCode).to.equal(404);
    expect(missing.json()).to.include({ error: 'AccountNotFound', code: 3012 });
    const noSubject = await post('/v1/attestations', {
      subject: stranger,
      kind: 'certificateChain',
      evidenceHash: 'ab'.repeat(32),
      expiresAt: 4_102_444_800,
    });
    expect(noSubject.statusCode).to.equal(404);
    expect(noSubject.json().error).to.equal('SubjectNotFound');
    // The seeded enrollment is already approved: deciding again is the program's refusal.
    const again = await post('/v1/enrollments/decision', {
      program: program.toBase58(),
      device: device.toBase58(),
      approve: true,
    });
    expect(again.statusCode).to.equal(422);
    expect(again.json()).to.include({ error: 'InvalidEnrollmentStatus', code: 6005 });
    for (const res of [missing, noSubject, again]) expect(res.body).to.not.match(/custom program error|0x[0-9a-f]+/);
  });

  it('documents every status each route returns, with response schemas and required bodies', () => {
    for (const [path, item] of Object.entries(openapi.paths)) {
      for (const [method, op] of Object.entries(item) as [string, Record<string, unknown>][]) {
        const responses = op.responses as Record<string, { content?: unknown }>;
        for (const status of ['200', '405', '500', ...(path === '/health' ? [] : ['400', '503'])]) {
          expect(responses, `${method} ${path} ${status}`).to.have.property(status);
        }
        for (const [status, r] of Object.entries(responses)) {
          expect(r.content, `${method} ${path} ${status} has a schema`).to.not.equal(undefined);
        }
        if (method === 'post') {
          expect((op.requestBody as { required?: boolean }).required).to.equal(true);
          for (const status of ['413', '415']) expect(responses).to.have.property(status);
        }
        // Keyed routes answer 401 and, as they send a transaction (a passing probe writes its
        // attestation), 422. The app's routes (a session or the key) answer 401, and its reads of
        // someone's data 403 (not the live feed, the relayer, the network or the programs list).
        const app = (op.tags as string[] | undefined)?.includes('app');
        const keyed = app ? ['401'] : ['401', '422'];
        if (op.security) for (const status of keyed) expect(responses, `${method} ${path}`).to.have.property(status);
        const everyones = ['/v1/live', '/v1/relay', '/v1/network', '/v1/programs'];
        if (app && op.security && method === 'get' && !everyones.includes(path)) {
          expect(responses, `${method} ${path}`).to.have.property('403');
        }
      }
    }
  });

  it('never serves a stale answer from its cache: revocations and clock moves are seen at once', async () => {
    const second = w.devices[1];
    const url = `/v1/resolve?device=${second.toBase58()}&program=${program.toBase58()}`;
    // Warm the cache, then change the bank behind the service's back (another client of the runtime).
    expect((await app.inject({ url })).statusCode).to.equal(200);
    expect((await app.inject({ url })).statusCode).to.equal(200);
    const expiresAt = BigInt((await app.inject({ url })).json().expiresAt);

    const clock = w.rt.getClock();
    w.rt.setUnixTimestamp(expiresAt);
    const expired = await app.inject({ url });
    expect(expired.statusCode).to.equal(404);
    expect(expired.json().error).to.equal('routeExpired');
    w.rt.setClock(clock);
    expect((await app.inject({ url })).statusCode).to.equal(200);

    w.rt.processInstructions(routeRevokeInstructions({ program, authority: w.utility.publicKey, device: second }), [
      w.utility,
    ]);
    const revoked = await app.inject({ url });
    expect(revoked.statusCode).to.equal(404);
    expect(revoked.json().error).to.equal('routeRevoked');

    expect((await app.inject({ url: resolveUrl })).statusCode).to.equal(200);
    const deviceKey = (await fetchDevice(w.rt, { address: device }))!.deviceKey.toBase58();
    expect((await app.inject({ url: `/v1/devices/${deviceKey}` })).json().status).to.equal('active');
    w.rt.processInstructions(
      deviceStatusSetInstructions({
        authority: w.admin.publicKey,
        vendor: findPartnerPda({ authority: w.vendor.publicKey })[0],
        deviceKey: new PublicKey(deviceKey),
        status: 'suspended',
      }),
      [w.admin],
    );
    expect((await app.inject({ url: `/v1/devices/${deviceKey}` })).json().status).to.equal('suspended');
    const suspended = await app.inject({ url: resolveUrl });
    expect(suspended.statusCode).to.equal(404);
    expect(suspended.json().error).to.equal('deviceNotActive');
  });

  it('over RPC, reads are batched and cached for at most one slot (400 ms) and dropped after a write', async () => {
    const calls: string[] = [];
    const account = { data: Buffer.alloc(8), owner: PublicKey.default, lamports: 1, executable: false };
    const clock = Buffer.alloc(40);
    clock.writeBigInt64LE(1_800_000_000n, 32);
    const connection = {
      async getMultipleAccountsInfo(keys: PublicKey[]) {
        calls.push(`getMultipleAccountsInfo(${keys.length})`);
        return keys.map(() => account);
      },
      async getAccountInfo() {
        calls.push('clock');
        return { ...account, data: clock };
      },
    } as unknown as Connection;
    const backend = rpcBackend(connection, Keypair.generate(), { cacheTtlMs: 400 });
    const keys = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    await backend.accounts(keys);
    await backend.accounts(keys);
    expect(await backend.now()).to.equal(1_800_000_000n);
    await backend.now();
    expect(calls).to.deep.equal(['getMultipleAccountsInfo(2)', 'clock']);
    await new Promise((r) => setTimeout(r, 450));
    await backend.accounts(keys);
    await backend.now();
    expect(calls).to.deep.equal(['getMultipleAccountsInfo(2)', 'clock', 'getMultipleAccountsInfo(2)', 'clock']);
    backend.invalidate();
    await backend.accounts([keys[0]]);
    expect(calls.at(-1)).to.equal('getMultipleAccountsInfo(1)');
  });
});
