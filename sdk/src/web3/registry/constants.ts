import { PublicKey } from '@solana/web3.js';

import { OVPP_REGISTRY_PROGRAM_ADDRESS } from '../../generated/registry';
export * from '../../registry/constants';

/** Program id of `ovpp_registry` (override per call with `programId`). */
export const REGISTRY_PROGRAM_ID = new PublicKey(OVPP_REGISTRY_PROGRAM_ADDRESS);

/** Seeds: the `#[constant]`s of `programs/ovpp-registry/src/constants.rs`, generated from the IDL. */
export {
  SEED_ATTESTATION,
  SEED_CA,
  SEED_CERT,
  SEED_CONFIG,
  SEED_DEVICE,
  SEED_MEMBER,
  SEED_NAME,
  SEED_PARTNER,
  SEED_REVERSE,
  SEED_SKELETON,
} from '../../generated/registry';

/** The BPF upgradeable loader (owner of cluster-deployed programs and their ProgramData). */
export const BPF_LOADER_UPGRADEABLE_ID = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');

/**
 * Localnet-only deployer of natively hosted programs (`ovpp_registry::deployer::LOCALNET_ADMIN`,
 * keypair in `localnet/keys/localnet-admin.json`). A cluster deployment ignores it: there
 * the program's upgrade authority is the deployer.
 */
export const LOCALNET_ADMIN = new PublicKey('6oQHqiEk3zRp28V4n2ti5H25TpftQzv4V5ukg7JkiJ89');
