// Unit tests of the endpoint probes' guard rails (address policy, limits, redaction) and of the
// report hash. No network: the interop suite (npm run test:interop) probes real peers.
import { expect } from 'chai';
import { createHash } from 'node:crypto';

import {
  ProbeRefusedError,
  buildAllowList,
  canonicalJson,
  isRestrictedAddress,
  probeEndpoint,
  redact,
  redactUrl,
  reportHash,
  resolveTarget,
  type ProbeReport,
} from '../../service/src/probe';

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(ProbeRefusedError);
    return (e as ProbeRefusedError).reason;
  }
  throw new Error('expected a ProbeRefusedError');
};

describe('probe safety: address policy', () => {
  it('private, loopback, link-local, CGNAT, multicast and unspecified addresses are restricted', () => {
    for (const ip of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      'ff02::1',
    ]) {
      expect(isRestrictedAddress(ip), ip).to.equal(true);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '::ffff:808:808']) {
      expect(isRestrictedAddress(ip), ip).to.equal(false);
    }
  });

  it('refuses loopback, private and link-local endpoints without an allow-list entry', async () => {
    for (const ep of [
      'wss://127.0.0.1:9102/',
      'https://10.0.0.5/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]:8443/',
      'https://[::ffff:127.0.0.1]/',
      'https://localhost:3443/',
    ]) {
      expect(await refusal(resolveTarget(ep, ['https', 'wss'])), ep).to.equal('AddressNotAllowed');
    }
  });

  it('the allow-list admits exactly what it names (IP or CIDR)', async () => {
    expect((await resolveTarget('wss://127.0.0.1:9102/', ['wss'], ['127.0.0.1'])).ip).to.equal('127.0.0.1');
    expect((await resolveTarget('https://10.1.2.3/', ['https'], ['10.0.0.0/8'])).ip).to.equal('10.1.2.3');
    expect(await refusal(resolveTarget('https://127.0.0.2/', ['https'], ['127.0.0.1']))).to.equal('AddressNotAllowed');
    expect(() => buildAllowList(['not-an-ip'])).to.throw(ProbeRefusedError);
    expect(() => buildAllowList(['10.0.0.0/33'])).to.throw(ProbeRefusedError);
  });

  it('refuses malformed endpoints, wrong schemes and credentials in the URL', async () => {
    expect(await refusal(resolveTarget('not a url', ['https']))).to.equal('InvalidEndpoint');
    expect(await refusal(resolveTarget('ftp://8.8.8.8/', ['https']))).to.equal('InvalidEndpoint');
    expect(await refusal(resolveTarget('https://user:pw@8.8.8.8/', ['https']))).to.equal('InvalidEndpoint');
    expect(await refusal(probeEndpoint({ protocol: 'ocpp201Csms', endpoint: 'https://8.8.8.8/' }))).to.equal(
      'InvalidEndpoint',
    );
    expect(await refusal(resolveTarget('https://no-such-host.invalid/', ['https']))).to.equal('ResolveFailed');
  });
});

describe('probe safety: redaction', () => {
  it('removes secrets (raw, URL- and base64-encoded), bearer/basic tokens and JWTs', () => {
    const secret = 's3cret-password-16';
    const text = [
      `password=${secret}`,
      `Authorization: Basic ${Buffer.from(`CP001:${secret}`).toString('base64')}`,
      `Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlc2lnbmF0dXJl`,
      `raw ${secret} and ${encodeURIComponent(secret)}`,
    ].join('\n');
    const out = redact(text, [secret]);
    expect(out).not.to.contain(secret);
    expect(out).not.to.contain('eyJ0eXAi');
    expect(out).not.to.contain(Buffer.from(`CP001:${secret}`).toString('base64'));
    expect(redact('the CSMS refused the Basic credentials of station X')).to.equal(
      'the CSMS refused the Basic credentials of station X',
    );
  });

  it('drops userinfo, query and fragment from endpoints', () => {
    expect(redactUrl('wss://cp:pw@example.com:443/ocpp?token=abc#x')).to.equal('wss://example.com/ocpp');
  });
});

describe('probe report hash', () => {
  const report: ProbeReport = {
    protocol: 'ocpp201Csms',
    endpoint: 'wss://csms.example.com/ocpp',
    version: '2.0.1',
    ok: true,
    tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', chain: [], spkiSha256: 'ab'.repeat(32) },
    checks: [{ name: 'ocpp.bootNotification', ok: true, detail: 'CALLRESULT status=Accepted', ms: 12 }],
    startedAt: '2026-11-26T00:00:00.000Z',
    durationMs: 40,
  };

  it('canonical JSON sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).to.equal(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('the hash is SHA-256 of the canonical JSON, independent of key order', () => {
    const shuffled = JSON.parse(JSON.stringify(report, Object.keys(report).reverse())) as ProbeReport;
    const reordered: ProbeReport = { ...shuffled, ...Object.fromEntries(Object.entries(report).reverse()) };
    expect(reportHash(reordered)).to.equal(reportHash(report));
    expect(reportHash(report)).to.equal(createHash('sha256').update(canonicalJson(report)).digest('hex'));
    expect(reportHash(report)).to.match(/^[0-9a-f]{64}$/);
  });

  it('any change to a check changes the hash', () => {
    const flipped = { ...report, checks: [{ ...report.checks[0], ok: false }] };
    expect(reportHash(flipped)).not.to.equal(reportHash(report));
  });
});
