// The OpenVPP routing & integration HTTP API.
import { Keypair, PublicKey } from '@solana/web3.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import {
  ProgramError,
  RegistryClientError,
  RoutingClientError,
  attestationIssueInstructions,
  enrollmentDecideInstructions,
  fetchDevice,
  fetchDeviceByLfdi,
  fetchNameRecord,
  fetchPartner,
  parseRegistryError,
  parseRoutingError,
  resolveRoute,
  routeSetInstructions,
  type AttestationKind,
  type Protocol,
} from '@openvpp/sdk';

import { SendFailedError, type Backend } from './backend';
import { openapi, schemas } from './openapi';
import { validateDeviceCertificate } from './x509';

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
}

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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new HttpError(404, 'NotFound', `${what} not found`);

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

export function buildApp(opts: ServiceOptions): FastifyInstance {
  // Unknown fields are rejected (400), not silently dropped (Fastify's default).
  const app = Fastify({ logger: opts.logger ?? false, ajv: { customOptions: { removeAdditional: false } } });
  const { backend } = opts;
  assertStrongApiKey(opts.apiKey);
  const expected = keyDigest(opts.apiKey);

  // Constant time: both sides are hashed to 32 bytes first, so neither the content nor the
  // length of the expected key leaks through the comparison time.
  const requireKey = async (req: FastifyRequest) => {
    const header = req.headers['x-api-key'];
    if (typeof header !== 'string' || !timingSafeEqual(keyDigest(header), expected)) {
      throw new HttpError(401, 'Unauthorized', 'missing or wrong x-api-key');
    }
  };
  const signer = (key: Keypair | undefined, role: string) => {
    if (!key) throw new HttpError(503, 'NotConfigured', `this service has no ${role} key`);
    return key;
  };
  const send = async (ixs: Parameters<Backend['send']>[0], signers: Keypair[]) => {
    try {
      return await backend.send(ixs, signers);
    } catch (e) {
      if (e instanceof SendFailedError) {
        const typed = parseRoutingError(e) ?? parseRegistryError(e);
        throw new HttpError(422, typed?.errorName ?? 'TransactionFailed', e.message, e.customCode);
      }
      throw e;
    }
  };

  app.setErrorHandler((err: unknown, _req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      return reply
        .status(err.status)
        .send({ error: err.error, message: err.message, ...(err.code !== undefined && { code: err.code }) });
    }
    if (err instanceof RoutingClientError || err instanceof RegistryClientError) {
      return reply.status(400).send({ error: err.reason, message: err.message });
    }
    if (err instanceof ProgramError)
      return reply.status(422).send({ error: err.errorName, message: err.message, code: err.code });
    const e = err as { validation?: unknown; statusCode?: number; message?: string };
    if (e.validation) return reply.status(400).send({ error: 'InvalidInput', message: e.message });
    app.log.error(err);
    return reply
      .status(e.statusCode && e.statusCode < 500 ? e.statusCode : 500)
      .send({ error: 'Internal', message: e.message ?? 'error' });
  });

  app.get('/health', async () => ({ ok: true }));
  app.get('/openapi.json', async () => openapi);

  app.get<{ Params: { deviceKey: string } }>(
    '/v1/devices/:deviceKey',
    { schema: { params: schemas.deviceParams } },
    async (req) => {
      const device = await fetchDevice(backend.reader, { deviceKey: new PublicKey(req.params.deviceKey) });
      if (!device) throw notFound('device');
      return toJson(device);
    },
  );

  app.get<{ Params: { lfdi: string } }>('/v1/lfdi/:lfdi', { schema: { params: schemas.lfdiParams } }, async (req) => {
    const device = await fetchDeviceByLfdi(backend.reader, { lfdi: Buffer.from(req.params.lfdi, 'hex') });
    if (!device) throw notFound('device');
    return toJson(device);
  });

  app.get<{ Params: { name: string } }>('/v1/names/:name', { schema: { params: schemas.nameParams } }, async (req) => {
    const record = await fetchNameRecord(backend.reader, { name: req.params.name });
    if (!record) throw notFound('name');
    return toJson(record);
  });

  app.get<{ Querystring: { device: string; program: string } }>(
    '/v1/resolve',
    { schema: { querystring: schemas.resolveQuery } },
    async (req) => {
      const result = await resolveRoute(backend.reader, {
        program: new PublicKey(req.query.program),
        device: new PublicKey(req.query.device),
        now: await backend.now(),
      });
      if (!result.ok) throw new HttpError(404, result.reason, `no usable route: ${result.reason}`);
      return toJson(result.params);
    },
  );

  app.post<{ Body: { certificate: string; chain?: string[]; crls?: string[]; vendor: string } }>(
    '/v1/certificates/validate',
    { schema: { body: schemas.certificateBody } },
    async (req) => {
      const vendor = await fetchPartner(backend.reader, { authority: new PublicKey(req.body.vendor) });
      if (!vendor || vendor.kind !== 'vendor') throw notFound('vendor');
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
        if (e instanceof HttpError) throw e;
        throw new HttpError(400, 'InvalidCertificate', (e as Error).message);
      }
    },
  );

  app.post<{ Body: { program: string; device: string; approve: boolean } }>(
    '/v1/enrollments/decision',
    { schema: { body: schemas.decisionBody }, onRequest: requireKey },
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
  }>('/v1/routes', { schema: { body: schemas.routeBody }, onRequest: requireKey }, async (req) => {
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
    { schema: { body: schemas.attestationBody }, onRequest: requireKey },
    async (req) => {
      const key = signer(opts.protocolKey, 'protocol');
      const ixs = attestationIssueInstructions({
        authority: key.publicKey,
        subject: new PublicKey(req.body.subject),
        payer: backend.payer.publicKey,
        kind: req.body.kind,
        evidenceHash: Buffer.from(req.body.evidenceHash, 'hex'),
        expiresAt: BigInt(req.body.expiresAt),
      });
      return { signature: (await send(ixs, [key])).signature };
    },
  );

  return app;
}
