// IEEE 2030.5 probe against gridappsd-2030-5 0.0.2a37 on 127.0.0.1 (mutual TLS with its own CA
// and device certificates). The server's EndDevice LFDI/SFDI must equal the project's LFDI
// function applied to the same certificate.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';

import { certificateLfdi, probeEndpoint, type ProbeRequest } from '../../integration/src/probe';
import { LOCAL, PEERS, check, failing, requirePeer, sep2 } from './peers';

const ENDPOINT = 'https://127.0.0.1:8443';
const dev1 = () => ({ cert: sep2('certs/dev1.crt'), key: sep2('private/dev1.pem') });
const probe = (extra: Partial<ProbeRequest> = {}) =>
  probeEndpoint({
    protocol: 'ieee2030Dot5',
    endpoint: ENDPOINT,
    allow: LOCAL,
    ca: sep2('certs/ca.crt'),
    timeoutMs: 10_000,
    ...extra,
  });

/** GET with the device certificate, outside the probe code (an independent read of the server). */
const get = (p: string) =>
  new Promise<string>((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port: 8443,
        path: p,
        ...dev1(),
        ca: sep2('certs/ca.crt'),
        checkServerIdentity: () => undefined,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
  });

describe('interop: IEEE 2030.5 probe vs gridappsd-2030-5', function () {
  this.timeout(60_000);
  before(async function () {
    await requirePeer(this, 'gridappsd-2030-5', 8443);
  });

  it('mutual TLS: /dcap is a DeviceCapability in the 2030.5 namespace and its EndDeviceListLink lists this device', async () => {
    const r = await probe({ clientCert: dev1() });
    expect(r.ok, failing(r)).to.equal(true);
    expect(r.version).to.equal('2030.5');
    expect(check(r, 'ieee2030_5.dcap').detail).to.contain('urn:ieee:std:2030.5:ns');
    expect(check(r, 'ieee2030_5.endDeviceList').detail).to.contain("lists this client certificate's LFDI");
    expect(r.tls!.chain.length).to.be.greaterThan(0);
  });

  it("the server's EndDevice lFDI/sFDI equal the project's LFDI function (and openssl's SHA-256)", async () => {
    const edev = await get('/edev');
    const lfdi = /<lFDI>([0-9A-F]+)<\/lFDI>/i.exec(edev)![1].toLowerCase();
    const sfdi = /<sFDI>(\d+)<\/sFDI>/.exec(edev)![1];
    const ours = certificateLfdi(dev1().cert);
    expect(ours.lfdi).to.equal(lfdi);
    expect(ours.sfdi).to.equal(sfdi);
    const der = execFileSync('openssl', [
      'x509',
      '-in',
      path.join(PEERS, 'sep2/tls/certs/dev1.crt'),
      '-outform',
      'DER',
    ]);
    const sha = execFileSync('sha256sum', { input: der }).toString().slice(0, 40);
    expect(sha).to.equal(lfdi);
  });

  it('the server certificate LFDI/SFDI are reported', async () => {
    const r = await probe({ clientCert: dev1() });
    const id = certificateLfdi(sep2('certs/127.0.0.1:8443.crt'));
    expect(check(r, 'ieee2030_5.serverIdentity').detail).to.equal(`server certificate LFDI ${id.lfdi} SFDI ${id.sfdi}`);
  });

  it('without a client certificate: the server refuses /dcap (HTTP 403) and the report fails', async () => {
    const r = await probe();
    expect(r.ok).to.equal(false);
    expect(check(r, 'ieee2030_5.clientCertificate').ok).to.equal(false);
    expect(check(r, 'ieee2030_5.dcap')).to.include({ ok: false });
    expect(check(r, 'ieee2030_5.dcap').detail).to.contain('HTTP 403');
  });

  it('wrong pin: refused before any request although the chain is valid', async () => {
    const r = await probe({ clientCert: dev1(), pins: ['cd'.repeat(32)] });
    expect(r.ok).to.equal(false);
    expect(check(r, 'tls.chain').ok).to.equal(true);
    expect(check(r, 'tls.pin').ok).to.equal(false);
    expect(r.checks.find((c) => c.name === 'ieee2030_5.dcap')).to.equal(undefined);
  });

  it('right pin (the leaf SPKI) passes', async () => {
    const first = await probe({ clientCert: dev1() });
    const r = await probe({ clientCert: dev1(), pins: [first.tls!.spkiSha256] });
    expect(r.ok, failing(r)).to.equal(true);
    expect(check(r, 'tls.pin').ok).to.equal(true);
  });

  it('untrusted server (no SERCA given): tls.chain fails and the client key is never used for a request', async () => {
    const r = await probe({ clientCert: dev1(), ca: undefined });
    expect(r.ok).to.equal(false);
    expect(check(r, 'tls.chain').ok).to.equal(false);
    expect(JSON.stringify(r)).not.to.contain('PRIVATE KEY');
  });
});
