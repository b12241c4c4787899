import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { addr, programAddress, signer, toKitEnum, toLegacyInstructions as one } from '../common/kit';
import * as gen from '../../generated/routing';
import { MAX_CERT_PINS, MAX_ENDPOINT_LEN, MAX_PROGRAM_NAME_LEN, ROUTING_PROGRAM_ID } from './constants';
import { ClientError } from '../common/errors';
import { findEndpointAttestationPda, findPartnerPda } from '../registry/pdas';
import { findEnrollmentPda, findRoutePda, findUtilityProgramPda } from './pdas';
import type { ProgramKind, Protocol } from './types';

type ProgramOpt = { programId?: PublicKey };

const SYSTEM = addr(SystemProgram.programId);

/**
 * A host: lowercase `[a-z0-9-]` labels joined by single dots, none starting or ending with `-`;
 * a host WHATWG reads as IPv4 (`endsInANumber`) only as a canonical dotted quad. Mirrors
 * `is_valid_host`.
 */
function isValidHost(host: string): boolean {
  return (
    host.length > 0 &&
    host.split('.').every((label) => /^[a-z0-9-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-')) &&
    (!endsInANumber(host) || isCanonicalIpv4(host))
  );
}

/**
 * The WHATWG URL Standard's "ends in a number checker" (mirrors `ends_in_a_number`): the last
 * label, or the second-to-last when the last is empty, is all ASCII digits, or `0x`/`0X`
 * followed only by hex digits. Such a host is parsed as an IPv4 address (or fails to parse).
 */
export function endsInANumber(host: string): boolean {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  const last = h.slice(h.lastIndexOf('.') + 1);
  return /^[0-9]+$/.test(last) || /^0[xX][0-9a-fA-F]*$/.test(last);
}

/** Four decimal parts 0..=255 without leading zeros: the form WHATWG serialises IPv4 hosts to. */
function isCanonicalIpv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
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
    throw new ClientError(
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
    throw new ClientError('InvalidCertPins', `1..=${MAX_CERT_PINS} distinct non-zero 32-byte SHA-256 pins`);
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
    throw new ClientError('InvalidProgramName', `1..=${MAX_PROGRAM_NAME_LEN} bytes`);
  }
  return one(
    gen.getProgramCreateInstruction(
      {
        utility: addr(utility),
        authority: signer(authority),
        program: addr(findUtilityProgramPda({ utility, utilityProgramId, programId })[0]),
        payer: signer(payer),
        systemProgram: SYSTEM,
        programId: utilityProgramId,
        kind: toKitEnum(gen.ProgramKind, kind),
        name,
      },
      programAddress(programId),
    ),
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
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getProgramStatusSetInstruction(
      { program: addr(program), utility: addr(utilityOf(authority, utility)), authority: signer(authority), open },
      programAddress(programId),
    ),
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
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getEnrollmentRequestInstruction(
      {
        program: addr(program),
        device: addr(device),
        vendor: addr(vendor),
        requester: signer(requester),
        enrollment: addr(findEnrollmentPda({ program, device, programId })[0]),
        payer: signer(payer),
        systemProgram: SYSTEM,
      },
      programAddress(programId),
    ),
  );
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
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getEnrollmentDecideInstruction(
      {
        program: addr(program),
        utility: addr(utilityOf(authority, utility)),
        authority: signer(authority),
        enrollment: addr(findEnrollmentPda({ program, device, programId })[0]),
        device: addr(device),
        approve,
      },
      programAddress(programId),
    ),
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
}: {
  program: PublicKey;
  device: PublicKey;
  authority: PublicKey;
  utility?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getEnrollmentRevokeInstruction(
      {
        program: addr(program),
        utility: addr(utilityOf(authority, utility)),
        enrollment: addr(findEnrollmentPda({ program, device, programId })[0]),
        device: addr(device),
        authority: signer(authority),
      },
      programAddress(programId),
    ),
  );
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
  registryProgramId,
}: {
  program: PublicKey;
  authority: PublicKey;
  utility?: PublicKey;
  /** The registry holding the endpoint's attestation (default: the registry program id). */
  registryProgramId?: PublicKey;
  device: PublicKey;
  payer: PublicKey;
  protocol: Protocol;
  endpoint: string;
  certPins: Uint8Array[];
  expiresAt: bigint;
} & ProgramOpt): TransactionInstruction[] {
  validateRoute(protocol, endpoint, certPins);
  const enrollment = findEnrollmentPda({ program, device, programId })[0];
  return one(
    gen.getRouteSetInstruction(
      {
        program: addr(program),
        utility: addr(utilityOf(authority, utility)),
        authority: signer(authority),
        enrollment: addr(enrollment),
        device: addr(device),
        route: addr(findRoutePda({ enrollment, programId })[0]),
        payer: signer(payer),
        systemProgram: SYSTEM,
        endpointAttestation: addr(
          findEndpointAttestationPda({ endpoint, ...(registryProgramId && { programId: registryProgramId }) })[0],
        ),
        protocol: toKitEnum(gen.Protocol, protocol),
        endpoint,
        certPins,
        expiresAt,
      },
      programAddress(programId),
    ),
  );
}

export function routeRevokeInstructions({
  program,
  authority,
  device,
  utility,
  programId = ROUTING_PROGRAM_ID,
}: {
  program: PublicKey;
  authority: PublicKey;
  device: PublicKey;
  utility?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  const enrollment = findEnrollmentPda({ program, device, programId })[0];
  return one(
    gen.getRouteRevokeInstruction(
      {
        program: addr(program),
        utility: addr(utilityOf(authority, utility)),
        authority: signer(authority),
        route: addr(findRoutePda({ enrollment, programId })[0]),
      },
      programAddress(programId),
    ),
  );
}
