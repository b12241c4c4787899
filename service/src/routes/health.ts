// GET /health: liveness.
import type { FastifyPluginAsync } from 'fastify';

import { common, documented, fastifyResponses } from '../components';

const responses = {
  '200': {
    description: 'ok',
    schema: { type: 'object', properties: { ok: { const: true } }, required: ['ok'], additionalProperties: false },
  },
  '405': common['405'],
  '500': common['500'],
};

export const healthPaths = {
  '/health': { get: { summary: 'liveness', responses: documented(responses) } },
};

export const health: FastifyPluginAsync = async (app) => {
  app.get('/health', { schema: { response: fastifyResponses(responses) } }, async () => ({ ok: true }));
};
