// GET /openapi.json: the OpenAPI document of this API.
import type { FastifyPluginAsync } from 'fastify';

import { openapi } from '../openapi';

export const openapiDocument: FastifyPluginAsync = async (app) => {
  app.get('/openapi.json', async () => openapi);
};
