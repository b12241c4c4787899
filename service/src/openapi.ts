// OpenAPI 3.1 description of the service, assembled from the resources' paths (each resource's
// schemas live with its routes in ./routes; shared ones in ./components). The same JSON schemas
// validate requests and serialize responses, so the document and the server cannot disagree.
import { attestationsPaths } from './routes/attestations';
import { certificatesPaths } from './routes/certificates';
import { devicesPaths } from './routes/devices';
import { endpointsPaths } from './routes/endpoints';
import { enrollmentsPaths } from './routes/enrollments';
import { healthPaths } from './routes/health';
import { namesPaths } from './routes/names';
import { resolvePaths } from './routes/resolve';
import { routesPaths } from './routes/routes';
import { billsPaths } from './routes/bills';
import { livePaths } from './routes/live';
import { networkPaths } from './routes/network';
import { ownersPaths } from './routes/owners';
import { relayPaths } from './routes/relay';
import { sessionPaths } from './routes/session';
import { utilitiesPaths } from './routes/utilities';

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'OpenVPP routing & integration API',
    version: '0.1.0',
    description:
      'Enrollment systems decide enrollments and publish routes; devices resolve their connection parameters; ' +
      'the integration service validates certificates and writes attestations. Reads need no key. Every error ' +
      'is `{ error, message, code? }`: `error` names it, `message` says what to do, `code` is the program error ' +
      'code of a refusal. The app API (tag `app`: owners, utilities, bills, live, relay) needs a session ' +
      '(wallet sign-in: GET /v1/auth/challenge, POST /v1/auth/session, then `Authorization: Bearer`) or the ' +
      "operator's x-api-key; an owner reads only their own data (403 NotYourData). Public keys are base58 " +
      'encodings of exactly 32 bytes (`format: solana-pubkey`).',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      bearer: { type: 'http', scheme: 'bearer', description: 'session token from POST /v1/auth/session' },
      tokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'session token (live feed only)' },
    },
  },
  paths: {
    ...healthPaths,
    ...devicesPaths,
    ...namesPaths,
    ...resolvePaths,
    ...certificatesPaths,
    ...enrollmentsPaths,
    ...routesPaths,
    ...attestationsPaths,
    ...endpointsPaths,
    ...sessionPaths,
    ...ownersPaths,
    ...billsPaths,
    ...utilitiesPaths,
    ...livePaths,
    ...relayPaths,
    ...networkPaths,
  },
} as const;
