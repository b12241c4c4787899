import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { bn, enumValue } from '../common/anchor';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findMemberPda, findPartnerPda, findProgramDataAddress } from '../registry/pdas';
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

/**
 * Creates USDE (Token-2022), the USDC vault and the treasury, once. Only the program's deployer
 * may (its upgrade authority on a cluster, `LOCALNET_ADMIN` when natively hosted), with the
 * cluster's USDC (`USDC_MAINNET`, `USDC_DEVNET`, or `USDC_LOCALNET` natively hosted).
 */
export function paymentsInitInstructions({
  payer,
  authority,
  usdcMint,
  deployer = payer,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  payer: PublicKey;
  authority: PublicKey;
  usdcMint: PublicKey;
  /** Signs: the program's upgrade authority (defaults to the payer). */
  deployer?: PublicKey;
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
        deployer,
        program: programId,
        program_data: findProgramDataAddress({ programId })[0],
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

/**
 * Moves the USDC the vault holds beyond the USDE supply (donations, USDE burned outside
 * `usde_unwrap`) to `destination` (authority signs; defaults to the authority's USDC ATA).
 */
export function usdeSurplusSweepInstructions({
  authority,
  usdcMint,
  destination,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  authority: PublicKey;
  usdcMint: PublicKey;
  destination?: PublicKey;
  usdcTokenProgram?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return [
    ix(programId, 'usde_surplus_sweep', {
      config: findPaymentsConfigPda({ programId })[0],
      authority,
      usdc_mint: usdcMint,
      usde_mint: findUsdeMintPda({ programId })[0],
      usdc_vault: findUsdcVaultPda({ programId })[0],
      destination: destination ?? getAssociatedTokenAddressSync(usdcMint, authority, true, usdcTokenProgram),
      usdc_token_program: usdcTokenProgram,
    }),
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
  registryProgramId?: PublicKey;
}

/** A wallet's registry `Partner` and `Member` PDAs: the program accepts either, if active. */
const participantPdas = (wallet: PublicKey, registryProgramId: PublicKey) => ({
  partner: findPartnerPda({ authority: wallet, programId: registryProgramId })[0],
  member: findMemberPda({ wallet, programId: registryProgramId })[0],
});

/**
 * USDE -> units at the oracle ask, as this market's backing. The units go to `recipient`
 * (default: the user), who must be an active registry participant (partner or member), else
 * `NotParticipant`; its unit ATA is created idempotently unless `userUnits` is given (then
 * `recipient` must be that account's owner).
 */
export function unitBuyInstructions({
  user,
  kind,
  feed,
  usdeAmount,
  minUnitsOut,
  userUsde,
  userUnits,
  recipient = user,
  programId = PAYMENTS_PROGRAM_ID,
  registryProgramId = REGISTRY_PROGRAM_ID,
}: ConvertParams & { usdeAmount: bigint; minUnitsOut: bigint; recipient?: PublicKey }): TransactionInstruction[] {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const unitMint = findUnitMintPda({ kind, programId })[0];
  const out: TransactionInstruction[] = [];
  let units = userUnits;
  if (!units) {
    units = findToken2022Ata({ mint: unitMint, owner: recipient });
    out.push(
      createAssociatedTokenAccountIdempotentInstruction(user, units, recipient, unitMint, TOKEN_2022_PROGRAM_ID),
    );
  }
  const to = participantPdas(recipient, registryProgramId);
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
        recipient_partner: to.partner,
        recipient_member: to.member,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { usde_amount: bn(positive(usdeAmount, 'usdeAmount')), min_units_out: bn(minUnitsOut) } },
    ),
  );
  return out;
}

/**
 * Units -> USDE at the oracle bid, out of this market's backing only
 * (`InsufficientMarketBacking`). The user must be an active registry participant.
 */
export function unitSellInstructions({
  user,
  kind,
  feed,
  unitAmount,
  minUsdeOut,
  userUsde,
  userUnits,
  programId = PAYMENTS_PROGRAM_ID,
  registryProgramId = REGISTRY_PROGRAM_ID,
}: ConvertParams & { unitAmount: bigint; minUsdeOut: bigint }): TransactionInstruction[] {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const unitMint = findUnitMintPda({ kind, programId })[0];
  const me = participantPdas(user, registryProgramId);
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
        user_partner: me.partner,
        user_member: me.member,
        token_2022_program: TOKEN_2022_PROGRAM_ID,
      },
      { args: { unit_amount: bn(positive(unitAmount, 'unitAmount')), min_usde_out: bn(minUsdeOut) } },
    ),
  ];
}
