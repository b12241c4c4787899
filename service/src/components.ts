// Schema components every resource shares: key, hex and PEM strings, the route endpoint
// grammar, the error body and the error responses by status, and the helpers that turn a
// resource's response table into Fastify's `schema.response` and the document's `responses`.
// The same JSON schemas validate requests (Fastify's ajv, with the `solana-pubkey` format
// registered by `buildApp`) and serialize responses, so the document and the server cannot disagree.

/** Base58 alphabet, length 32..44; `format: solana-pubkey` adds: decodes to exactly 32 bytes (canonical). */
export const PUBKEY_PATTERN = '^[1-9A-HJ-NP-Za-km-z]{32,44}$';
export const pubkey = {
  type: 'string',
  format: 'solana-pubkey',
  pattern: PUBKEY_PATTERN,
  description: 'public key: base58 encoding of exactly 32 bytes (canonical)',
} as const;
export const certPin = {
  type: 'string',
  pattern: '^[0-9a-f]{64}$',
  not: { const: '0'.repeat(64) },
  description: 'SHA-256 SPKI pin: 32 non-zero bytes, lowercase hex',
} as const;
/** PEM text: printable ASCII, tabs and line breaks. */
export const pem = (maxLength: number, description: string) =>
  ({ type: 'string', pattern: '^[\\t\\n\\r\\x20-\\x7e]*$', maxLength, description }) as const;
export const u64 = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,19})$',
  description: 'unsigned 64-bit integer, decimal',
};
export const i64 = {
  type: 'string',
  pattern: '^-?(0|[1-9][0-9]{0,18})$',
  description: 'signed 64-bit integer, decimal',
};
export const hex = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-f]{${bytes * 2}}$` }) as const;
export const unixSeconds = { type: 'integer', minimum: 1, maximum: 9_007_199_254_740_991 } as const;

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
/** An endpoint URL with this scheme (a regex alternative such as `(?:https?|wss?)` is allowed). */
export const endpoint = (scheme: string) =>
  ({
    type: 'string',
    pattern: endpointPattern(scheme),
    minLength: scheme.length + 4,
    maxLength: 200,
    description: `${scheme}://host[:port][/path], lowercase host, printable ASCII without '#', <= 200 bytes`,
  }) as const;

/** Largest request body (bytes): the certificate body at its schema maximum, JSON-escaped. */
export const BODY_LIMIT = 3 * 1024 * 1024;

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

/** An error response: its description and the error names it may carry. */
export const errorResponse = (description: string, names?: readonly string[]) => ({
  description,
  schema: errorBody(names),
});
/** Responses every route may give. */
export const common = {
  '405': errorResponse('method not allowed on this path (see the Allow header)', ['MethodNotAllowed']),
  '500': errorResponse('unexpected server error', ['Internal']),
  '503': errorResponse('the cluster cannot be read right now: retry later', ['BackendUnavailable']),
};
/** Error responses of a read by key (`what` is the resource name). */
export const readErrors = (what: string) => ({
  '400': errorResponse('invalid input (names the parameter and why)', ['InvalidInput', 'InvalidPublicKey']),
  '404': errorResponse(`${what} not found`, ['NotFound']),
  ...common,
});
/** Error responses of a write (a transaction signed by the service, behind the API key). */
export const writeErrors = {
  '400': errorResponse('invalid input (names the field and why)', [
    'InvalidInput',
    'InvalidPublicKey',
    'InvalidJson',
    'EmptyBody',
    'InvalidEndpoint',
    'InvalidCertPins',
    'InvalidFingerprint',
  ]),
  '401': errorResponse('missing or wrong x-api-key', ['Unauthorized']),
  '404': errorResponse('an account named in the request does not exist', ['AccountNotFound', 'SubjectNotFound']),
  '413': errorResponse('request body too large', ['PayloadTooLarge']),
  '415': errorResponse('the body must be application/json', ['UnsupportedMediaType']),
  '422': errorResponse('refused by the program: its error name, code and message'),
  ...common,
  '503': errorResponse('this service has no key for this write, or the cluster cannot be reached', [
    'NotConfigured',
    'BackendUnavailable',
  ]),
};

const signature = {
  type: 'object',
  properties: { signature: { type: 'string', description: 'transaction signature, base58' } },
  required: ['signature'],
  additionalProperties: false,
} as const;
/** Responses of a write: its transaction signature, or an error. */
export const writeResponses = { '200': { description: 'transaction signature', schema: signature }, ...writeErrors };

type Responses = Record<string, { description: string; schema: object }>;
/** Fastify `schema.response` from a response table. */
export const fastifyResponses = (r: Responses) =>
  Object.fromEntries(Object.entries(r).map(([status, { schema }]) => [status, schema]));
/** OpenAPI `responses` from a response table. */
export const documented = (r: Responses) =>
  Object.fromEntries(
    Object.entries(r).map(([status, { description, schema }]) => [
      status,
      { description, content: { 'application/json': { schema } } },
    ]),
  );

/** OpenAPI `requestBody`: required JSON with this schema. */
export const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
/** OpenAPI `security` of the routes behind the API key. */
export const apiKeySecurity = [{ apiKey: [] }];

// ---- The app API (owners, utilities, bills, live, relay): sessions, pages, days and periods.

/** Raw base units (USDE has 6 decimals) as a decimal string; may be negative for net amounts. */
export const amount = {
  type: 'string',
  pattern: '^-?(0|[1-9][0-9]{0,38})$',
  description: 'raw base units, decimal string',
} as const;
/** Energy in Wh (a safe integer). */
export const wh = { type: 'integer', minimum: 0, maximum: 9_007_199_254_740_991 } as const;
/** Years 1970..9999: days and periods are unix times. */
const YEAR = '(19[7-9][0-9]|[2-9][0-9]{3})';
export const DAY_PATTERN = `^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`;
export const PERIOD_PATTERN = `^${YEAR}-(0[1-9]|1[0-2])$`;
export const LIMIT_PATTERN = '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$';
/** A UTC day, `YYYY-MM-DD`. */
export const day = { type: 'string', pattern: DAY_PATTERN, description: 'UTC day, YYYY-MM-DD' } as const;
/** A billing period, `YYYY-MM` (UTC). */
export const period = {
  type: 'string',
  pattern: PERIOD_PATTERN,
  description: 'billing period, YYYY-MM (UTC)',
} as const;
/** Page size: 1..200 (default 50); larger is 400 `PageTooLarge`. */
export const limit = {
  type: 'string',
  pattern: LIMIT_PATTERN,
  description: 'page size, 1..200 (default 50); larger: 400 PageTooLarge',
} as const;
export const cursor = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,200}$',
  description: 'opaque cursor: the `next` of the previous page',
} as const;
/** The cursor of pages the service cuts itself (`o<offset>`). */
export const offsetCursor = {
  type: 'string',
  pattern: '^o[0-9]{1,9}$',
  description: 'opaque cursor: the `next` of the previous page',
} as const;
/** `{ items, next }`, newest first. */
export const paginated = (item: object) =>
  ({
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      next: { type: ['string', 'null'], description: 'cursor of the next page; null on the last' },
    },
    required: ['items', 'next'],
    additionalProperties: false,
  }) as const;

/** Error responses of an app read (a session or the API key required). */
export const appReadErrors = (notFoundNames: readonly string[] = ['NotFound']) => ({
  '400': errorResponse('invalid input (names the parameter and why)', [
    'InvalidInput',
    'InvalidPublicKey',
    'InvalidPeriod',
    'InvalidDay',
    'InvalidRange',
    'PageTooLarge',
    'InvalidCursor',
  ]),
  '401': errorResponse('no, malformed or expired session token, or a wrong x-api-key', [
    'Unauthorized',
    'InvalidToken',
    'SessionExpired',
  ]),
  '403': errorResponse("another owner's or utility's data", ['NotYourData']),
  '404': errorResponse('no such account', notFoundNames),
  ...common,
});
/** OpenAPI `security` of the app reads: a session token or the operator's API key. */
export const appSecurity = [{ bearer: [] }, { apiKey: [] }];

/** `schema` or null, for responses (a type list, not `anyOf`: the serializer keeps its fast path). */
export const nullable = (schema: { type: string; [k: string]: unknown }) => {
  const { format: _format, ...rest } = schema;
  return { ...rest, type: [schema.type, 'null'] };
};

/** A JSON object schema: these properties (all required unless listed), nothing else unless `extra`. */
export const obj = (properties: Record<string, object>, required = Object.keys(properties), extra = false) =>
  ({ type: 'object', properties, required, additionalProperties: extra }) as const;

/** A non-negative integer (counts, ids, unix times). */
export const int = { type: 'integer', minimum: 0 } as const;
