import { PublicKey } from '@solana/web3.js';

import {
  PAYMENTS_PROGRAM_ID,
  SEED_MARKET,
  SEED_PAYMENTS,
  SEED_TREASURY,
  SEED_UNIT_MINT,
  SEED_USDE_MINT,
  SEED_VAULT,
} from './constants';
import type { UnitKind } from './types';

type ProgramOpt = { programId?: PublicKey };

/** Seed byte of a unit kind, as `UnitKind::seed` in the program. */
export const unitKindSeed = (kind: UnitKind): Buffer => Buffer.from([kind === 'kwh' ? 0 : 1]);

const find = (seeds: Buffer[], programId: PublicKey) => PublicKey.findProgramAddressSync(seeds, programId);

export const findPaymentsConfigPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  find([SEED_PAYMENTS], programId);
export const findUsdeMintPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  find([SEED_USDE_MINT], programId);
export const findUsdcVaultPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) => find([SEED_VAULT], programId);
export const findUsdeTreasuryPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  find([SEED_TREASURY], programId);
export const findUnitMarketPda = ({ kind, programId = PAYMENTS_PROGRAM_ID }: { kind: UnitKind } & ProgramOpt) =>
  find([SEED_MARKET, unitKindSeed(kind)], programId);
export const findUnitMintPda = ({ kind, programId = PAYMENTS_PROGRAM_ID }: { kind: UnitKind } & ProgramOpt) =>
  find([SEED_UNIT_MINT, unitKindSeed(kind)], programId);
