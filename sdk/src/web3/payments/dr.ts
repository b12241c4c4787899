// Demand response: events, their escrowed budget and per-device rewards.

import { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { addr, pdaAddress as pda, programAddress, signer, toLegacyInstructions as legacy } from '../common/kit';
import * as gen from '../../generated/payments';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findPartnerPda } from '../registry/pdas';
import { PAYMENTS_PROGRAM_ID } from './constants';
import { findDrEventPda, findDrRewardPda, findDrVaultPda, findPaymentsConfigPda, findUsdeMintPda } from './pdas';
import { type ProgramOpt, type RegistryOpt, usdeOf } from './options';

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
  return legacy(
    gen.getDrEventCreateInstruction(
      {
        config: pda(findPaymentsConfigPda({ programId })),
        utility: addr(utility),
        authority: signer(authority),
        event: addr(event),
        vault: pda(findDrVaultPda({ event, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        funding: usdeOf(authority, funding, programId),
        payer: signer(payer),
        eventId,
        start,
        end,
        rewardPerKwh,
        budget,
      },
      programAddress(programId),
    ),
  );
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
  return legacy(
    gen.getDrRewardPayInstruction(
      {
        event: addr(event),
        authority: signer(authority),
        utility: addr(utility ?? findPartnerPda({ authority, programId: registryProgramId })[0]),
        vault: pda(findDrVaultPda({ event, programId })),
        device: addr(device),
        reward: pda(findDrRewardPda({ event, device, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        ownerUsde: usdeOf(owner, ownerUsde, programId),
        payer: signer(payer),
        flexWh,
      },
      programAddress(programId),
    ),
  );
}

export function drEventCloseInstructions({
  event,
  authority,
  refund,
  programId = PAYMENTS_PROGRAM_ID,
}: { event: PublicKey; authority: PublicKey; refund?: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return legacy(
    gen.getDrEventCloseInstruction(
      {
        event: addr(event),
        authority: signer(authority),
        vault: pda(findDrVaultPda({ event, programId })),
        usdeMint: pda(findUsdeMintPda({ programId })),
        refund: usdeOf(authority, refund, programId),
      },
      programAddress(programId),
    ),
  );
}
