// Tariffs: publishing and revising prices, binding devices, and the export escrow.

import { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { addr, pdaAddress as pda, programAddress, signer, toLegacyInstructions as legacy } from '../common/kit';
import * as gen from '../../generated/payments';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findPartnerPda } from '../registry/pdas';
import { ROUTING_PROGRAM_ID } from '../routing/constants';
import { findEnrollmentPda } from '../routing/pdas';
import { PAYMENTS_PROGRAM_ID } from './constants';
import {
  findExportVaultPda,
  findPaymentsConfigPda,
  findTariffBindingPda,
  findTariffPda,
  findTariffRevisionPda,
  findUsdeMintPda,
} from './pdas';
import type { ExportCap, TariffInterval } from './types';
import { ClientError } from '../common/errors';
import { type ProgramOpt, type RegistryOpt, type RoutingOpt, usdeOf } from './options';

/**
 * Publishes a tariff with its revision 1 (`["tariff_revision", tariff, 1]`) and its export
 * escrow `["export_vault", tariff]` (utility authority signs; `utility` is its registry partner
 * account). Readings cover exactly one aligned metering interval of `intervalSecs`
 * (300..=86400, dividing a day). A superseded revision, and a previous owner's readings after a
 * sale, still settle for `settlementWindowSecs` (1..=90 days); export credit per device is
 * capped at `exportCap.maxCredit` per `exportCap.periodSecs` (a multiple of `intervalSecs`).
 */
export function tariffCreateInstructions({
  utility,
  authority,
  payer,
  tariffId,
  effectiveFrom,
  intervals,
  intervalSecs,
  settlementWindowSecs,
  exportCap,
  treasury,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  utility: PublicKey;
  authority: PublicKey;
  payer: PublicKey;
  tariffId: number;
  effectiveFrom: bigint;
  intervals: TariffInterval[];
  intervalSecs: number;
  /** Seconds a superseded revision (and a previous owner's backlog) still settles: 1..=90 days. */
  settlementWindowSecs: number;
  /** Export-credit cap per device and period of revision 1. */
  exportCap: ExportCap;
  /** USDE account receiving settlements; defaults to the authority's USDE ATA. */
  treasury?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  const tariff = findTariffPda({ utility, tariffId, programId })[0];
  return legacy(
    gen.getTariffCreateInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        utility: addr(utility),
        authority: signer(authority),
        tariff: addr(tariff),
        revision: pda(findTariffRevisionPda({ tariff, revision: 1, programId })),
        treasury: usdeOf(authority, treasury, programId),
        exportVault: pda(findExportVaultPda({ tariff, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        payer: signer(payer),
        tariffId,
        effectiveFrom,
        intervals,
        intervalSecs,
        settlementWindowSecs,
        exportCap,
      },
      programAddress(programId),
    ),
  );
}

/**
 * Publishes revision `latestRevision + 1` as its own account from `effectiveFrom` (not in the
 * past, later than the latest revision's start), with its prices and export cap. The latest
 * revision stops pricing intervals from then on; readings signed for it (or any older
 * revision) still settle at its prices within the tariff's settlement window. `utility`
 * defaults to the authority's registry partner account; `payer` (default: the authority) pays
 * for the revision account.
 */
export function tariffUpdateInstructions({
  tariff,
  authority,
  latestRevision,
  effectiveFrom,
  intervals,
  exportCap,
  payer = authority,
  utility,
  programId = PAYMENTS_PROGRAM_ID,
  registryProgramId = REGISTRY_PROGRAM_ID,
}: {
  tariff: PublicKey;
  authority: PublicKey;
  /** The tariff's latest revision (`tariff.revision`). */
  latestRevision: number;
  effectiveFrom: bigint;
  intervals: TariffInterval[];
  exportCap: ExportCap;
  payer?: PublicKey;
  utility?: PublicKey;
} & ProgramOpt &
  RegistryOpt): TransactionInstruction[] {
  return legacy(
    gen.getTariffUpdateInstruction(
      {
        tariff: addr(tariff),
        utility: addr(utility ?? findPartnerPda({ authority, programId: registryProgramId })[0]),
        authority: signer(authority),
        latest: pda(findTariffRevisionPda({ tariff, revision: latestRevision, programId })),
        revision: pda(findTariffRevisionPda({ tariff, revision: latestRevision + 1, programId })),
        payer: signer(payer),
        effectiveFrom,
        intervals,
        exportCap,
      },
      programAddress(programId),
    ),
  );
}

/**
 * Opens the binding `["binding", tariff, device]` that lets `device` settle against `tariff`,
 * from the device's approved enrollment in `program` (a utility program of the tariff's
 * utility). The tariff's `authority` (the utility) signs: it decides which of its tariffs a
 * device is on; `payer` signs and pays the rent. Settlement re-reads the enrollment, so
 * revoking it stops settlement at once.
 */
export function tariffBindInstructions({
  tariff,
  authority,
  device,
  program,
  payer,
  enrollment,
  programId = PAYMENTS_PROGRAM_ID,
  routingProgramId = ROUTING_PROGRAM_ID,
}: {
  tariff: PublicKey;
  /** The tariff's authority (the utility's key). */
  authority: PublicKey;
  device: PublicKey;
  /** The routing `UtilityProgram` the device is enrolled in. */
  program: PublicKey;
  payer: PublicKey;
  /** Defaults to `["enrollment", program, device]`. */
  enrollment?: PublicKey;
} & ProgramOpt &
  RoutingOpt): TransactionInstruction[] {
  return legacy(
    gen.getTariffBindInstruction(
      {
        tariff: addr(tariff),
        authority: signer(authority),
        device: addr(device),
        program: addr(program),
        enrollment: addr(enrollment ?? findEnrollmentPda({ program, device, programId: routingProgramId })[0]),
        binding: pda(findTariffBindingPda({ tariff, device, programId })),
        payer: signer(payer),
      },
      programAddress(programId),
    ),
  );
}

/**
 * The utility announces that it takes `amount` USDE of unused export escrow back to the
 * treasury after `EXPORT_WITHDRAW_NOTICE_SECS` (tariff authority signs). 0 cancels a pending
 * request; a new request restarts the notice.
 */
export function tariffExportWithdrawRequestInstructions({
  tariff,
  authority,
  amount,
  programId = PAYMENTS_PROGRAM_ID,
}: { tariff: PublicKey; authority: PublicKey; amount: bigint } & ProgramOpt): TransactionInstruction[] {
  if (amount < 0n || amount >= 1n << 64n) throw new ClientError('InvalidAmount', 'amount must be in 0..2^64');
  return legacy(
    gen.getTariffExportWithdrawRequestInstruction(
      { tariff: addr(tariff), authority: signer(authority), amount },
      programAddress(programId),
    ),
  );
}

/**
 * Executes a withdrawal requested at least `EXPORT_WITHDRAW_NOTICE_SECS` ago
 * (`WithdrawalNotReady` before): moves min(requested, escrow balance) to the tariff's treasury
 * (tariff authority signs; `treasury` defaults to the authority's USDE ATA and must be the
 * tariff's).
 */
export function tariffExportWithdrawInstructions({
  tariff,
  authority,
  treasury,
  programId = PAYMENTS_PROGRAM_ID,
}: { tariff: PublicKey; authority: PublicKey; treasury?: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getTariffExportWithdrawInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        tariff: addr(tariff),
        authority: signer(authority),
        exportVault: pda(findExportVaultPda({ tariff, programId })),
        treasury: usdeOf(authority, treasury, programId),
        usdeMint: pda(findUsdeMintPda({ programId })),
      },
      programAddress(programId),
    ),
  );
}

/** Adds `amount` USDE to a tariff's export escrow from `funding` (default: the funder's USDE ATA). */
export function tariffExportFundInstructions({
  tariff,
  funder,
  amount,
  funding,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  tariff: PublicKey;
  funder: PublicKey;
  amount: bigint;
  funding?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  if (amount <= 0n) throw new ClientError('InvalidAmount', 'amount must be positive');
  return legacy(
    gen.getTariffExportFundInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        tariff: addr(tariff),
        exportVault: pda(findExportVaultPda({ tariff, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        funding: usdeOf(funder, funding, programId),
        funder: signer(funder),
        amount,
      },
      programAddress(programId),
    ),
  );
}

/**
 * Pays what `tariff`'s escrow owes `owner` for `device`'s exports (recorded on the binding
 * `["binding", tariff, device]`, per owner and ownership epoch) to `owner`'s USDE account,
 * also after the device changed hands. Anyone may send it (`NothingOwed` when the escrow owes
 * that owner nothing).
 */
export function meterExportClaimInstructions({
  device,
  owner,
  tariff,
  ownerUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  device: PublicKey;
  /** The owner the escrow owes (who earned the credit). */
  owner: PublicKey;
  tariff: PublicKey;
  /** A USDE account of `owner` (default: its ATA). */
  ownerUsde?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getMeterExportClaimInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        tariff: addr(tariff),
        binding: pda(findTariffBindingPda({ tariff, device, programId })),
        exportVault: pda(findExportVaultPda({ tariff, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        ownerUsde: usdeOf(owner, ownerUsde, programId),
      },
      programAddress(programId),
    ),
  );
}
