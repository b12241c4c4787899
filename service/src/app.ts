// The OpenVPP routing & integration HTTP API: one Fastify route plugin per resource (./routes),
// the API key hook and the error mapping they share (./plugins).
import type { Keypair } from '@solana/web3.js';
import Fastify, { type FastifyInstance } from 'fastify';

import type { ProbeReport, ProbeRequest } from '@openvpp/integration/probe';

import type { Backend } from './backend';
import { BODY_LIMIT } from './components';
import { isPublicKey } from './errors';
import { openapi } from './openapi';
import { apiKeyAuth, assertStrongApiKey } from './plugins/auth';
import { errorMapping, frameworkErrors } from './plugins/errors';
import { methodNotAllowed, pathMethods } from './plugins/method-not-allowed';
import { createResolver } from './resolver';
import { attestations } from './routes/attestations';
import { certificates } from './routes/certificates';
import { devices } from './routes/devices';
import { endpoints } from './routes/endpoints';
import { enrollments } from './routes/enrollments';
import { health } from './routes/health';
import { names } from './routes/names';
import { openapiDocument } from './routes/openapi';
import { resolve } from './routes/resolve';
import { routes } from './routes/routes';

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

export function buildApp(opts: ServiceOptions): FastifyInstance {
  const { backend, apiKey, utilityKey, protocolKey } = opts;
  // apiKeyAuth checks it too, but only when the app loads: a weak key throws here, at once.
  assertStrongApiKey(apiKey);
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    frameworkErrors,
    // Unknown fields are rejected (400), not silently dropped (Fastify's default); a value of
    // the wrong JSON type is rejected, not coerced (Fastify's default turns `false` into
    // "false"; every path and query parameter here is a string); public keys are checked to
    // decode to 32 bytes (400 InvalidPublicKey) before any handler runs.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, formats: { 'solana-pubkey': isPublicKey } },
    },
  });
  const resolver = createResolver(backend);

  app.register(errorMapping);
  app.register(apiKeyAuth, { apiKey });
  // Every documented path answers its documented methods, /openapi.json GET; anything else is 405.
  app.register(methodNotAllowed, { methods: { '/openapi.json': ['GET'], ...pathMethods(openapi.paths) } });
  app.register(health);
  app.register(openapiDocument);
  app.register(devices, { backend, resolver });
  app.register(names, { backend });
  app.register(resolve, { resolver });
  app.register(certificates, { backend });
  app.register(enrollments, { backend, utilityKey });
  app.register(routes, { backend, utilityKey });
  app.register(attestations, { backend, protocolKey });
  app.register(endpoints, { backend, protocolKey, probeAllow: opts.probeAllow, probe: opts.probe });
  return app;
}
