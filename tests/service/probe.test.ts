// Unit tests of the endpoint probes' guard rails (address policy, limits, redaction) and of the
// report hash. No network: the interop suite (npm run test:interop) probes real peers.
import { expect } from 'chai';
import { createHash } from 'node:crypto';

import {
  ProbeRefusedError,
  buildAllowList,
  canonicalJson,
  classifyAddress,
  ipv6Bytes,
  isRestrictedAddress,
  type AddressClass,
  probeEndpoint,
  redact,
  redactUrl,
  reportHash,
  resolveTarget,
  type ProbeReport,
} from '../../integration/src/probe';

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

describe('probe safety: IPv6 forms of IPv4 and special-purpose IPv6 (round 3 finding 6)', () => {
  /** [address, range, embedded IPv4 or undefined, embedding or undefined] */
  const refused: [string, AddressClass['range'], string?, string?][] = [
    // IPv4-compatible ::/96
    ['::7f00:1', 'loopback', '127.0.0.1', 'ipv4Compatible'],
    ['::127.0.0.1', 'loopback', '127.0.0.1', 'ipv4Compatible'],
    ['0:0:0:0:0:0:7f00:1', 'loopback', '127.0.0.1', 'ipv4Compatible'],
    ['0000:0000:0000:0000:0000:0000:7F00:0001', 'loopback', '127.0.0.1', 'ipv4Compatible'],
    ['::7f00:1%eth0', 'loopback', '127.0.0.1', 'ipv4Compatible'],
    ['::a9fe:a9fe', 'linkLocal', '169.254.169.254', 'ipv4Compatible'],
    ['::10.0.0.1', 'private', '10.0.0.1', 'ipv4Compatible'],
    ['::2', 'thisNetwork', '0.0.0.2', 'ipv4Compatible'],
    // IPv4-mapped ::ffff:0:0/96
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1', 'ipv4Mapped'],
    ['::FFFF:7F00:1', 'loopback', '127.0.0.1', 'ipv4Mapped'],
    ['0:0:0:0:0:ffff:c0a8:101', 'private', '192.168.1.1', 'ipv4Mapped'],
    ['::ffff:100.64.0.1', 'cgnat', '100.64.0.1', 'ipv4Mapped'],
    // IPv4-translated ::ffff:0:0:0/96 (RFC 2765)
    ['::ffff:0:7f00:1', 'loopback', '127.0.0.1', 'ipv4Translated'],
    ['::ffff:0:127.0.0.1', 'loopback', '127.0.0.1', 'ipv4Translated'],
    ['0:0:0:0:ffff:0:a9fe:a9fe', 'linkLocal', '169.254.169.254', 'ipv4Translated'],
    // NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052, 8215)
    ['64:ff9b::7f00:1', 'loopback', '127.0.0.1', 'nat64'],
    ['64:ff9b::127.0.0.1', 'loopback', '127.0.0.1', 'nat64'],
    ['64:FF9B:0:0:0:0:a00:1', 'private', '10.0.0.1', 'nat64'],
    ['64:ff9b:1::a9fe:a9fe', 'linkLocal', '169.254.169.254', 'nat64LocalUse'],
    ['64:ff9b:1::8.8.8.8', 'nat64LocalUse'],
    // 6to4 2002::/16
    ['2002:7f00:1::1', 'loopback', '127.0.0.1', '6to4'],
    ['2002:0a00:0001::', 'private', '10.0.0.1', '6to4'],
    ['2002:a9fe:a9fe:1234::1', 'linkLocal', '169.254.169.254', '6to4'],
    ['2002:c0a8:0101::', 'private', '192.168.1.1', '6to4'],
    // Teredo 2001::/32: server IPv4 in bits 32-63, client IPv4 obfuscated in the last 32 bits
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', '127.0.0.1', 'teredoClient'],
    ['2001::8000:0:80ff:fffe', 'thisNetwork', '0.0.0.0', 'teredoServer'],
    ['2001:0:4136:e378::f5ff:fffe', 'private', '10.0.0.1', 'teredoClient'],
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'private', '10.0.0.1', 'teredoServer'],
    // special-purpose IPv6
    ['fec0::1', 'siteLocal'],
    ['FEC0::1', 'siteLocal'],
    ['feff:ffff::1', 'siteLocal'],
    ['::', 'unspecified'],
    ['0:0:0:0:0:0:0:0', 'unspecified'],
    ['::1', 'loopback'],
    ['0000::0001', 'loopback'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['FE80::1%25', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['ff0e::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001:0DB8:ffff::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['3fff:0fff::1', 'documentation'],
    ['100::1', 'discard'],
    ['2001:2::1', 'benchmarking'],
    ['2001:2:0:ffff::1', 'benchmarking'],
    ['2001:20::1', 'orchid'],
    ['2001:2f::1', 'orchid'],
    ['2001:100::1', 'ietfProtocol'],
    ['5f00::1', 'srv6Sid'],
    ['1::1', 'reserved'],
    ['4000::1', 'reserved'],
    // IPv4 for reference: the same names
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'cgnat'],
    ['192.0.2.1', 'documentation'],
  ];
  const allowed = [
    '2606:4700::1111',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2002:0808:0808::', // 6to4 of 8.8.8.8
    '2002:808:808::1',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8', // NAT64 of a public address
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo: server 65.54.227.120, client 8.8.8.8
    '2001:1::1', // PCP anycast
    '2001:3::1', // AMT
    '3ffe::1', // outside 3fff::/20
    '8.8.8.8',
  ];

  it('classifies every IPv6 spelling of an embedded IPv4 address by that address', () => {
    for (const [ip, range, ipv4, embedding] of refused) {
      const c = classifyAddress(ip);
      expect(c.range, ip).to.equal(range);
      expect(c.ipv4, ip).to.equal(ipv4);
      expect(c.embedding, ip).to.equal(embedding);
      expect(isRestrictedAddress(ip), ip).to.equal(true);
    }
    for (const ip of allowed) {
      expect(classifyAddress(ip), ip).to.deep.equal({ range: 'public' });
      expect(isRestrictedAddress(ip), ip).to.equal(false);
    }
    for (const bad of ['', 'nope', '::00001', '1::2::3', '::127.000.0.1', '1:2:3:4:5:6:7:8:9', '[::1]'])
      expect(classifyAddress(bad), bad).to.deep.equal({ range: 'notAnAddress' });
  });

  it('expands IPv6 to 16 bytes (zone ids, dotted tails, case, leading zeros)', () => {
    const hex = (ip: string) => Buffer.from(ipv6Bytes(ip)!).toString('hex');
    expect(hex('::127.0.0.1')).to.equal('0000000000000000000000007f000001');
    expect(hex('0:0:0:0:0:0:7F00:0001%eth0')).to.equal('0000000000000000000000007f000001');
    expect(hex('2002:a00:1::')).to.equal('20020a00000100000000000000000000');
    expect(hex('1:2:3:4:5:6:7:8')).to.equal('00010002000300040005000600070008');
    expect(hex('1::')).to.equal('00010000000000000000000000000000');
    expect(ipv6Bytes('127.0.0.1')).to.equal(null);
  });

  it('refuses URL and resolved forms with AddressNotAllowed, naming the embedded address', async () => {
    for (const ep of [
      'https://[::7f00:1]/',
      'https://[::127.0.0.1]/',
      'https://[0:0:0:0:0:0:7f00:1]/',
      'https://[::ffff:0:7f00:1]/',
      'https://[64:ff9b::7f00:1]/',
      'https://[2002:7f00:1::1]/',
      'wss://[2001:0:4136:e378:8000:63bf:80ff:fffe]:9102/',
      'https://[fec0::1]/',
      'https://[FEC0::1]/',
    ]) {
      let err: unknown;
      try {
        await resolveTarget(ep, ['https', 'wss']);
      } catch (e) {
        err = e;
      }
      expect(err, ep).to.be.instanceOf(ProbeRefusedError);
      const e = err as ProbeRefusedError;
      expect(e.reason, ep).to.equal('AddressNotAllowed');
      const range = ep.includes('fec0') || ep.includes('FEC0') ? 'siteLocal' : 'loopback';
      expect(e.address?.range, ep).to.equal(range);
      if (range === 'loopback') expect(e.message, ep).to.include('IPv4 127.0.0.1 embedded as');
    }
    // A public embedded address passes (no network: the address is used as written).
    expect((await resolveTarget('https://[2002:808:808::]/', ['https'])).ip).to.equal('2002:808:808::');
  });

  it('the operator allow-list keeps its meaning: it admits what it names, nothing more', async () => {
    // Naming the embedded IPv6 form admits it; naming the IPv4 address does not admit other forms.
    expect((await resolveTarget('https://[::7f00:1]/', ['https'], ['::7f00:1'])).ip).to.equal('::7f00:1');
    expect((await resolveTarget('https://[2002:7f00:1::1]/', ['https'], ['2002::/16'])).ip).to.equal('2002:7f00:1::1');
    expect(await refusal(resolveTarget('https://[::7f00:1]/', ['https'], ['127.0.0.1']))).to.equal('AddressNotAllowed');
    expect(await refusal(resolveTarget('https://[64:ff9b::7f00:1]/', ['https'], ['127.0.0.0/8']))).to.equal(
      'AddressNotAllowed',
    );
    expect(await refusal(resolveTarget('https://[fec0::1]/', ['https'], ['fe80::/10']))).to.equal('AddressNotAllowed');
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
