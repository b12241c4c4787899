import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { addr, programAddress, signer, toKitEnum, toLegacyInstructions as one } from '../common/kit';
import * as gen from '../../generated/routing';
import { validateRoute } from '../../routing/endpoint';
import { MAX_PROGRAM_NAME_LEN, ROUTING_PROGRAM_ID } from './constants';
import { ClientError } from '../common/errors';
import { findEndpointAttestationPda, findPartnerPda } from '../registry/pdas';
import { findEnrollmentPda, findRoutePda, findUtilityProgramPda } from './pdas';
import type { ProgramKind, Protocol } from './types';

type ProgramOpt = { programId?: PublicKey };

const SYSTEM = addr(SystemProgram.programId);

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
