// Test harness: the in-process runtime (@openvpp/runtime) plus registry fixtures built with
// the SDK itself, so every test exercises the SDK's builders, PDAs and decoders.
import { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import { Runtime, TransactionFailedError, type TransactionOutcome } from '@openvpp/runtime';
import { localnetAdmin, onboardPartners } from '@openvpp/testing';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OPENADR3,
  type Capabilities,
  type DeviceType,
  type RegistryErrorName,
  certificateFingerprint,
  deviceRegisterInstructions,
  parseRegistryError,
} from '@openvpp/sdk/web3';

export const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', '..', 'testing', 'fixtures', name), 'utf8');
export const CA_PEM = fixture('certs/ca.pem');
export const DEVICE_PEM = fixture('certs/device.pem');
export const CA_FINGERPRINT = certificateFingerprint(CA_PEM);
export const CERT_NOT_AFTER = 4_102_444_800n; // 2100-01-01

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

export function send(rt: Runtime, ixs: TransactionInstruction[], signers: Keypair[] = []): TransactionOutcome {
  return rt.processInstructions(ixs, signers);
}

/** Asserts that sending fails with the given registry error and returns the outcome. */
export function expectRegistryError(
  rt: Runtime,
  ixs: TransactionInstruction[],
  signers: Keypair[],
  name: RegistryErrorName,
): TransactionOutcome {
  const outcome = rt.tryInstructions(ixs, signers);
  expect(outcome.err, `expected ${name}, transaction succeeded`).to.not.equal(null);
  const parsed = parseRegistryError(outcome);
  expect(parsed?.errorName, `expected ${name}, got ${JSON.stringify(outcome.err)}`).to.equal(name);
  return outcome;
}

/** Asserts a failure with an Anchor framework error code (e.g. 3010 AccountNotSigner). */
export function expectCustomCode(rt: Runtime, ixs: TransactionInstruction[], signers: Keypair[], code: number) {
  const outcome = rt.tryInstructions(ixs, signers);
  expect(outcome.err?.customCode, JSON.stringify(outcome.err)).to.equal(code);
  return outcome;
}

export const ANCHOR_ACCOUNT_NOT_SIGNER = 3010;
export const ANCHOR_ACCOUNT_NOT_INITIALIZED = 3012;
export const ANCHOR_DISCRIMINATOR_MISMATCH = 3002;
/** The system program's `AccountAlreadyInUse`, surfaced by a duplicate `init`. */
export const SYSTEM_ACCOUNT_ALREADY_IN_USE = 0;

/** Runtimes opened by the current test; closed by the root hook after each test. */
const open: Runtime[] = [];

/** Starts a fresh in-process runtime that is closed automatically after the test. */
export function startRuntime(): Runtime {
  const rt = Runtime.start();
  open.push(rt);
  return rt;
}

export const mochaHooks = {
  afterEach() {
    while (open.length) open.pop()!.close();
  },
};

export { Runtime, TransactionFailedError };

export interface World {
  rt: Runtime;
  admin: Keypair;
  vendor: Keypair;
  utility: Keypair;
}

/** Fresh runtime with config, one vendor (trusting the fixture CA) and one utility. */
export function world(): World {
  const rt = startRuntime();
  const { admin, vendor, utility } = onboardPartners(rt, {
    caFingerprints: [CA_FINGERPRINT],
    vendorName: 'Acme Batteries',
    utilityName: 'Gridco',
  });
  return { rt, admin, vendor, utility };
}

export { localnetAdmin };

/**
 * Registers a device provisioned by the world's vendor. With an `owner` Keypair the owner
 * co-signs and owns it at once; with a PublicKey the device is unclaimed (ownerless) until that
 * key signs `deviceClaimInstructions`.
 */
export function registerDevice(
  w: World,
  {
    owner,
    certFingerprint,
    deviceType = 'battery',
  }: { owner: Keypair | PublicKey; certFingerprint: Uint8Array; deviceType?: DeviceType },
): Keypair {
  const deviceKey = Keypair.generate();
  const signer = owner instanceof Keypair ? owner : null;
  send(
    w.rt,
    deviceRegisterInstructions({
      vendorAuthority: w.vendor.publicKey,
      deviceKey: deviceKey.publicKey,
      payer: w.rt.payer.publicKey,
      owner: signer ? signer.publicKey : (owner as PublicKey),
      ownerSigns: !!signer,
      deviceType,
      capabilities: CAPS,
      certFingerprint,
      issuerCa: CA_FINGERPRINT,
      certNotAfter: CERT_NOT_AFTER,
    }),
    signer ? [w.vendor, deviceKey, signer] : [w.vendor, deviceKey],
  );
  return deviceKey;
}
