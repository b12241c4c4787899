// OCPP 2.0.1 probes against two independent real CSMS stacks on 127.0.0.1: ocpp-rpc 2.2.1
// (strict mode) and mobilityhouse ocpp 2.1.0, security profiles 1 (ws + Basic), 2 (wss + Basic)
// and 3 (wss + client certificate), and the negative cases.
import { expect } from 'chai';

import { probeEndpoint, type ProbeRequest } from '../../integration/src/probe';
import { LOCAL, OCPP_PASSWORD, check, failing, pki, requirePeer } from './peers';

const STACKS = [
  { peer: 'ocpp-rpc', base: 9100 },
  { peer: 'mobilityhouse', base: 9000 },
];

const probe = (endpoint: string, extra: Partial<ProbeRequest> = {}) =>
  probeEndpoint({
    protocol: 'ocpp201Csms',
    endpoint,
    allow: LOCAL,
    ca: pki('ca.crt'),
    credentials: { clientId: 'CP001', clientSecret: OCPP_PASSWORD },
    timeoutMs: 5000,
    ...extra,
  });

for (const { peer, base } of STACKS) {
  describe(`interop: OCPP 2.0.1 probe vs ${peer} CSMS`, function () {
    this.timeout(30_000);
    before(async function () {
      await requirePeer(this, peer, base + 1);
    });

    for (const profile of [1, 2, 3]) {
      it(`security profile ${profile}: subprotocol ocpp2.0.1, BootNotification and Heartbeat answered with CALLRESULTs`, async () => {
        const r = await probe(`${profile === 1 ? 'ws' : 'wss'}://127.0.0.1:${base + profile}/`, {
          ...(profile === 3 && {
            credentials: { clientId: 'CP001' },
            clientCert: { cert: pki('cp.crt'), key: pki('cp.key') },
          }),
          pins: profile === 1 ? undefined : [spki()],
        });
        expect(r.ok, failing(r)).to.equal(true);
        expect(r.version).to.equal('2.0.1');
        expect(check(r, 'ocpp.subprotocol').detail).to.contain('ocpp2.0.1');
        expect(check(r, 'ocpp.bootNotification').detail).to.match(/^CALLRESULT status=Accepted/);
        expect(check(r, 'ocpp.heartbeat').ok).to.equal(true);
        if (profile === 1) expect(r.tls).to.equal(null);
        else {
          expect(r.tls!.version).to.match(/^TLSv1\.[23]$/);
          expect(r.tls!.spkiSha256).to.equal(spki());
          expect(check(r, 'tls.pin').ok).to.equal(true);
        }
        expect(JSON.stringify(r)).not.to.contain(OCPP_PASSWORD);
      });
    }

    it('wrong Basic password: the handshake fails with HTTP 401 and the password is not in the report', async () => {
      const r = await probe(`ws://127.0.0.1:${base + 1}/`, {
        credentials: { clientId: 'CP001', clientSecret: 'wrong-password-1234' },
      });
      expect(r.ok).to.equal(false);
      expect(check(r, 'ocpp.handshake')).to.include({ ok: false });
      expect(check(r, 'ocpp.handshake').detail).to.contain('401');
      expect(JSON.stringify(r)).not.to.contain('wrong-password-1234');
    });

    it('security profile 3 without a client certificate: no BootNotification is answered', async () => {
      const r = await probe(`wss://127.0.0.1:${base + 3}/`, { credentials: { clientId: 'CP001' } });
      expect(r.ok).to.equal(false);
      expect(r.checks.some((c) => c.name === 'ocpp.bootNotification' && c.ok)).to.equal(false);
      expect(check(r, 'ocpp.handshake').detail).to.contain('no client certificate was presented');
    });

    it('wrong pin: refused after the handshake although the CA chain is valid, nothing sent', async () => {
      const r = await probe(`wss://127.0.0.1:${base + 2}/`, { pins: ['ab'.repeat(32)] });
      expect(r.ok).to.equal(false);
      expect(check(r, 'tls.chain').ok).to.equal(true);
      expect(check(r, 'tls.pin')).to.include({ ok: false });
      expect(r.checks.find((c) => c.name === 'ocpp.handshake')).to.equal(undefined);
    });
  });
}

describe('interop: OCPP negative cases (ocpp-rpc peers)', function () {
  this.timeout(30_000);
  before(async function () {
    await requirePeer(this, 'ocpp-rpc', 9104);
  });

  it('expired server certificate: tls.chain fails with CERT_HAS_EXPIRED, the chain is still reported', async () => {
    const r = await probe('wss://127.0.0.1:9104/');
    expect(r.ok).to.equal(false);
    expect(check(r, 'tls.chain').detail).to.contain('CERT_HAS_EXPIRED');
    expect(r.tls!.chain[0].notAfter).to.equal('2020-02-01T00:00:00.000Z');
    expect(r.checks.find((c) => c.name === 'ocpp.handshake')).to.equal(undefined);
  });

  it('a CSMS that speaks only ocpp1.6: the subprotocol check fails', async () => {
    const r = await probe('ws://127.0.0.1:9106/');
    expect(r.ok).to.equal(false);
    const c = r.checks.find((x) => x.name === 'ocpp.subprotocol') ?? check(r, 'ocpp.handshake');
    expect(c.ok).to.equal(false);
    expect(r.checks.find((x) => x.name === 'ocpp.bootNotification')).to.equal(undefined);
  });

  it('endpoint down: connect fails with ECONNREFUSED', async () => {
    const r = await probe('ws://127.0.0.1:9199/');
    expect(r.ok).to.equal(false);
    expect(check(r, 'connect').detail).to.contain('ECONNREFUSED');
  });

  it('slow endpoint (accepts TCP, never answers): the handshake times out within the deadline', async () => {
    const t = Date.now();
    const r = await probe('ws://127.0.0.1:9105/', { timeoutMs: 700 });
    expect(Date.now() - t).to.be.below(5000);
    expect(r.ok).to.equal(false);
    expect(check(r, 'ocpp.handshake').detail).to.match(/within 700 ms/);
  });

  it('without an allow-list entry, a loopback endpoint is refused before any packet is sent', async () => {
    let err: Error | undefined;
    await probeEndpoint({ protocol: 'ocpp201Csms', endpoint: 'ws://127.0.0.1:9101/' }).catch((e: Error) => (err = e));
    expect(err?.name).to.equal('ProbeRefusedError');
    expect((err as Error & { reason: string }).reason).to.equal('AddressNotAllowed');
  });
});

let spkiCache: string | undefined;
/** The test server certificate's SPKI SHA-256 (the pin a route would carry). */
function spki(): string {
  if (!spkiCache) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { X509Certificate, createHash } = require('node:crypto') as typeof import('node:crypto');
    const key = new X509Certificate(pki('server.crt')).publicKey.export({ type: 'spki', format: 'der' });
    spkiCache = createHash('sha256').update(key).digest('hex');
  }
  return spkiCache;
}
