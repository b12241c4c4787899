// Options and account helpers the payments builders share.

import type { PublicKey } from '@solana/web3.js';

import { addr } from '../common/kit';
import { findUsdeAccount } from './pdas';

export type ProgramOpt = { programId?: PublicKey };
export type RegistryOpt = { registryProgramId?: PublicKey };
export type RoutingOpt = { routingProgramId?: PublicKey };

/** `given`, or else `owner`'s USDE account (its ATA), as a generated builder's account. */
export const usdeOf = (owner: PublicKey, given: PublicKey | undefined, programId: PublicKey) =>
  addr(given ?? findUsdeAccount({ owner, programId }));
