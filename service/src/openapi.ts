// OpenAPI 3.1 description of the service. The same JSON schemas validate requests (Fastify's
// ajv, with the `solana-pubkey` format registered by `buildApp`) and serialize responses, so
// the document and the server cannot disagree.

/** Base58 alphabet, length 32..44; `format: solana-pubkey` adds: decodes to exactly 32 bytes (canonical). */
export const PUBKEY_PATTERN = '^[1-9A-HJ-NP-Za-km-z]{32,44}$';
const pubkey = {
  type: 'string',
  format: 'solana-pubkey',
  pattern: PUBKEY_PATTERN,
  description: 'public key: base58 encoding of exactly 32 bytes (canonical)',
} as const;
const hex32 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: '32 bytes, hex' } as const;
const certPin = {
  type: 'string',
  pattern: '^[0-9a-f]{64}$',
  not: { const: '0'.repeat(64) },
  description: 'SHA-256 SPKI pin: 32 non-zero bytes, lowercase hex',
} as const;
/** PEM text: printable ASCII, tabs and line breaks. */
const pem = (maxLength: number, description: string) =>
  ({ type: 'string', pattern: '^[\\t\\n\\r\\x20-\\x7e]*$', maxLength, description }) as const;
const u64 = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$', description: 'unsigned 64-bit integer, decimal' };
const i64 = { type: 'string', pattern: '^-?(0|[1-9][0-9]{0,18})$', description: 'signed 64-bit integer, decimal' };
const hex = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-f]{${bytes * 2}}$` }) as const;
const unixSeconds = { type: 'integer', minimum: 1, maximum: 9_007_199_254_740_991 } as const;

// Endpoint grammar of the routing program (`is_valid_endpoint`, SDK `isValidEndpoint`): scheme,
// lowercase host labels, optional port 1..=65535 (1-5 digits), optional path; printable ASCII
// without space or '#', at most 200 bytes. A host whose last label is a number in the WHATWG
// sense (all digits, or `0x` and hex digits) is refused unless it is a canonical dotted quad.
const label = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const hostEnd = '(?:[:/]|$)';
const host =
  `(?:${octet}(?:\\.${octet}){3}(?=${hostEnd})` +
  `|(?:${label}\\.)*(?![0-9]+${hostEnd})(?!0x[0-9a-f]*${hostEnd})${label})`;
const port =
  '(?:[1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9]' +
  '|0(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])' +
  '|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const endpointPattern = (scheme: string) => `^${scheme}://${host}(?::${port})?(?:/[\\x21\\x22\\x24-\\x7e]*)?$`;
const endpoint = (scheme: string) =>
  ({
    type: 'string',
    pattern: endpointPattern(scheme),
    minLength: scheme.length + 4,
    maxLength: 200,
    description: `${scheme}://host[:port][/path], lowercase host, printable ASCII without '#', <= 200 bytes`,
  }) as const;

const errorBody = (names?: readonly string[]) => ({
  type: 'object',
  properties: {
    error: { type: 'string', ...(names && { enum: names }), description: 'error name' },
    message: { type: 'string', description: 'what went wrong and what to do' },
    code: { type: 'integer', description: 'program error code (refusals by a program)' },
  },
  required: ['error', 'message'],
  additionalProperties: false,
});

const deviceRecord = {
  type: 'object',
  properties: {
    address: pubkey,
    version: { type: 'integer' },
    bump: { type: 'integer' },
    deviceType: { type: 'string', enum: ['meter', 'evCharger', 'battery', 'inverter', 'thermostat', 'other'] },
    status: { type: 'string', enum: ['active', 'suspended', 'revoked'] },
    deviceKey: pubkey,
    vendor: pubkey,
    owner: pubkey,
    pendingOwner: pubkey,
    member: pubkey,
    suspendedBy: { type: 'string', enum: ['none', 'vendor', 'protocol'] },
    certFingerprint: hex(32),
    issuerCa: hex(32),
    certNotAfter: i64,
    lfdi: hex(20),
    sfdi: u64,
    capabilities: {
      type: 'object',
      properties: {
        flags: { type: 'integer' },
        protocols: { type: 'integer' },
        maxImportW: { type: 'integer' },
        maxExportW: { type: 'integer' },
        energyCapacityWh: u64,
      },
      required: ['flags', 'protocols', 'maxImportW', 'maxExportW', 'energyCapacityWh'],
      additionalProperties: false,
    },
    registeredAt: i64,
    updatedAt: i64,
  },
  required: [
    'address',
    'version',
    'bump',
    'deviceType',
    'status',
    'deviceKey',
    'vendor',
    'owner',
    'pendingOwner',
    'member',
    'suspendedBy',
    'certFingerprint',
    'issuerCa',
    'certNotAfter',
    'lfdi',
    'sfdi',
    'capabilities',
    'registeredAt',
    'updatedAt',
  ],
  additionalProperties: false,
} as const;

const nameRecord = {
  type: 'object',
  properties: {
    address: pubkey,
    bump: { type: 'integer' },
    targetKind: { type: 'string', enum: ['partner', 'device'] },
    target: pubkey,
    authority: pubkey,
    name: { type: 'string' },
    createdAt: i64,
  },
  required: ['address', 'bump', 'targetKind', 'target', 'authority', 'name', 'createdAt'],
  additionalProperties: false,
} as const;

const connectionParams = {
  type: 'object',
  properties: {
    protocol: { type: 'string', enum: ['openAdr3Vtn', 'ieee2030Dot5', 'ocpp201Csms'] },
    endpoint: { type: 'string' },
    certPins: { type: 'array', items: hex(32) },
    version: { type: 'integer' },
    expiresAt: i64,
  },
  required: ['protocol', 'endpoint', 'certPins', 'version', 'expiresAt'],
  additionalProperties: false,
} as const;

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

const signature = {
  type: 'object',
  properties: { signature: { type: 'string', description: 'transaction signature, base58' } },
  required: ['signature'],
  additionalProperties: false,
} as const;

const routeVariant = (protocol: string, scheme: string) => ({
  type: 'object',
  properties: {
    program: pubkey,
    device: pubkey,
    protocol: { const: protocol },
    endpoint: endpoint(scheme),
    certPins: { type: 'array', items: certPin, minItems: 1, maxItems: 4, uniqueItems: true },
    expiresAt: unixSeconds,
  },
  required: ['program', 'device', 'protocol', 'endpoint', 'certPins', 'expiresAt'],
  additionalProperties: false,
});

// Endpoint probes (`POST /v1/endpoints/validate`): the request and the capability report.
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
export const probeReport = {
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

/** Largest request body (bytes): the certificate body at its schema maximum, JSON-escaped. */
export const BODY_LIMIT = 3 * 1024 * 1024;

export const schemas = {
  deviceParams: {
    type: 'object',
    properties: { deviceKey: pubkey },
    required: ['deviceKey'],
    additionalProperties: false,
  },
  lfdiParams: {
    type: 'object',
    properties: { lfdi: { type: 'string', pattern: '^[0-9a-fA-F]{40}$', description: 'IEEE 2030.5 LFDI (hex)' } },
    required: ['lfdi'],
    additionalProperties: false,
  },
  nameParams: {
    type: 'object',
    properties: { name: { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 63 } },
    required: ['name'],
    additionalProperties: false,
  },
  resolveQuery: {
    type: 'object',
    properties: { device: pubkey, program: pubkey },
    required: ['device', 'program'],
    additionalProperties: false,
  },
  probeBody: {
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
  },
  reportParams: {
    type: 'object',
    properties: { hash: { ...hex(32), description: 'report hash (SHA-256 hex)' } },
    required: ['hash'],
    additionalProperties: false,
  },
  certificateBody: {
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
  },
  decisionBody: {
    type: 'object',
    properties: { program: pubkey, device: pubkey, approve: { type: 'boolean' } },
    required: ['program', 'device', 'approve'],
    additionalProperties: false,
  },
  routeBody: {
    oneOf: [
      routeVariant('openAdr3Vtn', 'https'),
      routeVariant('ieee2030Dot5', 'https'),
      routeVariant('ocpp201Csms', 'wss'),
    ],
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
          'ieee2030Dot5Conformance',
          'ocpp201Conformance',
          'securityProfile3',
        ],
      },
      evidenceHash: hex32,
      expiresAt: unixSeconds,
    },
    required: ['subject', 'kind', 'evidenceHash', 'expiresAt'],
    additionalProperties: false,
  },
} as const;

export const RESOLVE_FAILURES = [
  'notEnrolled',
  'enrollmentNotApproved',
  'deviceNotActive',
  'utilityNotActive',
  'noRoute',
  'routeRevoked',
  'routeExpired',
] as const;

/** Response schemas by status, per route (Fastify serializes with them; the document lists them). */
const e = (description: string, names?: readonly string[]) => ({ description, schema: errorBody(names) });
const common = {
  '405': e('method not allowed on this path (see the Allow header)', ['MethodNotAllowed']),
  '500': e('unexpected server error', ['Internal']),
  '503': e('the cluster cannot be read right now: retry later', ['BackendUnavailable']),
};
const readErrors = (what: string) => ({
  '400': e('invalid input (names the parameter and why)', ['InvalidInput', 'InvalidPublicKey']),
  '404': e(`${what} not found`, ['NotFound']),
  ...common,
});
const writeErrors = {
  '400': e('invalid input (names the field and why)', [
    'InvalidInput',
    'InvalidPublicKey',
    'InvalidJson',
    'EmptyBody',
    'InvalidEndpoint',
    'InvalidCertPins',
    'InvalidFingerprint',
  ]),
  '401': e('missing or wrong x-api-key', ['Unauthorized']),
  '404': e('an account named in the request does not exist', ['AccountNotFound', 'SubjectNotFound']),
  '413': e('request body too large', ['PayloadTooLarge']),
  '415': e('the body must be application/json', ['UnsupportedMediaType']),
  '422': e('refused by the program: its error name, code and message'),
  ...common,
  '503': e('this service has no key for this write, or the cluster cannot be reached', [
    'NotConfigured',
    'BackendUnavailable',
  ]),
};

export const responses = {
  health: {
    '200': {
      description: 'ok',
      schema: { type: 'object', properties: { ok: { const: true } }, required: ['ok'], additionalProperties: false },
    },
    '405': common['405'],
    '500': common['500'],
  },
  device: { '200': { description: 'device record', schema: deviceRecord }, ...readErrors('device') },
  name: { '200': { description: 'name record', schema: nameRecord }, ...readErrors('name') },
  resolve: {
    '200': { description: 'protocol, endpoint, certificate pins, version, expiry', schema: connectionParams },
    '400': readErrors('')['400'],
    '404': e('no usable route; `error` says why', RESOLVE_FAILURES),
    ...common,
  },
  certificate: {
    '200': { description: 'validation report with LFDI/SFDI', schema: certificateReport },
    '400': e('invalid input or a certificate that cannot be parsed', [
      'InvalidInput',
      'InvalidPublicKey',
      'InvalidJson',
      'EmptyBody',
      'InvalidCertificate',
    ]),
    '404': e('no vendor partner with this authority key', ['NotFound']),
    '413': writeErrors['413'],
    '415': writeErrors['415'],
    ...common,
  },
  write: { '200': { description: 'transaction signature', schema: signature }, ...writeErrors },
  probe: {
    '200': { description: 'capability report (passing or not) and its hash', schema: probeResult },
    '400': e('invalid input (nothing was sent)', ['InvalidInput', 'InvalidJson', 'EmptyBody', 'InvalidEndpoint']),
    '401': writeErrors['401'],
    '403': e(
      'the endpoint resolves to a private, loopback or link-local address this service is not configured to reach (nothing was sent)',
      ['AddressNotAllowed'],
    ),
    '413': writeErrors['413'],
    '415': writeErrors['415'],
    '422': e('the report passed but the registry refused its attestation: its error name, code and message'),
    ...common,
  },
  probeReport: {
    '200': { description: 'a report this service produced', schema: probeReport },
    '400': e('invalid input (names the parameter and why)', ['InvalidInput']),
    '404': e('no report with this hash (reports are kept in memory, newest 1000)', ['NotFound']),
    ...common,
  },
};

type Responses = Record<string, { description: string; schema: object }>;
/** Fastify `schema.response` from a response table. */
export const fastifyResponses = (r: Responses) =>
  Object.fromEntries(Object.entries(r).map(([status, { schema }]) => [status, schema]));
const documented = (r: Responses) =>
  Object.fromEntries(
    Object.entries(r).map(([status, { description, schema }]) => [
      status,
      { description, content: { 'application/json': { schema } } },
    ]),
  );

const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const apiKey = [{ apiKey: [] }];

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
    '/health': { get: { summary: 'liveness', responses: documented(responses.health) } },
    '/v1/devices/{deviceKey}': {
      get: {
        summary: 'device by its ed25519 key',
        parameters: [{ name: 'deviceKey', in: 'path', required: true, schema: pubkey }],
        responses: documented(responses.device),
      },
    },
    '/v1/lfdi/{lfdi}': {
      get: {
        summary: 'device by IEEE 2030.5 LFDI (what a 2030.5 server sees in the TLS client certificate)',
        parameters: [{ name: 'lfdi', in: 'path', required: true, schema: schemas.lfdiParams.properties.lfdi }],
        responses: documented(responses.device),
      },
    },
    '/v1/names/{name}': {
      get: {
        summary: 'forward name lookup',
        parameters: [{ name: 'name', in: 'path', required: true, schema: schemas.nameParams.properties.name }],
        responses: documented(responses.name),
      },
    },
    '/v1/resolve': {
      get: {
        summary: 'device -> connection parameters for a program',
        parameters: [
          { name: 'device', in: 'query', required: true, schema: pubkey, description: 'registry device account' },
          { name: 'program', in: 'query', required: true, schema: pubkey, description: 'routing program account' },
        ],
        responses: documented(responses.resolve),
      },
    },
    '/v1/certificates/validate': {
      post: {
        summary: 'validate a device certificate chain against the vendor CA roots registered on-chain',
        requestBody: jsonBody(schemas.certificateBody),
        responses: documented(responses.certificate),
      },
    },
    '/v1/enrollments/decision': {
      post: {
        summary: 'enrollment webhook: approve or reject a requested enrollment (utility key)',
        security: apiKey,
        requestBody: jsonBody(schemas.decisionBody),
        responses: documented(responses.write),
      },
    },
    '/v1/routes': {
      post: {
        summary: 'publish or update the route of an approved enrollment (utility key)',
        security: apiKey,
        requestBody: jsonBody(schemas.routeBody),
        responses: documented(responses.write),
      },
    },
    '/v1/attestations': {
      post: {
        summary: 'record a capability attestation (protocol key)',
        security: apiKey,
        requestBody: jsonBody(schemas.attestationBody),
        responses: documented(responses.write),
      },
    },
    '/v1/endpoints/validate': {
      post: {
        summary:
          'probe a utility endpoint (OpenADR 3 VTN, IEEE 2030.5 server, OCPP 2.0.1 CSMS) and return its capability report; credentials are used for this probe only',
        security: apiKey,
        requestBody: jsonBody(schemas.probeBody),
        responses: documented(responses.probe),
      },
    },
    '/v1/endpoints/reports/{hash}': {
      get: {
        summary: 'a capability report by its hash (kept in memory by this service instance)',
        parameters: [{ name: 'hash', in: 'path', required: true, schema: schemas.reportParams.properties.hash }],
        responses: documented(responses.probeReport),
      },
    },
  },
} as const;
