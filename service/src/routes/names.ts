// GET /v1/names/{name}: forward name lookup.
import type { FastifyPluginAsync } from 'fastify';

import { fetchNameRecord } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { documented, fastifyResponses, i64, pubkey, readErrors } from '../components';
import { notFound } from '../errors';
import { toJson } from '../json';

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

const responses = { '200': { description: 'name record', schema: nameRecord }, ...readErrors('name') };

const name = { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', maxLength: 63 } as const;
const nameParams = {
  type: 'object',
  properties: { name },
  required: ['name'],
  additionalProperties: false,
} as const;

export const namesPaths = {
  '/v1/names/{name}': {
    get: {
      summary: 'forward name lookup',
      parameters: [{ name: 'name', in: 'path', required: true, schema: name }],
      responses: documented(responses),
    },
  },
};

export const names: FastifyPluginAsync<{ backend: Backend }> = async (app, { backend }) => {
  app.get<{ Params: { name: string } }>(
    '/v1/names/:name',
    { schema: { params: nameParams, response: fastifyResponses(responses) } },
    async (req) => {
      const record = await fetchNameRecord(backend.reader, { name: req.params.name });
      if (!record) throw notFound('name', 'this name is not registered');
      return toJson(record);
    },
  );
};
