// Regression tests for the service-side audit findings: certificate chain cycles and overlong
// chains (2), CA checks on issuers (3), validation against a suspended or revoked vendor (9),
// weak API keys (13) and, in round 3, revoked intermediates and CAs as device certificates (5).
// Each one reproduces the attack and asserts the named problem or error.
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { InsecureApiKeyError, buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { findPartnerPda, partnerCaAddInstructions, partnerStatusSetInstructions } from '@openvpp/sdk/web3';

import { resolveServeApiKey } from '../../service/src/commands/serve';
import { validateDeviceCertificate } from '../../integration/src/x509';
import { CA_FINGERPRINT, CA_PEM, DEVICE_PEM, world } from '../utils/harness';
import { EXT, Pki, type Cert } from '../utils/pki';

describe('service: certificate and API key hardening (audit findings 2, 3, 9, 13)', function () {
  this.timeout(120_000);
  const pki = new Pki('ovpp-security-');
  let root: Cert;
  let ica: Cert;
  let leaf: Cert;
  let cycle: { leaf: Cert; chain: Cert[] };
  let deep: { leaf: Cert; chain: Cert[] };
  let caFalse: { leaf: Cert; chain: Cert[] };
  let deviceIssued: { leaf: Cert; chain: Cert[] };
  let noCertSign: { leaf: Cert; chain: Cert[] };
  let pathLen: { leaf: Cert; chain: Cert[] };
  let futureCa: { leaf: Cert; chain: Cert[] };

  before(() => {
    root = pki.issue('root', { subject: '/O=Acme/CN=Sec Root', ext: EXT.root, notBefore: pki.days(-30) });
    ica = pki.issue('ica', { subject: '/O=Acme/CN=Sec Devices CA', ext: EXT.ca, issuer: root });
    leaf = pki.issue('leaf', { subject: '/O=Acme/CN=sec-dev-1', ext: EXT.leaf, issuer: ica });
    const ca = (name: string, issuer: Cert, ext = EXT.ca, o = {}) =>
      pki.issue(name, { subject: `/O=Acme/CN=${name}`, ext, issuer, ...o });
    const dev = (name: string, issuer: Cert) =>
      pki.issue(name, { subject: `/O=Acme/CN=${name}`, ext: EXT.leaf, issuer });
    // Two CAs that sign each other and never reach a root.
    const a0 = pki.issue('a0', { subject: '/O=Acme/CN=Loop A', ext: EXT.root });
    const b0 = pki.issue('b0', { subject: '/O=Acme/CN=Loop B', ext: EXT.root });
    const aByB = pki.issue('a', { subject: '/O=Acme/CN=Loop A', ext: EXT.ca, issuer: b0, keyPath: a0.keyPath });
    const bByA = pki.issue('b', { subject: '/O=Acme/CN=Loop B', ext: EXT.ca, issuer: a0, keyPath: b0.keyPath });
    cycle = { leaf: dev('loop-dev', a0), chain: [aByB, bByA, root] };
    // Eight CAs below the registered root: a 10-certificate path.
    let top = root;
    const cas: Cert[] = [];
    for (let i = 0; i < 8; i++) cas.push((top = ca(`deep-${i}`, top)));
    deep = { leaf: dev('deep-dev', top), chain: [...cas, root] };
    const notCa = ca('not-a-ca', root, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,keyCertSign,digitalSignature',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid:always',
    ]);
    caFalse = { leaf: dev('under-not-a-ca', notCa), chain: [notCa, root] };
    const device = dev('device-turned-ca', ica);
    deviceIssued = { leaf: dev('issued-by-device', device), chain: [device, ica, root] };
    const signOnly = ca('sign-only', root, [
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,digitalSignature,cRLSign',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid:always',
    ]);
    noCertSign = { leaf: dev('under-sign-only', signOnly), chain: [signOnly, root] };
    const p0 = ca('pathlen-zero', root, [
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      'keyUsage=critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid:always',
    ]);
    const below = ca('below-pathlen-zero', p0);
    pathLen = { leaf: dev('under-below', below), chain: [below, p0, root] };
    const future = ca('future-ca', root, EXT.ca, { notBefore: pki.days(5), notAfter: pki.days(100) });
    futureCa = { leaf: dev('under-future', future), chain: [future, root] };
  });
  after(() => pki.cleanup());

  const validate = (c: { leaf: Cert; chain: Cert[] }, extra: { crls?: string[]; now?: Date } = {}) =>
    validateDeviceCertificate({
      certificate: c.leaf.pem,
      chain: c.chain.map((x) => x.pem),
      trustedRoots: [root.fingerprintHex],
      ...extra,
    });

  /** A runtime world whose vendor registered the generated root, and the API over it. */
  function apiWorld() {
    const w = world();
    w.rt.processInstructions(
      partnerCaAddInstructions({
        authority: w.admin.publicKey,
        partnerAuthority: w.vendor.publicKey,
        payer: w.rt.payer.publicKey,
        fingerprint: Buffer.from(root.fingerprintHex, 'hex'),
      }),
      [w.admin, w.vendor],
    );
    const app = buildApp({ backend: runtimeBackend(w.rt), apiKey: randomBytes(32).toString('hex') });
    const check = async (c: { leaf: Cert; chain: Cert[]; crls?: string[] }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/certificates/validate',
        payload: {
          certificate: c.leaf.pem,
          chain: c.chain.map((x) => x.pem),
          ...(c.crls ? { crls: c.crls } : {}),
          vendor: w.vendor.publicKey.toBase58(),
        },
      });
      expect(res.statusCode, res.body).to.equal(200);
      return res.json();
    };
    return { ...w, app, check };
  }

  describe('finding 2: chains that never reach a self-signed registered root', () => {
    it('a CA cycle is invalid with ChainCycle, over the unauthenticated HTTP endpoint too', async () => {
      const report = await validate(cycle);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.include('ChainCycle');
      expect(report.issuerCaFingerprintHex).to.equal(null);
      const w = apiWorld();
      const overHttp = await w.check(cycle);
      expect(overHttp.valid).to.equal(false);
      expect(overHttp.problemCodes).to.include('ChainCycle');
    });

    it('a path of more than 8 issuers (10 certificates) is invalid with ChainTooLong', async () => {
      const report = await validate(deep);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.include('ChainTooLong');
    });

    it('the control: the same PKI validates through a normal intermediate', async () => {
      const report = await validate({ leaf, chain: [ica, root] });
      expect(report.valid, JSON.stringify(report.problems)).to.equal(true);
      expect(report.issuerCaFingerprintHex).to.equal(root.fingerprintHex);
      expect(report.path).to.have.length(3);
    });
  });

  describe('finding 3: issuers must be CAs allowed to sign certificates', () => {
    it('a CA:FALSE intermediate is refused (IssuerNotCa), over HTTP too', async () => {
      const report = await validate(caFalse);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.include('IssuerNotCa');
      const w = apiWorld();
      const overHttp = await w.check(caFalse);
      expect(overHttp.valid).to.equal(false);
      expect(overHttp.problemCodes).to.include('IssuerNotCa');
    });

    it('a device certificate cannot issue certificates that chain to the vendor root', async () => {
      const report = await validate(deviceIssued);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.include('IssuerNotCa');
    });

    it('a CA without keyCertSign is refused (IssuerMissingKeyCertSign)', async () => {
      const report = await validate(noCertSign);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.include('IssuerMissingKeyCertSign');
    });

    it('pathLenConstraint is enforced (PathLengthExceeded)', async () => {
      const report = await validate(pathLen);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.deep.equal(['PathLengthExceeded']);
    });

    it('an intermediate outside its validity dates is refused (CaNotYetValid)', async () => {
      const report = await validate(futureCa);
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.deep.equal(['CaNotYetValid']);
    });

    it('the legacy fixture CA (CA:TRUE without keyUsage) no longer issues valid certificates', async () => {
      const report = await validateDeviceCertificate({
        certificate: DEVICE_PEM,
        chain: [CA_PEM],
        trustedRoots: [Buffer.from(CA_FINGERPRINT).toString('hex')],
      });
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.deep.equal(['IssuerMissingKeyCertSign']);
    });

    it('a stale CRL (nextUpdate passed) is refused (CrlExpired)', async () => {
      const stale = pki.crl(ica, { seconds: 60 });
      const later = new Date(Date.now() + 3_600_000);
      const rootCrl = pki.crl(root);
      const report = await validate({ leaf, chain: [ica, root] }, { crls: [stale, rootCrl], now: later });
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.deep.equal(['CrlExpired']);
    });
  });

  describe('round 3 finding 5: revoked intermediates and CAs as device certificates', () => {
    it('an intermediate revoked by the root CRL is refused (CaRevoked), over HTTP too', async () => {
      const revokedCa = pki.issue('revoked-ica', { subject: '/O=Acme/CN=Sec Revoked CA', ext: EXT.ca, issuer: root });
      const under = pki.issue('under-revoked', { subject: '/O=Acme/CN=sec-dev-2', ext: EXT.leaf, issuer: revokedCa });
      const icaCrl = pki.crl(revokedCa);
      expect(
        (await validate({ leaf: under, chain: [revokedCa, root] }, { crls: [icaCrl, pki.crl(root)] })).valid,
      ).to.equal(true);
      pki.revoke(root, revokedCa);
      const crls = [icaCrl, pki.crl(root)];
      const report = await validate({ leaf: under, chain: [revokedCa, root] }, { crls });
      expect(report.valid).to.equal(false);
      expect(report.problemCodes).to.deep.equal(['CaRevoked']);
      expect(report.problems[0]).to.include('Sec Revoked CA');
      // Once any CRL is given, every issuer's CRL is required (openssl -crl_check_all).
      const partial = await validate({ leaf: under, chain: [revokedCa, root] }, { crls: [icaCrl] });
      expect(partial.problemCodes).to.deep.equal(['CrlMissing']);
      const w = apiWorld();
      const overHttp = await w.check({ leaf: under, chain: [revokedCa, root], crls });
      expect(overHttp.valid).to.equal(false);
      expect(overHttp.problemCodes).to.deep.equal(['CaRevoked']);
    });

    it('the root, an intermediate or a CA:TRUE certificate is not a device certificate', async () => {
      const asDevice = async (c: { leaf: Cert; chain: Cert[] }, code: string) => {
        const report = await validate(c);
        expect(report.valid, c.leaf.name).to.equal(false);
        expect(report.problemCodes, c.leaf.name).to.include(code);
      };
      await asDevice({ leaf: root, chain: [root] }, 'DeviceCertificateIsRoot');
      await asDevice({ leaf: root, chain: [] }, 'DeviceCertificateIsCa');
      await asDevice({ leaf: ica, chain: [ica, root] }, 'DeviceCertificateInChain');
      await asDevice({ leaf: ica, chain: [root] }, 'DeviceCertificateIsCa');
      const caTrue = pki.issue('ca-true-device', {
        subject: '/O=Acme/CN=sec-dev-ca',
        ext: [
          'basicConstraints=critical,CA:TRUE',
          'keyUsage=critical,digitalSignature',
          'subjectKeyIdentifier=hash',
          'authorityKeyIdentifier=keyid:always',
        ],
        issuer: ica,
      });
      await asDevice({ leaf: caTrue, chain: [ica, root] }, 'DeviceCertificateIsCa');
      const certSign = pki.issue('certsign-device', {
        subject: '/O=Acme/CN=sec-dev-certsign',
        ext: [
          'keyUsage=critical,digitalSignature,keyCertSign',
          'subjectKeyIdentifier=hash',
          'authorityKeyIdentifier=keyid:always',
        ],
        issuer: ica,
      });
      await asDevice({ leaf: certSign, chain: [ica, root] }, 'DeviceCertificateHasKeyCertSign');
      const serverOnly = pki.issue('server-device', {
        subject: '/O=Acme/CN=sec-dev-server',
        ext: [...EXT.leaf, 'extendedKeyUsage=serverAuth'],
        issuer: ica,
      });
      await asDevice({ leaf: serverOnly, chain: [ica, root] }, 'DeviceCertificateNotClientAuth');
      const w = apiWorld();
      const overHttp = await w.check({ leaf: ica, chain: [ica, root] });
      expect(overHttp.valid).to.equal(false);
      expect(overHttp.problemCodes).to.include.members(['DeviceCertificateIsCa', 'DeviceCertificateInChain']);
    });
  });

  describe('finding 9: only an active vendor’s roots are trusted', () => {
    for (const status of ['suspended', 'revoked'] as const) {
      it(`a ${status} vendor validates nothing (VendorNotActive)`, async () => {
        const w = apiWorld();
        const good = { leaf, chain: [ica, root] };
        expect((await w.check(good)).valid).to.equal(true);
        w.rt.processInstructions(
          partnerStatusSetInstructions({
            authority: w.admin.publicKey,
            partner: findPartnerPda({ authority: w.vendor.publicKey })[0],
            status,
          }),
          [w.admin],
        );
        const report = await w.check(good);
        expect(report.valid).to.equal(false);
        expect(report.problemCodes[0]).to.equal('VendorNotActive');
        expect(report.problems[0]).to.match(new RegExp(`is ${status} in the registry`));
        expect(report.issuerCaFingerprintHex).to.equal(null);
      });
    }
  });

  describe('finding 13: API keys', () => {
    const backend = () => runtimeBackend(world().rt);
    const refused: [string, string][] = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['change-me', 'wellKnown'],
      ['change-me-change-me-change-me-change-me', 'wellKnown'],
      ['demo-key', 'wellKnown'],
      ['test-key-0123456789', 'wellKnown'],
      ['0123456789abcdef0123456789abcde', 'tooShort'],
      ['ab'.repeat(20), 'lowEntropy'],
    ];
    for (const [key, reason] of refused) {
      it(`refuses to build the API with ${JSON.stringify(key)} (${reason})`, () => {
        let err: unknown;
        try {
          buildApp({ backend: backend(), apiKey: key });
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(InsecureApiKeyError);
        expect((err as InsecureApiKeyError).reason).to.equal(reason);
        expect((err as Error).message).to.match(/^InsecureApiKey/);
        expect((err as Error).message).to.include('openssl rand -hex 32');
      });
    }

    it('accepts a generated key and compares keys of any length in constant time', async () => {
      const key = generateApiKey();
      expect(key).to.match(/^[0-9a-f]{64}$/);
      expect(generateApiKey()).to.not.equal(key);
      const w = world();
      const app = buildApp({ backend: runtimeBackend(w.rt), apiKey: key, protocolKey: w.admin });
      const post = (headers: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/v1/attestations',
          payload: {
            subject: Keypair.generate().publicKey.toBase58(),
            kind: 'certificateChain',
            evidenceHash: 'ab'.repeat(32),
            expiresAt: 4_102_444_800,
          },
          headers,
        });
      const wrongs: Record<string, string>[] = [
        {},
        { 'x-api-key': '' },
        { 'x-api-key': key.slice(0, 63) },
        { 'x-api-key': key + 'x' },
      ];
      for (const wrong of wrongs) expect((await post(wrong)).statusCode).to.equal(401);
      // Authentication comes before body validation: no schema feedback without the key.
      const noKeyBadBody = await app.inject({ method: 'POST', url: '/v1/routes', payload: { nope: 1 } });
      expect(noKeyBadBody.statusCode).to.equal(401);
      // The right key gets past authentication (the program then refuses the unknown subject).
      expect((await post({ 'x-api-key': key })).statusCode).to.not.equal(401);
    });

    it('serve: a cluster needs a key; the embedded runtime gets a fresh random one', () => {
      expect(() => resolveServeApiKey({ rpc: 'http://127.0.0.1:8899' })).to.throw(InsecureApiKeyError, /--rpc/);
      expect(() => resolveServeApiKey({ apiKey: 'change-me' })).to.throw(InsecureApiKeyError);
      const a = resolveServeApiKey({});
      const b = resolveServeApiKey({});
      expect(a.generated).to.equal(true);
      expect(a.apiKey).to.match(/^[0-9a-f]{64}$/);
      expect(a.apiKey).to.not.equal(b.apiKey);
      const given = generateApiKey();
      expect(resolveServeApiKey({ apiKey: given, rpc: 'http://127.0.0.1:8899' })).to.deep.equal({
        apiKey: given,
        generated: false,
      });
    });

    it('the openvpp serve command exits 2 with a named error for a default or short key', () => {
      const bin = path.join(__dirname, '..', '..', 'service', 'bin', 'openvpp.js');
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'OVPP_API_KEY'));
      for (const args of [
        ['--api-key', 'change-me'],
        ['--api-key', 'short'],
        ['--rpc', 'http://127.0.0.1:1'],
      ]) {
        const res = spawnSync(process.execPath, [bin, 'serve', ...args], {
          encoding: 'utf8',
          timeout: 60_000,
          env,
        });
        expect(res.status, `${args.join(' ')}: ${res.stderr}`).to.equal(2);
        expect(res.stderr).to.match(/InsecureApiKey/);
        expect(res.stderr).to.include('openssl rand -hex 32');
      }
    });
  });
});
