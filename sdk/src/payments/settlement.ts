// Tariffs, device-signed meter readings and demand-response rewards.
import { TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import {
  Ed25519Program,
  PublicKey,
  SYSVAR_INSTRUCTIONS_PUBKEY,
  SystemProgram,
  TransactionInstruction,
} from '@solana/web3.js';

import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';

import { big, bn } from '../common/anchor';
import type { AccountReader } from '../common/anchor';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findPartnerPda } from '../registry/pdas';
import { MAX_SETTLE_BATCH, PAYMENTS_PROGRAM_ID, READING_DOMAIN } from './constants';
import {
  findDrEventPda,
  findDrRewardPda,
  findDrVaultPda,
  findExportVaultPda,
  findMandatePda,
  findMeterPda,
  findPaymentsConfigPda,
  findSettlementAuthorityPda,
  findTariffPda,
  findUsdeAccount,
  findUsdeMintPda,
} from './pdas';
import { paymentsCoder, paymentsInstruction } from './program';
import type { DrEvent, Mandate, MandateCaps, Meter, MeterReading, Tariff, TariffInterval } from './types';

type ProgramOpt = { programId?: PublicKey };
type RegistryOpt = { registryProgramId?: PublicKey };

const ix = paymentsInstruction;

const intervalsArg = (intervals: TariffInterval[]) =>
  intervals.map((i) => ({
    start_minute: i.startMinute,
    import_price: bn(i.importPrice),
    export_price: bn(i.exportPrice),
  }));

/**
 * Publishes a tariff (revision 1) with its export escrow `["export_vault", tariff]` (utility
 * authority signs; `utility` is its registry partner account). Readings cover exactly one
 * aligned metering interval of `intervalSecs` (300..=86400, dividing a day).
 */
export function tariffCreateInstructions({
  utility,
  authority,
  payer,
  tariffId,
  effectiveFrom,
  intervals,
  intervalSecs,
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
  /** USDE account receiving settlements; defaults to the authority's USDE ATA. */
  treasury?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  const tariff = findTariffPda({ utility, tariffId, programId })[0];
  return [
    ix(
      programId,
      'tariff_create',
      {
        config: findPaymentsConfigPda({ programId })[0],
        utility,
        authority,
        tariff,
        treasury: treasury ?? findUsdeAccount({ owner: authority, programId }),
        export_vault: findExportVaultPda({ tariff, programId })[0],
        usde_mint: findUsdeMintPda({ programId })[0],
        payer,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
        system_program: SystemProgram.programId,
      },
      {
        args: {
          tariff_id: tariffId,
          effective_from: bn(effectiveFrom),
          intervals: intervalsArg(intervals),
          interval_secs: intervalSecs,
        },
      },
    ),
  ];
}

/**
 * Publishes a new revision from `effectiveFrom` (not in the past, later than the revision in
 * force). Readings signed for the revision in force keep its prices. `utility` defaults to
 * the authority's registry partner account.
 */
export function tariffUpdateInstructions({
  tariff,
  authority,
  effectiveFrom,
  intervals,
  utility,
  programId = PAYMENTS_PROGRAM_ID,
  registryProgramId = REGISTRY_PROGRAM_ID,
}: {
  tariff: PublicKey;
  authority: PublicKey;
  effectiveFrom: bigint;
  intervals: TariffInterval[];
  utility?: PublicKey;
} & ProgramOpt &
  RegistryOpt) {
  return [
    ix(
      programId,
      'tariff_update',
      { tariff, utility: utility ?? findPartnerPda({ authority, programId: registryProgramId })[0], authority },
      { args: { effective_from: bn(effectiveFrom), intervals: intervalsArg(intervals) } },
    ),
  ];
}

/** Adds `amount` USDE to a tariff's export escrow from `funding` (default: the funder's USDE ATA). */
export function tariffExportFundInstructions({
  tariff,
  funder,
  amount,
  funding,
  programId = PAYMENTS_PROGRAM_ID,
}: { tariff: PublicKey; funder: PublicKey; amount: bigint; funding?: PublicKey } & ProgramOpt) {
  if (amount <= 0n) throw new RangeError('amount must be positive');
  return [
    ix(
      programId,
      'tariff_export_fund',
      {
        config: findPaymentsConfigPda({ programId })[0],
        tariff,
        export_vault: findExportVaultPda({ tariff, programId })[0],
        usde_mint: findUsdeMintPda({ programId })[0],
        funding: funding ?? findUsdeAccount({ owner: funder, programId }),
        funder,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { amount: bn(amount) } },
    ),
  ];
}

/**
 * Pays a meter's export debt from the escrow of the tariff that owes it (`meter.exportTariff`)
 * to the device owner's USDE account. Anyone may send it.
 */
export function meterExportClaimInstructions({
  device,
  owner,
  tariff,
  ownerUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: { device: PublicKey; owner: PublicKey; tariff: PublicKey; ownerUsde?: PublicKey } & ProgramOpt) {
  return [
    ix(programId, 'meter_export_claim', {
      config: findPaymentsConfigPda({ programId })[0],
      device,
      meter: findMeterPda({ device, programId })[0],
      tariff,
      export_vault: findExportVaultPda({ tariff, programId })[0],
      usde_mint: findUsdeMintPda({ programId })[0],
      owner_usde: ownerUsde ?? findUsdeAccount({ owner, programId }),
      token_2022_program: TOKEN_2022_PROGRAM_ID,
    }),
  ];
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
}: { device: PublicKey; owner: PublicKey; utility: PublicKey; payer: PublicKey } & MandateCaps & ProgramOpt) {
  return [
    ix(
      programId,
      'mandate_create',
      {
        device,
        owner,
        utility,
        mandate: findMandatePda({ owner, device, programId })[0],
        payer,
        system_program: SystemProgram.programId,
      },
      { args: { max_per_period: bn(maxPerPeriod), period_secs: periodSecs, max_total: bn(maxTotal) } },
    ),
  ];
}

/** Closes the owner's mandate for a device at once (rent back to the owner). */
export function mandateRevokeInstructions({
  device,
  owner,
  programId = PAYMENTS_PROGRAM_ID,
}: { device: PublicKey; owner: PublicKey } & ProgramOpt) {
  return [ix(programId, 'mandate_revoke', { mandate: findMandatePda({ owner, device, programId })[0], owner })];
}

/** Opens the settlement state of a registry device. */
export function meterOpenInstructions({
  device,
  payer,
  programId = PAYMENTS_PROGRAM_ID,
}: { device: PublicKey; payer: PublicKey } & ProgramOpt) {
  return [
    ix(programId, 'meter_open', {
      device,
      meter: findMeterPda({ device, programId })[0],
      payer,
      system_program: SystemProgram.programId,
    }),
  ];
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
    throw new RangeError('ed25519VerifyInstruction: one signature per message, 1..255');
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

interface SettleParams extends ProgramOpt {
  /** Registry device account. */
  device: PublicKey;
  /** The device's ed25519 key. */
  deviceKey: PublicKey;
  /** Device owner (`device.owner`), whose USDE account pays and receives export payments. */
  owner: PublicKey;
  tariff: PublicKey;
  /** The tariff's utility partner account. */
  utility: PublicKey;
  /** The tariff's treasury. */
  utilityTreasury: PublicKey;
  /** The device's own signatures, one per reading (or give `deviceSecretKey`). */
  signatures?: Uint8Array[];
  /** The device's 64-byte secret key: the readings are signed here. */
  deviceSecretKey?: Uint8Array;
  ownerUsde?: PublicKey;
  mandate?: PublicKey;
}

function settleAccounts(p: SettleParams) {
  const programId = p.programId ?? PAYMENTS_PROGRAM_ID;
  return {
    config: findPaymentsConfigPda({ programId })[0],
    device: p.device,
    meter: findMeterPda({ device: p.device, programId })[0],
    tariff: p.tariff,
    utility: p.utility,
    usde_mint: findUsdeMintPda({ programId })[0],
    owner_usde: p.ownerUsde ?? findUsdeAccount({ owner: p.owner, programId }),
    utility_treasury: p.utilityTreasury,
    export_vault: findExportVaultPda({ tariff: p.tariff, programId })[0],
    mandate: p.mandate ?? findMandatePda({ owner: p.owner, device: p.device, programId })[0],
    settlement_authority: findSettlementAuthorityPda({ programId })[0],
    instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
    token_2022_program: TOKEN_2022_PROGRAM_ID,
  };
}

const readingArg = (r: MeterReading) => ({
  revision: r.revision,
  seq: bn(r.seq),
  interval_start: bn(r.intervalStart),
  import_wh: bn(r.importWh),
  export_wh: bn(r.exportWh),
});

function signedReadings(p: SettleParams, readings: MeterReading[]): TransactionInstruction {
  const programId = p.programId ?? PAYMENTS_PROGRAM_ID;
  const messages = readings.map((reading) =>
    readingMessage({ deviceKey: p.deviceKey, tariff: p.tariff, reading, programId }),
  );
  if (p.signatures) return ed25519VerifyInstruction({ publicKey: p.deviceKey, messages, signatures: p.signatures });
  if (!p.deviceSecretKey) throw new Error('meterSettleInstructions: give signatures or deviceSecretKey');
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
 * The owner's mandate `["mandate", owner, device]` is always passed (the program reads it only
 * when the reading bills something; an export-only reading needs none to exist). Give
 * `mandate` to pass another account (tests of the program's checks).
 */
export function meterSettleInstructions({
  reading,
  signature,
  ...p
}: SettleParams & { reading: MeterReading; signature?: Uint8Array }): TransactionInstruction[] {
  const params = { ...p, signatures: signature ? [signature] : p.signatures };
  return [
    signedReadings(params, [reading]),
    ix(p.programId ?? PAYMENTS_PROGRAM_ID, 'meter_settle', settleAccounts(params), { args: readingArg(reading) }),
  ];
}

/**
 * Settles 1..=8 consecutive readings of one device in one transaction: one ed25519
 * instruction with a signature per reading, then `meter_settle_batch`. With an address lookup
 * table (v0 transaction), 4 readings fit a packet (see `npm run bench`).
 */
export function meterSettleBatchInstructions({
  readings,
  ...p
}: SettleParams & { readings: MeterReading[] }): TransactionInstruction[] {
  if (readings.length === 0 || readings.length > MAX_SETTLE_BATCH) {
    throw new RangeError(`meterSettleBatchInstructions: 1..${MAX_SETTLE_BATCH} readings`);
  }
  return [
    signedReadings(p, readings),
    ix(p.programId ?? PAYMENTS_PROGRAM_ID, 'meter_settle_batch', settleAccounts(p), {
      args: { readings: readings.map(readingArg) },
    }),
  ];
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
  return [
    ix(
      programId,
      'dr_event_create',
      {
        config: findPaymentsConfigPda({ programId })[0],
        utility,
        authority,
        event,
        vault: findDrVaultPda({ event, programId })[0],
        usde_mint: findUsdeMintPda({ programId })[0],
        funding: funding ?? findUsdeAccount({ owner: authority, programId }),
        payer,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
        system_program: SystemProgram.programId,
      },
      {
        args: {
          event_id: eventId,
          start: bn(start),
          end: bn(end),
          reward_per_kwh: bn(rewardPerKwh),
          budget: bn(budget),
        },
      },
    ),
  ];
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
  return [
    ix(
      programId,
      'dr_reward_pay',
      {
        event,
        authority,
        utility: utility ?? findPartnerPda({ authority, programId: registryProgramId })[0],
        vault: findDrVaultPda({ event, programId })[0],
        device,
        reward: findDrRewardPda({ event, device, programId })[0],
        usde_mint: findUsdeMintPda({ programId })[0],
        owner_usde: ownerUsde ?? findUsdeAccount({ owner: owner, programId }),
        payer,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
        system_program: SystemProgram.programId,
      },
      { args: { flex_wh: bn(flexWh) } },
    ),
  ];
}

export function drEventCloseInstructions({
  event,
  authority,
  refund,
  programId = PAYMENTS_PROGRAM_ID,
}: { event: PublicKey; authority: PublicKey; refund?: PublicKey } & ProgramOpt) {
  return [
    ix(programId, 'dr_event_close', {
      event,
      authority,
      vault: findDrVaultPda({ event, programId })[0],
      usde_mint: findUsdeMintPda({ programId })[0],
      refund: refund ?? findUsdeAccount({ owner: authority, programId }),
      token_2022_program: TOKEN_2022_PROGRAM_ID,
    }),
  ];
}

/** Reads `address` and decodes it as payments account `name`; null when absent. */
async function fetchOwned<T>(
  reader: AccountReader,
  address: PublicKey,
  programId: PublicKey,
  decode: (address: PublicKey, data: Buffer) => T,
): Promise<T | null> {
  const info = await reader.getAccountInfo(address);
  if (!info) return null;
  if (!info.owner.equals(programId)) throw new Error(`${address.toBase58()} is not owned by ${programId.toBase58()}`);
  return decode(address, info.data);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;
const raw = (name: string, data: Buffer): Raw => paymentsCoder.accounts.decode(name, data);

const decodeIntervals = (list: Raw[]): TariffInterval[] =>
  list.map((i) => ({
    startMinute: i.start_minute,
    importPrice: big(i.import_price),
    exportPrice: big(i.export_price),
  }));

/** Decodes `Tariff` account data (discriminator-checked). */
export function decodeTariff(address: PublicKey, data: Buffer): Tariff {
  const r = raw('Tariff', data);
  return {
    address,
    utility: r.utility,
    authority: r.authority,
    tariffId: r.tariff_id,
    revision: r.revision,
    treasury: r.treasury,
    effectiveFrom: big(r.effective_from),
    intervals: decodeIntervals(r.intervals),
    intervalSecs: r.interval_secs,
    prevRevision: r.prev_revision,
    prevEffectiveFrom: big(r.prev_effective_from),
    prevIntervals: decodeIntervals(r.prev_intervals),
    exportVault: r.export_vault,
  };
}

/** Decodes `Meter` account data (discriminator-checked). */
export function decodeMeter(address: PublicKey, data: Buffer): Meter {
  const r = raw('Meter', data);
  return {
    address,
    device: r.device,
    lastSeq: big(r.last_seq),
    lastIntervalStart: big(r.last_interval_start),
    nextIntervalStart: big(r.next_interval_start),
    totalImportWh: big(r.total_import_wh),
    totalExportWh: big(r.total_export_wh),
    totalPaid: big(r.total_paid),
    totalExportCredit: big(r.total_export_credit),
    totalExportPaid: big(r.total_export_paid),
    exportOwed: big(r.export_owed),
    exportTariff: r.export_tariff,
  };
}

/** Decodes `Mandate` account data (discriminator-checked). */
export function decodeMandate(address: PublicKey, data: Buffer): Mandate {
  const r = raw('Mandate', data);
  return {
    address,
    owner: r.owner,
    device: r.device,
    utility: r.utility,
    maxPerPeriod: big(r.max_per_period),
    periodSecs: r.period_secs,
    maxTotal: big(r.max_total),
    periodStart: big(r.period_start),
    spentInPeriod: big(r.spent_in_period),
    spentTotal: big(r.spent_total),
    createdAt: big(r.created_at),
  };
}

/** Decodes `DrEvent` account data (discriminator-checked). */
export function decodeDrEvent(address: PublicKey, data: Buffer): DrEvent {
  const r = raw('DrEvent', data);
  return {
    address,
    utility: r.utility,
    authority: r.authority,
    eventId: r.event_id,
    start: big(r.start),
    end: big(r.end),
    rewardPerKwh: big(r.reward_per_kwh),
    budget: big(r.budget),
    paid: big(r.paid),
    participants: r.participants,
    closed: r.closed,
  };
}

export const fetchTariff = (
  reader: AccountReader,
  { address, programId = PAYMENTS_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<Tariff | null> => fetchOwned(reader, address, programId, decodeTariff);

export const fetchMeter = (
  reader: AccountReader,
  { device, programId = PAYMENTS_PROGRAM_ID }: { device: PublicKey } & ProgramOpt,
): Promise<Meter | null> => fetchOwned(reader, findMeterPda({ device, programId })[0], programId, decodeMeter);

/** The owner's mandate for a device, or null (never created, or revoked). */
export const fetchMandate = (
  reader: AccountReader,
  { owner, device, programId = PAYMENTS_PROGRAM_ID }: { owner: PublicKey; device: PublicKey } & ProgramOpt,
): Promise<Mandate | null> =>
  fetchOwned(reader, findMandatePda({ owner, device, programId })[0], programId, decodeMandate);

export const fetchDrEvent = (
  reader: AccountReader,
  { address, programId = PAYMENTS_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<DrEvent | null> => fetchOwned(reader, address, programId, decodeDrEvent);

/** A payments event decoded from a `Program data:` log line (fields as the IDL names them). */
export interface PaymentsEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Decodes payments events (e.g. `ReadingSettled` with `export_paid`) from transaction logs. */
export function parsePaymentsEvents(logs: string[]): PaymentsEvent[] {
  const events: PaymentsEvent[] = [];
  for (const line of logs) {
    if (!line.startsWith('Program data: ')) continue;
    const decoded = paymentsCoder.events.decode(line.slice('Program data: '.length).split(' ')[0]);
    if (decoded) events.push({ name: decoded.name, data: decoded.data as Record<string, unknown> });
  }
  return events;
}
