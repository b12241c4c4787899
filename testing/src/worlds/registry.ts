// The registry world of the tests: config, one vendor (trusting a given CA) and one utility on a
// runtime the caller owns, and devices registered by that vendor.
import { Keypair, PublicKey } from '@solana/web3.js';

import type { Runtime } from '@openvpp/runtime';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OPENADR3,
  type Capabilities,
  type DeviceType,
  deviceRegisterInstructions,
} from '@openvpp/sdk/web3';
import { onboardPartners } from '@openvpp/localnet';

/** 2100-01-01: the expiry of every test device's certificate. */
export const CERT_NOT_AFTER = 4_102_444_800n;

/** The capabilities of every test device. */
export const CAPS: Capabilities = {
  flags: CAP_IMPORT | CAP_EXPORT,
  protocols: PROTOCOL_OPENADR3 | PROTOCOL_IEEE2030_5,
  maxImportW: 11_000,
  maxExportW: 5_000,
  energyCapacityWh: 13_500n,
};

/** A distinct non-zero 32-byte fingerprint per seed (for devices without a real cert). */
export function fakeFingerprint(seed: number): Uint8Array {
  const fp = new Uint8Array(32).fill(seed & 0xff);
  fp[0] = 0xab;
  fp[1] = (seed >> 8) & 0xff;
  fp[31] = (seed + 1) & 0xff;
  return fp;
}

export interface RegistryWorld {
  rt: Runtime;
  admin: Keypair;
  vendor: Keypair;
  utility: Keypair;
  /** The CA fingerprint the vendor trusts and its devices are issued under. */
  ca: Uint8Array;
}

/** Config, one vendor ("Acme Batteries", trusting `ca`) and one utility ("Gridco") on `rt`. */
export function registryWorld(rt: Runtime, ca: Uint8Array): RegistryWorld {
  const { admin, vendor, utility } = onboardPartners(rt, {
    caFingerprints: [ca],
    vendorName: 'Acme Batteries',
    utilityName: 'Gridco',
  });
  return { rt, admin, vendor, utility, ca };
}

/**
 * Registers a device provisioned by the world's vendor. With an `owner` Keypair the owner
 * co-signs and owns it at once; with a PublicKey the device is unclaimed (ownerless) until that
 * key signs `deviceClaimInstructions`.
 */
export function registerDevice(
  w: RegistryWorld,
  {
    owner,
    certFingerprint,
    deviceType = 'battery',
  }: { owner: Keypair | PublicKey; certFingerprint: Uint8Array; deviceType?: DeviceType },
): Keypair {
  const deviceKey = Keypair.generate();
  const signer = owner instanceof Keypair ? owner : null;
  w.rt.processInstructions(
    deviceRegisterInstructions({
      vendorAuthority: w.vendor.publicKey,
      deviceKey: deviceKey.publicKey,
      payer: w.rt.payer.publicKey,
      owner: signer ? signer.publicKey : (owner as PublicKey),
      ownerSigns: !!signer,
      deviceType,
      capabilities: CAPS,
      certFingerprint,
      issuerCa: w.ca,
      certNotAfter: CERT_NOT_AFTER,
    }),
    signer ? [w.vendor, deviceKey, signer] : [w.vendor, deviceKey],
  );
  return deviceKey;
}
