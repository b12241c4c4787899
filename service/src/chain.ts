// Current state the app views read from the chain (through the backend's cached, batched reads):
// balances, devices and their meters, enrollments, routes and endpoint attestations, mandates,
// programs, tariffs and their escrows. History and aggregates come from the indexer instead.
import { PublicKey } from '@solana/web3.js';

import {
  fetchDevice,
  fetchEndpointAttestation,
  fetchMandate,
  fetchMeter,
  fetchPartner,
  fetchRoute,
  fetchTariff,
  fetchTariffBinding,
  fetchTokenAmount,
  fetchUtilityProgram,
  findToken2022Ata,
  findUnitMintPda,
  findUsdeAccount,
  type Device,
} from '@openvpp/sdk/web3';
import * as gen from '@openvpp/sdk';
import { ClientError } from '@openvpp/sdk/web3';
import { decodeAs, decodeEnrollment } from '@openvpp/sdk/web3';

import type { AttestationStatus } from '@openvpp/indexer';

import type { Backend } from './backend';
import { Lru } from './resolver';
import { HttpError } from './errors';

const key = (s: string) => new PublicKey(s);

/** A read of an account that may be of another kind (the SDK's WrongAccountOwner): null then. */
async function orNull<T>(read: Promise<T | null>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof ClientError) return null;
    throw e;
  }
}

export const unknownDevice = () =>
  new HttpError(404, 'UnknownDevice', 'no device account exists at this address: pass a device account (registry)');

/** The device at `address`, or 404 `UnknownDevice`. */
export async function deviceAt(backend: Backend, address: string): Promise<Device> {
  const d = await orNull(fetchDevice(backend.reader, { address: key(address) }));
  if (!d) throw unknownDevice();
  return d;
}

/** The current holder of a device (null while unclaimed). */
export const holderOf = (d: Device): string | null => (d.owner.equals(PublicKey.default) ? null : d.owner.toBase58());

/**
 * An owner's USDE, kWh and kg-CO2 token accounts. Deriving them is most of an owner-home
 * request's own time (six address derivations: bench:app), and they never change: the mints
 * are derived once, each owner's accounts are remembered (least recently used first out).
 */
const tokenAccountsOf = (() => {
  let mints: { kwh: PublicKey; co2: PublicKey } | undefined;
  const memo = new Lru<string, [PublicKey, PublicKey, PublicKey]>(100_000);
  return (owner: string): [PublicKey, PublicKey, PublicKey] =>
    memo.getOrSet(owner, () => {
      mints ??= { kwh: findUnitMintPda({ kind: 'kwh' })[0], co2: findUnitMintPda({ kind: 'co2Kg' })[0] };
      const o = key(owner);
      return [
        findUsdeAccount({ owner: o }),
        findToken2022Ata({ mint: mints.kwh, owner: o }),
        findToken2022Ata({ mint: mints.co2, owner: o }),
      ];
    });
})();

/** USDE, kWh and kg-CO2 token balances (raw) of `owner`. */
export async function balances(backend: Backend, owner: string) {
  const [usde, kwh, co2] = await Promise.all(
    tokenAccountsOf(owner).map((account) => fetchTokenAmount(backend.reader, account)),
  );
  return { usde: usde.toString(), kwh: kwh.toString(), co2: co2.toString() };
}

/** One device as the owner's device list shows it. */
export async function deviceView(
  backend: Backend,
  device: Device,
  owner: string,
  enrollments: {
    enrollment: string;
    program: string;
    /** The indexer's view of the route: it remembers an attestation revoked (and closed) on chain. */
    route?: { endpoint: string; attestation: { status: AttestationStatus } } | null;
  }[],
  name: string | null | undefined,
) {
  const now = await backend.now();
  const meter = await fetchMeter(backend.reader, { device: device.address });
  const enrollmentViews = [];
  const programs = new Map<string, Awaited<ReturnType<typeof fetchUtilityProgram>>>();
  const utilityOf = new Map<string, string>();
  for (const e of enrollments) {
    const [entry] = await backend.accounts([key(e.enrollment)]);
    const enr = entry.account
      ? decodeAs(gen.routing.getEnrollmentDecoder(), gen.routing.ENROLLMENT_DISCRIMINATOR, entry.account.data)
      : null;
    if (!enr) continue;
    const decoded = decodeEnrollment(key(e.enrollment), enr);
    if (!programs.has(e.program))
      programs.set(e.program, await fetchUtilityProgram(backend.reader, { address: key(e.program) }));
    const program = programs.get(e.program) ?? null;
    if (program) utilityOf.set(e.program, program.utility.toBase58());
    const route = await fetchRoute(backend.reader, { enrollment: key(e.enrollment) });
    let routeView;
    if (route && !route.revoked) {
      const att = await fetchEndpointAttestation(backend.reader, { endpoint: route.endpoint });
      // A revoked attestation's account is closed: the chain shows none, the index knows the revocation.
      const indexed = e.route?.endpoint === route.endpoint ? e.route.attestation.status : null;
      const status: AttestationStatus = att
        ? att.expiresAt > now
          ? 'valid'
          : 'expired'
        : indexed === 'revoked'
          ? 'revoked'
          : 'none';
      routeView = {
        protocol: route.protocol,
        endpoint: route.endpoint,
        version: route.version,
        expiresAt: Number(route.expiresAt),
        attestation: { status, expiresAt: att ? Number(att.expiresAt) : null },
      };
    }
    enrollmentViews.push({
      enrollment: e.enrollment,
      program: e.program,
      programName: program?.name ?? '',
      utility: program?.utility.toBase58() ?? '',
      status: decoded.status,
      ...(routeView && { route: routeView }),
    });
  }
  const mandate = await fetchMandate(backend.reader, { owner: key(owner), device: device.address });
  return {
    device: device.address.toBase58(),
    kind: device.deviceType,
    status: device.status,
    lfdi: Buffer.from(device.lfdi).toString('hex'),
    ...(name && { name }),
    ...(meter && {
      meter: {
        totalImportWh: Number(meter.totalImportWh),
        totalExportWh: Number(meter.totalExportWh),
        totalPaid: meter.totalPaid.toString(),
        totalExportCredit: meter.totalExportCredit.toString(),
        totalExportPaid: meter.totalExportPaid.toString(),
      },
    }),
    enrollments: enrollmentViews,
    mandates: mandate
      ? [
          {
            mandate: mandate.address.toBase58(),
            utility: mandate.utility.toBase58(),
            maxPerPeriod: mandate.maxPerPeriod.toString(),
            periodSecs: mandate.periodSecs,
            maxTotal: mandate.maxTotal.toString(),
            spentTotal: mandate.spentTotal.toString(),
            revoked: false,
          },
        ]
      : [],
  };
}

/** The utility partner at `address`, or 404 `UnknownUtility`. */
export async function utilityAt(backend: Backend, address: string) {
  const p = await orNull(fetchPartner(backend.reader, { address: key(address) }));
  if (!p || p.kind !== 'utility') {
    throw new HttpError(404, 'UnknownUtility', 'no utility partner exists at this address: pass a partner account');
  }
  return p;
}

/** The utility program at `address`, or 404 `UnknownProgram`. */
export async function programAt(backend: Backend, address: string) {
  const p = await orNull(fetchUtilityProgram(backend.reader, { address: key(address) }));
  if (!p) throw new HttpError(404, 'UnknownProgram', 'no utility program exists at this address');
  return p;
}

/** A tariff with its escrow balance, pending withdrawal and what its bindings of `devices` owe. */
export async function tariffView(backend: Backend, tariff: string, devices: string[]) {
  const t = await fetchTariff(backend.reader, { address: key(tariff) });
  if (!t) return null;
  const balance = await fetchTokenAmount(backend.reader, t.exportVault);
  let owed = 0n;
  for (const d of devices) {
    const b = await fetchTariffBinding(backend.reader, { tariff: t.address, device: key(d) });
    if (b) owed += b.owedTotal;
  }
  return { tariff: t, balance, owed };
}
