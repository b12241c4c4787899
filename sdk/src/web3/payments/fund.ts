// Funding a device owner for settlement, in one transaction the owner signs.
import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createApproveCheckedInstruction,
  createAssociatedTokenAccountIdempotentInstruction,
} from '@solana/spl-token';
import type { PublicKey, TransactionInstruction } from '@solana/web3.js';

import { PAYMENTS_PROGRAM_ID, SECONDS_PER_DAY, TOKEN_DECIMALS } from './constants';
import { usdeWrapInstructions } from './instructions';
import { findSettlementAuthorityPda, findUsdeAccount, findUsdeMintPda } from './pdas';
import { mandateCreateInstructions } from './mandate';
import type { MandateCaps } from './types';
import { ClientError } from '../common/errors';

/** Default mandate period when only an allowance is given: 30 days. */
export const DEFAULT_MANDATE_PERIOD_SECS = 30 * SECONDS_PER_DAY;

/**
 * Everything a device owner does once so that the device's signed readings settle without
 * the owner online:
 *   1. wraps `amount` USDC into USDE 1:1 (creating the owner's USDE ATA; skipped at 0, the
 *      ATA is still created, paid by `payer`);
 *   2. approves the `["settlement"]` delegate for `allowance` USDE on that account (this
 *      replaces any earlier approval of the account);
 *   3. when `device` and `utility` are given, creates the mandate `["mandate", owner, device]`
 *      letting that utility bill the device within `mandate` caps (default: `allowance` per
 *      30 days and in total).
 * Signers: `owner` (and `payer` when different).
 */
export function fundOwnerInstructions({
  owner,
  payer = owner,
  usdcMint,
  amount,
  allowance,
  device,
  utility,
  mandate,
  usdcTokenProgram = TOKEN_PROGRAM_ID,
  userUsdc,
  programId = PAYMENTS_PROGRAM_ID,
}: {
  owner: PublicKey;
  /** Pays the rent of the mandate (and of the USDE ATA when `amount` is 0). */
  payer?: PublicKey;
  usdcMint: PublicKey;
  /** Raw USDC to wrap (6 decimals); 0 wraps nothing. */
  amount: bigint;
  /** Raw USDE the settlement delegate may spend from the owner's account. */
  allowance: bigint;
  /** Registry device account the mandate covers. */
  device?: PublicKey;
  /** Registry partner account of the utility allowed to bill. */
  utility?: PublicKey;
  mandate?: Partial<MandateCaps>;
  usdcTokenProgram?: PublicKey;
  /** The owner's USDC account; defaults to its ATA. */
  userUsdc?: PublicKey;
  programId?: PublicKey;
}): TransactionInstruction[] {
  if ((device === undefined) !== (utility === undefined)) {
    throw new ClientError(
      'MissingInput',
      'fundOwnerInstructions: give both device and utility for a mandate, or neither',
    );
  }
  const usdeMint = findUsdeMintPda({ programId })[0];
  const ownerUsde = findUsdeAccount({ owner, programId });
  const out: TransactionInstruction[] =
    amount > 0n
      ? usdeWrapInstructions({ user: owner, usdcMint, amount, usdcTokenProgram, userUsdc, programId })
      : [createAssociatedTokenAccountIdempotentInstruction(payer, ownerUsde, owner, usdeMint, TOKEN_2022_PROGRAM_ID)];
  out.push(
    createApproveCheckedInstruction(
      ownerUsde,
      usdeMint,
      findSettlementAuthorityPda({ programId })[0],
      owner,
      allowance,
      TOKEN_DECIMALS,
      [],
      TOKEN_2022_PROGRAM_ID,
    ),
  );
  if (device && utility) {
    out.push(
      ...mandateCreateInstructions({
        device,
        owner,
        utility,
        payer,
        maxPerPeriod: mandate?.maxPerPeriod ?? allowance,
        periodSecs: mandate?.periodSecs ?? DEFAULT_MANDATE_PERIOD_SECS,
        maxTotal: mandate?.maxTotal ?? allowance,
        programId,
      }),
    );
  }
  return out;
}
