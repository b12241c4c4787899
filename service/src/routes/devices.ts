// Device lookups: GET /v1/devices/{deviceKey} (by its ed25519 key) and GET /v1/lfdi/{lfdi} (by
// the IEEE 2030.5 LFDI a 2030.5 server sees in the TLS client certificate). Both answer the
// registry's device record: a full device's account, or else a compressed device's leaf from the
// indexer (its record says where the leaf is; `verifyCompressedDevice` in @openvpp/sdk/web3 checks
// it against the tree account with the proof GET /v1/compressed/{merkleTree}/proofs/{index} serves
// from the indexer).
import type { FastifyPluginAsync } from 'fastify';

import { fetchDeviceByLfdi } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { type CompressedLookups, compressedRecord } from '../compressed';
import { documented, errorResponse, fastifyResponses, hex, i64, pubkey, readErrors, u64 } from '../components';
import { notFound } from '../errors';
import { toJson } from '../json';
import type { Resolver } from '../resolver';

const capabilities = {
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
} as const;
const deviceType = {
  type: 'string',
  enum: ['meter', 'evCharger', 'battery', 'inverter', 'thermostat', 'other'],
} as const;
const suspendedBy = { type: 'string', enum: ['none', 'vendor', 'protocol'] } as const;

const deviceRecord = {
  title: 'full device',
  type: 'object',
  properties: {
    address: pubkey,
    version: { type: 'integer' },
    bump: { type: 'integer' },
    deviceType,
    status: { type: 'string', enum: ['active', 'suspended', 'revoked'] },
    deviceKey: pubkey,
    vendor: pubkey,
    owner: pubkey,
    pendingOwner: pubkey,
    member: pubkey,
    suspendedBy,
    certFingerprint: hex(32),
    issuerCa: hex(32),
    certNotAfter: i64,
    lfdi: hex(20),
    sfdi: u64,
    capabilities,
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

const compressedDeviceRecord = {
  title: 'compressed device',
  type: 'object',
  description:
    'a device whose record is a leaf of a registry tree (as the indexer holds it); `provisioned` until its device key activates it',
  properties: {
    compressed: {
      type: 'object',
      description: 'where the leaf is: tree, leaf index, leaf hash, the tree sequence number of this version',
      properties: { merkleTree: pubkey, index: { type: 'integer' }, leaf: hex(32), seq: { type: 'integer' } },
      required: ['merkleTree', 'index', 'leaf', 'seq'],
      additionalProperties: false,
    },
    deviceType,
    status: { type: 'string', enum: ['provisioned', 'active', 'suspended', 'revoked'] },
    deviceKey: pubkey,
    vendor: pubkey,
    owner: pubkey,
    pendingOwner: pubkey,
    ownerEpoch: { type: 'integer' },
    suspendedBy,
    certFingerprint: hex(32),
    issuerCa: hex(32),
    certNotAfter: i64,
    lfdi: hex(20),
    nextLfdi: hex(20),
    sfdi: u64,
    capabilities,
    nameHash: hex(32),
    registeredAt: i64,
    nonce: u64,
  },
  required: [
    'compressed',
    'deviceType',
    'status',
    'deviceKey',
    'vendor',
    'owner',
    'pendingOwner',
    'ownerEpoch',
    'suspendedBy',
    'certFingerprint',
    'issuerCa',
    'certNotAfter',
    'lfdi',
    'nextLfdi',
    'sfdi',
    'capabilities',
    'nameHash',
    'registeredAt',
    'nonce',
  ],
  additionalProperties: false,
} as const;

/** A full device's record: the documented fields of its account (the schema's `oneOf` checks them). */
function fullRecord(device: unknown) {
  const json = toJson(device) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(deviceRecord.properties).map((k) => [k, json[k]]));
}

const responses = {
  '200': {
    description: 'device record: a full device, or a compressed device (the one with `compressed`)',
    schema: { oneOf: [deviceRecord, compressedDeviceRecord] },
  },
  ...readErrors('device'),
  '503': errorResponse(
    'the cluster cannot be read right now, or no full device matches and this service has no indexer to look up compressed devices',
    ['BackendUnavailable', 'NotConfigured'],
  ),
};

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

/**
 * The serializer's schemas: the documented ones without `format` (a `oneOf` is serialized by
 * validating each branch with the serializer's own Ajv, which does not know `solana-pubkey`; the
 * patterns still hold).
 */
const withoutFormats = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(withoutFormats)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (k === 'format' ? [] : [[k, withoutFormats(x)]])))
      : v;
const serialized = fastifyResponses(withoutFormats(responses) as typeof responses);

const proofRecord = {
  type: 'object',
  properties: {
    merkleTree: pubkey,
    index: { type: 'integer' },
    leaf: hex(32),
    root: hex(32),
    proof: { type: 'array', items: hex(32), description: 'sibling nodes, leaf level first, without the canopy levels' },
    seq: { type: 'integer', description: "the tree's sequence number the root is at" },
    complete: { type: 'boolean', description: 'false while the index misses changes of the tree (backfill)' },
  },
  required: ['merkleTree', 'index', 'leaf', 'root', 'proof', 'seq', 'complete'],
  additionalProperties: false,
} as const;
const proofResponses = {
  '200': { description: "a leaf's proof against the index's root of its tree", schema: proofRecord },
  ...readErrors('leaf'),
  '503': errorResponse('the cluster cannot be read right now, or this service has no indexer', [
    'BackendUnavailable',
    'NotConfigured',
  ]),
};
const leafIndex = { type: 'string', pattern: '^(0|[1-9][0-9]{0,9})$', description: 'leaf index, decimal' } as const;
const proofParams = {
  type: 'object',
  properties: { merkleTree: pubkey, index: leafIndex },
  required: ['merkleTree', 'index'],
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
  '/v1/compressed/{merkleTree}/proofs/{index}': {
    get: {
      summary:
        "a compressed device's leaf proof (check it with verifyCompressedDevice: the service can withhold, never forge)",
      parameters: [
        { name: 'merkleTree', in: 'path', required: true, schema: pubkey, description: 'registry tree account' },
        { name: 'index', in: 'path', required: true, schema: leafIndex },
      ],
      responses: documented(proofResponses),
    },
  },
};

export interface DevicesOptions {
  backend: Backend;
  resolver: Resolver;
  /** The indexer's compressed-device lookups (`compressedLookups(queries)`). */
  compressed: CompressedLookups;
}

export const devices: FastifyPluginAsync<DevicesOptions> = async (app, { backend, resolver, compressed }) => {
  app.get<{ Params: { deviceKey: string } }>(
    '/v1/devices/:deviceKey',
    { schema: { params: deviceParams, response: serialized } },
    async (req) => {
      const found = await resolver.deviceByKey(req.params.deviceKey);
      if (found) return found.entry.memo('json', () => fullRecord(found.device));
      // One key holder may have activated two certificates: the activated leaf answers first.
      const [leaf] = await compressed.compressedDevicesByKey(req.params.deviceKey);
      if (!leaf) throw notFound('device', 'no device is registered with this key');
      return compressedRecord(leaf);
    },
  );

  app.get<{ Params: { lfdi: string } }>(
    '/v1/lfdi/:lfdi',
    { schema: { params: lfdiParams, response: serialized } },
    async (req) => {
      const device = await fetchDeviceByLfdi(backend.reader, { lfdi: Buffer.from(req.params.lfdi, 'hex') });
      if (device) return fullRecord(device);
      const leaf = await compressed.compressedDeviceByLfdi(req.params.lfdi.toLowerCase());
      if (!leaf) throw notFound('device', 'no device is registered with this LFDI');
      return compressedRecord(leaf);
    },
  );

  app.get<{ Params: { merkleTree: string; index: string } }>(
    '/v1/compressed/:merkleTree/proofs/:index',
    {
      schema: {
        params: proofParams,
        response: fastifyResponses(withoutFormats(proofResponses) as typeof proofResponses),
      },
    },
    async (req) => {
      try {
        return await compressed.compressedProof(req.params.merkleTree, Number(req.params.index));
      } catch (e) {
        const q = e as { name?: string; code?: unknown };
        if (q.name === 'IndexerQueryError' && q.code === 'NotFound') {
          throw notFound('leaf', 'the index knows no such tree or leaf (yet)');
        }
        throw e;
      }
    },
  );
};
