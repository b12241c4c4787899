// A throwaway test PKI made with the openssl CLI in a temp dir: one CA, a server certificate
// (SAN 127.0.0.1/localhost), a second server key under the same CA (valid chain, wrong pin), an
// expired server certificate, and a device (client) certificate for mutual TLS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { spkiSha256 } from '../../sdk/src/connect';

export interface Leaf {
  cert: string;
  key: string;
  /** Hex SPKI SHA-256 (what a route pins). */
  spki: string;
}

export interface TestPki {
  dir: string;
  ca: string;
  server: Leaf;
  other: Leaf;
  expired: Leaf;
  client: Leaf;
  /** A CA the servers do not chain to (for "untrusted chain"). */
  foreignCa: string;
  cleanup(): void;
}

const SERVER_EXT = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n';
const CLIENT_EXT = 'extendedKeyUsage=clientAuth\n';

export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-connect-pki-'));
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const f = (n: string) => path.join(dir, n);
  const newKey = (n: string) =>
    ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(n));
  for (const ca of ['ca', 'foreign']) {
    newKey(`${ca}.key`);
    ossl(
      'req',
      '-x509',
      '-new',
      '-key',
      f(`${ca}.key`),
      '-out',
      f(`${ca}.crt`),
      '-days',
      '3',
      '-subj',
      `/CN=ovpp-test-${ca}`,
    );
  }
  fs.writeFileSync(f('server.ext'), SERVER_EXT);
  fs.writeFileSync(f('client.ext'), CLIENT_EXT);
  const leaf = (name: string, cn: string, ext: string): Leaf => {
    newKey(`${name}.key`);
    ossl('req', '-new', '-key', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/O=OpenVPP test/CN=${cn}`);
    ossl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      f(ext),
    );
    return read(name);
  };
  const read = (name: string): Leaf => {
    const cert = fs.readFileSync(f(`${name}.crt`), 'utf8');
    const der = Buffer.from(cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    return { cert, key: fs.readFileSync(f(`${name}.key`), 'utf8'), spki: spkiSha256(der) };
  };
  const server = leaf('server', 'localhost', 'server.ext');
  const other = leaf('other', 'localhost', 'server.ext');
  const client = leaf('client', 'CP001', 'client.ext');
  // Expired: `openssl ca` is the only 3.0 command that takes explicit validity dates.
  newKey('expired.key');
  ossl('req', '-new', '-key', f('expired.key'), '-out', f('expired.csr'), '-subj', '/O=OpenVPP test/CN=localhost');
  fs.mkdirSync(f('newcerts'));
  fs.writeFileSync(f('index.txt'), '');
  fs.writeFileSync(f('serial'), '1000\n');
  fs.writeFileSync(
    f('ca.cnf'),
    [
      '[ca]',
      'default_ca=d',
      '[d]',
      `dir=${dir}`,
      'database=$dir/index.txt',
      'new_certs_dir=$dir/newcerts',
      'serial=$dir/serial',
      'default_md=sha256',
      'policy=p',
      'unique_subject=no',
      '[p]',
      'commonName=supplied',
      'organizationName=optional',
    ].join('\n'),
  );
  ossl(
    'ca',
    '-batch',
    '-config',
    f('ca.cnf'),
    '-cert',
    f('ca.crt'),
    '-keyfile',
    f('ca.key'),
    '-in',
    f('expired.csr'),
    '-out',
    f('expired.crt'),
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
    '-extfile',
    f('server.ext'),
    '-notext',
  );
  return {
    dir,
    ca: fs.readFileSync(f('ca.crt'), 'utf8'),
    foreignCa: fs.readFileSync(f('foreign.crt'), 'utf8'),
    server,
    other,
    expired: read('expired'),
    client,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
