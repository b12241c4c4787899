import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { bn, buildInstruction, enumValue } from '../common/anchor';
import { MAX_CERT_PINS, MAX_ENDPOINT_LEN, MAX_PROGRAM_NAME_LEN, ROUTING_PROGRAM_ID } from './constants';
import { RoutingClientError } from './errors';
import { findPartnerPda } from '../registry/pdas';
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

/** A host: lowercase `[a-z0-9-]` labels joined by single dots, none starting or ending with `-`. */
function isValidHost(host: string): boolean {
  return (
    host.length > 0 &&
    host.split('.').every((label) => /^[a-z0-9-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-'))
  );
}

/** A port: 1 to 5 ASCII digits, 1..=65535. */
function isValidPort(port: string): boolean {
  return /^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/**
 * The program's strict endpoint grammar (`is_valid_endpoint`), rule for rule:
 * `scheme host [":" port] [path]`: the protocol's scheme (`https://`, or `wss://` for OCPP), a
 * host of lowercase `[a-z0-9-]` labels (no userinfo, `%`, brackets), an optional port 1..=65535
 * of 1-5 digits, then an optional path starting with `/`; printable ASCII without `#`, at most
 * 200 bytes.
 */
export function isValidEndpoint(protocol: Protocol, endpoint: string): boolean {
  const scheme = protocol === 'ocpp201Csms' ? 'wss://' : 'https://';
  if (Buffer.byteLength(endpoint) > MAX_ENDPOINT_LEN || !/^[\x21-\x22\x24-\x7e]*$/.test(endpoint)) return false;
  if (!endpoint.startsWith(scheme)) return false;
  const rest = endpoint.slice(scheme.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const colon = authority.indexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  const port = colon < 0 ? null : authority.slice(colon + 1);
  return isValidHost(host) && (port === null || isValidPort(port));
}

/** Mirrors `validate_route`'s endpoint and pin rules (expiry is checked on-chain). */
export function validateRoute(protocol: Protocol, endpoint: string, certPins: Uint8Array[]): void {
  if (!isValidEndpoint(protocol, endpoint)) {
    const scheme = protocol === 'ocpp201Csms' ? 'wss://' : 'https://';
    throw new RoutingClientError(
      'InvalidEndpoint',
      `${protocol} endpoints are ${scheme}host[:port][/path] URLs (lowercase host, no userinfo, no '#') of <= ${MAX_ENDPOINT_LEN} printable bytes`,
    );
  }
  const hex = certPins.map((p) => Buffer.from(p).toString('hex'));
  if (
    certPins.length < 1 ||
    certPins.length > MAX_CERT_PINS ||
    certPins.some((p) => p.length !== 32 || p.every((b) => b === 0)) ||
    new Set(hex).size !== hex.length
  ) {
    throw new RoutingClientError('InvalidCertPins', `1..=${MAX_CERT_PINS} distinct non-zero 32-byte SHA-256 pins`);
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

/** The utility partner account of a utility-signed instruction: `["partner", authority]`. */
const utilityOf = (authority: PublicKey, utility?: PublicKey) => utility ?? findPartnerPda({ authority })[0];

export function utilityProgramStatusSetInstructions({
  program,
  authority,
  open,
  utility,
  programId = ROUTING_PROGRAM_ID,
}: {
  program: PublicKey;
  authority: PublicKey;
  open: boolean;
  /** The program's utility partner (default: the partner of `authority`). */
  utility?: PublicKey;
} & ProgramOpt) {
  return ix(
    programId,
    'program_status_set',
    { program, utility: utilityOf(authority, utility), authority },
    { args: { open } },
  );
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
  utility,
  programId = ROUTING_PROGRAM_ID,
}: {
  program: PublicKey;
  authority: PublicKey;
  device: PublicKey;
  approve: boolean;
  utility?: PublicKey;
} & ProgramOpt) {
  return ix(
    programId,
    'enrollment_decide',
    {
      program,
      utility: utilityOf(authority, utility),
      authority,
      enrollment: findEnrollmentPda({ program, device, programId })[0],
      device,
    },
    { args: { approve } },
  );
}

/**
 * Ends an enrollment: the utility authority or the device's claimed owner signs. `utility` is
 * the program's utility partner; it defaults to the partner of `authority`, so pass it when
 * the owner signs.
 */
export function enrollmentRevokeInstructions({
  program,
  device,
  authority,
  utility,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; device: PublicKey; authority: PublicKey; utility?: PublicKey } & ProgramOpt) {
  return ix(programId, 'enrollment_revoke', {
    program,
    utility: utilityOf(authority, utility),
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
  utility,
  programId = ROUTING_PROGRAM_ID,
}: {
  program: PublicKey;
  authority: PublicKey;
  utility?: PublicKey;
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
      utility: utilityOf(authority, utility),
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
  utility,
  programId = ROUTING_PROGRAM_ID,
}: { program: PublicKey; authority: PublicKey; device: PublicKey; utility?: PublicKey } & ProgramOpt) {
  const enrollment = findEnrollmentPda({ program, device, programId })[0];
  return ix(programId, 'route_revoke', {
    program,
    utility: utilityOf(authority, utility),
    authority,
    route: findRoutePda({ enrollment, programId })[0],
  });
}
