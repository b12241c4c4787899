// Device lookups: GET /v1/devices/{deviceKey} (by its ed25519 key) and GET /v1/lfdi/{lfdi} (by
// the IEEE 2030.5 LFDI a 2030.5 server sees in the TLS client certificate). Both answer the
// registry's device record.
import type { FastifyPluginAsync } from 'fastify';

import { fetchDeviceByLfdi } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { documented, fastifyResponses, hex, i64, pubkey, readErrors, u64 } from '../components';
import { notFound } from '../errors';
import { toJson } from '../json';
import type { Resolver } from '../resolver';

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

const responses = { '200': { description: 'device record', schema: deviceRecord }, ...readErrors('device') };

const deviceParams = {
  type: 'object',
  properties: { deviceKey: pubkey },
  required: ['deviceKey'],
  additionalProperties: false,
} as const;
const lfdi = { type: 'string', pattern: '^[0-9a-fA-F]{40}$', description: 'IEEE 2030.5 LFDI (hex)' } as const;
const lfdiParams = {
  type: 'object',
  properties: { lfdi },
  required: ['lfdi'],
  additionalProperties: false,
} as const;

export const devicesPaths = {
  '/v1/devices/{deviceKey}': {
    get: {
      summary: 'device by its ed25519 key',
      parameters: [{ name: 'deviceKey', in: 'path', required: true, schema: pubkey }],
      responses: documented(responses),
    },
  },
  '/v1/lfdi/{lfdi}': {
    get: {
      summary: 'device by IEEE 2030.5 LFDI (what a 2030.5 server sees in the TLS client certificate)',
      parameters: [{ name: 'lfdi', in: 'path', required: true, schema: lfdi }],
      responses: documented(responses),
    },
  },
};

export interface DevicesOptions {
  backend: Backend;
  resolver: Resolver;
}

export const devices: FastifyPluginAsync<DevicesOptions> = async (app, { backend, resolver }) => {
  app.get<{ Params: { deviceKey: string } }>(
    '/v1/devices/:deviceKey',
    { schema: { params: deviceParams, response: fastifyResponses(responses) } },
    async (req) => {
      const found = await resolver.deviceByKey(req.params.deviceKey);
      if (!found) throw notFound('device', 'no device is registered with this key');
      return found.entry.memo('json', () => toJson(found.device));
    },
  );

  app.get<{ Params: { lfdi: string } }>(
    '/v1/lfdi/:lfdi',
    { schema: { params: lfdiParams, response: fastifyResponses(responses) } },
    async (req) => {
      const device = await fetchDeviceByLfdi(backend.reader, { lfdi: Buffer.from(req.params.lfdi, 'hex') });
      if (!device) throw notFound('device', 'no device is registered with this LFDI');
      return toJson(device);
    },
  );
};
