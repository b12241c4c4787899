import { PublicKey } from '@solana/web3.js';

import { HOOK_PROGRAM_ID, SEED_EXTRA_ACCOUNT_METAS } from './constants';

/** The transfer-hook validation account of a mint: `["extra-account-metas", mint]`. */
export const findExtraAccountMetaListPda = ({
  mint,
  hookProgramId = HOOK_PROGRAM_ID,
}: {
  mint: PublicKey;
  hookProgramId?: PublicKey;
}) => PublicKey.findProgramAddressSync([SEED_EXTRA_ACCOUNT_METAS, mint.toBuffer()], hookProgramId);
