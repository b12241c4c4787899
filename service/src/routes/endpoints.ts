// Endpoint probes: POST /v1/endpoints/validate probes a utility endpoint (OpenADR 3 VTN,
// IEEE 2030.5 server, OCPP 2.0.1 CSMS) and, when the report passes over TLS and the service
// holds the protocol key, attests it on-chain; GET /v1/endpoints/reports/{hash} answers a report
// this instance produced. The report store is in memory (per service instance, newest
// MAX_STORED_REPORTS); an endpoint attestation commits to the hash.
import type { Keypair } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import {
  ProbeRefusedError,
  probeEndpoint,
  reportHash,
  type ProbeReport,
  type ProbeRequest,
} from '@openvpp/integration/probe';
import { ENDPOINT_ATTESTATION_KINDS, endpointAttestInstructions, findEndpointAttestationPda } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import {
  apiKeySecurity,
  certPin,
  common,
  documented,
  endpoint,
  errorResponse,
  fastifyResponses,
  hex,
  jsonBody,
  pem,
  writeErrors,
} from '../components';
import { HttpError } from '../errors';
import { send } from './write';

/**
 * Longest an endpoint attestation lasts (30 days), and never past the server certificate's
 * `notAfter`: endpoints are probed again to stay routable.
 */
export const ENDPOINT_ATTESTATION_TTL_SECS = 30 * 86_400;

/** Endpoint reports kept in memory (newest first out last): the on-chain attestation holds only the hash. */
export const MAX_STORED_REPORTS = 1000;

const probeProtocol = {
  type: 'string',
  enum: ['openAdr3Vtn', 'ieee2030Dot5', 'ocpp201Csms'],
  description: 'openAdr3Vtn (https), ieee2030Dot5 (https, mutual TLS), ocpp201Csms (ws or wss)',
} as const;
const probeCertificate = {
  type: 'object',
  properties: {
    subject: { type: 'string' },
    issuer: { type: 'string' },
    notAfter: { type: 'string', description: 'ISO-8601 UTC' },
    spkiSha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the DER SubjectPublicKeyInfo' },
  },
  required: ['subject', 'issuer', 'notAfter', 'spkiSha256'],
  additionalProperties: false,
} as const;
const probeReport = {
  type: 'object',
  description: 'capability report; its hash is SHA-256 of its canonical JSON (keys sorted at every depth)',
  properties: {
    protocol: probeProtocol,
    endpoint: { type: 'string', description: 'the endpoint probed (no userinfo, query or fragment)' },
    version: { type: 'string', description: 'protocol version detected (2.0.1, 3.0, 3.1, 2030.5)' },
    ok: { type: 'boolean', description: 'every check passed' },
    tls: {
      type: ['object', 'null'],
      description: 'null without a TLS session',
      properties: {
        version: { type: 'string' },
        cipher: { type: 'string' },
        chain: { type: 'array', items: probeCertificate, description: 'verified chain, leaf first' },
        spkiSha256: { type: 'string', description: "leaf SPKI SHA-256 (what a route's pins name)" },
      },
      required: ['version', 'cipher', 'chain', 'spkiSha256'],
      additionalProperties: false,
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          ok: { type: 'boolean' },
          detail: { type: 'string', description: 'why it passed or failed (credentials never appear)' },
          ms: { type: 'integer', minimum: 0 },
        },
        required: ['name', 'ok', 'detail', 'ms'],
        additionalProperties: false,
      },
    },
    startedAt: { type: 'string', description: 'ISO-8601 UTC' },
    durationMs: { type: 'integer', minimum: 0 },
  },
  required: ['protocol', 'endpoint', 'ok', 'tls', 'checks', 'startedAt', 'durationMs'],
  additionalProperties: false,
} as const;
const probeResult = {
  type: 'object',
  properties: {
    hash: { ...hex(32), description: 'SHA-256 (hex) of the canonical JSON of `report`' },
    report: probeReport,
    attestation: {
      type: 'object',
      description:
        'present when the report passed over TLS and this service holds the protocol key: the registry endpoint attestation it wrote (routes to the endpoint must pin `spkiSha256`)',
      properties: {
        address: { type: 'string', format: 'solana-pubkey', description: 'the `EndpointAttestation` account' },
        signature: { type: 'string', description: 'transaction signature' },
        spkiSha256: { ...hex(32), description: 'SHA-256 (hex) of the server key the probe saw' },
        expiresAt: {
          type: 'integer',
          description: 'unix seconds: 30 days, or the server certificate notAfter if sooner',
        },
      },
      required: ['address', 'signature', 'spkiSha256', 'expiresAt'],
      additionalProperties: false,
    },
  },
  required: ['hash', 'report'],
  additionalProperties: false,
} as const;
const printable = (maxLength: number, description: string) =>
  ({ type: 'string', pattern: '^[\\x20-\\x7e]*$', minLength: 1, maxLength, description }) as const;

const probeBody = {
  type: 'object',
  properties: {
    protocol: probeProtocol,
    endpoint: {
      ...endpoint('(?:https?|wss?)'),
      minLength: 6,
      description:
        'the endpoint under validation, in the route endpoint grammar: https:// or http:// (OpenADR, 2030.5; http fails the report), ws:// or wss:// (OCPP)',
    },
    pins: {
      type: 'array',
      items: certPin,
      maxItems: 4,
      uniqueItems: true,
      description: "the route's SPKI SHA-256 pins; the leaf must match one",
    },
    credentials: {
      type: 'object',
      description: 'lent for this probe only: never stored, logged or put in the report',
      properties: {
        clientId: printable(256, 'OpenADR OAuth2 client_id; OCPP charging-station identity (Basic user)'),
        clientSecret: printable(1024, 'OpenADR OAuth2 client_secret; OCPP Basic password'),
      },
      additionalProperties: false,
    },
    clientCert: {
      type: 'object',
      description: 'client certificate for mutual TLS (IEEE 2030.5, OCPP security profile 3)',
      properties: {
        cert: { ...pem(16384, 'certificate, PEM'), minLength: 1 },
        key: { ...pem(16384, 'private key, PEM'), minLength: 1 },
      },
      required: ['cert', 'key'],
      additionalProperties: false,
    },
    ca: { ...pem(65536, 'extra trust anchors, PEM (a private CA or SERCA)'), minLength: 1 },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, description: 'per-step deadline, ms (10000)' },
  },
  required: ['protocol', 'endpoint'],
  additionalProperties: false,
  anyOf: [
    { properties: { protocol: { const: 'ocpp201Csms' }, endpoint: { type: 'string', pattern: '^wss?://' } } },
    {
      properties: {
        protocol: { enum: ['openAdr3Vtn', 'ieee2030Dot5'] },
        endpoint: { type: 'string', pattern: '^https?://' },
      },
    },
  ],
  description: 'OCPP endpoints are ws:// or wss://; OpenADR and IEEE 2030.5 endpoints are https:// (or http://)',
} as const;

const reportHashParam = { ...hex(32), description: 'report hash (SHA-256 hex)' } as const;
const reportParams = {
  type: 'object',
  properties: { hash: reportHashParam },
  required: ['hash'],
  additionalProperties: false,
} as const;

const validateResponses = {
  '200': { description: 'capability report (passing or not) and its hash', schema: probeResult },
  '400': errorResponse('invalid input (nothing was sent)', [
    'InvalidInput',
    'InvalidJson',
    'EmptyBody',
    'InvalidEndpoint',
  ]),
  '401': writeErrors['401'],
  '403': errorResponse(
    'the endpoint resolves to a private, loopback or link-local address this service is not configured to reach (nothing was sent)',
    ['AddressNotAllowed'],
  ),
  '413': writeErrors['413'],
  '415': writeErrors['415'],
  '422': errorResponse('the report passed but the registry refused its attestation: its error name, code and message'),
  ...common,
};
const reportResponses = {
  '200': { description: 'a report this service produced', schema: probeReport },
  '400': errorResponse('invalid input (names the parameter and why)', ['InvalidInput']),
  '404': errorResponse('no report with this hash (reports are kept in memory, newest 1000)', ['NotFound']),
  ...common,
};

export const endpointsPaths = {
  '/v1/endpoints/validate': {
    post: {
      summary:
        'probe a utility endpoint (OpenADR 3 VTN, IEEE 2030.5 server, OCPP 2.0.1 CSMS) and return its capability report; credentials are used for this probe only',
      security: apiKeySecurity,
      requestBody: jsonBody(probeBody),
      responses: documented(validateResponses),
    },
  },
  '/v1/endpoints/reports/{hash}': {
    get: {
      summary: 'a capability report by its hash (kept in memory by this service instance)',
      parameters: [{ name: 'hash', in: 'path', required: true, schema: reportHashParam }],
      responses: documented(reportResponses),
    },
  },
};

export interface EndpointsOptions {
  backend: Backend;
  /** Signs endpoint attestations; without it a passing report is not attested. */
  protocolKey?: Keypair;
  /** IPs/CIDRs probes may reach although private (operator configuration, never from a request). */
  probeAllow?: string[];
  /** The probe (default `probeEndpoint`). */
  probe?: (req: ProbeRequest) => Promise<ProbeReport>;
}

/** The endpoint probe routes (validate behind the API key; reports are public). */
export const endpoints: FastifyPluginAsync<EndpointsOptions> = async (app, opts) => {
  const { backend } = opts;

  // `endpoint` is the URL as requested (the route grammar: no userinfo), byte for byte what
  // routes publish; the report shows it as the URL parser normalises it.
  const attestEndpoint = async (endpoint: string, report: ProbeReport, hash: string, key: Keypair) => {
    const tls = report.tls!;
    const now = Math.floor(Date.now() / 1000);
    const notAfter = Math.floor(Date.parse(tls.chain[0]?.notAfter ?? '') / 1000);
    const expiresAt = BigInt(Math.min(now + ENDPOINT_ATTESTATION_TTL_SECS, Number.isFinite(notAfter) ? notAfter : now));
    const ixs = endpointAttestInstructions({
      authority: key.publicKey,
      payer: backend.payer.publicKey,
      endpoint,
      kind: ENDPOINT_ATTESTATION_KINDS[report.protocol],
      spkiSha256: Buffer.from(tls.spkiSha256, 'hex'),
      evidenceHash: Buffer.from(hash, 'hex'),
      expiresAt,
    });
    const { signature } = await send(backend, ixs, [key]);
    return {
      address: findEndpointAttestationPda({ endpoint })[0].toBase58(),
      signature,
      spkiSha256: tls.spkiSha256,
      expiresAt: Number(expiresAt),
    };
  };

  const reports = new Map<string, ProbeReport>();
  app.post<{ Body: Omit<ProbeRequest, 'allow' | 'ocppSubprotocols'> }>(
    '/v1/endpoints/validate',
    { schema: { body: probeBody, response: fastifyResponses(validateResponses) }, onRequest: app.requireApiKey },
    async (req) => {
      let report: ProbeReport;
      try {
        report = await (opts.probe ?? probeEndpoint)({ ...req.body, allow: opts.probeAllow ?? [] });
      } catch (e) {
        if (e instanceof ProbeRefusedError) {
          throw new HttpError(e.reason === 'AddressNotAllowed' ? 403 : 400, e.reason, e.message);
        }
        throw e;
      }
      const hash = reportHash(report);
      reports.delete(hash);
      reports.set(hash, report);
      while (reports.size > MAX_STORED_REPORTS) reports.delete(reports.keys().next().value as string);
      // A passing report over TLS is attested on-chain (its hash, the server key it saw), which
      // is what lets a utility publish routes to the endpoint; a failing one writes nothing.
      const attestation =
        report.ok && report.tls && opts.protocolKey
          ? await attestEndpoint(req.body.endpoint, report, hash, opts.protocolKey)
          : undefined;
      return { hash, report, ...(attestation && { attestation }) };
    },
  );

  app.get<{ Params: { hash: string } }>(
    '/v1/endpoints/reports/:hash',
    { schema: { params: reportParams, response: fastifyResponses(reportResponses) } },
    async (req) => {
      const report = reports.get(req.params.hash.toLowerCase());
      if (!report)
        throw new HttpError(
          404,
          'NotFound',
          'no report with this hash on this service instance: run POST /v1/endpoints/validate',
        );
      return report;
    },
  );
};
