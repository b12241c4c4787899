// x509-openssl cases: name constraints, certificate policies and other (critical) extensions.
import { EXT, type Cert } from '../../utils/pki';
import { type World } from './world';

export function extensionCases({ pki, root, ica, leafOf, caOf, add, without }: World) {
  // --- name constraints (RFC 5280 6.1.3 b-c)
  {
    const ncCa = (constraint: string, extra: string[] = [], issuer = root, name = 'nc-ca') =>
      caOf(issuer, { ext: [...EXT.ca, `nameConstraints=critical,${constraint}`, ...extra] }, name);
    const dev = (issuer: Cert, ext: string[], subject?: string) =>
      pki.issue('nc-dev', {
        subject: subject ?? `/O=Acme/CN=nc-dev-${Math.random().toString(36).slice(2, 8)}`,
        ext: [...EXT.leaf, ...ext],
        issuer,
      });
    const dnsCa = ncCa('permitted;DNS:.acme.example,excluded;DNS:bad.acme.example', [], root, 'nc-dns');
    add({
      name: 'name constraints: permitted DNS SAN',
      leaf: dev(dnsCa, ['subjectAltName=DNS:dev1.acme.example']),
      chain: [dnsCa],
      expectValid: true,
    });
    add({
      name: 'name constraints: DNS SAN outside the permitted subtree',
      leaf: dev(dnsCa, ['subjectAltName=DNS:dev1.evil.example']),
      chain: [dnsCa],
      expectValid: false,
    });
    add({
      name: 'name constraints: DNS SAN in the excluded subtree',
      leaf: dev(dnsCa, ['subjectAltName=DNS:x.bad.acme.example']),
      chain: [dnsCa],
      expectValid: false,
    });
    add({
      name: 'name constraints: DNS-like CN outside, no SAN',
      leaf: dev(dnsCa, [], '/O=Acme/CN=dev1.evil.example'),
      chain: [dnsCa],
      expectValid: false,
    });
    add({
      name: 'name constraints: plain CN (not a host name), no SAN',
      leaf: dev(dnsCa, [], '/O=Acme/CN=ACME-BAT-000009'),
      chain: [dnsCa],
      expectValid: true,
    });
    add({
      name: 'name constraints: DNS-like CN outside but DNS SAN inside',
      leaf: dev(dnsCa, ['subjectAltName=DNS:ok.acme.example'], '/O=Acme/CN=dev1.evil.example'),
      chain: [dnsCa],
      expectValid: true,
    });
    const dirCa = ncCa('permitted;dirName:nc_dir', ['[ nc_dir ]', 'O=ACME'], root, 'nc-dir');
    add({
      name: 'name constraints: subject inside the permitted directory name (case folded)',
      leaf: dev(dirCa, []),
      chain: [dirCa],
      expectValid: true,
    });
    add({
      name: 'name constraints: subject outside the permitted directory name',
      leaf: dev(dirCa, [], '/O=Evil/CN=dev-x'),
      chain: [dirCa],
      expectValid: false,
    });
    const mailCa = ncCa('permitted;email:acme.example', [], root, 'nc-mail');
    add({
      name: 'name constraints: permitted email SAN',
      leaf: dev(mailCa, ['subjectAltName=email:ops@acme.example']),
      chain: [mailCa],
      expectValid: true,
    });
    add({
      name: 'name constraints: email SAN at another host',
      leaf: dev(mailCa, ['subjectAltName=email:ops@evil.example']),
      chain: [mailCa],
      expectValid: false,
    });
    const ipCa = ncCa('permitted;IP:10.0.0.0/255.0.0.0', [], root, 'nc-ip');
    add({
      name: 'name constraints: IP SAN inside 10/8',
      leaf: dev(ipCa, ['subjectAltName=IP:10.1.2.3']),
      chain: [ipCa],
      expectValid: true,
    });
    add({
      name: 'name constraints: IP SAN outside 10/8',
      leaf: dev(ipCa, ['subjectAltName=IP:192.168.1.1']),
      chain: [ipCa],
      expectValid: false,
    });
    const uriCa = ncCa('permitted;URI:.acme.example', [], root, 'nc-uri');
    add({
      name: 'name constraints: URI SAN host inside',
      leaf: dev(uriCa, ['subjectAltName=URI:https://dev.acme.example:8443/x']),
      chain: [uriCa],
      expectValid: true,
    });
    add({
      name: 'name constraints: URI SAN host outside',
      leaf: dev(uriCa, ['subjectAltName=URI:https://dev.evil.example/x']),
      chain: [uriCa],
      expectValid: false,
    });
    const ncRoot = pki.issue('nc-root', {
      subject: '/O=Acme/CN=Constrained Root',
      ext: [...EXT.root, 'nameConstraints=critical,permitted;DNS:.acme.example'],
    });
    const underNcRoot = caOf(ncRoot, {}, 'under-nc-root');
    add({
      name: 'name constraints on the registered root apply too',
      leaf: dev(underNcRoot, ['subjectAltName=DNS:dev.evil.example']),
      chain: [underNcRoot],
      roots: [ncRoot],
      expectValid: false,
    });
    add({
      name: 'name constraints on the root, satisfied two levels down',
      leaf: dev(underNcRoot, ['subjectAltName=DNS:dev.acme.example']),
      chain: [underNcRoot],
      roots: [ncRoot],
      expectValid: true,
    });
    const dirRoot = pki.issue('nc-dir-root', {
      subject: '/O=Acme/CN=Dir Root',
      ext: [...EXT.root, 'nameConstraints=critical,permitted;dirName:nc_dir2', '[ nc_dir2 ]', 'O=Acme'],
    });
    const evilCa = pki.issue('evil-ca', { subject: '/O=Evil/CN=Evil CA', ext: EXT.ca, issuer: dirRoot });
    add({
      name: 'name constraints: an intermediate outside the root directory name',
      leaf: dev(evilCa, [], '/O=Acme/CN=dev-y'),
      chain: [evilCa],
      roots: [dirRoot],
      expectValid: false,
    });
  }

  // --- certificate policies: recognised, not evaluated (openssl verify without -policy_check)
  {
    const policyCa = caOf(
      root,
      {
        ext: [
          ...EXT.ca,
          'certificatePolicies=critical,1.3.6.1.4.1.55555.10.1',
          'policyConstraints=critical,requireExplicitPolicy:0,inhibitPolicyMapping:0',
          'inhibitAnyPolicy=critical,0',
          'policyMappings=critical,1.3.6.1.4.1.55555.10.1:1.3.6.1.4.1.55555.10.2',
        ],
      },
      'policy-ca',
    );
    add({
      name: 'critical policy constraints, mappings and inhibitAnyPolicy on the intermediate',
      leaf: leafOf(policyCa),
      chain: [policyCa],
      expectValid: true,
    });
    const proxyLeaf = leafOf(ica, { ext: [...EXT.leaf, 'proxyCertInfo=critical,language:id-ppl-anyLanguage'] });
    add({ name: 'proxy certificate (not allowed)', leaf: proxyLeaf, chain: [ica], expectValid: false });
  }

  // --- extensions
  add({
    name: 'critical CRL distribution points (supported)',
    leaf: leafOf(ica, {
      ext: [...EXT.leaf, 'crlDistributionPoints=critical,URI:http://crl.acme.example/devices.crl'],
    }),
    chain: [ica],
    expectValid: true,
  });
  add({
    name: 'critical subjectKeyIdentifier',
    leaf: leafOf(ica, { ext: [...without(EXT.leaf, 'subjectKeyIdentifier'), 'subjectKeyIdentifier=critical,hash'] }),
    chain: [ica],
    expectValid: false,
  });
  add({
    name: 'critical issuerAltName (not supported by either)',
    leaf: leafOf(ica, { ext: [...EXT.leaf, 'issuerAltName=critical,DNS:acme.example'] }),
    chain: [ica],
    expectValid: false,
  });
  add({
    name: 'unknown critical extension on the device certificate',
    leaf: leafOf(ica, { ext: [...EXT.leaf, '1.3.6.1.4.1.55555.2=critical,ASN1:NULL'] }),
    chain: [ica],
    expectValid: false,
  });
  {
    const critCa = caOf(root, { ext: [...EXT.ca, '1.3.6.1.4.1.55555.3=critical,ASN1:NULL'] }, 'crit-ca');
    add({
      name: 'unknown critical extension on the intermediate',
      leaf: leafOf(critCa),
      chain: [critCa],
      expectValid: false,
    });
  }
}
