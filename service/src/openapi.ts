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

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'OpenVPP routing & integration API',
    version: '0.1.0',
    description:
      'Enrollment systems decide enrollments and publish routes; devices resolve their connection parameters; ' +
      'the integration service validates certificates and writes attestations. Reads need no key. Every error ' +
      'is `{ error, message, code? }`: `error` names it, `message` says what to do, `code` is the program error ' +
      'code of a refusal. Public keys are base58 encodings of exactly 32 bytes (`format: solana-pubkey`).',
  },
  servers: [{ url: '/' }],
  components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
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
  },
} as const;
