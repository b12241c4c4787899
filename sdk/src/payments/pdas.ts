import { TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { PublicKey } from '@solana/web3.js';

import {
  PAYMENTS_PROGRAM_ID,
  SEED_DR_EVENT,
  SEED_DR_REWARD,
  SEED_DR_VAULT,
  SEED_EXPORT_VAULT,
  SEED_MANDATE,
  SEED_METER,
  SEED_SETTLEMENT,
  SEED_TARIFF,
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

const find = (seeds: Uint8Array[], programId: PublicKey) => PublicKey.findProgramAddressSync(seeds, programId);

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

const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

export const findTariffPda = ({
  utility,
  tariffId,
  programId = PAYMENTS_PROGRAM_ID,
}: { utility: PublicKey; tariffId: number } & ProgramOpt) =>
  find([SEED_TARIFF, utility.toBuffer(), u32le(tariffId)], programId);
export const findMeterPda = ({ device, programId = PAYMENTS_PROGRAM_ID }: { device: PublicKey } & ProgramOpt) =>
  find([SEED_METER, device.toBuffer()], programId);
/** The delegate device owners approve on their USDE account for settlement. */
export const findSettlementAuthorityPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  find([SEED_SETTLEMENT], programId);
export const findDrEventPda = ({
  utility,
  eventId,
  programId = PAYMENTS_PROGRAM_ID,
}: { utility: PublicKey; eventId: number } & ProgramOpt) =>
  find([SEED_DR_EVENT, utility.toBuffer(), u32le(eventId)], programId);
export const findDrVaultPda = ({ event, programId = PAYMENTS_PROGRAM_ID }: { event: PublicKey } & ProgramOpt) =>
  find([SEED_DR_VAULT, event.toBuffer()], programId);
export const findDrRewardPda = ({
  event,
  device,
  programId = PAYMENTS_PROGRAM_ID,
}: { event: PublicKey; device: PublicKey } & ProgramOpt) =>
  find([SEED_DR_REWARD, event.toBuffer(), device.toBuffer()], programId);

/** An owner's settlement mandate for one device: `["mandate", owner, device]`. */
export const findMandatePda = ({
  owner,
  device,
  programId = PAYMENTS_PROGRAM_ID,
}: { owner: PublicKey; device: PublicKey } & ProgramOpt) =>
  find([SEED_MANDATE, owner.toBuffer(), device.toBuffer()], programId);
/** A tariff's USDE export escrow: `["export_vault", tariff]`. */
export const findExportVaultPda = ({ tariff, programId = PAYMENTS_PROGRAM_ID }: { tariff: PublicKey } & ProgramOpt) =>
  find([SEED_EXPORT_VAULT, tariff.toBuffer()], programId);

/** `owner`'s associated Token-2022 account for `mint` (USDE and unit tokens). */
export const findToken2022Ata = ({ mint, owner }: { mint: PublicKey; owner: PublicKey }) =>
  getAssociatedTokenAddressSync(mint, owner, true, TOKEN_2022_PROGRAM_ID);

/** `owner`'s USDE account (associated token account). */
export const findUsdeAccount = ({ owner, programId = PAYMENTS_PROGRAM_ID }: { owner: PublicKey } & ProgramOpt) =>
  findToken2022Ata({ mint: findUsdeMintPda({ programId })[0], owner });
