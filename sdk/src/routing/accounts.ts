import { PublicKey } from '@solana/web3.js';

import { type AccountReader, big, enumName, fetchDecoded } from '../common/anchor';
import { fetchDevice, fetchPartner } from '../registry/accounts';
import { ROUTING_PROGRAM_ID } from './constants';
import { findEnrollmentPda, findRoutePda } from './pdas';
import { routingCoder } from './program';
import type { ConnectionParams, Enrollment, Route, UtilityProgram } from './types';

type ProgramOpt = { programId?: PublicKey };

const decodeOwned = (reader: AccountReader, name: string, address: PublicKey, programId: PublicKey) =>
  fetchDecoded(reader, routingCoder, name, address, programId);

export async function fetchUtilityProgram(
  reader: AccountReader,
  { address, programId = ROUTING_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<UtilityProgram | null> {
  const r = await decodeOwned(reader, 'UtilityProgram', address, programId);
  return (
    r && {
      address,
      kind: enumName(r.kind),
      open: r.open,
      utility: r.utility,
      authority: r.authority,
      programId: r.program_id,
      name: r.name,
      enrolled: r.enrolled,
      createdAt: big(r.created_at),
    }
  );
}

export async function fetchEnrollment(
  reader: AccountReader,
  { program, device, programId = ROUTING_PROGRAM_ID }: { program: PublicKey; device: PublicKey } & ProgramOpt,
): Promise<Enrollment | null> {
  const address = findEnrollmentPda({ program, device, programId })[0];
  const r = await decodeOwned(reader, 'Enrollment', address, programId);
  return (
    r && {
      address,
      status: enumName(r.status),
      program: r.program,
      device: r.device,
      requestedBy: r.requested_by,
      requestedAt: big(r.requested_at),
      updatedAt: big(r.updated_at),
    }
  );
}

export async function fetchRoute(
  reader: AccountReader,
  { enrollment, programId = ROUTING_PROGRAM_ID }: { enrollment: PublicKey } & ProgramOpt,
): Promise<Route | null> {
  const address = findRoutePda({ enrollment, programId })[0];
  const r = await decodeOwned(reader, 'Route', address, programId);
  return (
    r && {
      address,
      enrollment: r.enrollment,
      device: r.device,
      program: r.program,
      protocol: enumName(r.protocol),
      endpoint: r.endpoint,
      certPins: r.cert_pins.map((p: number[]) => Uint8Array.from(p)),
      version: r.version,
      expiresAt: big(r.expires_at),
      revoked: r.revoked,
    }
  );
}

/** Why a device has no usable route. */
export type ResolveFailure =
  | 'notEnrolled'
  | 'enrollmentNotApproved'
  | 'deviceNotActive'
  | 'utilityNotActive'
  | 'noRoute'
  | 'routeRevoked'
  | 'routeExpired';

/**
 * Device -> connection parameters for one program: only an approved enrollment of an active
 * device, in a program of an active utility, with a live, unexpired route resolves (what
 * `route_set` requires on-chain). `now` is unix seconds (the cluster clock when available).
 * `registryProgramId` overrides the registry program the device and utility live in.
 */
export async function resolveRoute(
  reader: AccountReader,
  {
    program,
    device,
    now,
    programId = ROUTING_PROGRAM_ID,
    registryProgramId,
  }: { program: PublicKey; device: PublicKey; now: bigint; registryProgramId?: PublicKey } & ProgramOpt,
): Promise<{ ok: true; params: ConnectionParams; route: Route } | { ok: false; reason: ResolveFailure }> {
  const enrollment = await fetchEnrollment(reader, { program, device, programId });
  if (!enrollment) return { ok: false, reason: 'notEnrolled' };
  if (enrollment.status !== 'approved') return { ok: false, reason: 'enrollmentNotApproved' };
  const registry = registryProgramId ? { programId: registryProgramId } : {};
  const deviceAccount = await fetchDevice(reader, { address: device, ...registry });
  if (!deviceAccount || deviceAccount.status !== 'active') return { ok: false, reason: 'deviceNotActive' };
  const utilityProgram = await fetchUtilityProgram(reader, { address: program, programId });
  const utility = utilityProgram && (await fetchPartner(reader, { address: utilityProgram.utility, ...registry }));
  if (!utility || utility.status !== 'active' || utility.kind !== 'utility') {
    return { ok: false, reason: 'utilityNotActive' };
  }
  const route = await fetchRoute(reader, { enrollment: enrollment.address, programId });
  if (!route) return { ok: false, reason: 'noRoute' };
  if (route.revoked) return { ok: false, reason: 'routeRevoked' };
  if (route.expiresAt <= now) return { ok: false, reason: 'routeExpired' };
  return {
    ok: true,
    route,
    params: {
      protocol: route.protocol,
      endpoint: route.endpoint,
      certPins: route.certPins.map((p) => Buffer.from(p).toString('hex')),
      version: route.version,
      expiresAt: route.expiresAt,
    },
  };
}

/** A routing event decoded from a `Program data:` log line (fields as the IDL names them). */
export interface RoutingEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Decodes routing events (`RouteUpdated`, `EnrollmentChanged`...) from transaction logs. */
export function parseRoutingEvents(logs: string[]): RoutingEvent[] {
  const events: RoutingEvent[] = [];
  for (const line of logs) {
    if (!line.startsWith('Program data: ')) continue;
    const decoded = routingCoder.events.decode(line.slice('Program data: '.length).split(' ')[0]);
    if (decoded) events.push({ name: decoded.name, data: decoded.data as Record<string, unknown> });
  }
  return events;
}
