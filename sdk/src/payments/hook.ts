// The unit tokens' transfer hook (`ovpp_hook`): only active registry participants may send
// or receive kWh / kg-CO2 tokens.
import { TOKEN_2022_PROGRAM_ID, createTransferCheckedInstruction } from '@solana/spl-token';
import { PublicKey, TransactionInstruction } from '@solana/web3.js';

import hookIdl from '../../idl/ovpp_hook.json';
import { ProgramError, programErrors } from '../common/errors';
import { REGISTRY_PROGRAM_ID } from '../registry/constants';
import { findMemberPda, findPartnerPda } from '../registry/pdas';
import { PAYMENTS_PROGRAM_ID, TOKEN_DECIMALS } from './constants';
import { findToken2022Ata, findUnitMintPda } from './pdas';
import type { UnitKind } from './types';

/** Program id of `ovpp_hook`. */
export const HOOK_PROGRAM_ID = new PublicKey('62ugcLjir73Y8mpLo6hCD7gRXm7qrrt2kMEjY9ApPeFp');
export const SEED_EXTRA_ACCOUNT_METAS = Buffer.from('extra-account-metas');

/** The transfer-hook validation account of a mint: `["extra-account-metas", mint]`. */
export const findExtraAccountMetaListPda = ({
  mint,
  hookProgramId = HOOK_PROGRAM_ID,
}: {
  mint: PublicKey;
  hookProgramId?: PublicKey;
}) => PublicKey.findProgramAddressSync([SEED_EXTRA_ACCOUNT_METAS, mint.toBuffer()], hookProgramId);

/**
 * Hook program error names: the IDL's `errors[].name` (codes 6000+). Plain `string`, as a JSON
 * import types them anyway, so the published declarations never inline the IDL.
 */
export type HookErrorName = string;
const hook = programErrors<HookErrorName>('ovpp_hook', hookIdl.errors);
export const HookErrorCode = hook.codes;
export type HookProgramError = ProgramError<HookErrorName>;
/** Typed hook error (e.g. `RecipientNotParticipant`) from a failed unit-token transfer. */
export const parseHookError = hook.parse;
export const isHookError = hook.is;

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
