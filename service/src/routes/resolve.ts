// GET /v1/resolve: a device's connection parameters in a program (protocol, endpoint,
// certificate pins, version, expiry), or why it has no usable route.
import type { FastifyPluginAsync } from 'fastify';

import { common, documented, errorResponse, fastifyResponses, hex, i64, pubkey, readErrors } from '../components';
import { HttpError } from '../errors';
import type { Resolver } from '../resolver';

export const RESOLVE_FAILURES = [
  'notEnrolled',
  'enrollmentNotApproved',
  'deviceNotActive',
  'utilityNotActive',
  'noRoute',
  'routeRevoked',
  'routeExpired',
] as const;

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

const responses = {
  '200': { description: 'protocol, endpoint, certificate pins, version, expiry', schema: connectionParams },
  '400': readErrors('')['400'],
  '404': errorResponse('no usable route; `error` says why', RESOLVE_FAILURES),
  ...common,
};

const resolveQuery = {
  type: 'object',
  properties: { device: pubkey, program: pubkey },
  required: ['device', 'program'],
  additionalProperties: false,
} as const;

export const resolvePaths = {
  '/v1/resolve': {
    get: {
      summary: 'device -> connection parameters for a program',
      parameters: [
        { name: 'device', in: 'query', required: true, schema: pubkey, description: 'registry device account' },
        { name: 'program', in: 'query', required: true, schema: pubkey, description: 'routing program account' },
      ],
      responses: documented(responses),
    },
  },
};

export const resolve: FastifyPluginAsync<{ resolver: Resolver }> = async (app, { resolver }) => {
  app.get<{ Querystring: { device: string; program: string } }>(
    '/v1/resolve',
    { schema: { querystring: resolveQuery, response: fastifyResponses(responses) } },
    async (req) => {
      const result = await resolver.resolve(req.query.device, req.query.program);
      if (!result.ok) throw new HttpError(404, result.reason, RESOLVE_HINTS[result.reason]);
      return result.params;
    },
  );
};
