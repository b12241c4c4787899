import { PublicKey } from '@solana/web3.js';

import { OVPP_PAYMENTS_PROGRAM_ADDRESS } from '../../generated/payments';
export * from '../../payments/constants';

/** Program id of `ovpp_payments` (override per call with `programId`). */
export const PAYMENTS_PROGRAM_ID = new PublicKey(OVPP_PAYMENTS_PROGRAM_ADDRESS);

/** Seeds: the `#[constant]`s of `programs/ovpp-payments/src/constants.rs`, generated from the IDL. */
export {
  SEED_BINDING,
  SEED_DR_EVENT,
  SEED_DR_REWARD,
  SEED_DR_VAULT,
  SEED_EXPORT_VAULT,
  SEED_MANDATE,
  SEED_MARKET,
  SEED_METER,
  SEED_PAYMENTS,
  SEED_SETTLEMENT,
  SEED_TARIFF,
  SEED_TARIFF_REVISION,
  SEED_TREASURY,
  SEED_UNIT_MINT,
  SEED_USDE_MINT,
  SEED_VAULT,
} from '../../generated/payments';

/** USDC on mainnet-beta (`USDC_MAINNET`). */
export const USDC_MAINNET = new PublicKey('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v');
/** USDC on devnet, Circle's faucet mint (`USDC_DEVNET`). */
export const USDC_DEVNET = new PublicKey('4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU');
/**
 * The test USDC of natively hosted runs (`USDC_LOCALNET`): the embedded runtime,
 * solana-program-test, the local node. Its keypair is `localnet/keys/usdc-localnet.json`.
 */
export const USDC_LOCALNET = new PublicKey('GQ1LxGAnhZQhLuV14a9FB7PTSwCktXBkRrwucDaC8SSd');

/** Switchboard on-demand program ids (mainnet, devnet). */
export const SWITCHBOARD_ON_DEMAND_MAINNET = new PublicKey('SBondMDrcV3K4kxZR1HNVT7osZxAHVHgYXL5Ze1oMUv');
export const SWITCHBOARD_ON_DEMAND_DEVNET = new PublicKey('Aio4gaXjXzJNVLtzwtNVmSqGKpANtXhybbkhtAC94ji2');
