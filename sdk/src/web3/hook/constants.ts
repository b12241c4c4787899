import { PublicKey } from '@solana/web3.js';

import { OVPP_HOOK_PROGRAM_ADDRESS } from '../../generated/hook';

/** Program id of `ovpp_hook`, the unit tokens' transfer hook. */
export const HOOK_PROGRAM_ID = new PublicKey(OVPP_HOOK_PROGRAM_ADDRESS);

/** Seed of a mint's transfer-hook validation account (interface-defined), generated from the IDL. */
export { SEED_EXTRA_ACCOUNT_METAS } from '../../generated/hook';
