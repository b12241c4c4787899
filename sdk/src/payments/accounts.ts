import { AccountLayout, MintLayout } from '@solana/spl-token';
import { PublicKey } from '@solana/web3.js';

import { type AccountReader, big, enumName, fetchDecoded as fetchAccount } from '../common/anchor';
import { PAYMENTS_PROGRAM_ID } from './constants';
import { findPaymentsConfigPda, findUnitMarketPda } from './pdas';
import { paymentsCoder } from './program';
import type { PaymentsConfig, UnitKind, UnitMarket } from './types';

type ProgramOpt = { programId?: PublicKey };

const fetchDecoded = (reader: AccountReader, name: string, address: PublicKey, programId: PublicKey) =>
  fetchAccount(reader, paymentsCoder, name, address, programId);

export async function fetchPaymentsConfig(
  reader: AccountReader,
  { programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {},
): Promise<PaymentsConfig | null> {
  const address = findPaymentsConfigPda({ programId })[0];
  const r = await fetchDecoded(reader, 'PaymentsConfig', address, programId);
  return (
    r && {
      address,
      bump: r.bump,
      paused: r.paused,
      authority: r.authority,
      usdcMint: r.usdc_mint,
      usdcTokenProgram: r.usdc_token_program,
      usdeMint: r.usde_mint,
      usdcVault: r.usdc_vault,
      usdeTreasury: r.usde_treasury,
    }
  );
}

export async function fetchUnitMarket(
  reader: AccountReader,
  { kind, programId = PAYMENTS_PROGRAM_ID }: { kind: UnitKind } & ProgramOpt,
): Promise<UnitMarket | null> {
  const address = findUnitMarketPda({ kind, programId })[0];
  const r = await fetchDecoded(reader, 'UnitMarket', address, programId);
  return (
    r && {
      address,
      bump: r.bump,
      kind: enumName(r.kind),
      mint: r.mint,
      feed: r.feed,
      maxStalenessSlots: r.max_staleness_slots,
      minSamples: r.min_samples,
      maxConfidenceBps: r.max_confidence_bps,
      spreadBps: r.spread_bps,
      backing: big(r.backing),
    }
  );
}

/** Raw amount of an SPL Token or Token-2022 account (0 when absent). */
export async function fetchTokenAmount(reader: AccountReader, account: PublicKey): Promise<bigint> {
  const info = await reader.getAccountInfo(account);
  return info ? AccountLayout.decode(info.data.subarray(0, AccountLayout.span)).amount : 0n;
}

/** Supply of an SPL Token or Token-2022 mint. */
export async function fetchMintSupply(reader: AccountReader, mint: PublicKey): Promise<bigint> {
  const info = await reader.getAccountInfo(mint);
  if (!info) throw new Error(`mint ${mint.toBase58()} not found`);
  return MintLayout.decode(info.data.subarray(0, MintLayout.span)).supply;
}

/**
 * USDE supply, USDC vault balance and unit-market treasury. The vault always covers the supply;
 * `surplus` (vault - supply) is USDC donated to the vault or left by USDE burned outside
 * `usde_unwrap`, which the authority can move out with `usde_surplus_sweep`.
 */
export async function fetchReserve(reader: AccountReader, { programId = PAYMENTS_PROGRAM_ID }: ProgramOpt = {}) {
  const config = await fetchPaymentsConfig(reader, { programId });
  if (!config) throw new Error('payments not initialised');
  const [usdeSupply, usdcVault, treasury] = await Promise.all([
    fetchMintSupply(reader, config.usdeMint),
    fetchTokenAmount(reader, config.usdcVault),
    fetchTokenAmount(reader, config.usdeTreasury),
  ]);
  return { usdeSupply, usdcVault, treasury, surplus: usdcVault - usdeSupply };
}
