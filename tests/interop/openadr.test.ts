// OpenADR 3.0 probe against openleadr-vtn 0.1.4 (the last 3.0 release) on PostgreSQL 18, seeded
// with its own users fixture, behind a TLS front on 127.0.0.1:3443 (:3444 presents an expired
// certificate).
import { expect } from 'chai';
import { X509Certificate, createHash } from 'node:crypto';

import { probeEndpoint, type ProbeRequest } from '../../integration/src/probe';
import { LOCAL, check, failing, pki, requirePeer } from './peers';

const VTN = 'https://127.0.0.1:3443';
const serverSpki = () =>
  createHash('sha256')
    .update(new X509Certificate(pki('server.crt')).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
const probe = (extra: Partial<ProbeRequest> = {}) =>
  probeEndpoint({
    protocol: 'openAdr3Vtn',
    endpoint: VTN,
    allow: LOCAL,
    ca: pki('ca.crt'),
    credentials: { clientId: 'admin', clientSecret: 'admin' },
    timeoutMs: 10_000,
    ...extra,
  });

describe('interop: OpenADR 3.0 probe vs openleadr-vtn 0.1.4', function () {
  this.timeout(60_000);
  before(async function () {
    await requirePeer(this, 'openleadr-vtn', 3443);
  });

  it('TLS + pin, no 3.1 discovery (3.0), client-credentials token, GET /programs is a JSON array', async () => {
    const r = await probe({ pins: [serverSpki()] });
    expect(r.ok, failing(r)).to.equal(true);
    expect(r.version).to.equal('3.0');
    expect(check(r, 'openadr.discovery').detail).to.contain('3.0');
    expect(check(r, 'openadr.token').ok).to.equal(true);
    expect(check(r, 'openadr.programs').detail).to.match(/JSON array of \d+ program/);
    expect(check(r, 'tls.pin').ok).to.equal(true);
    expect(JSON.stringify(r)).not.to.match(/eyJ[A-Za-z0-9_-]{10}/); // no token in the report
  });

  it('bad OAuth credentials: the token check fails with 401 and the secret is not in the report', async () => {
    const r = await probe({ credentials: { clientId: 'admin', clientSecret: 'not-the-secret-42' } });
    expect(r.ok).to.equal(false);
    expect(check(r, 'openadr.token')).to.include({ ok: false });
    expect(check(r, 'openadr.token').detail).to.match(/HTTP 401: client credentials rejected/);
    expect(JSON.stringify(r)).not.to.contain('not-the-secret-42');
    expect(r.checks.find((c) => c.name === 'openadr.programs')).to.equal(undefined);
  });

  it('valid credentials lacking a role: 403 reported as "credentials valid but lacking"', async () => {
    const r = await probe({ credentials: { clientId: 'user-1-client-id', clientSecret: 'user-1' } });
    expect(r.ok).to.equal(false);
    expect(check(r, 'openadr.token').ok).to.equal(true);
    const c = r.checks.find((x) => !x.ok)!;
    expect(c.detail).to.match(/HTTP 403 .*credentials valid but lacking/);
  });

  it('wrong pin: refused although the chain is valid; no credentials sent', async () => {
    const r = await probe({ pins: ['ef'.repeat(32)] });
    expect(r.ok).to.equal(false);
    expect(check(r, 'tls.chain').ok).to.equal(true);
    expect(check(r, 'tls.pin').ok).to.equal(false);
    expect(r.checks.find((c) => c.name === 'openadr.token')).to.equal(undefined);
  });

  it('expired server certificate: tls.chain fails with CERT_HAS_EXPIRED', async () => {
    const r = await probe({ endpoint: 'https://127.0.0.1:3444' });
    expect(r.ok).to.equal(false);
    expect(check(r, 'tls.chain').detail).to.contain('CERT_HAS_EXPIRED');
  });

  it('plain http: refused (the OAuth secret would travel in clear)', async () => {
    const r = await probe({ endpoint: 'http://127.0.0.1:3000' });
    expect(r.ok).to.equal(false);
    expect(check(r, 'tls.required').ok).to.equal(false);
  });
});

describe('interop: OpenADR probe, endpoint down and slow (no VTN needed)', function () {
  this.timeout(30_000);
  it('endpoint down: connect fails with ECONNREFUSED', async () => {
    const r = await probe({ endpoint: 'https://127.0.0.1:3999' });
    expect(r.ok).to.equal(false);
    expect(check(r, 'connect').detail).to.contain('ECONNREFUSED');
  });

  it('slow endpoint (TCP accepted, TLS never answered): connect times out at the deadline', async function () {
    await requirePeer(this, 'ocpp-rpc', 9105); // the slow listener is started with the OCPP peers
    const t = Date.now();
    const r = await probe({ endpoint: 'https://127.0.0.1:9105', timeoutMs: 600 });
    expect(Date.now() - t).to.be.below(5000);
    expect(check(r, 'connect').detail).to.contain('timed out after 600 ms');
  });
});
