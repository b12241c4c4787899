// The differential x509 test's shared world (x509-openssl.test.ts): the case type, the
// registered root and intermediate most cases use, and the helpers every topic module builds its
// chains with. Each topic module (paths.ts, ca-constraints.ts, validity.ts, algorithms.ts,
// extensions.ts, revocation.ts, purpose.ts) adds its cases with `add`.
import { EXT, Pki, type Cert } from '../../utils/pki';

export interface Case {
  name: string;
  leaf: Cert;
  /** Untrusted certificates sent with the request (intermediates, possibly roots). */
  chain: Cert[];
  /** The vendor's registered roots (openssl's only trust anchors; also sent in the chain). */
  roots: Cert[];
  crls?: string[];
  now?: Date;
  expectValid: boolean;
  /** Deliberately stricter than OpenSSL: OpenSSL accepts, the service refuses with this problem. */
  stricter?: string;
  /** A problem the service must report (the class of the refusal). */
  expectCode?: string;
}

/**
 * The shared CAs and helpers; `add` appends a case to `cases` (its registered roots: `root`
 * unless the case gives them).
 */
export function x509World(pki: Pki, cases: Case[]) {
  const t0 = pki.t0;
  const N = new Date(t0.getTime() + 3_600_000); // every CRL below is generated before this
  const d = (days: number) => pki.days(days);
  const root = pki.issue('root', {
    subject: '/O=Acme/CN=Acme Root',
    ext: EXT.root,
    notBefore: d(-30),
    notAfter: d(3650),
  });
  const ica = pki.issue('ica', { subject: '/O=Acme/CN=Acme Devices CA', ext: EXT.ca, issuer: root });
  const leafOf = (issuer: Cert, o: Partial<Parameters<Pki['issue']>[1]> = {}, name = 'leaf') =>
    pki.issue(name, {
      subject: `/O=Acme/CN=${name}-${Math.random().toString(36).slice(2, 8)}`,
      ext: EXT.leaf,
      issuer,
      ...o,
    });
  const caOf = (issuer: Cert, o: Partial<Parameters<Pki['issue']>[1]> = {}, name = 'ca') =>
    pki.issue(name, {
      subject: `/O=Acme/CN=${name}-${Math.random().toString(36).slice(2, 8)}`,
      ext: EXT.ca,
      issuer,
      ...o,
    });
  const add = (c: Omit<Case, 'roots'> & { roots?: Cert[] }) => cases.push({ roots: [root], ...c });
  const without = (ext: string[], prefix: string) => ext.filter((l) => !l.startsWith(prefix));
  return { pki, N, d, root, ica, leafOf, caOf, add, without };
}

export type World = ReturnType<typeof x509World>;
