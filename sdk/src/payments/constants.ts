import { PublicKey } from '@solana/web3.js';

/** Program id of `ovpp_payments` (override per call with `programId`). */
export const PAYMENTS_PROGRAM_ID = new PublicKey('4BiRo3RvCMhHHwT2L1rcWvhZu6KV2pCgaEWxDHgWaBiJ');

/** Seeds, byte-for-byte the `#[constant]`s of `programs/ovpp-payments/src/constants.rs`. */
export const SEED_PAYMENTS = Buffer.from('payments');
export const SEED_USDE_MINT = Buffer.from('usde');
export const SEED_VAULT = Buffer.from('vault');
export const SEED_TREASURY = Buffer.from('treasury');
export const SEED_MARKET = Buffer.from('market');
export const SEED_UNIT_MINT = Buffer.from('unit');
export const SEED_TARIFF = Buffer.from('tariff');
export const SEED_METER = Buffer.from('meter');
export const SEED_SETTLEMENT = Buffer.from('settlement');
export const SEED_DR_EVENT = Buffer.from('dr_event');
export const SEED_DR_VAULT = Buffer.from('dr_vault');
export const SEED_DR_REWARD = Buffer.from('dr_reward');

/** Domain tag that starts every signed meter reading (`READING_DOMAIN`). */
export const READING_DOMAIN = Buffer.from('OVPP/meter-reading/v1');

/** USDE, USDC and unit tokens all have 6 decimals. */
export const TOKEN_DECIMALS = 6;
/** Switchboard on-demand results carry 18 decimals. */
export const ORACLE_DECIMALS = 18;
export const BPS = 10_000n;

/** Switchboard on-demand program ids (mainnet, devnet). */
export const SWITCHBOARD_ON_DEMAND_MAINNET = new PublicKey('SBondMDrcV3K4kxZR1HNVT7osZxAHVHgYXL5Ze1oMUv');
export const SWITCHBOARD_ON_DEMAND_DEVNET = new PublicKey('Aio4gaXjXzJNVLtzwtNVmSqGKpANtXhybbkhtAC94ji2');
