// Settlement mandates: an owner's capped allowance for a utility to bill its USDE.

import { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { addr, pdaAddress as pda, programAddress, signer, toLegacyInstructions as legacy } from '../common/kit';
import * as gen from '../../generated/payments';
import { PAYMENTS_PROGRAM_ID } from './constants';
import { findMandatePda } from './pdas';
import type { MandateCaps } from './types';
import { type ProgramOpt } from './options';

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
}: {
  device: PublicKey;
  owner: PublicKey;
  utility: PublicKey;
  payer: PublicKey;
} & MandateCaps &
  ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getMandateCreateInstruction(
      {
        device: addr(device),
        owner: signer(owner),
        utility: addr(utility),
        mandate: pda(findMandatePda({ owner, device, programId })),
        payer: signer(payer),
        maxPerPeriod,
        periodSecs,
        maxTotal,
      },
      programAddress(programId),
    ),
  );
}

/** Closes the owner's mandate for a device at once (rent back to the owner). */
export function mandateRevokeInstructions({
  device,
  owner,
  programId = PAYMENTS_PROGRAM_ID,
}: { device: PublicKey; owner: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getMandateRevokeInstruction(
      { mandate: pda(findMandatePda({ owner, device, programId })), owner: signer(owner) },
      programAddress(programId),
    ),
  );
}
