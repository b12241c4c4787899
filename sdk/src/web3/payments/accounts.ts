import { AccountLayout, MintLayout } from '@solana/spl-token';
import type { Decoder, ReadonlyUint8Array } from '@solana/kit';
import { PublicKey } from '@solana/web3.js';

import { type ProgramEvent, eventDecoder } from '../common/events';
import { decodeAs, fetchWith, fromKitEnum, pubkey, type AccountReader } from '../common/kit';
import * as gen from '../../generated/payments';
import { PAYMENTS_PROGRAM_ID } from './constants';
import {
  findMandatePda,
  findMeterPda,
  findPaymentsConfigPda,
  findTariffBindingPda,
  findTariffRevisionPda,
  findUnitMarketPda,
} from './pdas';
import idl from '../../../idl/ovpp_payments.json';
import type {
  DrEvent,
  Mandate,
  Meter,
  PaymentsConfig,
  Tariff,
  TariffBinding,
  TariffRevision,
  UnitKind,
  UnitMarket,
} from './types';
import { ClientError } from '../common/errors';

type ProgramOpt = { programId?: PublicKey };

/**
 * One payments account type: its generated decoder and discriminator, and the mapping of the
 * decoded account to the SDK's public type.
 */
function accountType<Raw extends object, T>(
  name: string,
  decoder: Decoder<Raw>,
  discriminator: ReadonlyUint8Array,
  map: (address: PublicKey, r: Raw) => T,
) {
  return {
    /** Decodes account data (discriminator-checked). */
    decode(address: PublicKey, data: Uint8Array): T {
      const r = decodeAs(decoder, discriminator, data);
      if (!r)
        throw new ClientError('WrongAccountType', `${address.toBase58()} is not a ${name} account: check the address`);
      return map(address, r);
    },
    /** Reads and decodes `address` (owner- and discriminator-checked), or null when absent. */
    async fetch(reader: AccountReader, address: PublicKey, programId: PublicKey): Promise<T | null> {
      const r = await fetchWith(reader, decoder, address, programId, discriminator);
      return r && map(address, r);
    },
  };
}

const paymentsConfig = accountType(
  'PaymentsConfig',
  gen.getPaymentsConfigDecoder(),
  gen.PAYMENTS_CONFIG_DISCRIMINATOR,
  (address, r): PaymentsConfig => ({
    address,
    bump: r.bump,
    paused: r.paused,
    authority: pubkey(r.authority),
    usdcMint: pubkey(r.usdcMint),
    usdcTokenProgram: pubkey(r.usdcTokenProgram),
    usdeMint: pubkey(r.usdeMint),
    usdcVault: pubkey(r.usdcVault),
    usdeTreasury: pubkey(r.usdeTreasury),
  }),
);

const unitMarket = accountType(
  'UnitMarket',
  gen.getUnitMarketDecoder(),
  gen.UNIT_MARKET_DISCRIMINATOR,
  (address, r): UnitMarket => ({
    address,
    bump: r.bump,
    kind: fromKitEnum<UnitKind>(gen.UnitKind, r.kind),
    mint: pubkey(r.mint),
    feed: pubkey(r.feed),
    maxStalenessSlots: r.maxStalenessSlots,
    minSamples: r.minSamples,
    maxConfidenceBps: r.maxConfidenceBps,
    spreadBps: r.spreadBps,
    backing: r.backing,
  }),
);

const tariff = accountType('Tariff', gen.getTariffDecoder(), gen.TARIFF_DISCRIMINATOR, (address, r): Tariff => ({
  address,
  utility: pubkey(r.utility),
  authority: pubkey(r.authority),
  tariffId: r.tariffId,
  revision: r.revision,
  treasury: pubkey(r.treasury),
  effectiveFrom: r.effectiveFrom,
  intervals: r.intervals,
  intervalSecs: r.intervalSecs,
  settlementWindowSecs: r.settlementWindowSecs,
  exportVault: pubkey(r.exportVault),
  withdrawAmount: r.withdrawAmount,
  withdrawReadyAt: r.withdrawReadyAt,
}));

const tariffRevision = accountType(
  'TariffRevision',
  gen.getTariffRevisionDecoder(),
  gen.TARIFF_REVISION_DISCRIMINATOR,
  (address, r): TariffRevision => ({
    address,
    tariff: pubkey(r.tariff),
    revision: r.revision,
    effectiveFrom: r.effectiveFrom,
    supersededAt: r.supersededAt,
    intervals: r.intervals,
    exportCap: { ...r.exportCap },
    publishedAt: r.publishedAt,
  }),
);

const tariffBinding = accountType(
  'TariffBinding',
  gen.getTariffBindingDecoder(),
  gen.TARIFF_BINDING_DISCRIMINATOR,
  (address, r): TariffBinding => {
    const debts = r.debts.map((d) => ({ owner: pubkey(d.owner), epoch: d.epoch, owed: d.owed }));
    return {
      address,
      tariff: pubkey(r.tariff),
      device: pubkey(r.device),
      enrollment: pubkey(r.enrollment),
      program: pubkey(r.program),
      openedAt: r.openedAt,
      capPeriod: r.capPeriod,
      creditInPeriod: r.creditInPeriod,
      totalExportCredit: r.totalExportCredit,
      totalExportPaid: r.totalExportPaid,
      debts,
      owedTotal: debts.reduce((n, d) => n + d.owed, 0n),
    };
  },
);

const meter = accountType('Meter', gen.getMeterDecoder(), gen.METER_DISCRIMINATOR, (address, r): Meter => ({
  address,
  device: pubkey(r.device),
  lastSeq: r.lastSeq,
  lastIntervalStart: r.lastIntervalStart,
  nextIntervalStart: r.nextIntervalStart,
  totalImportWh: r.totalImportWh,
  totalExportWh: r.totalExportWh,
  totalPaid: r.totalPaid,
  totalExportCredit: r.totalExportCredit,
  totalExportPaid: r.totalExportPaid,
  epoch: r.epoch,
  owner: pubkey(r.owner),
  epochStart: r.epochStart,
  fresh: r.fresh,
  backlog: {
    owner: pubkey(r.backlog.owner),
    epoch: r.backlog.epoch,
    from: r.backlog.from,
    lastSeq: r.backlog.lastSeq,
    nextIntervalStart: r.backlog.nextIntervalStart,
    endSeq: r.backlog.endSeq,
    endIntervalStart: r.backlog.endIntervalStart,
  },
}));

const mandate = accountType('Mandate', gen.getMandateDecoder(), gen.MANDATE_DISCRIMINATOR, (address, r): Mandate => ({
  address,
  owner: pubkey(r.owner),
  device: pubkey(r.device),
  utility: pubkey(r.utility),
  maxPerPeriod: r.maxPerPeriod,
  periodSecs: r.periodSecs,
  maxTotal: r.maxTotal,
  periodStart: r.periodStart,
  spentInPeriod: r.spentInPeriod,
  spentTotal: r.spentTotal,
  createdAt: r.createdAt,
  epoch: r.epoch,
}));

const drEvent = accountType('DrEvent', gen.getDrEventDecoder(), gen.DR_EVENT_DISCRIMINATOR, (address, r): DrEvent => ({
  address,
  utility: pubkey(r.utility),
  authority: pubkey(r.authority),
  eventId: r.eventId,
  start: r.start,
  end: r.end,
  rewardPerKwh: r.rewardPerKwh,
  budget: r.budget,
  paid: r.paid,
  participants: r.participants,
  closed: r.closed,
}));

/** Decodes `Tariff` account data (discriminator-checked). */
export const decodeTariff = tariff.decode;
/** Decodes `TariffRevision` account data (discriminator-checked). */
export const decodeTariffRevision = tariffRevision.decode;
/** Decodes `TariffBinding` account data (discriminator-checked). */
export const decodeTariffBinding = tariffBinding.decode;
/** Decodes `Meter` account data (discriminator-checked). */
export const decodeMeter = meter.decode;
/** Decodes `Mandate` account data (discriminator-checked). */
export const decodeMandate = mandate.decode;
/** Decodes `DrEvent` account data (discriminator-checked). */
export const decodeDrEvent = drEvent.decode;

export const fetchPaymentsConfig = (
  reader: AccountReader,
  { programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {},
): Promise<PaymentsConfig | null> => paymentsConfig.fetch(reader, findPaymentsConfigPda({ programId })[0], programId);

export const fetchUnitMarket = (
  reader: AccountReader,
  { kind, programId = PAYMENTS_PROGRAM_ID }: { kind: UnitKind } & ProgramOpt,
): Promise<UnitMarket | null> => unitMarket.fetch(reader, findUnitMarketPda({ kind, programId })[0], programId);

export const fetchTariff = (
  reader: AccountReader,
  { address, programId = PAYMENTS_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<Tariff | null> => tariff.fetch(reader, address, programId);

/** Revision `revision` of a tariff (immutable but for `supersededAt`), or null when not published. */
export const fetchTariffRevision = (
  reader: AccountReader,
  { tariff, revision, programId = PAYMENTS_PROGRAM_ID }: { tariff: PublicKey; revision: number } & ProgramOpt,
): Promise<TariffRevision | null> =>
  tariffRevision.fetch(reader, findTariffRevisionPda({ tariff, revision, programId })[0], programId);

/**
 * The revision of `tariff` that prices a reading starting at `intervalStart` (the one in force
 * then), walking back from the latest; null when none covers it (before revision 1).
 */
export async function fetchTariffRevisionAt(
  reader: AccountReader,
  {
    tariff,
    intervalStart,
    latest,
    programId = PAYMENTS_PROGRAM_ID,
  }: {
    tariff: PublicKey;
    intervalStart: bigint;
    /** `tariff.revision` (fetched when omitted). */ latest?: number;
  } & ProgramOpt,
): Promise<TariffRevision | null> {
  let n = latest ?? (await fetchTariff(reader, { address: tariff, programId }))?.revision ?? 0;
  for (; n >= 1; n--) {
    const r = await fetchTariffRevision(reader, { tariff, revision: n, programId });
    if (r && intervalStart >= r.effectiveFrom && intervalStart < r.supersededAt) return r;
    if (r && intervalStart >= r.supersededAt) return null;
  }
  return null;
}

/** The device's binding to a tariff (what lets it settle there, and the escrow's debts), or null. */
export const fetchTariffBinding = (
  reader: AccountReader,
  { tariff, device, programId = PAYMENTS_PROGRAM_ID }: { tariff: PublicKey; device: PublicKey } & ProgramOpt,
): Promise<TariffBinding | null> =>
  tariffBinding.fetch(reader, findTariffBindingPda({ tariff, device, programId })[0], programId);

/** What a binding's escrow still owes `owner` (all epochs), as `TariffBinding::owed_to`. */
export const exportOwedTo = (binding: Pick<TariffBinding, 'debts'>, owner: PublicKey): bigint =>
  binding.debts.filter((d) => d.owed > 0n && d.owner.equals(owner)).reduce((n, d) => n + d.owed, 0n);

export const fetchMeter = (
  reader: AccountReader,
  { device, programId = PAYMENTS_PROGRAM_ID }: { device: PublicKey } & ProgramOpt,
): Promise<Meter | null> => meter.fetch(reader, findMeterPda({ device, programId })[0], programId);

/** The owner's mandate for a device, or null (never created, or revoked). */
export const fetchMandate = (
  reader: AccountReader,
  { owner, device, programId = PAYMENTS_PROGRAM_ID }: { owner: PublicKey; device: PublicKey } & ProgramOpt,
): Promise<Mandate | null> => mandate.fetch(reader, findMandatePda({ owner, device, programId })[0], programId);

export const fetchDrEvent = (
  reader: AccountReader,
  { address, programId = PAYMENTS_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<DrEvent | null> => drEvent.fetch(reader, address, programId);

/** Raw amount of an SPL Token or Token-2022 account (0 when absent). */
export async function fetchTokenAmount(reader: AccountReader, account: PublicKey): Promise<bigint> {
  const info = await reader.getAccountInfo(account);
  return info ? AccountLayout.decode(info.data.subarray(0, AccountLayout.span)).amount : 0n;
}

/** Supply of an SPL Token or Token-2022 mint. */
export async function fetchMintSupply(reader: AccountReader, mint: PublicKey): Promise<bigint> {
  const info = await reader.getAccountInfo(mint);
  if (!info)
    throw new ClientError('AccountNotFound', `mint ${mint.toBase58()} not found: check the address and the cluster`);
  return MintLayout.decode(info.data.subarray(0, MintLayout.span)).supply;
}

/**
 * USDE supply, USDC vault balance and unit-market treasury. The vault always covers the supply;
 * `surplus` (vault - supply) is USDC donated to the vault or left by USDE burned outside
 * `usde_unwrap`, which the authority can move out with `usde_surplus_sweep`.
 */
export async function fetchReserve(reader: AccountReader, { programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) {
  const config = await fetchPaymentsConfig(reader, { programId });
  if (!config) {
    throw new ClientError(
      'AccountNotFound',
      'the payments config does not exist: run payments_init (deploy) first, or check programId',
    );
  }
  const [usdeSupply, usdcVault, treasury] = await Promise.all([
    fetchMintSupply(reader, config.usdeMint),
    fetchTokenAmount(reader, config.usdcVault),
    fetchTokenAmount(reader, config.usdeTreasury),
  ]);
  return { usdeSupply, usdcVault, treasury, surplus: usdcVault - usdeSupply };
}

/** A payments event decoded from a `Program data:` log line (fields as the IDL names them). */
export type PaymentsEvent = ProgramEvent;

/** Decodes payments events (e.g. `ReadingSettled` with `export_paid`) from transaction logs. */
export const parsePaymentsEvents: (logs: string[]) => PaymentsEvent[] = eventDecoder(idl);
