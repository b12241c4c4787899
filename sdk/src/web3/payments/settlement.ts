// Tariffs, device-signed meter readings and demand-response rewards.
import { Ed25519Program, PublicKey, TransactionInstruction } from '@solana/web3.js';

import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';

import { addr, pdaAddress as pda, programAddress, signer, toLegacyInstructions as legacy } from '../common/kit';
import * as gen from '../../generated/payments';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findPartnerPda } from '../registry/pdas';
import type { Device } from '../registry/types';
import { ROUTING_PROGRAM_ID } from '../routing/constants';
import { findEnrollmentPda } from '../routing/pdas';
import { GAP_DOMAIN, MAX_SETTLE_BATCH, PAYMENTS_PROGRAM_ID, READING_DOMAIN } from './constants';
import {
  findDrEventPda,
  findDrRewardPda,
  findDrVaultPda,
  findExportVaultPda,
  findMandatePda,
  findMeterPda,
  findPaymentsConfigPda,
  findSettlementAuthorityPda,
  findTariffBindingPda,
  findTariffPda,
  findTariffRevisionPda,
  findUsdeAccount,
  findUsdeMintPda,
} from './pdas';
import type { ExportCap, MandateCaps, MeterReading, TariffInterval } from './types';
import { ClientError } from '../common/errors';

type ProgramOpt = { programId?: PublicKey };
type RegistryOpt = { registryProgramId?: PublicKey };
type RoutingOpt = { routingProgramId?: PublicKey };

/** `given`, or else `owner`'s USDE account (its ATA), as a generated builder's account. */
const usdeOf = (owner: PublicKey, given: PublicKey | undefined, programId: PublicKey) =>
  addr(given ?? findUsdeAccount({ owner, programId }));

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

/**
 * The device owner lets one utility (its registry partner account) bill one device's readings
 * within caps per period and in total (owner signs). Settlement spends the owner's USDE only
 * within such a mandate (and the delegate allowance).
 */
export function mandateCreateInstructions({
  device,
  owner,
  utility,
  payer,
  maxPerPeriod,
  periodSecs,
  maxTotal,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  device: PublicKey;
  owner: PublicKey;
  utility: PublicKey;
  payer: PublicKey;
} & MandateCaps &
  ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getMandateCreateInstruction(
      {
        device: addr(device),
        owner: signer(owner),
        utility: addr(utility),
        mandate: pda(findMandatePda({ owner, device, programId })),
        payer: signer(payer),
        maxPerPeriod,
        periodSecs,
        maxTotal,
      },
      programAddress(programId),
    ),
  );
}

/** Closes the owner's mandate for a device at once (rent back to the owner). */
export function mandateRevokeInstructions({
  device,
  owner,
  programId = PAYMENTS_PROGRAM_ID,
}: { device: PublicKey; owner: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getMandateRevokeInstruction(
      { mandate: pda(findMandatePda({ owner, device, programId })), owner: signer(owner) },
      programAddress(programId),
    ),
  );
}

/** Opens the settlement state of a registry device. */
export function meterOpenInstructions({
  device,
  payer,
  programId = PAYMENTS_PROGRAM_ID,
}: { device: PublicKey; payer: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getMeterOpenInstruction(
      { device: addr(device), meter: pda(findMeterPda({ device, programId })), payer: signer(payer) },
      programAddress(programId),
    ),
  );
}

const le64 = (v: bigint, signed = false) => {
  const b = Buffer.alloc(8);
  if (signed) b.writeBigInt64LE(v);
  else b.writeBigUInt64LE(v);
  return b;
};

const le32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};

/**
 * What every reading of `deviceKey` against `tariff` is bound to (mirrors
 * `signature::reading_context`): `sha256(READING_DOMAIN ‖ program id ‖ device key ‖ tariff)`.
 */
export function readingContext({
  deviceKey,
  tariff,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; tariff: PublicKey } & ProgramOpt): Buffer {
  return Buffer.from(
    sha256(Buffer.concat([READING_DOMAIN, programId.toBuffer(), deviceKey.toBuffer(), tariff.toBuffer()])),
  );
}

/** The exact 68 bytes a device signs for a reading (mirrors `signature::reading_message`). */
export function readingMessage({
  deviceKey,
  tariff,
  reading,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; tariff: PublicKey; reading: MeterReading } & ProgramOpt): Buffer {
  return Buffer.concat([
    readingContext({ deviceKey, tariff, programId }),
    le32(reading.revision),
    le64(reading.seq),
    le64(reading.intervalStart, true),
    le64(reading.importWh),
    le64(reading.exportWh),
  ]);
}

/** The device's signature over a reading message (64 bytes), from its 64-byte secret key. */
export function signReading(message: Uint8Array, deviceSecretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, deviceSecretKey.subarray(0, 32));
}

/**
 * One ed25519 precompile instruction carrying a signature by `publicKey` per message, all
 * data inline and the public key stored once (what `meter_settle_batch` reads).
 */
export function ed25519VerifyInstruction({
  publicKey,
  messages,
  signatures,
}: {
  publicKey: PublicKey;
  messages: Uint8Array[];
  signatures: Uint8Array[];
}): TransactionInstruction {
  if (messages.length === 0 || messages.length !== signatures.length || messages.length > 255) {
    throw new ClientError('InvalidReading', 'ed25519VerifyInstruction: one signature per message, 1..255');
  }
  const header = 2 + 14 * messages.length;
  const size = header + 32 + messages.reduce((n, m) => n + 64 + m.length, 0);
  const data = Buffer.alloc(size);
  data[0] = messages.length;
  publicKey.toBuffer().copy(data, header);
  let at = header + 32;
  messages.forEach((message, i) => {
    const sigOff = at;
    Buffer.from(signatures[i]).copy(data, at);
    at += 64;
    const msgOff = at;
    Buffer.from(message).copy(data, at);
    at += message.length;
    const o = 2 + 14 * i;
    [sigOff, 0xffff, header, 0xffff, msgOff, message.length, 0xffff].forEach((v, j) =>
      data.writeUInt16LE(v, o + 2 * j),
    );
  });
  return new TransactionInstruction({ programId: Ed25519Program.programId, keys: [], data });
}

/**
 * The exact 48 bytes a device signs to declare its readings `fromSeq..toSeq` void (mirrors
 * `signature::gap_message`): `sha256(GAP_DOMAIN ‖ program id ‖ device key) ‖ fromSeq ‖ toSeq`.
 */
export function gapMessage({
  deviceKey,
  fromSeq,
  toSeq,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; fromSeq: bigint; toSeq: bigint } & ProgramOpt): Buffer {
  return Buffer.concat([
    Buffer.from(sha256(Buffer.concat([GAP_DOMAIN, programId.toBuffer(), deviceKey.toBuffer()]))),
    le64(fromSeq),
    le64(toSeq),
  ]);
}

/**
 * The device declares readings it signed (`fromSeq..toSeq`, `fromSeq` right after the meter's
 * last reading) void because they can no longer settle (lost, or past their revision's
 * settlement window), so `toSeq` settles next: the ed25519 precompile carrying the device's
 * signature (from `deviceSecretKey`, or a ready `signature`) and `meter_gap`. Anyone relays it;
 * only the device can sign it.
 */
export function meterGapInstructions({
  device,
  deviceKey,
  fromSeq,
  toSeq,
  deviceSecretKey,
  signature,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  device: PublicKey;
  deviceKey: PublicKey;
  fromSeq: bigint;
  toSeq: bigint;
  deviceSecretKey?: Uint8Array;
  signature?: Uint8Array;
} & ProgramOpt): TransactionInstruction[] {
  if (toSeq <= fromSeq) throw new ClientError('InvalidReading', 'meterGapInstructions: toSeq must exceed fromSeq');
  const message = gapMessage({ deviceKey, fromSeq, toSeq, programId });
  const sig = signature ?? (deviceSecretKey && signReading(message, deviceSecretKey));
  if (!sig) throw new ClientError('InvalidReading', 'meterGapInstructions: give deviceSecretKey or signature');
  return [
    ed25519VerifyInstruction({ publicKey: deviceKey, messages: [message], signatures: [sig] }),
    ...legacy(
      gen.getMeterGapInstruction(
        {
          device: addr(device),
          meter: pda(findMeterPda({ device, programId })),
          fromSeq,
          toSeq,
        },
        programAddress(programId),
      ),
    ),
  ];
}

/**
 * The owner a reading starting at `intervalStart` bills and pays, as the program decides:
 * the device's current owner from its claim (`ownerSince`) on, the previous owner before
 * (null when that is before any owner's claim: `ReadingBeforeOwnership`).
 */
export function billedOwner(
  device: Pick<Device, 'owner' | 'ownerSince' | 'prevOwner' | 'prevOwnerSince'>,
  intervalStart: bigint,
): PublicKey | null {
  if (intervalStart >= device.ownerSince) return device.owner;
  if (device.prevOwner.equals(PublicKey.default) || intervalStart < device.prevOwnerSince) return null;
  return device.prevOwner;
}

interface SettleParams extends ProgramOpt, RoutingOpt {
  /** Registry device account. */
  device: PublicKey;
  /** The device's ed25519 key. */
  deviceKey: PublicKey;
  /** The device's current owner (`device.owner`). */
  owner: PublicKey;
  /**
   * The owner the readings bill and pay (default: `owner`): for readings whose intervals start
   * before the current owner's claim (`device.ownerSince`), the previous owner
   * (`device.prevOwner`; see `billedOwner`). Its USDE account and mandate are used.
   */
  billTo?: PublicKey;
  tariff: PublicKey;
  /**
   * The routing `UtilityProgram` the device's binding to the tariff was opened from (its
   * enrollment `["enrollment", program, device]` is passed), or give `enrollment`.
   */
  program?: PublicKey;
  enrollment?: PublicKey;
  /** The tariff's utility partner account. */
  utility: PublicKey;
  /** The tariff's treasury. */
  utilityTreasury: PublicKey;
  /** The device's own signatures, one per reading (or give `deviceSecretKey`). */
  signatures?: Uint8Array[];
  /** The device's 64-byte secret key: the readings are signed here. */
  deviceSecretKey?: Uint8Array;
  /** A USDE account of the billed owner (default: its ATA). */
  ownerUsde?: PublicKey;
  /** Default: the billed owner's mandate `["mandate", billTo, device]`. */
  mandate?: PublicKey;
}

/**
 * What `meter_settle` and `meter_settle_batch` share: the ed25519 instruction carrying the
 * device's signatures over `readings`, and the same accounts.
 */
function settlement(p: SettleParams, readings: MeterReading[]) {
  const programId = p.programId ?? PAYMENTS_PROGRAM_ID;
  return {
    programAddress: programAddress(programId),
    ed25519: signedReadings(p, readings),
    accounts: settleAccounts(p, programId, readings),
  };
}

function settleAccounts(p: SettleParams, programId: PublicKey, readings: MeterReading[]) {
  const revision = readings[0].revision;
  if (readings.some((r) => r.revision !== revision)) {
    throw new ClientError(
      'InvalidReading',
      'every reading of one settlement must be signed for the same tariff revision',
    );
  }
  const enrollment =
    p.enrollment ??
    (p.program && findEnrollmentPda({ program: p.program, device: p.device, programId: p.routingProgramId })[0]);
  if (!enrollment) {
    throw new ClientError(
      'MissingInput',
      'settlement: give the utility `program` the device is enrolled in (or `enrollment`)',
    );
  }
  const billed = p.billTo ?? p.owner;
  return {
    config: pda(findPaymentsConfigPda({ programId })),
    device: addr(p.device),
    meter: pda(findMeterPda({ device: p.device, programId })),
    tariff: addr(p.tariff),
    revision: pda(findTariffRevisionPda({ tariff: p.tariff, revision, programId })),
    binding: pda(findTariffBindingPda({ tariff: p.tariff, device: p.device, programId })),
    enrollment: addr(enrollment),
    utility: addr(p.utility),
    usdeMint: pda(findUsdeMintPda({ programId })),
    ownerUsde: usdeOf(billed, p.ownerUsde, programId),
    utilityTreasury: addr(p.utilityTreasury),
    exportVault: pda(findExportVaultPda({ tariff: p.tariff, programId })),
    mandate: addr(p.mandate ?? findMandatePda({ owner: billed, device: p.device, programId })[0]),
    settlementAuthority: pda(findSettlementAuthorityPda({ programId })),
  };
}

function signedReadings(p: SettleParams, readings: MeterReading[]): TransactionInstruction {
  const programId = p.programId ?? PAYMENTS_PROGRAM_ID;
  const messages = readings.map((reading) =>
    readingMessage({ deviceKey: p.deviceKey, tariff: p.tariff, reading, programId }),
  );
  if (p.signatures) return ed25519VerifyInstruction({ publicKey: p.deviceKey, messages, signatures: p.signatures });
  if (!p.deviceSecretKey) {
    throw new ClientError('MissingInput', 'meterSettleInstructions: give the device signatures or deviceSecretKey');
  }
  const secret = p.deviceSecretKey;
  // The key that signs is the one the secret key holds (the program refuses any but the device's).
  const publicKey = new PublicKey(secret.subarray(32, 64));
  return ed25519VerifyInstruction({ publicKey, messages, signatures: messages.map((m) => signReading(m, secret)) });
}

/**
 * The two instructions that settle one reading: the ed25519 precompile carrying the device's
 * signature, then `meter_settle`. Give either the device's 64-byte `deviceSecretKey` (the
 * device signs here) or the `signature` it produced itself. Anyone may submit them.
 *
 * The device must be bound to the tariff (`tariffBindInstructions`; give the utility `program`
 * the binding was opened from): the program re-reads that enrollment (`NotEnrolled`). The
 * reading settles at the prices of the revision it was signed for (its revision account is
 * passed). The billed owner's (`billTo`, default `owner`) USDE account and mandate
 * `["mandate", billTo, device]` are always passed (the program reads the mandate only when the
 * reading bills something; an export-only reading needs none to exist). Give `mandate` to pass
 * another account (tests of the program's checks).
 */
export function meterSettleInstructions({
  reading,
  signature,
  ...p
}: SettleParams & { reading: MeterReading; signature?: Uint8Array }): TransactionInstruction[] {
  const s = settlement({ ...p, signatures: signature ? [signature] : p.signatures }, [reading]);
  return [s.ed25519, ...legacy(gen.getMeterSettleInstruction({ ...s.accounts, args: reading }, s.programAddress))];
}

/**
 * Settles 1..=8 consecutive readings of one device, all signed for the same revision and
 * billing the same owner, in one transaction: one ed25519
 * instruction with a signature per reading, then `meter_settle_batch`. With an address lookup
 * table (v0 transaction), 4 readings fit a packet (see `npm run bench`).
 */
export function meterSettleBatchInstructions({
  readings,
  ...p
}: SettleParams & { readings: MeterReading[] }): TransactionInstruction[] {
  if (readings.length === 0 || readings.length > MAX_SETTLE_BATCH) {
    throw new ClientError('InvalidReading', `meterSettleBatchInstructions: 1..${MAX_SETTLE_BATCH} readings`);
  }
  const s = settlement(p, readings);
  return [s.ed25519, ...legacy(gen.getMeterSettleBatchInstruction({ ...s.accounts, readings }, s.programAddress))];
}

/** Opens a demand-response event and escrows `budget` USDE from the authority's account. */
export function drEventCreateInstructions({
  utility,
  authority,
  payer,
  eventId,
  start,
  end,
  rewardPerKwh,
  budget,
  funding,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  utility: PublicKey;
  authority: PublicKey;
  payer: PublicKey;
  eventId: number;
  start: bigint;
  end: bigint;
  rewardPerKwh: bigint;
  budget: bigint;
  funding?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  const event = findDrEventPda({ utility, eventId, programId })[0];
  return legacy(
    gen.getDrEventCreateInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        utility: addr(utility),
        authority: signer(authority),
        event: addr(event),
        vault: pda(findDrVaultPda({ event, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        funding: usdeOf(authority, funding, programId),
        payer: signer(payer),
        eventId,
        start,
        end,
        rewardPerKwh,
        budget,
      },
      programAddress(programId),
    ),
  );
}

/**
 * Pays a device owner for verified flexibility (utility authority signs). `utility` (the
 * event's utility partner, which must be active) defaults to the authority's partner account.
 */
export function drRewardPayInstructions({
  event,
  authority,
  device,
  owner,
  payer,
  flexWh,
  ownerUsde,
  utility,
  programId = PAYMENTS_PROGRAM_ID,
  registryProgramId = REGISTRY_PROGRAM_ID,
}: {
  event: PublicKey;
  authority: PublicKey;
  device: PublicKey;
  owner: PublicKey;
  payer: PublicKey;
  flexWh: bigint;
  ownerUsde?: PublicKey;
  utility?: PublicKey;
} & ProgramOpt &
  RegistryOpt): TransactionInstruction[] {
  return legacy(
    gen.getDrRewardPayInstruction(
      {
        event: addr(event),
        authority: signer(authority),
        utility: addr(utility ?? findPartnerPda({ authority, programId: registryProgramId })[0]),
        vault: pda(findDrVaultPda({ event, programId })),
        device: addr(device),
        reward: pda(findDrRewardPda({ event, device, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        ownerUsde: usdeOf(owner, ownerUsde, programId),
        payer: signer(payer),
        flexWh,
      },
      programAddress(programId),
    ),
  );
}

export function drEventCloseInstructions({
  event,
  authority,
  refund,
  programId = PAYMENTS_PROGRAM_ID,
}: { event: PublicKey; authority: PublicKey; refund?: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getDrEventCloseInstruction(
      {
        event: addr(event),
        authority: signer(authority),
        vault: pda(findDrVaultPda({ event, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        refund: usdeOf(authority, refund, programId),
      },
      programAddress(programId),
    ),
  );
}
