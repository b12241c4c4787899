import type { PublicKey } from '@solana/web3.js';

import type { Protocol } from '../../routing/types';

export type { Protocol } from '../../routing/types';

export type ProgramKind = 'demandResponse' | 'tariff' | 'evCharging';
export type EnrollmentStatus = 'requested' | 'approved' | 'rejected' | 'revoked';

export interface UtilityProgram {
  address: PublicKey;
  kind: ProgramKind;
  open: boolean;
  utility: PublicKey;
  authority: PublicKey;
  programId: number;
  name: string;
  enrolled: number;
  createdAt: bigint;
}

export interface Enrollment {
  address: PublicKey;
  status: EnrollmentStatus;
  program: PublicKey;
  device: PublicKey;
  requestedBy: PublicKey;
  requestedAt: bigint;
  updatedAt: bigint;
}

export interface Route {
  address: PublicKey;
  enrollment: PublicKey;
  device: PublicKey;
  program: PublicKey;
  protocol: Protocol;
  endpoint: string;
  certPins: Uint8Array[];
  version: number;
  expiresAt: bigint;
  revoked: boolean;
}

/** What a device needs to connect, as returned by `resolveRoute`. */
export interface ConnectionParams {
  protocol: Protocol;
  endpoint: string;
  /** Hex SHA-256 SPKI pins. */
  certPins: string[];
  version: number;
  expiresAt: bigint;
}
