// Test harness: the in-process runtime (@openvpp/runtime), closed after every test, the fixture
// CA, assertions on failed transactions, and the registry world of @openvpp/testing (built with
// the SDK itself, so every test exercises the SDK's builders, PDAs and decoders) on that runtime.
import { Keypair, TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import { Runtime, TransactionFailedError, type TransactionOutcome } from '@openvpp/runtime';
import { type RegistryWorld, localnetAdmin, registryWorld } from '@openvpp/testing';
import { type RegistryErrorName, certificateFingerprint, parseRegistryError } from '@openvpp/sdk/web3';

export const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', '..', 'testing', 'fixtures', name), 'utf8');
export const CA_PEM = fixture('certs/ca.pem');
export const DEVICE_PEM = fixture('certs/device.pem');
export const CA_FINGERPRINT = certificateFingerprint(CA_PEM);

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

export type World = RegistryWorld;

/** Fresh runtime with config, one vendor (trusting the fixture CA) and one utility. */
export function world(): World {
  return registryWorld(startRuntime(), CA_FINGERPRINT);
}

export { localnetAdmin };
export { CAPS, CERT_NOT_AFTER, fakeFingerprint, registerDevice } from '@openvpp/testing';
