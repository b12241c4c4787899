// Error mapping: every failure leaves as `{ error, message, code? }` with its status. Thrown
// `HttpError`s as they are; SDK client errors 400; program refusals 422 with their name and
// code; an unreachable cluster 503; schema validation 400 naming the field; Fastify's own
// request errors by code; unknown paths 404; anything else 500 (logged).
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';

import { ClientError, ProgramError } from '@openvpp/sdk/web3';

import { BackendUnavailableError } from '../backend';
import { BODY_LIMIT, PUBKEY_PATTERN } from '../components';
import { HttpError } from '../errors';
import { MAX_LIMIT, invalidCursor } from '../paging';

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
function validationError(
  issues: ValidationIssue[],
  context: string | undefined,
  fallback: string,
  req?: FastifyRequest,
): HttpError {
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
  // The app API's named input errors: page size, billing period, day.
  const named = appInputError(issues, req);
  if (named) return named;
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

/** `limit` over 200: `PageTooLarge`; a malformed `period`: `InvalidPeriod`; `from`/`to`/`day`: `InvalidDay`. */
function appInputError(issues: ValidationIssue[], req?: FastifyRequest): HttpError | undefined {
  const at = (name: string) =>
    issues.some((i) => i.instancePath === `/${name}` && i.keyword !== 'additionalProperties');
  if (at('limit')) {
    const given = (req?.query as { limit?: unknown } | undefined)?.limit;
    if (typeof given === 'string' && /^[0-9]+$/.test(given) && Number(given) > MAX_LIMIT) {
      return new HttpError(400, 'PageTooLarge', `\`limit\` is at most ${MAX_LIMIT}: page with \`cursor\` instead`);
    }
    return new HttpError(400, 'InvalidInput', `\`limit\` must be an integer from 1 to ${MAX_LIMIT}`);
  }
  if (at('period')) {
    return new HttpError(400, 'InvalidPeriod', '`period` must be a month, YYYY-MM (UTC), e.g. 2026-11');
  }
  const day = ['from', 'to', 'day'].find(at);
  if (day) return new HttpError(400, 'InvalidDay', `\`${day}\` must be a UTC day, YYYY-MM-DD`);
  if (at('cursor')) return invalidCursor();
  return undefined;
}

/** Sends `err` as the error body with its status. */
const sendError = (reply: FastifyReply, err: HttpError) =>
  reply
    .status(err.status)
    .send({ error: err.error, message: err.message, ...(err.code !== undefined && { code: err.code }) });

/**
 * The Fastify `frameworkErrors` option: the router's own refusals (malformed percent-encoding, a
 * path parameter longer than any valid one) are invalid input like any other, 400 with a named error.
 */
export const frameworkErrors: FastifyServerOptions['frameworkErrors'] = (err, _req, reply) => {
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is longer than any valid value: see /openapi.json for each parameter'
      : 'the URL is malformed (invalid percent-encoding): encode path and query parameters as UTF-8';
  void (reply as FastifyReply)
    .status(400)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ error: 'InvalidInput', message }));
};

/** The error and not-found handlers, for every route (hence `fastify-plugin`). */
export const errorMapping = fp(
  async (app) => {
    app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
      if (err instanceof HttpError) return sendError(reply, err);
      if (err instanceof ClientError) {
        return sendError(reply, new HttpError(400, err.reason, err.message));
      }
      if (err instanceof ProgramError) {
        return sendError(reply, new HttpError(422, err.errorName, err.message, err.code));
      }
      // The indexer's refusals of a query argument (by name, so the service needs no import).
      const q = err as { name?: string; code?: unknown; message?: string };
      if (q.name === 'IndexerQueryError' && typeof q.code === 'string') {
        const name = q.code === 'RangeTooLarge' ? 'InvalidRange' : q.code === 'InvalidLimit' ? 'InvalidInput' : q.code;
        return sendError(reply, new HttpError(400, name, q.message ?? 'invalid query'));
      }
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
      if (e.validation) {
        return sendError(reply, validationError(e.validation, e.validationContext, e.message ?? '', req));
      }
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
  },
  { name: 'openvpp-errors' },
);
