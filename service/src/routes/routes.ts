// POST /v1/routes: publish or update the route of an approved enrollment (signed with the
// utility key). One body schema per protocol, each with its endpoint scheme.
import { PublicKey, type Keypair } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import { routeSetInstructions, type Protocol } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { certPin, endpoint, pubkey, unixSeconds } from '../components';
import { send, signer, writeOperation, writeRoute } from './write';

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

const routeBody = {
  oneOf: [
    routeVariant('openAdr3Vtn', 'https'),
    routeVariant('ieee2030Dot5', 'https'),
    routeVariant('ocpp201Csms', 'wss'),
  ],
} as const;

export const routesPaths = {
  '/v1/routes': {
    post: writeOperation('publish or update the route of an approved enrollment (utility key)', routeBody),
  },
};

interface RouteBody {
  program: string;
  device: string;
  protocol: Protocol;
  endpoint: string;
  certPins: string[];
  expiresAt: number;
}

/** The route publishing route (API key; signs with `utilityKey`). */
export const routes: FastifyPluginAsync<{ backend: Backend; utilityKey?: Keypair }> = async (
  app,
  { backend, utilityKey },
) => {
  app.post<{ Body: RouteBody }>('/v1/routes', writeRoute(app, routeBody), async (req) => {
    const key = signer(utilityKey, 'utility');
    const ixs = routeSetInstructions({
      program: new PublicKey(req.body.program),
      authority: key.publicKey,
      device: new PublicKey(req.body.device),
      payer: backend.payer.publicKey,
      protocol: req.body.protocol,
      endpoint: req.body.endpoint,
      certPins: req.body.certPins.map((p) => Buffer.from(p, 'hex')),
      expiresAt: BigInt(req.body.expiresAt),
    });
    return { signature: (await send(backend, ixs, [key])).signature };
  });
};
