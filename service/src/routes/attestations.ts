// POST /v1/attestations: record a capability attestation about a registry device or partner
// (signed with the protocol key).
import { PublicKey, type Keypair } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import { registry } from '@openvpp/sdk';
import { REGISTRY_PROGRAM_ID, attestationIssueInstructions, type AttestationKind } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { pubkey, unixSeconds } from '../components';
import { HttpError } from '../errors';
import { send, signer, writeOperation, writeRoute } from './write';

const hex32 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: '32 bytes, hex' } as const;

const attestationBody = {
  type: 'object',
  properties: {
    subject: pubkey,
    kind: {
      type: 'string',
      enum: [
        'certificateChain',
        'openAdr3Conformance',
        'ieee2030Dot5Conformance',
        'ocpp201Conformance',
        'securityProfile3',
      ],
    },
    evidenceHash: hex32,
    expiresAt: unixSeconds,
  },
  required: ['subject', 'kind', 'evidenceHash', 'expiresAt'],
  additionalProperties: false,
} as const;

export const attestationsPaths = {
  '/v1/attestations': {
    post: writeOperation('record a capability attestation (protocol key)', attestationBody),
  },
};

/** The attestation route (API key; signs with `protocolKey`). */
export const attestations: FastifyPluginAsync<{ backend: Backend; protocolKey?: Keypair }> = async (
  app,
  { backend, protocolKey },
) => {
  app.post<{ Body: { subject: string; kind: AttestationKind; evidenceHash: string; expiresAt: number } }>(
    '/v1/attestations',
    writeRoute(app, attestationBody),
    async (req) => {
      const key = signer(protocolKey, 'protocol');
      const subject = new PublicKey(req.body.subject);
      if (!(await isRegistrySubject(backend, subject))) {
        throw new HttpError(
          404,
          'SubjectNotFound',
          'no registry device or partner at `subject`: pass the account address of a registered device or partner',
        );
      }
      const ixs = attestationIssueInstructions({
        authority: key.publicKey,
        subject,
        payer: backend.payer.publicKey,
        kind: req.body.kind,
        evidenceHash: Buffer.from(req.body.evidenceHash, 'hex'),
        expiresAt: BigInt(req.body.expiresAt),
      });
      return { signature: (await send(backend, ixs, [key])).signature };
    },
  );
};

/** True when `address` holds a registry device or partner (what `attestation_issue` accepts). */
async function isRegistrySubject(backend: Backend, address: PublicKey): Promise<boolean> {
  const [entry] = await backend.accounts([address]);
  return (
    entry.memo('registrySubject', (a) => {
      if (!a.owner.equals(REGISTRY_PROGRAM_ID) || a.data.length < 8) return false;
      const disc = a.data.subarray(0, 8);
      return SUBJECT_DISCRIMINATORS.some((d) => d.equals(disc));
    }) ?? false
  );
}
const SUBJECT_DISCRIMINATORS = [registry.DEVICE_DISCRIMINATOR, registry.PARTNER_DISCRIMINATOR].map((d) =>
  Buffer.from(d),
);
