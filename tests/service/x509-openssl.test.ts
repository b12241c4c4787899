// Differential test: the service's certificate verdict (`validateDeviceCertificate`) against
// `openssl verify` on the same inputs, case by case. Every chain is generated with the openssl
// command at test time into a temp dir. OpenSSL runs at the policy the service applies:
//   -x509_strict        RFC 5280 profile (CAs need critical basicConstraints, keyUsage, SKI; AKI...)
//   -auth_level 2       112-bit security: no SHA-1/MD5 signatures, RSA >= 2048, EC >= P-224
//   -verify_depth 7     at most 9 certificates in a path (device certificate and root included)
//   -CAfile roots.pem   the vendor's registered roots are the ONLY trust anchors (-no-CApath -no-CAstore)
//   -untrusted chain    the chain the caller sent
//   -purpose sslclient  the device certificate is for TLS client authentication (EKU, keyUsage,
//                       nsCertType; every CA's EKU must allow clientAuth too)
//   -crl_check_all      when CRLs are given (every certificate's issuer CRL must be there)
//   -attime             the pinned "now" of the case
// A case also states the verdict it was built for, so a case that tests nothing fails too.
// Where the service is deliberately stricter than OpenSSL (a device certificate that is a CA, a
// registered root or also in the chain), the case says so: OpenSSL accepts, the service refuses
// with the named problem.
import 'reflect-metadata';
import { expect } from 'chai';

import { validateDeviceCertificate } from '../../integration/src/x509';
import { Pki } from '../utils/pki';
import { algorithmCases } from './x509-openssl/algorithms';
import { caConstraintCases } from './x509-openssl/ca-constraints';
import { extensionCases } from './x509-openssl/extensions';
import { pathCases } from './x509-openssl/paths';
import { purposeCases } from './x509-openssl/purpose';
import { revocationCases } from './x509-openssl/revocation';
import { validityCases } from './x509-openssl/validity';
import { type Case, x509World } from './x509-openssl/world';

describe('service: certificate validation agrees with openssl verify', function () {
  this.timeout(120_000);
  const pki = new Pki('ovpp-x509-diff-');
  const cases: Case[] = [];

  // The chains are generated while mocha loads the file (openssl runs synchronously), so that each
  // case is its own test. The cases, by topic: x509-openssl/*.ts (the shared CAs and helpers:
  // x509-openssl/world.ts).
  const world = x509World(pki, cases);
  const { N } = world;
  for (const topic of [
    pathCases,
    caConstraintCases,
    validityCases,
    algorithmCases,
    extensionCases,
    revocationCases,
    purposeCases,
  ]) {
    topic(world);
  }

  after(() => pki.cleanup());

  it('covers at least 40 generated chains', () => {
    expect(cases.length).to.be.greaterThanOrEqual(40);
  });

  // One mocha test per case, generated once the cases exist (mocha's delayed root suite is not
  // used: the cases are built in `before`, the checks run in order).
  for (const c of cases) {
    it(`${c.name} (${c.expectValid ? 'valid' : 'invalid'})`, async () => {
      const now = c.now ?? N;
      const ossl = pki.verify({
        leaf: c.leaf.pem,
        chain: c.chain.map((x) => x.pem),
        roots: c.roots.map((r) => r.pem),
        crls: c.crls,
        now,
      });
      const report = await validateDeviceCertificate({
        certificate: c.leaf.pem,
        chain: [...c.chain, ...c.roots].map((x) => x.pem),
        crls: c.crls,
        trustedRoots: c.roots.map((r) => r.fingerprintHex),
        now,
      });
      const verdicts = `service=${report.valid ? 'valid' : 'invalid'} ${JSON.stringify(report.problemCodes)}, openssl=${ossl.ok ? 'OK' : 'fail'}`;
      const detail = `\n  service problems: ${JSON.stringify(report.problems)}\n  openssl: ${ossl.output}`;
      if (c.stricter) {
        // Deliberately stricter than OpenSSL: OpenSSL accepts, the service refuses, for this reason.
        expect(ossl.ok, `openssl no longer accepts this case: ${verdicts}${detail}`).to.equal(true);
        expect(report.valid, `service accepts: ${verdicts}${detail}`).to.equal(false);
        expect(report.problemCodes, verdicts).to.include(c.stricter);
        return;
      }
      expect(report.valid, `disagreement: ${verdicts}${detail}`).to.equal(ossl.ok);
      expect(ossl.ok, `both say ${ossl.ok}, the case was built to be ${c.expectValid}${detail}`).to.equal(
        c.expectValid,
      );
      if (c.expectCode) expect(report.problemCodes, verdicts).to.include(c.expectCode);
    });
  }
});
