// connectRoute against local peers of our own on 127.0.0.1 (tests/connect/servers.ts), with a
// throwaway openssl PKI: the route is published on the embedded runtime, pins = the server's SPKI.
import { expect } from 'chai';
import { execSync } from 'node:child_process';
import path from 'node:path';

import { type ConnectRouteOptions, connectRoute } from '../../sdk/src/connect';
import { makeTestPki, type TestPki } from './pki';
import { type Running, startCsms, startSep2, startSilent, startVtn } from './servers';
import { type ConnectWorld, connectWorld, publishRoute, refused } from './world';

describe('connectRoute (local peers, pinned TLS)', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let w: ConnectWorld;
  const servers: Running[] = [];
  const start = async <T extends Running>(s: Promise<T>) => {
    const r = await s;
    servers.push(r);
    return r;
  };
  const base = (extra: Partial<ConnectRouteOptions> = {}): ConnectRouteOptions => ({
    reader: w.rt,
    program: w.program,
    device: w.device,
    ca: pki.ca,
    timeoutMs: 5_000,
    ...extra,
  });

  before(() => {
    pki = makeTestPki();
    w = connectWorld();
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    pki?.cleanup();
  });

  it('spkiSha256 is the pin openssl computes (SHA-256 of the DER SubjectPublicKeyInfo)', () => {
    for (const name of ['server', 'other', 'client']) {
      const crt = path.join(pki.dir, `${name}.crt`);
      const hex = execSync(
        `openssl x509 -in '${crt}' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`,
      )
        .toString()
        .split(' ')[0];
      expect(pki[name as 'server' | 'other' | 'client'].spki).to.equal(hex);
    }
    expect(pki.server.spki).not.to.equal(pki.other.spki);
  });

  it('NoRoute before the utility approved and routed the device (resolve failure carried)', async () => {
    const e = await refused(connectRoute(base()), 'NoRoute');
    expect(e.resolveFailure).to.equal('enrollmentNotApproved');
  });

  describe('OpenADR 3 VEN', () => {
    const creds = { clientId: 'ven-client', clientSecret: 'ven-secret' };

    it('3.1: discovery -> token -> GET /programs over the pinned VTN (device key resolves too)', async () => {
      const vtn = await start(startVtn(pki.server));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
      const r = await connectRoute(base({ device: undefined, deviceKey: w.deviceKey, credentials: creds }));
      expect(r.protocol).to.equal('openAdr3Vtn');
      expect(r.spkiSha256).to.equal(pki.server.spki);
      expect(r.tls.version).to.match(/^TLSv1\.[23]$/);
      expect(r.tls.chain[0].spkiSha256).to.equal(pki.server.spki);
      expect(r.first).to.deep.include({
        kind: 'openadr3',
        version: '3.1',
        tokenUrl: `https://127.0.0.1:${vtn.port}/auth/token`,
      });
      expect((r.first as { programs: unknown[] }).programs).to.deep.equal([{ id: 'p1', programName: 'openvpp-test' }]);
      expect(r.route?.endpoint).to.equal(`https://127.0.0.1:${vtn.port}`);
      expect(vtn.seen).to.deep.equal(['GET /auth/server', 'POST /auth/token', 'GET /programs']);
    });

    it('3.0 (no /auth/server): token at <vtn>/auth/token', async () => {
      const vtn = await start(startVtn(pki.server, { version: '3.0' }));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}/`, pins: [pki.server.spki] });
      const r = await connectRoute(base({ credentials: creds }));
      expect(r.first).to.deep.include({ kind: 'openadr3', version: '3.0' });
    });

    it('a discovered token URL on another origin (e.g. plain http) gets no credentials', async () => {
      const vtn = await start(startVtn(pki.server, { tokenURL: 'http://127.0.0.1:3000/auth/token' }));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
      const e = await refused(connectRoute(base({ credentials: creds })), 'BadResponse');
      expect(e.message).to.contain('another origin');
      expect(vtn.seen).to.deep.equal(['GET /auth/server']);
      // given explicitly, a plain-http token URL is still refused before anything is sent
      await refused(
        connectRoute(base({ credentials: creds, tokenUrl: 'http://127.0.0.1:3000/auth/token' })),
        'InvalidEndpoint',
      );
    });

    it('PinMismatch: a server with a VALID chain (same CA, right SAN) but another key; nothing is sent', async () => {
      const vtn = await start(startVtn(pki.other));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
      const e = await refused(connectRoute(base({ credentials: creds })), 'PinMismatch');
      expect(e.message).to.contain(pki.other.spki);
      expect(vtn.seen).to.deep.equal([]);
      // the same server is accepted once its key is one of the pins (up to 4)
      publishRoute(w, {
        protocol: 'openAdr3Vtn',
        endpoint: `https://127.0.0.1:${vtn.port}`,
        pins: [pki.server.spki, pki.other.spki],
      });
      expect((await connectRoute(base({ credentials: creds }))).spkiSha256).to.equal(pki.other.spki);
    });

    it('TlsFailed: expired certificate, even though its key is pinned', async () => {
      const vtn = await start(startVtn(pki.expired));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.expired.spki] });
      const e = await refused(connectRoute(base({ credentials: creds })), 'TlsFailed');
      expect(e.message).to.contain('CERT_HAS_EXPIRED');
    });

    it('TlsFailed: untrusted chain (device trusts another CA) even with the right pin', async () => {
      const vtn = await start(startVtn(pki.server));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
      await refused(connectRoute(base({ credentials: creds, ca: pki.foreignCa })), 'TlsFailed');
    });

    it('Unauthorized on bad client credentials, Forbidden on a missing scope (RFC 7807 detail), secret never echoed', async () => {
      const vtn = await start(
        startVtn(pki.server, { clients: { 'ven-client': 'ven-secret', weak: 'weak-secret' }, scopeless: ['weak'] }),
      );
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
      const bad = await refused(
        connectRoute(base({ credentials: { clientId: 'ven-client', clientSecret: 'not-the-secret' } })),
        'Unauthorized',
      );
      expect(bad.status).to.equal(401);
      expect(bad.message).to.contain('invalid_client').and.not.contain('not-the-secret');
      const scope = await refused(
        connectRoute(base({ credentials: { clientId: 'weak', clientSecret: 'weak-secret' } })),
        'Forbidden',
      );
      expect(scope.message).to.contain("Missing 'read_targets' scope").and.not.contain('weak-secret');
      await refused(connectRoute(base({ credentials: {} })), 'MissingCredentials');
    });

    it('TooLarge: a /programs answer over maxResponseBytes', async () => {
      const programs = Array.from({ length: 2000 }, (_, i) => ({ id: `p${i}`, programName: 'x'.repeat(40) }));
      const vtn = await start(startVtn(pki.server, { programs }));
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
      await refused(connectRoute(base({ credentials: creds, maxResponseBytes: 16_384 })), 'TooLarge');
    });

    it('Timeout: a hung endpoint (TCP accepted, no TLS); Unreachable: nothing listening', async () => {
      const silent = await start(startSilent());
      publishRoute(w, {
        protocol: 'openAdr3Vtn',
        endpoint: `https://127.0.0.1:${silent.port}`,
        pins: [pki.server.spki],
      });
      const t0 = Date.now();
      await refused(connectRoute(base({ credentials: creds, timeoutMs: 500 })), 'Timeout');
      expect(Date.now() - t0).to.be.lessThan(3_000);
      const gone = await startSilent();
      await gone.close();
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${gone.port}`, pins: [pki.server.spki] });
      await refused(connectRoute(base({ credentials: creds })), 'Unreachable');
    });

    it('NoRoute: routeExpired once the route expired', async () => {
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: 'https://127.0.0.1:1', pins: [pki.server.spki] });
      const e = await refused(connectRoute(base({ credentials: creds, now: 4_102_444_800n })), 'NoRoute');
      expect(e.resolveFailure).to.equal('routeExpired');
    });
  });

  describe('IEEE 2030.5', () => {
    const device = () => ({ cert: pki.client.cert, key: pki.client.key });

    it('GET /dcap with the device certificate -> DeviceCapability links, LFDI/SFDI of the device cert', async () => {
      const s = await start(startSep2({ ...pki.server, ca: pki.ca }));
      publishRoute(w, {
        protocol: 'ieee2030Dot5',
        endpoint: `https://127.0.0.1:${s.port}/dcap`,
        pins: [pki.server.spki],
      });
      const r = await connectRoute(base({ credentials: device() }));
      expect(r.first).to.deep.include({ kind: 'ieee2030.5', contentType: 'application/sep+xml', pollRate: 900 });
      const f = r.first as import('../../sdk/src/connect').Sep2First;
      expect(f.links).to.deep.include({ EndDeviceListLink: '/edev', TimeLink: '/tm' });
      expect(f.lfdi).to.match(/^[0-9A-F]{40}$/);
      expect(r.tls.clientCertificate).to.equal(true);
    });

    it('route without a path means /dcap', async () => {
      const s = await start(startSep2({ ...pki.server, ca: pki.ca }));
      publishRoute(w, { protocol: 'ieee2030Dot5', endpoint: `https://127.0.0.1:${s.port}`, pins: [pki.server.spki] });
      expect(((await connectRoute(base({ credentials: device() }))).first as { url: string }).url).to.match(/\/dcap$/);
    });

    it('Unauthorized without an accepted client certificate (server answers 403); MissingCredentials without one', async () => {
      const s = await start(startSep2({ ...pki.server, ca: pki.ca }));
      publishRoute(w, {
        protocol: 'ieee2030Dot5',
        endpoint: `https://127.0.0.1:${s.port}/dcap`,
        pins: [pki.server.spki],
      });
      // a certificate the server does not accept for clients (serverAuth-only EKU): the app answers 403
      await refused(connectRoute(base({ credentials: { cert: pki.other.cert, key: pki.other.key } })), 'Unauthorized');
      await refused(connectRoute(base({ credentials: {} })), 'MissingCredentials');
    });

    it('BadResponse: 200 but not a DeviceCapability in the 2030.5 namespace', async () => {
      const s = await start(
        startSep2(
          { ...pki.server, ca: pki.ca },
          { body: '<DeviceCapability xmlns="urn:example"><EndDeviceListLink href="/edev"/></DeviceCapability>' },
        ),
      );
      publishRoute(w, {
        protocol: 'ieee2030Dot5',
        endpoint: `https://127.0.0.1:${s.port}/dcap`,
        pins: [pki.server.spki],
      });
      await refused(connectRoute(base({ credentials: device() })), 'BadResponse');
    });

    it('PinMismatch against a valid-chain impostor', async () => {
      const s = await start(startSep2({ ...pki.other, ca: pki.ca }));
      publishRoute(w, {
        protocol: 'ieee2030Dot5',
        endpoint: `https://127.0.0.1:${s.port}/dcap`,
        pins: [pki.server.spki],
      });
      await refused(connectRoute(base({ credentials: device() })), 'PinMismatch');
    });
  });

  describe('OCPP 2.0.1 charging station', () => {
    it('profile 2 (TLS + Basic auth): ocpp2.0.1 selected, BootNotification Accepted (ping answered)', async () => {
      const csms = await start(startCsms({ ...pki.server, ca: pki.ca }));
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${csms.port}/ocpp/CP001`,
        pins: [pki.server.spki],
      });
      const r = await connectRoute(base({ credentials: { password: 'cp-secret' } }));
      expect(r.first).to.deep.include({
        kind: 'ocpp2.0.1',
        subprotocol: 'ocpp2.0.1',
        identity: 'CP001',
        securityProfile: 2,
        status: 'Accepted',
        interval: 300,
      });
      expect(csms.boots).to.have.length(1);
    });

    it('profile 3 (mutual TLS), identity appended from the option', async () => {
      const csms = await start(startCsms({ ...pki.server, ca: pki.ca }, { passwords: {} }));
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${csms.port}/ocpp`,
        pins: [pki.server.spki],
      });
      const r = await connectRoute(
        base({ identity: 'CP001', credentials: { cert: pki.client.cert, key: pki.client.key } }),
      );
      expect(r.first).to.deep.include({ identity: 'CP001', securityProfile: 3, status: 'Accepted' });
    });

    it('Unauthorized on a wrong password (HTTP 401 on the upgrade)', async () => {
      const csms = await start(startCsms(pki.server));
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${csms.port}/CP001`,
        pins: [pki.server.spki],
      });
      const e = await refused(connectRoute(base({ credentials: { password: 'wrong-password' } })), 'Unauthorized');
      expect(e.message).not.to.contain('wrong-password');
    });

    it('SubprotocolRejected when the CSMS selects another subprotocol or none', async () => {
      for (const select of ['ocpp1.6', '']) {
        const csms = await start(startCsms(pki.server, { select }));
        publishRoute(w, {
          protocol: 'ocpp201Csms',
          endpoint: `wss://127.0.0.1:${csms.port}/CP001`,
          pins: [pki.server.spki],
        });
        await refused(connectRoute(base({ credentials: { password: 'cp-secret' } })), 'SubprotocolRejected');
      }
    });

    it('Rejected when BootNotification is not Accepted', async () => {
      const csms = await start(startCsms(pki.server, { status: 'Rejected' }));
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${csms.port}/CP001`,
        pins: [pki.server.spki],
      });
      await refused(connectRoute(base({ credentials: { password: 'cp-secret' } })), 'Rejected');
    });

    it('PinMismatch (valid chain) and TlsFailed (expired) before any upgrade request', async () => {
      const impostor = await start(startCsms(pki.other));
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${impostor.port}/CP001`,
        pins: [pki.server.spki],
      });
      await refused(connectRoute(base({ credentials: { password: 'cp-secret' } })), 'PinMismatch');
      const expired = await start(startCsms(pki.expired));
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${expired.port}/CP001`,
        pins: [pki.expired.spki],
      });
      await refused(connectRoute(base({ credentials: { password: 'cp-secret' } })), 'TlsFailed');
      expect(impostor.boots.length + expired.boots.length).to.equal(0);
    });

    it('Timeout on a hung CSMS', async () => {
      const silent = await start(startSilent());
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: `wss://127.0.0.1:${silent.port}/CP001`,
        pins: [pki.server.spki],
      });
      await refused(connectRoute(base({ credentials: { password: 'cp-secret' }, timeoutMs: 500 })), 'Timeout');
    });
  });
});
