// Meters: opening a device's settlement state and settling its signed readings.

import { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { addr, pdaAddress as pda, programAddress, signer, toLegacyInstructions as legacy } from '../common/kit';
import * as gen from '../../generated/payments';
import type { Device } from '../registry/types';
import { findEnrollmentPda } from '../routing/pdas';
import { MAX_SETTLE_BATCH, PAYMENTS_PROGRAM_ID } from './constants';
import {
  findExportVaultPda,
  findMandatePda,
  findMeterPda,
  findPaymentsConfigPda,
  findSettlementAuthorityPda,
  findTariffBindingPda,
  findTariffRevisionPda,
  findUsdeMintPda,
} from './pdas';
import { ed25519VerifyInstruction, readingMessage, signReading } from './readings';
import type { MeterReading } from './types';
import { ClientError } from '../common/errors';
import { type ProgramOpt, type RoutingOpt, usdeOf } from './options';

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
