// The read paths of the API, on the backend's batched, cached reads: device by key and
// device -> connection parameters. Same answers as the SDK's `fetchDevice` / `resolveRoute`,
// without their per-call costs: PDAs are derived once per key (an LRU keyed by the seeds; a
// derivation is ~0.3-0.8 ms of SHA-256 and curve checks), the enrollment, route, device and
// utility program are read in one batch, and decoded records are kept with the account version
// they came from (so a write, which invalidates the read cache, also drops them).
import type { Decoder, ReadonlyUint8Array } from '@solana/kit';
import { PublicKey } from '@solana/web3.js';

import {
  REGISTRY_PROGRAM_ID,
  ROUTING_PROGRAM_ID,
  decodeAs,
  decodeDevice,
  decodePartner,
  findDevicePda,
  findEnrollmentPda,
  findRoutePda,
  connectionParamsOf,
  decodeEnrollment,
  decodeRoute,
  type Enrollment,
  type ConnectionParams,
  type Route,
  type Device,
  type Partner,
  type ResolveFailure,
} from '@openvpp/sdk/web3';
import * as gen from '@openvpp/sdk';

import type { Backend, CachedAccount } from './backend';

/** Least-recently-used map with a fixed capacity. */
export class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V) {
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(key, value);
  }

  getOrSet(key: K, make: () => V): V {
    let v = this.get(key);
    if (v === undefined) {
      v = make();
      this.set(key, v);
    }
    return v;
  }
}

/** Decodes with a generated decoder when `entry` is owned by `programId` and has its discriminator. */
const memoKit = <R, T>(
  entry: CachedAccount,
  programId: PublicKey,
  name: string,
  decoder: Decoder<R>,
  discriminator: ReadonlyUint8Array,
  map: (r: R) => T,
): T | null => {
  const v = entry.memo(name, (a) => {
    if (!a.owner.equals(programId)) return null;
    try {
      const r = decodeAs(decoder, discriminator, a.data);
      return r ? map(r) : null;
    } catch {
      return null; // a layout that does not decode: not this kind of account
    }
  });
  return v ?? null;
};

export interface ResolverOptions {
  registryProgramId?: PublicKey;
  routingProgramId?: PublicKey;
  /** PDA memo capacity (entries), default 100,000. */
  pdaCacheSize?: number;
}

export type ResolveOutcome = { ok: true; params: ConnectionParams } | { ok: false; reason: ResolveFailure };

export function createResolver(backend: Backend, opts: ResolverOptions = {}) {
  const registry = opts.registryProgramId ?? REGISTRY_PROGRAM_ID;
  const routing = opts.routingProgramId ?? ROUTING_PROGRAM_ID;
  const size = opts.pdaCacheSize ?? 100_000;
  const devicePdas = new Lru<string, PublicKey>(size);
  const routePdas = new Lru<string, { device: PublicKey; program: PublicKey; enrollment: PublicKey; route: PublicKey }>(
    size,
  );

  const device = (entry: CachedAccount): Device | null =>
    memoKit(entry, registry, 'Device', gen.registry.getDeviceDecoder(), gen.registry.DEVICE_DISCRIMINATOR, (r) =>
      decodeDevice(entry.address, r),
    );
  const partner = (entry: CachedAccount): Partner | null =>
    memoKit(entry, registry, 'Partner', gen.registry.getPartnerDecoder(), gen.registry.PARTNER_DISCRIMINATOR, (r) =>
      decodePartner(entry.address, r),
    );
  const enrollment = (entry: CachedAccount): Enrollment | null =>
    memoKit(
      entry,
      routing,
      'Enrollment',
      gen.routing.getEnrollmentDecoder(),
      gen.routing.ENROLLMENT_DISCRIMINATOR,
      (r) => decodeEnrollment(entry.address, r),
    );
  const utilityOf = (entry: CachedAccount): PublicKey | null =>
    memoKit(
      entry,
      routing,
      'UtilityProgram',
      gen.routing.getUtilityProgramDecoder(),
      gen.routing.UTILITY_PROGRAM_DISCRIMINATOR,
      (r) => new PublicKey(r.utility),
    );
  const route = (entry: CachedAccount): Route | null =>
    memoKit(entry, routing, 'Route', gen.routing.getRouteDecoder(), gen.routing.ROUTE_DISCRIMINATOR, (r) =>
      decodeRoute(entry.address, r),
    );

  return {
    /** The device registered under `deviceKey` (its ed25519 key), or null. */
    async deviceByKey(deviceKey: string): Promise<{ entry: CachedAccount; device: Device } | null> {
      const address = devicePdas.getOrSet(
        deviceKey,
        () => findDevicePda({ deviceKey: new PublicKey(deviceKey), programId: registry })[0],
      );
      const [entry] = await backend.accounts([address]);
      const d = device(entry);
      return d && { entry, device: d };
    },

    /**
     * Device account -> connection parameters in `program`, with the SDK's `resolveRoute` rules:
     * only an approved enrollment of an active device, in a program of an active utility, with
     * a live, unexpired route resolves.
     */
    async resolve(deviceAddress: string, programAddress: string): Promise<ResolveOutcome> {
      const keys = routePdas.getOrSet(`${programAddress}:${deviceAddress}`, () => {
        const device = new PublicKey(deviceAddress);
        const program = new PublicKey(programAddress);
        const enrollment = findEnrollmentPda({ program, device, programId: routing })[0];
        return { device, program, enrollment, route: findRoutePda({ enrollment, programId: routing })[0] };
      });
      const [enrollmentEntry, routeEntry, deviceEntry, programEntry] = await backend.accounts([
        keys.enrollment,
        keys.route,
        keys.device,
        keys.program,
      ]);
      const now = await backend.now();
      const e = enrollment(enrollmentEntry);
      if (!e) return { ok: false, reason: 'notEnrolled' };
      if (e.status !== 'approved') return { ok: false, reason: 'enrollmentNotApproved' };
      const d = device(deviceEntry);
      if (!d || d.status !== 'active') return { ok: false, reason: 'deviceNotActive' };
      const utility = utilityOf(programEntry);
      const u = utility && partner((await backend.accounts([utility]))[0]);
      if (!u || u.status !== 'active' || u.kind !== 'utility') return { ok: false, reason: 'utilityNotActive' };
      const r = route(routeEntry);
      if (!r) return { ok: false, reason: 'noRoute' };
      if (r.revoked) return { ok: false, reason: 'routeRevoked' };
      if (r.expiresAt <= now) return { ok: false, reason: 'routeExpired' };
      return { ok: true, params: connectionParamsOf(r) };
    },
  };
}

export type Resolver = ReturnType<typeof createResolver>;
