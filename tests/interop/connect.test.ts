// connectRoute against the REAL peers (installed by scripts/peers.sh into ~/.cache/openvpp/peers,
// started by scripts/peers.sh start; all on 127.0.0.1): ocpp-rpc and mobilityhouse CSMSs
// (security profiles 2 and 3), openleadr-vtn 0.1.4 (OpenADR 3.0) behind TLS, gridappsd-2030-5 with
// mutual TLS. The route is published on the embedded runtime (tests/connect/world.ts), pinned to
// the peer's server key. A peer that is not installed is skipped unless OVPP_REQUIRE_PEERS is set.
import { expect } from 'chai';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import {
  type ConnectRouteOptions,
  type Sep2First,
  ConnectError,
  connectRoute,
  spkiSha256,
} from '../../sdk/src/connect';
import { deviceIdentity, pemToDer } from '../../sdk/src/registry/identity';
import { type ConnectWorld, connectWorld, publishRoute, refused } from '../connect/world';
import { OCPP_PASSWORD, PEERS, listening, requirePeer } from './peers';

const read = (...p: string[]) => fs.readFileSync(path.join(PEERS, ...p), 'utf8');
/** The SPKI pin of the first certificate in a PEM file (text dumps before the block are skipped). */
const pinOf = (pem: string) => spkiSha256(pemToDer(pem));

/** A plain HTTPS request to the VTN's TLS front (test setup only, not under test). */
function httpsText(method: string, p: string, ca: string, body: string, headers: Record<string, string>) {
  return new Promise<string>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: 3443, path: p, method, ca, headers }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () =>
        res.statusCode! < 300 ? resolve(b) : reject(new Error(`${method} ${p}: ${res.statusCode} ${b}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('interop: connectRoute against real peers', function () {
  this.timeout(60_000);
  let w: ConnectWorld;
  before(() => {
    w = connectWorld();
  });
  const opts = (extra: Partial<ConnectRouteOptions>): ConnectRouteOptions => ({
    reader: w.rt,
    program: w.program,
    device: w.device,
    timeoutMs: 10_000,
    ...extra,
  });

  for (const csms of [
    { peer: 'ocpp-rpc', sp2: 9102, sp3: 9103 },
    { peer: 'mobilityhouse', sp2: 9002, sp3: 9003 },
  ]) {
    describe(`OCPP 2.0.1: ${csms.peer} CSMS`, () => {
      let ca: string;
      let pin: string;
      before(async function () {
        await requirePeer(this, csms.peer, csms.sp2);
        ca = read('pki', 'ca.crt');
        pin = pinOf(read('pki', 'server.crt'));
      });

      it('security profile 2 (TLS + Basic auth): ocpp2.0.1 negotiated, BootNotification Accepted', async () => {
        publishRoute(w, { protocol: 'ocpp201Csms', endpoint: `wss://127.0.0.1:${csms.sp2}/CP001`, pins: [pin] });
        const r = await connectRoute(opts({ ca, credentials: { password: OCPP_PASSWORD } }));
        expect(r.spkiSha256).to.equal(pin);
        expect(r.first).to.deep.include({
          kind: 'ocpp2.0.1',
          subprotocol: 'ocpp2.0.1',
          securityProfile: 2,
          status: 'Accepted',
        });
      });

      it('security profile 3 (mutual TLS with the charging-station certificate)', async () => {
        publishRoute(w, { protocol: 'ocpp201Csms', endpoint: `wss://127.0.0.1:${csms.sp3}/CP001`, pins: [pin] });
        const r = await connectRoute(
          opts({ ca, credentials: { cert: read('pki', 'cp.crt'), key: read('pki', 'cp.key') } }),
        );
        expect(r.first).to.deep.include({ securityProfile: 3, status: 'Accepted' });
        expect(r.tls.clientCertificate).to.equal(true);
      });

      it('refused: wrong password (Unauthorized), wrong pin on a valid chain (PinMismatch), no client certificate on profile 3', async () => {
        publishRoute(w, { protocol: 'ocpp201Csms', endpoint: `wss://127.0.0.1:${csms.sp2}/CP001`, pins: [pin] });
        await refused(connectRoute(opts({ ca, credentials: { password: 'wrong-password-16' } })), 'Unauthorized');
        publishRoute(w, {
          protocol: 'ocpp201Csms',
          endpoint: `wss://127.0.0.1:${csms.sp2}/CP001`,
          pins: [pinOf(read('pki', 'expired.crt'))],
        });
        await refused(connectRoute(opts({ ca, credentials: { password: OCPP_PASSWORD } })), 'PinMismatch');
        publishRoute(w, { protocol: 'ocpp201Csms', endpoint: `wss://127.0.0.1:${csms.sp3}/CP001`, pins: [pin] });
        const e = await connectRoute(opts({ ca, credentials: { password: OCPP_PASSWORD } })).catch((x) => x);
        expect(e).to.be.instanceOf(ConnectError);
        // the handshake is refused for want of a client certificate: a TLS alert, or a reset/close
        expect(['TlsFailed', 'Unreachable', 'BadResponse']).to.include((e as ConnectError).reason, e.message);
      });
    });
  }

  describe('OCPP 2.0.1: ocpp-rpc expired certificate and hung endpoint', () => {
    before(async function () {
      await requirePeer(this, 'ocpp-rpc', 9104);
    });
    it('TlsFailed on the expired server certificate even with its key pinned; Timeout on the slow endpoint', async () => {
      const ca = read('pki', 'ca.crt');
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: 'wss://127.0.0.1:9104/CP001',
        pins: [pinOf(read('pki', 'expired.crt'))],
      });
      const e = await refused(connectRoute(opts({ ca, credentials: { password: OCPP_PASSWORD } })), 'TlsFailed');
      expect(e.message).to.contain('CERT_HAS_EXPIRED');
      publishRoute(w, {
        protocol: 'ocpp201Csms',
        endpoint: 'wss://127.0.0.1:9105/CP001',
        pins: [pinOf(read('pki', 'server.crt'))],
      });
      await refused(connectRoute(opts({ ca, timeoutMs: 1_000, credentials: { password: OCPP_PASSWORD } })), 'Timeout');
    });
  });

  describe('OpenADR 3.0: openleadr-vtn 0.1.4 behind TLS', () => {
    let ca: string;
    let pin: string;
    before(async function () {
      await requirePeer(this, 'openleadr-vtn', 3443);
      ca = read('pki', 'ca.crt');
      pin = pinOf(read('pki', 'server.crt'));
    });

    it('as a VEN: 3.0 detected (no /auth/server), client-credentials token, GET /programs lists the VTN programs', async () => {
      // setup through the VTN's own API (as the business logic): a program the VEN must then see
      const programName = `openvpp-connect-${Date.now()}`;
      const token = JSON.parse(
        await httpsText(
          'POST',
          '/auth/token',
          ca,
          'grant_type=client_credentials&client_id=admin&client_secret=admin',
          {
            'content-type': 'application/x-www-form-urlencoded',
          },
        ),
      ).access_token;
      await httpsText('POST', '/programs', ca, JSON.stringify({ programName }), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: 'https://127.0.0.1:3443', pins: [pin] });
      const r = await connectRoute(opts({ ca, credentials: { clientId: 'admin', clientSecret: 'admin' } }));
      expect(r.first).to.deep.include({
        kind: 'openadr3',
        version: '3.0',
        tokenUrl: 'https://127.0.0.1:3443/auth/token',
      });
      const programs = (r.first as { programs: { programName?: string }[] }).programs;
      expect(programs).to.be.an('array');
      expect(programs.map((p) => p.programName)).to.include(programName);
    });

    it('refused: bad client secret (Unauthorized), valid chain with a foreign pin (PinMismatch), expired front (TlsFailed)', async () => {
      publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: 'https://127.0.0.1:3443', pins: [pin] });
      const bad = await refused(
        connectRoute(opts({ ca, credentials: { clientId: 'admin', clientSecret: 'not-admin' } })),
        'Unauthorized',
      );
      expect(bad.message).not.to.contain('not-admin');
      publishRoute(w, {
        protocol: 'openAdr3Vtn',
        endpoint: 'https://127.0.0.1:3443',
        pins: [pinOf(read('pki', 'expired.crt'))],
      });
      await refused(
        connectRoute(opts({ ca, credentials: { clientId: 'admin', clientSecret: 'admin' } })),
        'PinMismatch',
      );
      if (await listening(3444)) {
        publishRoute(w, {
          protocol: 'openAdr3Vtn',
          endpoint: 'https://127.0.0.1:3444',
          pins: [pinOf(read('pki', 'expired.crt'))],
        });
        await refused(
          connectRoute(opts({ ca, credentials: { clientId: 'admin', clientSecret: 'admin' } })),
          'TlsFailed',
        );
      }
    });
  });

  describe('IEEE 2030.5: gridappsd-2030-5 with mutual TLS', () => {
    let ca: string;
    let pin: string;
    let dev: { cert: string; key: string };
    before(async function () {
      await requirePeer(this, 'gridappsd-2030-5', 8443);
      ca = read('sep2', 'tls', 'certs', 'ca.crt');
      pin = pinOf(read('sep2', 'tls', 'certs', '127.0.0.1:8443.crt'));
      dev = { cert: read('sep2', 'tls', 'certs', 'dev1.crt'), key: read('sep2', 'tls', 'private', 'dev1.pem') };
    });

    it("GET /dcap with the device certificate: DeviceCapability; the server's EndDevice lFDI equals ours", async () => {
      publishRoute(w, { protocol: 'ieee2030Dot5', endpoint: 'https://127.0.0.1:8443/dcap', pins: [pin] });
      // gridappsd's server certificate has CN=127.0.0.1 and no SAN: host-name check off, chain and pin still on
      const r = await connectRoute(opts({ ca, checkHostname: false, credentials: dev }));
      const f = r.first as Sep2First;
      expect(f.kind).to.equal('ieee2030.5');
      expect(f.links).to.include.keys('EndDeviceListLink');
      expect(f.lfdi).to.equal(deviceIdentity(dev.cert).lfdiHex);
      // oracle: the server's own view of this device
      const edev = await new Promise<string>((resolve, reject) =>
        https
          .get(
            {
              host: '127.0.0.1',
              port: 8443,
              path: f.links.EndDeviceListLink,
              ca,
              ...dev,
              checkServerIdentity: () => undefined,
            },
            (res) => {
              let b = '';
              res.on('data', (c) => (b += c));
              res.on('end', () => resolve(b));
            },
          )
          .on('error', reject),
      );
      expect(edev.toUpperCase()).to.contain(`<LFDI>${f.lfdi}</LFDI>`);
    });

    it('refused: hostname check on (no SAN), a device certificate from another CA (TLS alert unknown_ca), no certificate (nothing sent), a foreign pin', async () => {
      publishRoute(w, { protocol: 'ieee2030Dot5', endpoint: 'https://127.0.0.1:8443/dcap', pins: [pin] });
      await refused(connectRoute(opts({ ca, credentials: dev })), 'TlsFailed');
      // gridappsd verifies an offered client certificate in the handshake (a missing one gets 403 later)
      const foreign = await refused(
        connectRoute(
          opts({ ca, checkHostname: false, credentials: { cert: read('pki', 'cp.crt'), key: read('pki', 'cp.key') } }),
        ),
        'TlsFailed',
      );
      expect(foreign.message).to.contain('UNKNOWN_CA');
      await refused(connectRoute(opts({ ca, checkHostname: false, credentials: {} })), 'MissingCredentials');
      publishRoute(w, {
        protocol: 'ieee2030Dot5',
        endpoint: 'https://127.0.0.1:8443/dcap',
        pins: [pinOf(read('pki', 'server.crt'))],
      });
      await refused(connectRoute(opts({ ca, checkHostname: false, credentials: dev })), 'PinMismatch');
    });
  });
});
