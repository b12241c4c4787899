import { TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { PublicKey } from '@solana/web3.js';

import { addr, findPda, toKitEnum } from '../common/kit';
import * as gen from '../../generated/payments';
import { PAYMENTS_PROGRAM_ID } from './constants';
import type { UnitKind } from './types';

// Every seed list comes from the generated `*Seeds` builders (rendered from the IDL's PDAs).
type ProgramOpt = { programId?: PublicKey };
const kindArg = (kind: UnitKind) => toKitEnum(gen.UnitKind, kind);

/** Seed byte of a unit kind, as `UnitKind::seed` in the program. */
export const unitKindSeed = (kind: UnitKind): Buffer => Buffer.from(gen.getUnitKindEncoder().encode(kindArg(kind)));

export const findPaymentsConfigPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  findPda(gen.paymentsSeeds(), programId);
export const findUsdeMintPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  findPda(gen.usdeMintSeeds(), programId);
export const findUsdcVaultPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  findPda(gen.vaultSeeds(), programId);
export const findUsdeTreasuryPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  findPda(gen.treasurySeeds(), programId);
export const findUnitMarketPda = ({ kind, programId = PAYMENTS_PROGRAM_ID }: { kind: UnitKind } & ProgramOpt) =>
  findPda(gen.marketSeeds({ kind: kindArg(kind) }), programId);
export const findUnitMintPda = ({ kind, programId = PAYMENTS_PROGRAM_ID }: { kind: UnitKind } & ProgramOpt) =>
  findPda(gen.unitMintSeeds({ kind: kindArg(kind) }), programId);

export const findTariffPda = ({
  utility,
  tariffId,
  programId = PAYMENTS_PROGRAM_ID,
}: { utility: PublicKey; tariffId: number } & ProgramOpt) =>
  findPda(gen.tariffSeeds({ utility: addr(utility), tariffId }), programId);
export const findMeterPda = ({ device, programId = PAYMENTS_PROGRAM_ID }: { device: PublicKey } & ProgramOpt) =>
  findPda(gen.meterSeeds({ device: addr(device) }), programId);
/** The delegate device owners approve on their USDE account for settlement. */
export const findSettlementAuthorityPda = ({ programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) =>
  findPda(gen.settlementSeeds(), programId);
export const findDrEventPda = ({
  utility,
  eventId,
  programId = PAYMENTS_PROGRAM_ID,
}: { utility: PublicKey; eventId: number } & ProgramOpt) =>
  findPda(gen.drEventSeeds({ utility: addr(utility), eventId }), programId);
export const findDrVaultPda = ({ event, programId = PAYMENTS_PROGRAM_ID }: { event: PublicKey } & ProgramOpt) =>
  findPda(gen.drVaultSeeds({ event: addr(event) }), programId);
export const findDrRewardPda = ({
  event,
  device,
  programId = PAYMENTS_PROGRAM_ID,
}: { event: PublicKey; device: PublicKey } & ProgramOpt) =>
  findPda(gen.drRewardSeeds({ event: addr(event), device: addr(device) }), programId);

/** An owner's settlement mandate for one device: `["mandate", owner, device]`. */
export const findMandatePda = ({
  owner,
  device,
  programId = PAYMENTS_PROGRAM_ID,
}: { owner: PublicKey; device: PublicKey } & ProgramOpt) =>
  findPda(gen.mandateSeeds({ owner: addr(owner), device: addr(device) }), programId);
/** One immutable revision of a tariff: `["tariff_revision", tariff, revision u32 LE]`. */
export const findTariffRevisionPda = ({
  tariff,
  revision,
  programId = PAYMENTS_PROGRAM_ID,
}: { tariff: PublicKey; revision: number } & ProgramOpt) =>
  findPda(gen.tariffRevisionSeeds1({ tariff: addr(tariff), revision }), programId);
/**
 * The relationship that lets `device` settle against `tariff` (opened by `tariff_bind` from an
 * approved enrollment), holding its export-cap total and the escrow's debts:
 * `["binding", tariff, device]`.
 */
export const findTariffBindingPda = ({
  tariff,
  device,
  programId = PAYMENTS_PROGRAM_ID,
}: { tariff: PublicKey; device: PublicKey } & ProgramOpt) =>
  findPda(gen.bindingSeeds({ tariff: addr(tariff), device: addr(device) }), programId);
/** A tariff's USDE export escrow: `["export_vault", tariff]`. */
export const findExportVaultPda = ({ tariff, programId = PAYMENTS_PROGRAM_ID }: { tariff: PublicKey } & ProgramOpt) =>
  findPda(gen.exportVaultSeeds({ tariff: addr(tariff) }), programId);

/** `owner`'s associated Token-2022 account for `mint` (USDE and unit tokens). */
export const findToken2022Ata = ({ mint, owner }: { mint: PublicKey; owner: PublicKey }) =>
  getAssociatedTokenAddressSync(mint, owner, true, TOKEN_2022_PROGRAM_ID);

/** `owner`'s USDE account (associated token account). */
export const findUsdeAccount = ({ owner, programId = PAYMENTS_PROGRAM_ID }: { owner: PublicKey } & ProgramOpt) =>
  findToken2022Ata({ mint: findUsdeMintPda({ programId })[0], owner });
