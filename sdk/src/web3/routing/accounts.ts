import { PublicKey } from '@solana/web3.js';

import { type ProgramEvent, eventDecoder } from '../common/events';
import { bytes, fetchWith, fromKitEnum, pubkey, type AccountReader } from '../common/kit';
import * as gen from '../../generated/routing';
import { fetchDevice, fetchPartner } from '../registry/accounts';
import { ROUTING_PROGRAM_ID } from './constants';
import { findEnrollmentPda, findRoutePda } from './pdas';
import idl from '../../../idl/ovpp_routing.json';
import type { ConnectionParams, Enrollment, Route, UtilityProgram } from './types';

type ProgramOpt = { programId?: PublicKey };

export function decodeUtilityProgram(address: PublicKey, r: gen.UtilityProgram): UtilityProgram {
  return {
    address,
    kind: fromKitEnum(gen.ProgramKind, r.kind),
    open: r.open,
    utility: pubkey(r.utility),
    authority: pubkey(r.authority),
    programId: r.programId,
    name: r.name,
    enrolled: r.enrolled,
    createdAt: r.createdAt,
  };
}

export function decodeEnrollment(address: PublicKey, r: gen.Enrollment): Enrollment {
  return {
    address,
    status: fromKitEnum(gen.EnrollmentStatus, r.status),
    program: pubkey(r.program),
    device: pubkey(r.device),
    requestedBy: pubkey(r.requestedBy),
    requestedAt: r.requestedAt,
    updatedAt: r.updatedAt,
  };
}

export function decodeRoute(address: PublicKey, r: gen.Route): Route {
  return {
    address,
    enrollment: pubkey(r.enrollment),
    device: pubkey(r.device),
    program: pubkey(r.program),
    protocol: fromKitEnum(gen.Protocol, r.protocol),
    endpoint: r.endpoint,
    certPins: r.certPins.map(bytes),
    version: r.version,
    expiresAt: r.expiresAt,
    revoked: r.revoked,
  };
}

export async function fetchUtilityProgram(
  reader: AccountReader,
  { address, programId = ROUTING_PROGRAM_ID }: { address: PublicKey } & ProgramOpt,
): Promise<UtilityProgram | null> {
  const r = await fetchWith(
    reader,
    gen.getUtilityProgramDecoder(),
    address,
    programId,
    gen.UTILITY_PROGRAM_DISCRIMINATOR,
  );
  return r && decodeUtilityProgram(address, r);
}

export async function fetchEnrollment(
  reader: AccountReader,
  { program, device, programId = ROUTING_PROGRAM_ID }: { program: PublicKey; device: PublicKey } & ProgramOpt,
): Promise<Enrollment | null> {
  const address = findEnrollmentPda({ program, device, programId })[0];
  const r = await fetchWith(reader, gen.getEnrollmentDecoder(), address, programId, gen.ENROLLMENT_DISCRIMINATOR);
  return r && decodeEnrollment(address, r);
}

export async function fetchRoute(
  reader: AccountReader,
  { enrollment, programId = ROUTING_PROGRAM_ID }: { enrollment: PublicKey } & ProgramOpt,
): Promise<Route | null> {
  const address = findRoutePda({ enrollment, programId })[0];
  const r = await fetchWith(reader, gen.getRouteDecoder(), address, programId, gen.ROUTE_DISCRIMINATOR);
  return r && decodeRoute(address, r);
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
  return { ok: true, route, params: connectionParamsOf(route) };
}

/** What a device needs to connect, from its route (pins as hex). */
export function connectionParamsOf(route: Route): ConnectionParams {
  return {
    protocol: route.protocol,
    endpoint: route.endpoint,
    certPins: route.certPins.map((p) => Buffer.from(p).toString('hex')),
    version: route.version,
    expiresAt: route.expiresAt,
  };
}

/** A routing event decoded from a `Program data:` log line (fields as the IDL names them). */
export type RoutingEvent = ProgramEvent;

/** Decodes routing events (`RouteUpdated`, `EnrollmentChanged`...) from transaction logs. */
export const parseRoutingEvents: (logs: string[]) => RoutingEvent[] = eventDecoder(idl);
