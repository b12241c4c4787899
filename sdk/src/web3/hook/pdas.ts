import { PublicKey } from '@solana/web3.js';

import { addr, findPda } from '../common/kit';
import { extraAccountMetasSeeds } from '../../generated/hook';
import { HOOK_PROGRAM_ID } from './constants';

/** The transfer-hook validation account of a mint: `["extra-account-metas", mint]`. */
export const findExtraAccountMetaListPda = ({
  mint,
  hookProgramId = HOOK_PROGRAM_ID,
}: {
  mint: PublicKey;
  hookProgramId?: PublicKey;
}) => findPda(extraAccountMetasSeeds({ mint: addr(mint) }), hookProgramId);
