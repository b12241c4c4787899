import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { bn, buildInstruction, enumValue } from '../common/anchor';
import { MAX_CERT_PINS, MAX_ENDPOINT_LEN, MAX_PROGRAM_NAME_LEN, ROUTING_PROGRAM_ID } from './constants';
import { RoutingClientError } from './errors';
import { findEnrollmentPda, findRoutePda, findUtilityProgramPda } from './pdas';
import { ROUTING_IDL, routingCoder } from './program';
import type { ProgramKind, Protocol } from './types';

type ProgramOpt = { programId?: PublicKey };

const ix = (
  programId: PublicKey,
  name: string,
  accounts: Record<string, PublicKey>,
  args: Record<string, unknown> = {},
) => [buildInstruction(ROUTING_IDL, routingCoder, programId, name, accounts, args)];

/** Mirrors `validate_route`'s endpoint and pin rules (expiry is checked on-chain). */
export function validateRoute(protocol: Protocol, endpoint: string, certPins: Uint8Array[]): void {
  const scheme = protocol === 'ocpp201Csms' ? 'wss://' : 'https://';
  if (
    !endpoint.startsWith(scheme) ||
    endpoint.length <= scheme.length ||
    Buffer.byteLength(endpoint) > MAX_ENDPOINT_LEN ||
    !/^[\x21-\x7e]+$/.test(endpoint)
  ) {
    throw new RoutingClientError(
      'InvalidEndpoint',
      `${protocol} endpoints are ${scheme} URLs of <= ${MAX_ENDPOINT_LEN} printable bytes`,
    );
  }
  if (
    certPins.length < 1 ||
    certPins.length > MAX_CERT_PINS ||
    certPins.some((p) => p.length !== 32 || p.every((b) => b === 0))
  ) {
    throw new RoutingClientError('InvalidCertPins', `1..=${MAX_CERT_PINS} non-zero 32-byte SHA-256 pins`);
  }
}

export function utilityProgramCreateInstructions({
  utility,
  authority,
  payer,
  utilityProgramId,
  kind,
  name,
  programId = ROUTING_PROGRAM_ID,
}: {
  utility: PublicKey;
  authority: PublicKey;
  payer: PublicKey;
  utilityProgramId: number;
  kind: ProgramKind;
  name: string;
} & ProgramOpt): TransactionInstruction[] {
  const len = Buffer.byteLength(name);
  if (len < 1 || len > MAX_PROGRAM_NAME_LEN) {
    throw new RoutingClientError('InvalidProgramName', `1..=${MAX_PROGRAM_NAME_LEN} bytes`);
  }
  return ix(
    programId,
    'program_create',
    {
      utility,
      authority,
      program: findUtilityProgramPda({ utility, utilityProgramId, programId })[0],
      payer,
      system_program: SystemProgram.programId,
    },
    { args: { program_id: utilityProgramId, kind: enumValue(kind), name } },
  );
}

export function utilityProgramStatusSetInstructions({
  program,
  authority,
  open,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; authority: PublicKey; open: boolean } & ProgramOpt) {
  return ix(programId, 'program_status_set', { program, authority }, { args: { open } });
}

/** Device owner (or the device's vendor authority) asks to enroll the device. */
export function enrollmentRequestInstructions({
  program,
  device,
  vendor,
  requester,
  payer,
  programId = ROUTING_PROGRAM_ID,
}: {
  program: PublicKey;
  device: PublicKey;
  /** The device's vendor partner account (`device.vendor`). */
  vendor: PublicKey;
  requester: PublicKey;
  payer: PublicKey;
} & ProgramOpt) {
  return ix(programId, 'enrollment_request', {
    program,
    device,
    vendor,
    requester,
    enrollment: findEnrollmentPda({ program, device, programId })[0],
    payer,
    system_program: SystemProgram.programId,
  });
}

/** The utility approves (`approve: true`) or rejects a requested enrollment. */
export function enrollmentDecideInstructions({
  program,
  authority,
  device,
  approve,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; authority: PublicKey; device: PublicKey; approve: boolean } & ProgramOpt) {
  return ix(
    programId,
    'enrollment_decide',
    { program, authority, enrollment: findEnrollmentPda({ program, device, programId })[0], device },
    { args: { approve } },
  );
}

export function enrollmentRevokeInstructions({
  program,
  device,
  authority,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; device: PublicKey; authority: PublicKey } & ProgramOpt) {
  return ix(programId, 'enrollment_revoke', {
    program,
    enrollment: findEnrollmentPda({ program, device, programId })[0],
    device,
    authority,
  });
}

/** Publishes or updates the route of an approved enrollment (utility authority). */
export function routeSetInstructions({
  program,
  authority,
  device,
  payer,
  protocol,
  endpoint,
  certPins,
  expiresAt,
  programId = ROUTING_PROGRAM_ID,
}: {
  program: PublicKey;
  authority: PublicKey;
  device: PublicKey;
  payer: PublicKey;
  protocol: Protocol;
  endpoint: string;
  certPins: Uint8Array[];
  expiresAt: bigint;
} & ProgramOpt): TransactionInstruction[] {
  validateRoute(protocol, endpoint, certPins);
  const enrollment = findEnrollmentPda({ program, device, programId })[0];
  return ix(
    programId,
    'route_set',
    {
      program,
      authority,
      enrollment,
      device,
      route: findRoutePda({ enrollment, programId })[0],
      payer,
      system_program: SystemProgram.programId,
    },
    {
      args: {
        protocol: enumValue(protocol),
        endpoint,
        cert_pins: certPins.map((p) => Array.from(p)),
        expires_at: bn(expiresAt),
      },
    },
  );
}

export function routeRevokeInstructions({
  program,
  authority,
  device,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; authority: PublicKey; device: PublicKey } & ProgramOpt) {
  const enrollment = findEnrollmentPda({ program, device, programId })[0];
  return ix(programId, 'route_revoke', { program, authority, route: findRoutePda({ enrollment, programId })[0] });
}
