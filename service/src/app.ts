// The OpenVPP routing & integration HTTP API: one Fastify route plugin per resource (./routes),
// the API key hook and the error mapping they share (./plugins).
import type { Keypair } from '@solana/web3.js';
import Fastify, { type FastifyInstance } from 'fastify';

import { appBuilt, appDir } from '@openvpp/app';

import type { ProbeReport, ProbeRequest } from '@openvpp/integration/probe';

import type { Backend } from './backend';
import { compressedLookups, type CompressedLookups } from './compressed';
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
import { web, type WebOptions } from './routes/web';
import type { AppQueries, LiveSource } from './queries';
import { Relayer, type RelayLimits } from './relayer';
import { bills } from './routes/bills';
import { live } from './routes/live';
import { networkRoutes } from './routes/network';
import { owners } from './routes/owners';
import { relay } from './routes/relay';
import { sessionRoutes } from './routes/session';
import { utilities } from './routes/utilities';
import { sessionAuth } from './plugins/session';
import { HttpError } from './errors';
import { Sessions, type SessionOptions } from './sessions';

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
  /**
   * The indexer's reads for the app API and the compressed-device lookups (`Queries` of
   * @openvpp/indexer); without it the app routes, and device lookups that find no full device,
   * answer 503 NotConfigured.
   */
  queries?: AppQueries & Partial<CompressedLookups>;
  /** The indexer's live events (reading, dr_reward, enrollment) for GET /v1/live. */
  live?: LiveSource;
  /** Wallet sign-in: the token secret (default: random per process), domain, lifetimes. */
  sessions?: SessionOptions;
  /** The relayer's fee payer (default: the backend's payer) and limits. */
  relayer?: { feePayer?: Keypair; limits?: Partial<RelayLimits> };
  /**
   * The app (OpenVPP World) at `/`: its build directory and demo wallets; default the
   * @openvpp/app build when it exists; `false` serves the API only.
   */
  web?: WebOptions | false;
}

/** Queries that answer 503: the service runs without an indexer. */
const noIndexer = new Proxy({} as AppQueries, {
  get: (_t, prop) =>
    prop === 'onLive' || prop === 'then'
      ? undefined
      : async () => {
          throw new HttpError(
            503,
            'NotConfigured',
            'this service runs without an indexer: start it with `openvpp serve`',
          );
        },
});

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
  const queries = opts.queries ?? noIndexer;

  app.register(errorMapping);
  app.register(apiKeyAuth, { apiKey });
  // Every documented path answers its documented methods, /openapi.json GET; anything else is 405.
  app.register(methodNotAllowed, { methods: { '/openapi.json': ['GET'], ...pathMethods(openapi.paths) } });
  app.register(health);
  app.register(openapiDocument);
  app.register(devices, { backend, resolver, compressed: compressedLookups(opts.queries) });
  app.register(names, { backend });
  app.register(resolve, { resolver });
  app.register(certificates, { backend });
  app.register(enrollments, { backend, utilityKey });
  app.register(routes, { backend, utilityKey });
  app.register(attestations, { backend, protocolKey });
  app.register(endpoints, { backend, protocolKey, probeAllow: opts.probeAllow, probe: opts.probe });

  // The app API: sessions, owner and utility views, bills, live events, the relayer.
  const sessions = new Sessions(opts.sessions);
  const relayer = new Relayer(opts.relayer?.feePayer ?? backend.payer, opts.relayer?.limits);
  app.register(sessionAuth, { sessions, apiKey, queries });
  app.register(sessionRoutes, { backend, sessions });
  app.register(owners, { backend, queries });
  app.register(bills, { queries });
  app.register(utilities, { backend, queries });
  app.register(live, { queries, source: opts.live });
  app.register(relay, { backend, relayer });
  app.register(networkRoutes, { backend, queries });
  const site = opts.web ?? (appBuilt() ? { dir: appDir } : false);
  if (site) app.register(web, site);
  return app;
}
