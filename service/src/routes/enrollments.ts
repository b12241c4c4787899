// POST /v1/enrollments/decision: the enrollment webhook, approve or reject a requested
// enrollment (signed with the utility key).
import { PublicKey, type Keypair } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import { enrollmentDecideInstructions } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { pubkey } from '../components';
import { send, signer, writeOperation, writeRoute } from './write';

const decisionBody = {
  type: 'object',
  properties: { program: pubkey, device: pubkey, approve: { type: 'boolean' } },
  required: ['program', 'device', 'approve'],
  additionalProperties: false,
} as const;

export const enrollmentsPaths = {
  '/v1/enrollments/decision': {
    post: writeOperation('enrollment webhook: approve or reject a requested enrollment (utility key)', decisionBody),
  },
};

/** The enrollment decision route (API key; signs with `utilityKey`). */
export const enrollments: FastifyPluginAsync<{ backend: Backend; utilityKey?: Keypair }> = async (
  app,
  { backend, utilityKey },
) => {
  app.post<{ Body: { program: string; device: string; approve: boolean } }>(
    '/v1/enrollments/decision',
    writeRoute(app, decisionBody),
    async (req) => {
      const key = signer(utilityKey, 'utility');
      const ixs = enrollmentDecideInstructions({
        program: new PublicKey(req.body.program),
        authority: key.publicKey,
        device: new PublicKey(req.body.device),
        approve: req.body.approve,
      });
      return { signature: (await send(backend, ixs, [key])).signature };
    },
  );
};
