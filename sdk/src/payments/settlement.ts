// Tariffs, device-signed meter readings and demand-response rewards.
import { TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import {
  Ed25519Program,
  PublicKey,
  SYSVAR_INSTRUCTIONS_PUBKEY,
  SystemProgram,
  TransactionInstruction,
} from '@solana/web3.js';

import { big, bn, fetchDecoded } from '../common/anchor';
import type { AccountReader } from '../common/anchor';
import { PAYMENTS_PROGRAM_ID, READING_DOMAIN } from './constants';
import {
  findDrEventPda,
  findDrRewardPda,
  findDrVaultPda,
  findMeterPda,
  findPaymentsConfigPda,
  findSettlementAuthorityPda,
  findTariffPda,
  findUsdeAccount,
  findUsdeMintPda,
} from './pdas';
import { paymentsCoder, paymentsInstruction } from './program';
import type { DrEvent, Meter, MeterReading, Tariff, TariffInterval } from './types';

type ProgramOpt = { programId?: PublicKey };

const ix = paymentsInstruction;

const intervalsArg = (intervals: TariffInterval[]) =>
  intervals.map((i) => ({
    start_minute: i.startMinute,
    import_price: bn(i.importPrice),
    export_price: bn(i.exportPrice),
  }));

/** Publishes a tariff (utility authority signs; `utility` is its registry partner account). */
export function tariffCreateInstructions({
  utility,
  authority,
  payer,
  tariffId,
  effectiveFrom,
  intervals,
  treasury,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  utility: PublicKey;
  authority: PublicKey;
  payer: PublicKey;
  tariffId: number;
  effectiveFrom: bigint;
  intervals: TariffInterval[];
  /** USDE account receiving settlements; defaults to the authority's USDE ATA. */
  treasury?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return [
    ix(
      programId,
      'tariff_create',
      {
        config: findPaymentsConfigPda({ programId })[0],
        utility,
        authority,
        tariff: findTariffPda({ utility, tariffId, programId })[0],
        treasury: treasury ?? findUsdeAccount({ owner: authority, programId }),
        payer,
        system_program: SystemProgram.programId,
      },
      { args: { tariff_id: tariffId, effective_from: bn(effectiveFrom), intervals: intervalsArg(intervals) } },
    ),
  ];
}

export function tariffUpdateInstructions({
  tariff,
  authority,
  effectiveFrom,
  intervals,
  programId = PAYMENTS_PROGRAM_ID,
}: { tariff: PublicKey; authority: PublicKey; effectiveFrom: bigint; intervals: TariffInterval[] } & ProgramOpt) {
  return [
    ix(
      programId,
      'tariff_update',
      { tariff, authority },
      { args: { effective_from: bn(effectiveFrom), intervals: intervalsArg(intervals) } },
    ),
  ];
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

/** The exact bytes a device signs for a reading (mirrors `signature::reading_message`). */
export function readingMessage({
  deviceKey,
  tariff,
  reading,
  programId = PAYMENTS_PROGRAM_ID,
}: { deviceKey: PublicKey; tariff: PublicKey; reading: MeterReading } & ProgramOpt): Buffer {
  return Buffer.concat([
    READING_DOMAIN,
    programId.toBuffer(),
    deviceKey.toBuffer(),
    tariff.toBuffer(),
    le64(reading.seq),
    le64(reading.intervalStart, true),
    le64(reading.importWh),
    le64(reading.exportWh),
  ]);
}

/**
 * The two instructions that settle one reading: the ed25519 precompile carrying the device's
 * signature, then `meter_settle`. Give either the device's 64-byte `deviceSecretKey` (the
 * device signs here) or a `signature` it produced itself. Anyone may submit them.
 */
export function meterSettleInstructions({
  device,
  deviceKey,
  owner,
  tariff,
  utility,
  utilityTreasury,
  reading,
  signature,
  deviceSecretKey,
  ownerUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  /** Registry device account. */
  device: PublicKey;
  /** The device's ed25519 key. */
  deviceKey: PublicKey;
  /** Device owner (`device.owner`), whose USDE account pays. */
  owner: PublicKey;
  tariff: PublicKey;
  /** The tariff's utility partner account. */
  utility: PublicKey;
  /** The tariff's treasury. */
  utilityTreasury: PublicKey;
  reading: MeterReading;
  signature?: Uint8Array;
  deviceSecretKey?: Uint8Array;
  ownerUsde?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  const message = readingMessage({ deviceKey, tariff, reading, programId });
  let verify: TransactionInstruction;
  if (signature) {
    verify = Ed25519Program.createInstructionWithPublicKey({ publicKey: deviceKey.toBytes(), message, signature });
  } else if (deviceSecretKey) {
    verify = Ed25519Program.createInstructionWithPrivateKey({ privateKey: deviceSecretKey, message });
  } else {
    throw new Error('meterSettleInstructions: give signature or deviceSecretKey');
  }
  return [
    verify,
    ix(
      programId,
      'meter_settle',
      {
        config: findPaymentsConfigPda({ programId })[0],
        device,
        meter: findMeterPda({ device, programId })[0],
        tariff,
        utility,
        usde_mint: findUsdeMintPda({ programId })[0],
        owner_usde: ownerUsde ?? findUsdeAccount({ owner: owner, programId }),
        utility_treasury: utilityTreasury,
        settlement_authority: findSettlementAuthorityPda({ programId })[0],
        instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      {
        args: {
          seq: bn(reading.seq),
          interval_start: bn(reading.intervalStart),
          import_wh: bn(reading.importWh),
          export_wh: bn(reading.exportWh),
        },
      },
    ),
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

/** Pays a device owner for verified flexibility (utility authority signs). */
export function drRewardPayInstructions({
  event,
  authority,
  device,
  owner,
  payer,
  flexWh,
  ownerUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  event: PublicKey;
  authority: PublicKey;
  device: PublicKey;
  owner: PublicKey;
  payer: PublicKey;
  flexWh: bigint;
  ownerUsde?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return [
    ix(
      programId,
      'dr_reward_pay',
      {
        event,
        authority,
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

const decodeOwned = (reader: AccountReader, name: string, address: PublicKey, programId: PublicKey) =>
  fetchDecoded(reader, paymentsCoder, name, address, programId);

export async function fetchTariff(
  reader: AccountReader,
  { address, programId = PAYMENTS_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<Tariff | null> {
  const r = await decodeOwned(reader, 'Tariff', address, programId);
  return (
    r && {
      address,
      utility: r.utility,
      authority: r.authority,
      tariffId: r.tariff_id,
      revision: r.revision,
      treasury: r.treasury,
      effectiveFrom: big(r.effective_from),
      intervals: r.intervals.map((i: { start_minute: number; import_price: unknown; export_price: unknown }) => ({
        startMinute: i.start_minute,
        importPrice: big(i.import_price as number),
        exportPrice: big(i.export_price as number),
      })),
    }
  );
}

export async function fetchMeter(
  reader: AccountReader,
  { device, programId = PAYMENTS_PROGRAM_ID }: { device: PublicKey } & ProgramOpt,
): Promise<Meter | null> {
  const address = findMeterPda({ device, programId })[0];
  const r = await decodeOwned(reader, 'Meter', address, programId);
  return (
    r && {
      address,
      device: r.device,
      lastSeq: big(r.last_seq),
      lastIntervalStart: big(r.last_interval_start),
      totalImportWh: big(r.total_import_wh),
      totalExportWh: big(r.total_export_wh),
      totalPaid: big(r.total_paid),
    }
  );
}

export async function fetchDrEvent(
  reader: AccountReader,
  { address, programId = PAYMENTS_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<DrEvent | null> {
  const r = await decodeOwned(reader, 'DrEvent', address, programId);
  return (
    r && {
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
    }
  );
}
