// OpenAPI 3.1 description of the service; the same JSON schemas validate requests.
const pubkey = { type: 'string', pattern: '^[1-9A-HJ-NP-Za-km-z]{32,44}$', description: 'base58 public key' } as const;
const hex32 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: '32 bytes, hex' } as const;
const error = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, code: { type: 'integer' } },
  required: ['error', 'message'],
} as const;

export const schemas = {
  deviceParams: { type: 'object', properties: { deviceKey: pubkey }, required: ['deviceKey'] },
  lfdiParams: {
    type: 'object',
    properties: { lfdi: { type: 'string', pattern: '^[0-9a-fA-F]{40}$', description: 'IEEE 2030.5 LFDI (hex)' } },
    required: ['lfdi'],
  },
  nameParams: {
    type: 'object',
    properties: { name: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 63 } },
    required: ['name'],
  },
  resolveQuery: {
    type: 'object',
    properties: { device: pubkey, program: pubkey },
    required: ['device', 'program'],
    additionalProperties: false,
  },
  certificateBody: {
    type: 'object',
    properties: {
      certificate: { type: 'string', minLength: 1, maxLength: 16384, description: 'device certificate, PEM' },
      chain: {
        type: 'array',
        items: { type: 'string', maxLength: 16384 },
        maxItems: 8,
        description: 'intermediates and root, PEM',
      },
      crls: {
        type: 'array',
        items: { type: 'string', maxLength: 1048576 },
        maxItems: 8,
        description: 'issuer CRLs, PEM',
      },
      vendor: { ...pubkey, description: "vendor partner's authority key" },
    },
    required: ['certificate', 'vendor'],
    additionalProperties: false,
  },
  decisionBody: {
    type: 'object',
    properties: { program: pubkey, device: pubkey, approve: { type: 'boolean' } },
    required: ['program', 'device', 'approve'],
    additionalProperties: false,
  },
  routeBody: {
    type: 'object',
    properties: {
      program: pubkey,
      device: pubkey,
      protocol: { type: 'string', enum: ['openAdr3Vtn', 'ieee2030_5', 'ocpp201Csms'] },
      endpoint: { type: 'string', minLength: 8, maxLength: 200 },
      certPins: { type: 'array', items: hex32, minItems: 1, maxItems: 4 },
      expiresAt: { type: 'integer', minimum: 1 },
    },
    required: ['program', 'device', 'protocol', 'endpoint', 'certPins', 'expiresAt'],
    additionalProperties: false,
  },
  attestationBody: {
    type: 'object',
    properties: {
      subject: pubkey,
      kind: {
        type: 'string',
        enum: [
          'certificateChain',
          'openAdr3Conformance',
          'ieee2030_5Conformance',
          'ocpp201Conformance',
          'securityProfile3',
        ],
      },
      evidenceHash: hex32,
      expiresAt: { type: 'integer', minimum: 1 },
    },
    required: ['subject', 'kind', 'evidenceHash', 'expiresAt'],
    additionalProperties: false,
  },
} as const;

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = {
  '400': { description: 'invalid input', ...json(error) },
  '404': { description: 'not found', ...json(error) },
};
const writeErrors = {
  '400': { description: 'invalid input', ...json(error) },
  '401': { description: 'missing or wrong x-api-key', ...json(error) },
  '422': { description: 'refused by the program (typed error name and code)', ...json(error) },
};
const apiKey = [{ apiKey: [] }];

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'OpenVPP routing & integration API',
    version: '0.1.0',
    description:
      'Enrollment systems decide enrollments and publish routes; devices resolve their connection parameters; ' +
      'the integration service validates certificates and writes attestations. Reads need no key.',
  },
  components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
  paths: {
    '/health': { get: { summary: 'liveness', responses: { '200': { description: 'ok' } } } },
    '/v1/devices/{deviceKey}': {
      get: {
        summary: 'device by its ed25519 key',
        parameters: [{ name: 'deviceKey', in: 'path', required: true, schema: pubkey }],
        responses: { '200': { description: 'device record' }, ...errors },
      },
    },
    '/v1/lfdi/{lfdi}': {
      get: {
        summary: 'device by IEEE 2030.5 LFDI (what a 2030.5 server sees in the TLS client certificate)',
        parameters: [{ name: 'lfdi', in: 'path', required: true, schema: schemas.lfdiParams.properties.lfdi }],
        responses: { '200': { description: 'device record' }, ...errors },
      },
    },
    '/v1/names/{name}': {
      get: {
        summary: 'forward name lookup',
        parameters: [{ name: 'name', in: 'path', required: true, schema: schemas.nameParams.properties.name }],
        responses: { '200': { description: 'name record' }, ...errors },
      },
    },
    '/v1/resolve': {
      get: {
        summary: 'device -> connection parameters for a program',
        parameters: [
          { name: 'device', in: 'query', required: true, schema: pubkey, description: 'registry device account' },
          { name: 'program', in: 'query', required: true, schema: pubkey, description: 'routing program account' },
        ],
        responses: { '200': { description: 'protocol, endpoint, certificate pins, version, expiry' }, ...errors },
      },
    },
    '/v1/certificates/validate': {
      post: {
        summary: 'validate a device certificate chain against the vendor CA roots registered on-chain',
        requestBody: json(schemas.certificateBody),
        responses: { '200': { description: 'validation report with LFDI/SFDI' }, ...errors },
      },
    },
    '/v1/enrollments/decision': {
      post: {
        summary: 'enrollment webhook: approve or reject a requested enrollment (utility key)',
        security: apiKey,
        requestBody: json(schemas.decisionBody),
        responses: { '200': { description: 'transaction signature' }, ...writeErrors },
      },
    },
    '/v1/routes': {
      post: {
        summary: 'publish or update the route of an approved enrollment (utility key)',
        security: apiKey,
        requestBody: json(schemas.routeBody),
        responses: { '200': { description: 'transaction signature' }, ...writeErrors },
      },
    },
    '/v1/attestations': {
      post: {
        summary: 'record a capability attestation (protocol key)',
        security: apiKey,
        requestBody: json(schemas.attestationBody),
        responses: { '200': { description: 'transaction signature' }, ...writeErrors },
      },
    },
  },
} as const;
