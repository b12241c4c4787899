// The OpenVPP routing & integration HTTP API.
import { Keypair, PublicKey } from '@solana/web3.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import {
  ProbeRefusedError,
  probeEndpoint,
  reportHash,
  type ProbeReport,
  type ProbeRequest,
} from '@openvpp/integration/probe';
import { validateDeviceCertificate } from '@openvpp/integration/x509';
import {
  ClientError,
  ProgramError,
  REGISTRY_PROGRAM_ID,
  ENDPOINT_ATTESTATION_KINDS,
  attestationIssueInstructions,
  endpointAttestInstructions,
  findEndpointAttestationPda,
  enrollmentDecideInstructions,
  fetchDeviceByLfdi,
  fetchNameRecord,
  fetchPartner,
  routeSetInstructions,
  type AttestationKind,
  type Protocol,
} from '@openvpp/sdk/web3';
import * as generated from '@openvpp/sdk';

import { BackendUnavailableError, SendFailedError, type Backend } from './backend';
import { HttpError, isPublicKey, notFound, refusal } from './errors';
import { BODY_LIMIT, PUBKEY_PATTERN, RESOLVE_FAILURES, fastifyResponses, openapi, responses, schemas } from './openapi';
import { createResolver } from './resolver';

export interface ServiceOptions {
  backend: Backend;
  /**
   * Required in `x-api-key` for every write: at least `MIN_API_KEY_LENGTH` characters, not a
   * default or placeholder (`buildApp` throws `InsecureApiKeyError` otherwise). `generateApiKey()`
   * or `openssl rand -hex 32` make one.
   */
  apiKey: string;
  /** Signs enrollment decisions and routes. */
  utilityKey?: Keypair;
  /** Signs attestations (the registry's protocol authority). */
  protocolKey?: Keypair;
  logger?: boolean;
  /**
   * IPs/CIDRs endpoint probes may reach although private, loopback or link-local (e.g.
   * `['127.0.0.1']` for a local test peer). Operator configuration only: never taken from a request.
   */
  probeAllow?: string[];
  /** The probe behind `POST /v1/endpoints/validate` (default `probeEndpoint`; `offlineProbe` sends nothing). */
  probe?: (req: ProbeRequest) => Promise<ProbeReport>;
}

/**
 * Longest an endpoint attestation lasts (30 days), and never past the server certificate's
 * `notAfter`: endpoints are probed again to stay routable.
 */
export const ENDPOINT_ATTESTATION_TTL_SECS = 30 * 86_400;

/** Endpoint reports kept in memory (newest first out last): the on-chain attestation holds only the hash. */
export const MAX_STORED_REPORTS = 1000;

/** JSON-safe view: PublicKeys as base58, bigints as strings, bytes as hex. */
export function toJson(value: unknown): unknown {
  if (value instanceof PublicKey) return value.toBase58();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** Shortest API key the service starts with (32 characters, e.g. 16 random bytes in hex). */
export const MIN_API_KEY_LENGTH = 32;
/** Placeholders and defaults seen in docs, scripts and tests: refused whatever their length. */
const WELL_KNOWN_API_KEYS = [
  'change-me',
  'changeme',
  'change_me',
  'demo-key',
  'test-key',
  'default',
  'password',
  'secret',
  'api-key',
  'apikey',
  'openvpp',
  'example',
  'placeholder',
  'your-api-key',
];
const API_KEY_HINT = 'generate one with `openssl rand -hex 32` and pass it with --api-key or OVPP_API_KEY';

export type InsecureApiKeyReason = 'empty' | 'wellKnown' | 'tooShort' | 'lowEntropy';

/** `buildApp` / `openvpp serve` refuse to start with an empty, default or weak API key. */
export class InsecureApiKeyError extends Error {
  override readonly name = 'InsecureApiKeyError';
  constructor(
    readonly reason: InsecureApiKeyReason,
    detail: string,
  ) {
    super(`InsecureApiKey (${reason}): ${detail}; ${API_KEY_HINT}`);
  }
}

/** A fresh random API key: 32 bytes from the OS CSPRNG, hex (64 characters). */
export function generateApiKey(): string {
  return randomBytes(32).toString('hex');
}

/** Throws `InsecureApiKeyError` unless `key` is long, not a known default and not repetitive. */
export function assertStrongApiKey(key: string | undefined | null): asserts key is string {
  if (!key || key.trim() === '') {
    throw new InsecureApiKeyError('empty', 'the API key is empty, which would leave every write endpoint open');
  }
  const folded = key.trim().toLowerCase();
  if (WELL_KNOWN_API_KEYS.some((w) => folded === w || folded.includes(w))) {
    throw new InsecureApiKeyError('wellKnown', 'the API key is a default or placeholder value');
  }
  if (key.length < MIN_API_KEY_LENGTH) {
    throw new InsecureApiKeyError(
      'tooShort',
      `the API key has ${key.length} characters, at least ${MIN_API_KEY_LENGTH} are required`,
    );
  }
  if (new Set(key).size < 8) {
    throw new InsecureApiKeyError('lowEntropy', 'the API key repeats too few distinct characters');
  }
}

/** SHA-256 of a key: compared with `timingSafeEqual`, equal lengths whatever the caller sends. */
const keyDigest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Methods each documented path answers; any other method gets 405 with `Allow`. */
const PATH_METHODS: Record<string, string[]> = {
  '/health': ['GET'],
  '/openapi.json': ['GET'],
  '/v1/devices/:deviceKey': ['GET'],
  '/v1/lfdi/:lfdi': ['GET'],
  '/v1/names/:name': ['GET'],
  '/v1/resolve': ['GET'],
  '/v1/certificates/validate': ['POST'],
  '/v1/enrollments/decision': ['POST'],
  '/v1/routes': ['POST'],
  '/v1/attestations': ['POST'],
  '/v1/endpoints/validate': ['POST'],
  '/v1/endpoints/reports/:hash': ['GET'],
};
const OTHER_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'QUERY'];

/** Fastify's own request errors, by code: status, name and what to do. */
const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PayloadTooLarge', `the request body is larger than ${BODY_LIMIT} bytes`],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UnsupportedMediaType', 'send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'InvalidInput', 'the Content-Length header does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'EmptyBody', 'this endpoint needs a JSON body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'InvalidJson', 'the body is not valid JSON'],
};

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A validation failure as a named error naming the field. */
function validationError(issues: ValidationIssue[], context: string | undefined, fallback: string): HttpError {
  const where = (i: ValidationIssue) => {
    const field = i.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const missing = i.keyword === 'required' ? String(i.params.missingProperty) : undefined;
    return `\`${missing ?? (field || context || 'request')}\`${context && (field || missing) ? ` (${context})` : ''}`;
  };
  const key = issues.find(
    (i) =>
      (i.keyword === 'format' && i.params.format === 'solana-pubkey') ||
      (i.keyword === 'pattern' && i.params.pattern === PUBKEY_PATTERN),
  );
  if (key) {
    return new HttpError(
      400,
      'InvalidPublicKey',
      `${where(key)} is not a public key: expected the base58 encoding of exactly 32 bytes ` +
        '(an address as the registry, the SDK or the CLI print it)',
    );
  }
  const extra = issues.find((i) => i.keyword === 'additionalProperties');
  if (extra) {
    return new HttpError(
      400,
      'InvalidInput',
      `unknown field \`${String(extra.params.additionalProperty)}\`${context ? ` in ${context}` : ''}: ` +
        'remove it (see /openapi.json for the accepted fields)',
    );
  }
  // Routes: one schema per protocol (oneOf); name the field that failed in the protocol's branch.
  const protocolMismatches = issues.filter((i) => i.instancePath === '/protocol' && i.keyword === 'const').length;
  if (issues.some((i) => i.keyword === 'oneOf') && protocolMismatches < 3) {
    if (issues.some((i) => i.instancePath === '/endpoint')) {
      return new HttpError(
        400,
        'InvalidEndpoint',
        '`endpoint` must be https://host[:port][/path] (wss:// for ocpp201Csms) with a lowercase host, ' +
          "printable ASCII without '#', at most 200 bytes",
      );
    }
    if (issues.some((i) => i.instancePath.startsWith('/certPins'))) {
      return new HttpError(
        400,
        'InvalidCertPins',
        '`certPins` must be 1 to 4 distinct non-zero SHA-256 pins, 64 lowercase hex characters each',
      );
    }
  } else if (protocolMismatches === 3) {
    return new HttpError(400, 'InvalidInput', '`protocol` must be one of openAdr3Vtn, ieee2030Dot5, ocpp201Csms');
  }
  const first = issues.find((i) => i.keyword !== 'oneOf') ?? issues[0];
  return new HttpError(
    400,
    'InvalidInput',
    first ? `${where(first)} ${first.message ?? 'is invalid'}: see /openapi.json` : fallback,
  );
}

export function buildApp(opts: ServiceOptions): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // The router's own refusals (malformed percent-encoding, a path parameter longer than any
    // valid one) are invalid input like any other: 400 with a named error.
    frameworkErrors: (err, _req, reply) => {
      const message =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path parameter is longer than any valid value: see /openapi.json for each parameter'
          : 'the URL is malformed (invalid percent-encoding): encode path and query parameters as UTF-8';
      void (reply as FastifyReply)
        .status(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ error: 'InvalidInput', message }));
    },
    // Unknown fields are rejected (400), not silently dropped (Fastify's default); a value of
    // the wrong JSON type is rejected, not coerced (Fastify's default turns `false` into
    // "false"; every path and query parameter here is a string); public keys are checked to
    // decode to 32 bytes (400 InvalidPublicKey) before any handler runs.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, formats: { 'solana-pubkey': isPublicKey } },
    },
  });
  const { backend } = opts;
  assertStrongApiKey(opts.apiKey);
  const expected = keyDigest(opts.apiKey);
  const resolver = createResolver(backend);

  // Constant time: both sides are hashed to 32 bytes first, so neither the content nor the
  // length of the expected key leaks through the comparison time.
  const requireKey = async (req: FastifyRequest) => {
    const header = req.headers['x-api-key'];
    if (typeof header !== 'string' || !timingSafeEqual(keyDigest(header), expected)) {
      throw new HttpError(
        401,
        'Unauthorized',
        'missing or wrong x-api-key: send the key this service was started with',
      );
    }
  };
  const signer = (key: Keypair | undefined, role: string) => {
    if (!key) {
      throw new HttpError(503, 'NotConfigured', `this service has no ${role} key: start it with --${role}-keypair`);
    }
    return key;
  };
  const send = async (ixs: Parameters<Backend['send']>[0], signers: Keypair[]) => {
    try {
      return await backend.send(ixs, signers);
    } catch (e) {
      if (e instanceof SendFailedError) throw refusal(e);
      throw e;
    }
  };

  const sendError = (reply: FastifyReply, err: HttpError) =>
    reply
      .status(err.status)
      .send({ error: err.error, message: err.message, ...(err.code !== undefined && { code: err.code }) });

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) return sendError(reply, err);
    if (err instanceof ClientError) {
      return sendError(reply, new HttpError(400, err.reason, err.message));
    }
    if (err instanceof ProgramError) return sendError(reply, new HttpError(422, err.errorName, err.message, err.code));
    if (err instanceof BackendUnavailableError) {
      return sendError(reply, new HttpError(503, 'BackendUnavailable', `${err.message}; retry later`));
    }
    const e = err as {
      validation?: ValidationIssue[];
      validationContext?: string;
      statusCode?: number;
      code?: string;
      message?: string;
    };
    if (e.validation) return sendError(reply, validationError(e.validation, e.validationContext, e.message ?? ''));
    const known = e.code ? FASTIFY_ERRORS[e.code] : undefined;
    if (known) return sendError(reply, new HttpError(known[0], known[1], known[2]));
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(reply, new HttpError(400, 'InvalidInput', e.message ?? 'invalid request'));
    }
    req.log.error(err);
    return sendError(reply, new HttpError(500, 'Internal', 'unexpected server error: please report it'));
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, new HttpError(404, 'NotFound', `no ${req.method} ${req.url.split('?')[0]}: see /openapi.json`)),
  );

  for (const [url, methods] of Object.entries(PATH_METHODS)) {
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    const notAllowed = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.header('allow', allow);
      throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not supported here: use ${allow}`);
    };
    // Answered in onRequest, before any body parsing (a QUERY without Content-Type is still a 405).
    app.route({
      method: OTHER_METHODS.filter((m) => !methods.includes(m)),
      url,
      onRequest: notAllowed,
      handler: notAllowed,
    });
  }

  app.get('/health', { schema: { response: fastifyResponses(responses.health) } }, async () => ({ ok: true }));
  app.get('/openapi.json', async () => openapi);

  app.get<{ Params: { deviceKey: string } }>(
    '/v1/devices/:deviceKey',
    { schema: { params: schemas.deviceParams, response: fastifyResponses(responses.device) } },
    async (req) => {
      const found = await resolver.deviceByKey(req.params.deviceKey);
      if (!found) throw notFound('device', 'no device is registered with this key');
      return found.entry.memo('json', () => toJson(found.device));
    },
  );

  app.get<{ Params: { lfdi: string } }>(
    '/v1/lfdi/:lfdi',
    { schema: { params: schemas.lfdiParams, response: fastifyResponses(responses.device) } },
    async (req) => {
      const device = await fetchDeviceByLfdi(backend.reader, { lfdi: Buffer.from(req.params.lfdi, 'hex') });
      if (!device) throw notFound('device', 'no device is registered with this LFDI');
      return toJson(device);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/names/:name',
    { schema: { params: schemas.nameParams, response: fastifyResponses(responses.name) } },
    async (req) => {
      const record = await fetchNameRecord(backend.reader, { name: req.params.name });
      if (!record) throw notFound('name', 'this name is not registered');
      return toJson(record);
    },
  );

  app.get<{ Querystring: { device: string; program: string } }>(
    '/v1/resolve',
    { schema: { querystring: schemas.resolveQuery, response: fastifyResponses(responses.resolve) } },
    async (req) => {
      const result = await resolver.resolve(req.query.device, req.query.program);
      if (!result.ok) throw new HttpError(404, result.reason, RESOLVE_HINTS[result.reason]);
      return result.params;
    },
  );

  app.post<{ Body: { certificate: string; chain?: string[]; crls?: string[]; vendor: string } }>(
    '/v1/certificates/validate',
    { schema: { body: schemas.certificateBody, response: fastifyResponses(responses.certificate) } },
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

  const write = { response: fastifyResponses(responses.write) };
  app.post<{ Body: { program: string; device: string; approve: boolean } }>(
    '/v1/enrollments/decision',
    { schema: { body: schemas.decisionBody, ...write }, onRequest: requireKey },
    async (req) => {
      const key = signer(opts.utilityKey, 'utility');
      const ixs = enrollmentDecideInstructions({
        program: new PublicKey(req.body.program),
        authority: key.publicKey,
        device: new PublicKey(req.body.device),
        approve: req.body.approve,
      });
      return { signature: (await send(ixs, [key])).signature };
    },
  );

  app.post<{
    Body: {
      program: string;
      device: string;
      protocol: Protocol;
      endpoint: string;
      certPins: string[];
      expiresAt: number;
    };
  }>('/v1/routes', { schema: { body: schemas.routeBody, ...write }, onRequest: requireKey }, async (req) => {
    const key = signer(opts.utilityKey, 'utility');
    const ixs = routeSetInstructions({
      program: new PublicKey(req.body.program),
      authority: key.publicKey,
      device: new PublicKey(req.body.device),
      payer: backend.payer.publicKey,
      protocol: req.body.protocol,
      endpoint: req.body.endpoint,
      certPins: req.body.certPins.map((p) => Buffer.from(p, 'hex')),
      expiresAt: BigInt(req.body.expiresAt),
    });
    return { signature: (await send(ixs, [key])).signature };
  });

  app.post<{ Body: { subject: string; kind: AttestationKind; evidenceHash: string; expiresAt: number } }>(
    '/v1/attestations',
    { schema: { body: schemas.attestationBody, ...write }, onRequest: requireKey },
    async (req) => {
      const key = signer(opts.protocolKey, 'protocol');
      const subject = new PublicKey(req.body.subject);
      if (!(await isRegistrySubject(backend, subject))) {
        throw new HttpError(
          404,
          'SubjectNotFound',
          'no registry device or partner at `subject`: pass the account address of a registered device or partner',
        );
      }
      const ixs = attestationIssueInstructions({
        authority: key.publicKey,
        subject,
        payer: backend.payer.publicKey,
        kind: req.body.kind,
        evidenceHash: Buffer.from(req.body.evidenceHash, 'hex'),
        expiresAt: BigInt(req.body.expiresAt),
      });
      return { signature: (await send(ixs, [key])).signature };
    },
  );

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
    const { signature } = await send(ixs, [key]);
    return {
      address: findEndpointAttestationPda({ endpoint })[0].toBase58(),
      signature,
      spkiSha256: tls.spkiSha256,
      expiresAt: Number(expiresAt),
    };
  };

  // Endpoint probes. The report store is in memory (per service instance, newest
  // MAX_STORED_REPORTS); an endpoint attestation commits to the hash.
  const reports = new Map<string, ProbeReport>();
  app.post<{ Body: Omit<ProbeRequest, 'allow' | 'ocppSubprotocols'> }>(
    '/v1/endpoints/validate',
    { schema: { body: schemas.probeBody, response: fastifyResponses(responses.probe) }, onRequest: requireKey },
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
    { schema: { params: schemas.reportParams, response: fastifyResponses(responses.probeReport) } },
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

  return app;
}

/** True when `address` holds a registry device or partner (what `attestation_issue` accepts). */
async function isRegistrySubject(backend: Backend, address: PublicKey): Promise<boolean> {
  const [entry] = await backend.accounts([address]);
  return (
    entry.memo('registrySubject', (a) => {
      if (!a.owner.equals(REGISTRY_PROGRAM_ID) || a.data.length < 8) return false;
      const disc = a.data.subarray(0, 8);
      return SUBJECT_DISCRIMINATORS.some((d) => d.equals(disc));
    }) ?? false
  );
}
const SUBJECT_DISCRIMINATORS = [generated.registry.DEVICE_DISCRIMINATOR, generated.registry.PARTNER_DISCRIMINATOR].map(
  (d) => Buffer.from(d),
);

/** What a device (or its operator) can do about each resolve failure. */
const RESOLVE_HINTS: Record<(typeof RESOLVE_FAILURES)[number], string> = {
  notEnrolled: 'no usable route: notEnrolled (the device has not requested enrollment in this program)',
  enrollmentNotApproved: 'no usable route: enrollmentNotApproved (the utility has not approved the enrollment yet)',
  deviceNotActive: 'no usable route: deviceNotActive (the device is suspended or revoked in the registry)',
  utilityNotActive: "no usable route: utilityNotActive (the program's utility is not an active utility partner)",
  noRoute: 'no usable route: noRoute (the utility has not published a route for this enrollment yet)',
  routeRevoked: 'no usable route: routeRevoked (the utility revoked the route; ask it for a new one)',
  routeExpired: 'no usable route: routeExpired (the route expired; the utility must publish a new one)',
};
