// Reconcile: the index against the chain. Every metered device's indexed totals against its
// Meter account (decoded with the SDK), and every owner's statement lines against the USDE that
// moved: in each transaction with statement lines, the owner's USDE balance change (from
// getTransaction's pre/postTokenBalances) must equal export paid + rewards - billed - fees.
import { PublicKey } from '@solana/web3.js';
import { type AccountReader, fetchMeter } from '@openvpp/sdk/web3';

import type { Queries } from './queries';

export interface MeterDifference {
  device: string;
  /** `missing`: the chain has no Meter account for an indexed device. */
  field: 'totalImportWh' | 'totalExportWh' | 'totalPaid' | 'totalExportCredit' | 'totalExportPaid' | 'missing';
  indexed: string;
  chain: string;
}

export interface OwnerDifference {
  owner: string;
  signature: string;
  /** What the statement lines of the transaction add up to for the owner (raw USDE). */
  statement: string;
  /** The owner's USDE balance change in that transaction. */
  moved: string;
}

export interface ReconcileReport {
  ok: boolean;
  meters: { checked: number; differences: MeterDifference[] };
  owners: { checked: number; transactions: number; differences: OwnerDifference[] };
}

export interface ReconcileOptions {
  /** Only these devices (default: every device with a settled reading). */
  devices?: string[];
  /** Only these owners (default: every owner with a statement line). */
  owners?: string[];
}

export async function reconcile(
  queries: Queries,
  reader: AccountReader,
  paymentsProgram: PublicKey,
  opts: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const devices = opts.devices ?? (await queries.meteredDevices());
  const meterDiffs: MeterDifference[] = [];
  for (const device of devices) {
    const indexed = await queries.meterTotals(device);
    const meter = await fetchMeter(reader, { device: new PublicKey(device), programId: paymentsProgram });
    if (!meter) {
      meterDiffs.push({ device, field: 'missing', indexed: String(indexed.readings), chain: 'none' });
      continue;
    }
    const pairs: [MeterDifference['field'], string, string][] = [
      ['totalImportWh', String(indexed.totalImportWh), meter.totalImportWh.toString()],
      ['totalExportWh', String(indexed.totalExportWh), meter.totalExportWh.toString()],
      ['totalPaid', indexed.totalPaid, meter.totalPaid.toString()],
      ['totalExportCredit', indexed.totalExportCredit, meter.totalExportCredit.toString()],
      ['totalExportPaid', indexed.totalExportPaid, meter.totalExportPaid.toString()],
    ];
    for (const [field, i, c] of pairs) if (i !== c) meterDiffs.push({ device, field, indexed: i, chain: c });
  }

  const owners = opts.owners ?? (await queries.owners());
  const ownerDiffs: OwnerDifference[] = [];
  let transactions = 0;
  for (const owner of owners) {
    const expected = new Map<string, bigint>();
    for (const l of await queries.allLines(owner)) {
      const sign = l.kind === 'import' || l.kind === 'fee' ? -1n : l.kind === 'export_credit' ? 0n : 1n;
      expected.set(l.signature, (expected.get(l.signature) ?? 0n) + sign * BigInt(l.amount));
    }
    const moved = await queries.usdeDeltas(owner);
    for (const [signature, want] of expected) {
      transactions++;
      const got = moved.get(signature) ?? 0n;
      if (got !== want) ownerDiffs.push({ owner, signature, statement: want.toString(), moved: got.toString() });
    }
  }
  return {
    ok: meterDiffs.length === 0 && ownerDiffs.length === 0,
    meters: { checked: devices.length, differences: meterDiffs },
    owners: { checked: owners.length, transactions, differences: ownerDiffs },
  };
}
