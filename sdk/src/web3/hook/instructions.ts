import { TOKEN_2022_PROGRAM_ID, createTransferCheckedInstruction } from '@solana/spl-token';
import { PublicKey, TransactionInstruction } from '@solana/web3.js';

import { PAYMENTS_PROGRAM_ID, TOKEN_DECIMALS } from '../payments/constants';
import { findToken2022Ata, findUnitMintPda } from '../payments/pdas';
import type { UnitKind } from '../payments/types';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findMemberPda, findPartnerPda } from '../registry/pdas';
import { HOOK_PROGRAM_ID } from './constants';
import { findExtraAccountMetaListPda } from './pdas';

/**
 * `transfer_checked` of unit tokens between two wallets' ATAs, with every extra account the
 * hook's validation list resolves to (registry program, both wallets' partner and member
 * PDAs, the hook program and the validation account): no RPC round trip needed.
 */
export function unitTransferInstructions({
  kind,
  from,
  to,
  amount,
  paymentsProgramId = PAYMENTS_PROGRAM_ID,
  registryProgramId = REGISTRY_PROGRAM_ID,
  hookProgramId = HOOK_PROGRAM_ID,
}: {
  kind: UnitKind;
  /** Sending wallet (signs). */
  from: PublicKey;
  /** Receiving wallet. */
  to: PublicKey;
  amount: bigint;
  paymentsProgramId?: PublicKey;
  registryProgramId?: PublicKey;
  hookProgramId?: PublicKey;
}): TransactionInstruction[] {
  const mint = findUnitMintPda({ kind, programId: paymentsProgramId })[0];
  const ata = (owner: PublicKey) => findToken2022Ata({ mint, owner });
  const ix = createTransferCheckedInstruction(
    ata(from),
    mint,
    ata(to),
    from,
    amount,
    TOKEN_DECIMALS,
    [],
    TOKEN_2022_PROGRAM_ID,
  );
  const ro = (pubkey: PublicKey) => ({ pubkey, isSigner: false, isWritable: false });
  ix.keys.push(
    ro(registryProgramId),
    ro(findPartnerPda({ authority: from, programId: registryProgramId })[0]),
    ro(findMemberPda({ wallet: from, programId: registryProgramId })[0]),
    ro(findPartnerPda({ authority: to, programId: registryProgramId })[0]),
    ro(findMemberPda({ wallet: to, programId: registryProgramId })[0]),
    ro(hookProgramId),
    ro(findExtraAccountMetaListPda({ mint, hookProgramId })[0]),
  );
  return [ix];
}
