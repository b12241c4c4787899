import { PublicKey } from '@solana/web3.js';

import { OVPP_ROUTING_PROGRAM_ADDRESS } from '../../generated/routing';

/** Program id of `ovpp_routing` (override per call with `programId`). */
export const ROUTING_PROGRAM_ID = new PublicKey(OVPP_ROUTING_PROGRAM_ADDRESS);

/** Seeds: the `#[constant]`s of `programs/ovpp-routing/src/constants.rs`, generated from the IDL. */
export { SEED_ENROLLMENT, SEED_PROGRAM, SEED_ROUTE } from '../../generated/routing';

export * from '../../routing/constants';
