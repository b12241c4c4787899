import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { bn, enumValue } from '../common/anchor';
import { PAYMENTS_PROGRAM_ID } from './constants';
import { HOOK_PROGRAM_ID, findExtraAccountMetaListPda } from './hook';
import {
  findPaymentsConfigPda,
  findToken2022Ata,
  findUnitMarketPda,
  findUnitMintPda,
  findUsdcVaultPda,
  findUsdeMintPda,
  findUsdeTreasuryPda,
} from './pdas';
import { paymentsInstruction } from './program';
import type { UnitKind } from './types';

type ProgramOpt = { programId?: PublicKey };

const ix = paymentsInstruction;

function positive(amount: bigint, what: string): bigint {
  if (amount <= 0n || amount >= 1n << 64n) throw new RangeError(`${what} must be in 1..2^64`);
  return amount;
}

/**
 * `given`, or else `user`'s Token-2022 ATA for `mint`, whose idempotent creation (paid by the
 * user) is appended to `out`.
 */
function accountOrCreateAta(
  out: TransactionInstruction[],
  given: PublicKey | undefined,
  user: PublicKey,
  mint: PublicKey,
) {
  if (given) return given;
  const address = findToken2022Ata({ mint, owner: user });
  out.push(createAssociatedTokenAccountIdempotentInstruction(user, address, user, mint, TOKEN_2022_PROGRAM_ID));
  return address;
}

/** Creates USDE (Token-2022), the USDC vault and the treasury, once. */
export function paymentsInitInstructions({
  payer,
  authority,
  usdcMint,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  payer: PublicKey;
  authority: PublicKey;
  usdcMint: PublicKey;
  usdcTokenProgram?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return [
    ix(
      programId,
      'payments_init',
      {
        config: findPaymentsConfigPda({ programId })[0],
        usdc_mint: usdcMint,
        usde_mint: findUsdeMintPda({ programId })[0],
        usdc_vault: findUsdcVaultPda({ programId })[0],
        usde_treasury: findUsdeTreasuryPda({ programId })[0],
        payer,
        usdc_token_program: usdcTokenProgram,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
        system_program: SystemProgram.programId,
      },
      { args: { authority } },
    ),
  ];
}

export function paymentsPauseSetInstructions({
  authority,
  paused,
  programId = PAYMENTS_PROGRAM_ID,
}: { authority: PublicKey; paused: boolean } & ProgramOpt): TransactionInstruction[] {
  return [
    ix(
      programId,
      'payments_pause_set',
      { config: findPaymentsConfigPda({ programId })[0], authority },
      { args: { paused } },
    ),
  ];
}

interface WrapParams extends ProgramOpt {
  user: PublicKey;
  usdcMint: PublicKey;
  /** Raw 6-decimal amount. */
  amount: bigint;
  usdcTokenProgram?: PublicKey;
  /** Defaults to the user's ATAs. */
  userUsdc?: PublicKey;
  userUsde?: PublicKey;
}

/**
 * USDC -> USDE 1:1. Prepends the idempotent creation of the user's USDE ATA unless
 * `userUsde` is given.
 */
export function usdeWrapInstructions({
  user,
  usdcMint,
  amount,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  userUsdc,
  userUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: WrapParams): TransactionInstruction[] {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const out: TransactionInstruction[] = [];
  const usde = accountOrCreateAta(out, userUsde, user, usdeMint);
  out.push(
    ix(
      programId,
      'usde_wrap',
      {
        config: findPaymentsConfigPda({ programId })[0],
        user,
        usdc_mint: usdcMint,
        usde_mint: usdeMint,
        user_usdc: userUsdc ?? getAssociatedTokenAddressSync(usdcMint, user, true, usdcTokenProgram),
        user_usde: usde,
        usdc_vault: findUsdcVaultPda({ programId })[0],
        usdc_token_program: usdcTokenProgram,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { amount: bn(positive(amount, 'amount')) } },
    ),
  );
  return out;
}

/** USDE -> USDC 1:1 (never paused). */
export function usdeUnwrapInstructions({
  user,
  usdcMint,
  amount,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  userUsdc,
  userUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: WrapParams): TransactionInstruction[] {
  const usdeMint = findUsdeMintPda({ programId })[0];
  return [
    ix(
      programId,
      'usde_unwrap',
      {
        config: findPaymentsConfigPda({ programId })[0],
        user,
        usdc_mint: usdcMint,
        usde_mint: usdeMint,
        user_usde: userUsde ?? findToken2022Ata({ mint: usdeMint, owner: user }),
        user_usdc: userUsdc ?? getAssociatedTokenAddressSync(usdcMint, user, true, usdcTokenProgram),
        usdc_vault: findUsdcVaultPda({ programId })[0],
        usdc_token_program: usdcTokenProgram,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { amount: bn(positive(amount, 'amount')) } },
    ),
  ];
}

/** Creates a unit market priced by a Switchboard on-demand pull feed (authority signs). */
export function unitMarketCreateInstructions({
  authority,
  payer,
  kind,
  feed,
  maxStalenessSlots,
  minSamples,
  maxConfidenceBps,
  spreadBps,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  authority: PublicKey;
  payer: PublicKey;
  kind: UnitKind;
  feed: PublicKey;
  maxStalenessSlots: number;
  minSamples: number;
  maxConfidenceBps: number;
  spreadBps: number;
} & ProgramOpt): TransactionInstruction[] {
  return [
    ix(
      programId,
      'unit_market_create',
      {
        config: findPaymentsConfigPda({ programId })[0],
        authority,
        market: findUnitMarketPda({ kind, programId })[0],
        unit_mint: findUnitMintPda({ kind, programId })[0],
        extra_account_meta_list: findExtraAccountMetaListPda({ mint: findUnitMintPda({ kind, programId })[0] })[0],
        hook_program: HOOK_PROGRAM_ID,
        feed,
        payer,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
        system_program: SystemProgram.programId,
      },
      {
        args: {
          kind: enumValue(kind),
          max_staleness_slots: maxStalenessSlots,
          min_samples: minSamples,
          max_confidence_bps: maxConfidenceBps,
          spread_bps: spreadBps,
        },
      },
    ),
  ];
}

interface ConvertParams extends ProgramOpt {
  user: PublicKey;
  kind: UnitKind;
  /** The market's Switchboard feed (`market.feed`). */
  feed: PublicKey;
  userUsde?: PublicKey;
  userUnits?: PublicKey;
}

/** USDE -> units at the oracle ask; creates the user's unit ATA idempotently unless given. */
export function unitBuyInstructions({
  user,
  kind,
  feed,
  usdeAmount,
  minUnitsOut,
  userUsde,
  userUnits,
  programId = PAYMENTS_PROGRAM_ID,
}: ConvertParams & { usdeAmount: bigint; minUnitsOut: bigint }): TransactionInstruction[] {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const unitMint = findUnitMintPda({ kind, programId })[0];
  const out: TransactionInstruction[] = [];
  const units = accountOrCreateAta(out, userUnits, user, unitMint);
  out.push(
    ix(
      programId,
      'unit_buy',
      {
        config: findPaymentsConfigPda({ programId })[0],
        market: findUnitMarketPda({ kind, programId })[0],
        feed,
        user,
        usde_mint: usdeMint,
        unit_mint: unitMint,
        user_usde: userUsde ?? findToken2022Ata({ mint: usdeMint, owner: user }),
        usde_treasury: findUsdeTreasuryPda({ programId })[0],
        user_units: units,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { usde_amount: bn(positive(usdeAmount, 'usdeAmount')), min_units_out: bn(minUnitsOut) } },
    ),
  );
  return out;
}

/** Units -> USDE at the oracle bid. */
export function unitSellInstructions({
  user,
  kind,
  feed,
  unitAmount,
  minUsdeOut,
  userUsde,
  userUnits,
  programId = PAYMENTS_PROGRAM_ID,
}: ConvertParams & { unitAmount: bigint; minUsdeOut: bigint }): TransactionInstruction[] {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const unitMint = findUnitMintPda({ kind, programId })[0];
  return [
    ix(
      programId,
      'unit_sell',
      {
        config: findPaymentsConfigPda({ programId })[0],
        market: findUnitMarketPda({ kind, programId })[0],
        feed,
        user,
        usde_mint: usdeMint,
        unit_mint: unitMint,
        user_units: userUnits ?? findToken2022Ata({ mint: unitMint, owner: user }),
        usde_treasury: findUsdeTreasuryPda({ programId })[0],
        user_usde: userUsde ?? findToken2022Ata({ mint: usdeMint, owner: user }),
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { unit_amount: bn(positive(unitAmount, 'unitAmount')), min_usde_out: bn(minUsdeOut) } },
    ),
  ];
}
