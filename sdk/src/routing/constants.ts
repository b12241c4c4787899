import { PublicKey } from '@solana/web3.js';

/** Program id of `ovpp_routing` (override per call with `programId`). */
export const ROUTING_PROGRAM_ID = new PublicKey('55Ac3GLbSxPxf2Fymv2Dp9MpGzPyCagpVvfKxhdCu2Bh');

/** Seeds, byte-for-byte the `#[constant]`s of `programs/ovpp-routing/src/constants.rs`. */
export const SEED_PROGRAM = Buffer.from('program');
export const SEED_ENROLLMENT = Buffer.from('enrollment');
export const SEED_ROUTE = Buffer.from('route');

export const MAX_PROGRAM_NAME_LEN = 64;
export const MAX_ENDPOINT_LEN = 200;
export const MAX_CERT_PINS = 4;
