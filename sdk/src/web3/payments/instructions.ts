import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { PublicKey, TransactionInstruction } from '@solana/web3.js';

import {
  addr,
  pdaAddress as pda,
  programAddress,
  signer,
  toKitEnum,
  toLegacyInstructions as legacy,
} from '../common/kit';
import * as gen from '../../generated/payments';
import { HOOK_PROGRAM_ID } from '../hook/constants';
import { findExtraAccountMetaListPda } from '../hook/pdas';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findMemberPda, findPartnerPda, findProgramDataAddress } from '../registry/pdas';
import { PAYMENTS_PROGRAM_ID } from './constants';
import {
  findPaymentsConfigPda,
  findToken2022Ata,
  findUnitMarketPda,
  findUnitMintPda,
  findUsdcVaultPda,
  findUsdeMintPda,
  findUsdeTreasuryPda,
} from './pdas';
import type { UnitKind } from './types';
import { ClientError } from '../common/errors';

type ProgramOpt = { programId?: PublicKey };

function positive(amount: bigint, what: string): bigint {
  if (amount <= 0n || amount >= 1n << 64n) throw new ClientError('InvalidAmount', `${what} must be in 1..2^64`);
  return amount;
}

/**
 * The idempotent creation of `owner`'s Token-2022 ATA `ata` for `mint`, paid by `payer`, unless
 * the caller gave its own account (`given`).
 */
const createAtaUnlessGiven = (
  given: PublicKey | undefined,
  { payer, ata, owner, mint }: { payer: PublicKey; ata: PublicKey; owner: PublicKey; mint: PublicKey },
): TransactionInstruction[] =>
  given ? [] : [createAssociatedTokenAccountIdempotentInstruction(payer, ata, owner, mint, TOKEN_2022_PROGRAM_ID)];

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
  return legacy(
    gen.getPaymentsInitInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        usdcMint: addr(usdcMint),
        usdeMint: pda(findUsdeMintPda({ programId })),
        usdcVault: pda(findUsdcVaultPda({ programId })),
        usdeTreasury: pda(findUsdeTreasuryPda({ programId })),
        deployer: signer(deployer),
        program: addr(programId),
        programData: pda(findProgramDataAddress({ programId })),
        payer: signer(payer),
        usdcTokenProgram: addr(usdcTokenProgram),
        authority: addr(authority),
      },
      programAddress(programId),
    ),
  );
}

export function paymentsPauseSetInstructions({
  authority,
  paused,
  programId = PAYMENTS_PROGRAM_ID,
}: { authority: PublicKey; paused: boolean } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getPaymentsPauseSetInstruction(
      { config: pda(findPaymentsConfigPda({ programId })), authority: signer(authority), paused },
      programAddress(programId),
    ),
  );
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

/** What `usde_wrap` and `usde_unwrap` share: the same accounts (in their own orders) and argument. */
function usdeSwap({
  user,
  usdcMint,
  amount,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  userUsdc,
  userUsde,
  programId = PAYMENTS_PROGRAM_ID,
}: WrapParams) {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const usde = userUsde ?? findToken2022Ata({ mint: usdeMint, owner: user });
  return {
    programAddress: programAddress(programId),
    /** The user's USDE ATA's idempotent creation, unless `userUsde` was given (a wrap prepends it). */
    createUsdeAta: () => createAtaUnlessGiven(userUsde, { payer: user, ata: usde, owner: user, mint: usdeMint }),
    input: {
      config: pda(findPaymentsConfigPda({ programId })),
      user: signer(user),
      usdcMint: addr(usdcMint),
      usdeMint: addr(usdeMint),
      userUsdc: addr(userUsdc ?? getAssociatedTokenAddressSync(usdcMint, user, true, usdcTokenProgram)),
      userUsde: addr(usde),
      usdcVault: pda(findUsdcVaultPda({ programId })),
      usdcTokenProgram: addr(usdcTokenProgram),
      amount: positive(amount, 'amount'),
    },
  };
}

/**
 * USDC -> USDE 1:1. Prepends the idempotent creation of the user's USDE ATA unless
 * `userUsde` is given.
 */
export function usdeWrapInstructions(p: WrapParams): TransactionInstruction[] {
  const s = usdeSwap(p);
  return [...s.createUsdeAta(), ...legacy(gen.getUsdeWrapInstruction(s.input, s.programAddress))];
}

/** USDE -> USDC 1:1 (never paused). */
export function usdeUnwrapInstructions(p: WrapParams): TransactionInstruction[] {
  const s = usdeSwap(p);
  return legacy(gen.getUsdeUnwrapInstruction(s.input, s.programAddress));
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
  return legacy(
    gen.getUsdeSurplusSweepInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        authority: signer(authority),
        usdcMint: addr(usdcMint),
        usdeMint: pda(findUsdeMintPda({ programId })),
        usdcVault: pda(findUsdcVaultPda({ programId })),
        destination: addr(destination ?? getAssociatedTokenAddressSync(usdcMint, authority, true, usdcTokenProgram)),
        usdcTokenProgram: addr(usdcTokenProgram),
      },
      programAddress(programId),
    ),
  );
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
  const unitMint = findUnitMintPda({ kind, programId })[0];
  return legacy(
    gen.getUnitMarketCreateInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        authority: signer(authority),
        market: pda(findUnitMarketPda({ kind, programId })),
        unitMint: addr(unitMint),
        extraAccountMetaList: pda(findExtraAccountMetaListPda({ mint: unitMint })),
        hookProgram: addr(HOOK_PROGRAM_ID),
        feed: addr(feed),
        payer: signer(payer),
        kind: toKitEnum(gen.UnitKind, kind),
        maxStalenessSlots,
        minSamples,
        maxConfidenceBps,
        spreadBps,
      },
      programAddress(programId),
    ),
  );
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

/**
 * What `unit_buy` and `unit_sell` share: the market's accounts, the user's USDE account and the
 * unit account of `unitsOwner` (the recipient of a buy, the seller), with that wallet's
 * registry `Partner` and `Member` PDAs (the program accepts either, if active).
 */
function unitConvert(
  {
    user,
    kind,
    feed,
    userUsde,
    userUnits,
    programId = PAYMENTS_PROGRAM_ID,
    registryProgramId = REGISTRY_PROGRAM_ID,
  }: ConvertParams,
  unitsOwner: PublicKey,
) {
  const usdeMint = findUsdeMintPda({ programId })[0];
  const unitMint = findUnitMintPda({ kind, programId })[0];
  const units = userUnits ?? findToken2022Ata({ mint: unitMint, owner: unitsOwner });
  return {
    programAddress: programAddress(programId),
    /** The unit account's idempotent creation (paid by the user), unless `userUnits` was given (a buy prepends it). */
    createUnitsAta: () =>
      createAtaUnlessGiven(userUnits, { payer: user, ata: units, owner: unitsOwner, mint: unitMint }),
    accounts: {
      config: pda(findPaymentsConfigPda({ programId })),
      market: pda(findUnitMarketPda({ kind, programId })),
      feed: addr(feed),
      user: signer(user),
      usdeMint: addr(usdeMint),
      unitMint: addr(unitMint),
      userUsde: addr(userUsde ?? findToken2022Ata({ mint: usdeMint, owner: user })),
      usdeTreasury: pda(findUsdeTreasuryPda({ programId })),
      userUnits: addr(units),
    },
    partner: pda(findPartnerPda({ authority: unitsOwner, programId: registryProgramId })),
    member: pda(findMemberPda({ wallet: unitsOwner, programId: registryProgramId })),
  };
}

/**
 * USDE -> units at the oracle ask, as this market's backing. The units go to `recipient`
 * (default: the user), who must be an active registry participant (partner or member), else
 * `NotParticipant`; its unit ATA is created idempotently unless `userUnits` is given (then
 * `recipient` must be that account's owner).
 */
export function unitBuyInstructions({
  usdeAmount,
  minUnitsOut,
  recipient,
  ...p
}: ConvertParams & { usdeAmount: bigint; minUnitsOut: bigint; recipient?: PublicKey }): TransactionInstruction[] {
  const c = unitConvert(p, recipient ?? p.user);
  const buy = gen.getUnitBuyInstruction(
    {
      ...c.accounts,
      recipientPartner: c.partner,
      recipientMember: c.member,
      usdeAmount: positive(usdeAmount, 'usdeAmount'),
      minUnitsOut,
    },
    c.programAddress,
  );
  return [...c.createUnitsAta(), ...legacy(buy)];
}

/**
 * Units -> USDE at the oracle bid, out of this market's backing only
 * (`InsufficientMarketBacking`). The user must be an active registry participant.
 */
export function unitSellInstructions({
  unitAmount,
  minUsdeOut,
  ...p
}: ConvertParams & { unitAmount: bigint; minUsdeOut: bigint }): TransactionInstruction[] {
  const c = unitConvert(p, p.user);
  const sell = gen.getUnitSellInstruction(
    {
      ...c.accounts,
      userPartner: c.partner,
      userMember: c.member,
      unitAmount: positive(unitAmount, 'unitAmount'),
      minUsdeOut,
    },
    c.programAddress,
  );
  return legacy(sell);
}
