// POST /v1/certificates/validate: a device certificate chain against the vendor CA roots
// registered on-chain, with the registry's own revocation (a revoked device burns its LFDI).
import { PublicKey } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import { validateDeviceCertificate } from '@openvpp/integration/x509';
import { fetchDeviceByLfdi, fetchPartner } from '@openvpp/sdk/web3';

import { BackendUnavailableError, type Backend } from '../backend';
import {
  common,
  documented,
  errorResponse,
  fastifyResponses,
  hex,
  jsonBody,
  pem,
  pubkey,
  writeErrors,
} from '../components';
import { HttpError, notFound } from '../errors';

const certificateReport = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    problems: { type: 'array', items: { type: 'string' } },
    problemCodes: { type: 'array', items: { type: 'string' } },
    subject: { type: 'string' },
    issuer: { type: 'string' },
    notBefore: { type: 'string' },
    notAfter: { type: 'string' },
    notAfterUnix: { type: 'integer' },
    fingerprintHex: hex(32),
    lfdiHex: hex(20),
    sfdi: { type: 'string' },
    issuerCaFingerprintHex: { type: ['string', 'null'] },
    path: { type: 'array', items: { type: 'string' } },
    registeredDevice: {
      type: ['object', 'null'],
      properties: { address: pubkey, status: { type: 'string', enum: ['active', 'suspended', 'revoked'] } },
      required: ['address', 'status'],
      additionalProperties: false,
    },
  },
  required: [
    'valid',
    'problems',
    'problemCodes',
    'subject',
    'issuer',
    'notBefore',
    'notAfter',
    'notAfterUnix',
    'fingerprintHex',
    'lfdiHex',
    'sfdi',
    'issuerCaFingerprintHex',
    'path',
    'registeredDevice',
  ],
  additionalProperties: false,
} as const;

const responses = {
  '200': { description: 'validation report with LFDI/SFDI', schema: certificateReport },
  '400': errorResponse('invalid input or a certificate that cannot be parsed', [
    'InvalidInput',
    'InvalidPublicKey',
    'InvalidJson',
    'EmptyBody',
    'InvalidCertificate',
  ]),
  '404': errorResponse('no vendor partner with this authority key', ['NotFound']),
  '413': writeErrors['413'],
  '415': writeErrors['415'],
  ...common,
};

const certificateBody = {
  type: 'object',
  properties: {
    certificate: { ...pem(16384, 'device certificate, PEM'), minLength: 1 },
    chain: {
      type: 'array',
      items: pem(16384, 'certificate, PEM'),
      maxItems: 8,
      description: 'intermediates and root',
    },
    crls: { type: 'array', items: pem(131072, 'CRL, PEM'), maxItems: 8, description: 'issuer CRLs' },
    vendor: { ...pubkey, description: "vendor partner's authority key" },
  },
  required: ['certificate', 'vendor'],
  additionalProperties: false,
} as const;

export const certificatesPaths = {
  '/v1/certificates/validate': {
    post: {
      summary: 'validate a device certificate chain against the vendor CA roots registered on-chain',
      requestBody: jsonBody(certificateBody),
      responses: documented(responses),
    },
  },
};

/** The certificate validation route (a read: no API key). */
export const certificates: FastifyPluginAsync<{ backend: Backend }> = async (app, { backend }) => {
  app.post<{ Body: { certificate: string; chain?: string[]; crls?: string[]; vendor: string } }>(
    '/v1/certificates/validate',
    { schema: { body: certificateBody, response: fastifyResponses(responses) } },
    async (req) => {
      const vendor = await fetchPartner(backend.reader, { authority: new PublicKey(req.body.vendor) });
      if (!vendor || vendor.kind !== 'vendor') {
        throw notFound('vendor', 'no vendor partner is registered with this authority key');
      }
      // Only an active vendor's roots are trust anchors: a suspended or revoked vendor's roots
      // validate nothing (the report still carries the certificate's identity).
      const vendorActive = vendor.status === 'active';
      try {
        const report = await validateDeviceCertificate({
          certificate: req.body.certificate,
          chain: req.body.chain,
          crls: req.body.crls,
          trustedRoots: vendorActive ? vendor.caFingerprints.map((f) => Buffer.from(f).toString('hex')) : [],
          now: new Date(Number(await backend.now()) * 1000),
        });
        if (!vendorActive) {
          report.problems.unshift(
            `vendor "${vendor.name}" is ${vendor.status} in the registry: its roots are not trusted`,
          );
          report.problemCodes.unshift('VendorNotActive');
          report.valid = false;
        }
        // The registry is the other revocation source: a revoked device burns its LFDI.
        const registered = await fetchDeviceByLfdi(backend.reader, { lfdi: Buffer.from(report.lfdiHex, 'hex') });
        if (registered?.status === 'revoked') {
          report.problems.push('the device holding this certificate is revoked in the registry');
          report.problemCodes.push('DeviceRevoked');
          report.valid = false;
        }
        return {
          ...report,
          registeredDevice: registered ? { address: registered.address.toBase58(), status: registered.status } : null,
        };
      } catch (e) {
        if (e instanceof HttpError || e instanceof BackendUnavailableError) throw e;
        throw new HttpError(
          400,
          'InvalidCertificate',
          `${(e as Error).message}: send the device certificate (and chain) as PEM`,
        );
      }
    },
  );
};
