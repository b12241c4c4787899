// The two localnet-only keypairs of natively hosted runs. Their public keys are compiled into
// the programs' native-hosting paths (`LOCALNET_ADMIN`, `USDC_LOCALNET`); a cluster deployment
// never accepts them. Both are published on purpose (`localnet/keys/`, also read by the Rust
// host and tests) and bundled here so the package works outside the repository.
import { Keypair, PublicKey } from '@solana/web3.js';

import { LOCALNET_ADMIN, USDC_LOCALNET } from '@openvpp/sdk/web3';

import localnetAdminJson from '../keys/localnet-admin.json';
import usdcLocalnetJson from '../keys/usdc-localnet.json';

function keypair(secret: number[], expected: PublicKey, what: string): Keypair {
  const key = Keypair.fromSecretKey(Uint8Array.from(secret));
  if (!key.publicKey.equals(expected)) throw new Error(`bundled ${what} keypair is not ${expected.toBase58()}`);
  return key;
}

/**
 * The localnet deployer (`LOCALNET_ADMIN`) of the natively hosted programs: only it may
 * initialise their configs in the embedded runtime. Never valid on a cluster.
 */
export function localnetAdmin(): Keypair {
  return keypair(localnetAdminJson, LOCALNET_ADMIN, 'LOCALNET_ADMIN');
}

/** Keypair of the localnet test USDC mint (`USDC_LOCALNET`). */
export function usdcLocalnetKeypair(): Keypair {
  return keypair(usdcLocalnetJson, USDC_LOCALNET, 'USDC_LOCALNET');
}
