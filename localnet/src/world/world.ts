// The world builder (genesis of a local chain): the registry config signed by the localnet
// deployer, a utility and a vendor, a demand-response program, an attested demo endpoint,
// payments (localnet USDC), the utility's tariff program and a seeded fleet of enrolled, routed
// devices. `buildWorld(sender, options)` over any Sender; the named plans and their synchronous
// forms are its parts.
import { Keypair, type PublicKey } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_IMPORT,
  PROTOCOL_OPENADR3,
  configInitInstructions,
  ENDPOINT_ATTESTATION_KINDS,
  type DeviceType,
  type Protocol,
  deviceRegisterInstructions,
  endpointAttestInstructions,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findDevicePda,
  findPartnerPda,
  findUtilityProgramPda,
  partnerRegisterInstructions,
  routeSetInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';
import type { Sender } from '@openvpp/sdk';

import { createHash } from 'node:crypto';

import { localnetAdmin } from '../keys';
import { type TariffOptions, paymentsPlan, tariffPlan, tariffProgramPlan } from './payments';
import { type Plan, type Step, type SyncRuntime, apply, applySync } from './plan';

/** The placeholder server-key pin (SPKI SHA-256) of the demo routes. */
export const DEMO_SPKI_PIN = new Uint8Array(32).fill(0xab);
const DEMO_ENDPOINT = 'https://vtn.gridco.example/openadr3';
/** 2100-01-01: the far expiry of demo routes, attestations and certificates. */
const FAR_EXPIRY = 4_102_444_800n;

export interface Partners {
  admin: Keypair;
  utility: Keypair;
  vendor: Keypair;
  utilityPda: PublicKey;
  vendorPda: PublicKey;
}

export interface PartnerOptions {
  /** CA fingerprints the vendor's device certificates chain to. */
  caFingerprints: Uint8Array[];
  utilityName?: string;
  vendorName?: string;
  /** Reserved registry names of the partners. */
  utilityHandle?: string;
  vendorHandle?: string;
}

/** Registry config (signed by the localnet deployer) plus one utility and one vendor (trusting `caFingerprints`). */
export function partnersPlan(
  payer: PublicKey,
  {
    caFingerprints,
    utilityName = 'Gridco',
    vendorName = 'Acme',
    utilityHandle = 'gridco',
    vendorHandle = 'acme',
  }: PartnerOptions,
): Plan<Partners> {
  const [admin, utility, vendor] = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
  const deployer = localnetAdmin();
  return {
    steps: [
      {
        instructions: configInitInstructions({ payer, authority: admin.publicKey, deployer: deployer.publicKey }),
        signers: [deployer],
      },
      {
        instructions: [
          ...partnerRegisterInstructions({
            authority: admin.publicKey,
            partnerAuthority: vendor.publicKey,
            payer,
            kind: 'vendor',
            name: vendorName,
            handle: vendorHandle,
            caFingerprints,
          }),
          ...partnerRegisterInstructions({
            authority: admin.publicKey,
            partnerAuthority: utility.publicKey,
            payer,
            kind: 'utility',
            name: utilityName,
            handle: utilityHandle,
          }),
        ],
        signers: [admin, vendor, utility],
      },
    ],
    value: {
      admin,
      utility,
      vendor,
      utilityPda: findPartnerPda({ authority: utility.publicKey })[0],
      vendorPda: findPartnerPda({ authority: vendor.publicKey })[0],
    },
  };
}

/** A demand-response program (id 1) of the utility. */
export function drProgramPlan(
  payer: PublicKey,
  p: Pick<Partners, 'utility' | 'utilityPda'>,
  name = 'DR',
): Plan<PublicKey> {
  return {
    steps: [
      {
        instructions: utilityProgramCreateInstructions({
          utility: p.utilityPda,
          authority: p.utility.publicKey,
          payer,
          utilityProgramId: 1,
          kind: 'demandResponse',
          name,
        }),
        signers: [p.utility],
      },
    ],
    value: findUtilityProgramPda({ utility: p.utilityPda, utilityProgramId: 1 })[0],
  };
}

export interface DemoEndpointOptions {
  admin: Keypair;
  endpoint?: string;
  protocol?: Protocol;
  spkiSha256?: Uint8Array;
}

/**
 * The protocol authority attests a demo endpoint WITHOUT probing it (local chains only), so
 * `route_set` accepts routes to it. A deployment attests an endpoint after a passing probe
 * (`POST /v1/endpoints/validate`), with the server key the probe saw.
 */
export function demoEndpointPlan(
  payer: PublicKey,
  { admin, endpoint = DEMO_ENDPOINT, protocol = 'openAdr3Vtn', spkiSha256 = DEMO_SPKI_PIN }: DemoEndpointOptions,
): Plan<void> {
  return {
    steps: [
      {
        instructions: endpointAttestInstructions({
          authority: admin.publicKey,
          payer,
          endpoint,
          kind: ENDPOINT_ATTESTATION_KINDS[protocol],
          spkiSha256,
          evidenceHash: createHash('sha256').update(`unprobed demo endpoint ${endpoint}`).digest(),
          expiresAt: FAR_EXPIRY,
        }),
        signers: [admin],
      },
    ],
    value: undefined,
  };
}

/**
 * The utility approves a device's requested enrollment and publishes its OpenADR 3 route
 * (demo endpoint and placeholder SPKI pin, far expiry): the instructions, signed by `utility`.
 * The endpoint must be attested first (`demoEndpointPlan`).
 */
export function approveAndRouteInstructions({
  program,
  utility,
  device,
  payer,
  endpoint = DEMO_ENDPOINT,
}: {
  program: PublicKey;
  utility: PublicKey;
  device: PublicKey;
  payer: PublicKey;
  endpoint?: string;
}) {
  return [
    ...enrollmentDecideInstructions({ program, authority: utility, device, approve: true }),
    ...routeSetInstructions({
      program,
      authority: utility,
      device,
      payer,
      protocol: 'openAdr3Vtn',
      endpoint,
      certPins: [DEMO_SPKI_PIN],
      expiresAt: FAR_EXPIRY,
    }),
  ];
}

export interface EnrolledDeviceOptions {
  partners: Pick<Partners, 'vendor' | 'vendorPda'>;
  program: PublicKey;
  certFingerprint: Uint8Array;
  issuerCa: Uint8Array;
  deviceType?: DeviceType;
  /** `PROTOCOL_*` bits the device declares. */
  protocols?: number;
  maxImportW?: number;
}

/**
 * The vendor registers a device (a fresh key; unclaimed, a random owner-elect) and requests its
 * enrollment in `program`, in one transaction signed by the vendor and the device key.
 */
export function enrolledDevicePlan(
  payer: PublicKey,
  {
    partners,
    program,
    certFingerprint,
    issuerCa,
    deviceType = 'meter',
    protocols = PROTOCOL_OPENADR3,
    maxImportW = 7_000,
  }: EnrolledDeviceOptions,
): Plan<{ key: Keypair; device: PublicKey }> {
  const { vendor, vendorPda } = partners;
  const key = Keypair.generate();
  const device = findDevicePda({ deviceKey: key.publicKey })[0];
  return {
    steps: [
      {
        instructions: [
          ...deviceRegisterInstructions({
            vendorAuthority: vendor.publicKey,
            deviceKey: key.publicKey,
            payer,
            owner: Keypair.generate().publicKey,
            deviceType,
            capabilities: { flags: CAP_IMPORT, protocols, maxImportW, maxExportW: 0, energyCapacityWh: 0n },
            certFingerprint,
            issuerCa,
            certNotAfter: FAR_EXPIRY,
          }),
          ...enrollmentRequestInstructions({ program, device, vendor: vendorPda, requester: vendor.publicKey, payer }),
        ],
        signers: [vendor, key],
      },
    ],
    value: { key, device },
  };
}

export interface WorldOptions {
  /** Partner names and the vendor's trusted CAs (default: one placeholder CA, `WORLD_CA`). */
  partners?: Partial<PartnerOptions>;
  /** Initialise payments (localnet USDC, USDE) with the admin as payments authority. */
  payments?: boolean;
  /**
   * The tariff world (with `payments`): the utility's tariff program (id 2), its USDE treasury
   * and an hourly tariff, `DEMO_TARIFF` with the given fields overridden (`true`: as is).
   */
  tariff?: boolean | Partial<TariffOptions>;
  /**
   * Seed a fleet of this many devices in the utility's DR program (id 1, created with the demo
   * endpoint's attestation when `fleet` is given, even 0): registered by the vendor, enrolled
   * and routed.
   */
  fleet?: number;
  /** Called after each fleet device is routed, with how many are. */
  onProgress?: (done: number) => void;
}

export interface World extends Partners {
  /** The DR program (with `fleet`). */
  program: PublicKey | null;
  /** The fleet's device accounts. */
  devices: PublicKey[];
  /** The localnet USDC mint (with `payments`). */
  usdcMint: PublicKey | null;
  /** The tariff program (with `tariff`). */
  tariffProgram: PublicKey | null;
  /** The tariff (with `tariff`). */
  tariff: PublicKey | null;
  /** The utility's USDE treasury (with `tariff`). */
  utilityTreasury: PublicKey | null;
}

/** The placeholder CA fingerprint the default world's vendor trusts. */
export const WORLD_CA = new Uint8Array(32).fill(7);

/** Fleet device `i`'s placeholder certificate fingerprint. */
function fleetFingerprint(i: number): Uint8Array {
  const fp = new Uint8Array(32).fill(0x5a);
  new DataView(fp.buffer).setUint32(0, i + 1);
  return fp;
}

/** The world as one plan (see `WorldOptions`). */
export function worldPlan(payer: PublicKey, opts: WorldOptions = {}): Plan<World> {
  const caFingerprints = opts.partners?.caFingerprints ?? [WORLD_CA];
  const partners = partnersPlan(payer, { ...opts.partners, caFingerprints });
  const p = partners.value;
  const steps: Step[] = [...partners.steps];
  const world: World = {
    ...p,
    program: null,
    devices: [],
    usdcMint: null,
    tariffProgram: null,
    tariff: null,
    utilityTreasury: null,
  };
  if (opts.fleet !== undefined) {
    const dr = drProgramPlan(payer, p);
    const program = dr.value;
    world.program = program;
    steps.push(...dr.steps, ...demoEndpointPlan(payer, { admin: p.admin }).steps);
    for (let i = 0; i < opts.fleet; i++) {
      const enrolled = enrolledDevicePlan(payer, {
        partners: p,
        program,
        certFingerprint: fleetFingerprint(i),
        issuerCa: caFingerprints[0],
      });
      const { device } = enrolled.value;
      world.devices.push(device);
      steps.push(
        ...enrolled.steps,
        {
          instructions: approveAndRouteInstructions({ program, utility: p.utility.publicKey, device, payer }),
          signers: [p.utility],
        },
        { report: () => opts.onProgress?.(i + 1) },
      );
    }
  }
  if (opts.payments) {
    const payments = paymentsPlan(payer, { authority: p.admin.publicKey });
    world.usdcMint = payments.value;
    steps.push(...payments.steps);
  }
  if (opts.tariff) {
    const program = tariffProgramPlan(payer, p);
    const tariff = tariffPlan(payer, { ...p, ...(opts.tariff === true ? {} : opts.tariff) });
    world.tariffProgram = program.value;
    world.tariff = tariff.value.tariff;
    world.utilityTreasury = tariff.value.treasury;
    steps.push(...program.steps, ...tariff.steps);
  }
  return { steps, value: world };
}

/** Builds the world over `sender` (its payer pays); see `WorldOptions`. */
export function buildWorld(sender: Sender, opts: WorldOptions = {}): Promise<World> {
  return apply(sender, worldPlan(sender.payer.publicKey, opts));
}

// The synchronous forms, on an embedded (or a node's ledgered) runtime whose payer pays.

export const onboardPartners = (rt: SyncRuntime, opts: PartnerOptions): Partners =>
  applySync(rt, partnersPlan(rt.payer.publicKey, opts));
export const createDrProgram = (rt: SyncRuntime, p: Pick<Partners, 'utility' | 'utilityPda'>, name?: string) =>
  applySync(rt, drProgramPlan(rt.payer.publicKey, p, name));
export const attestDemoEndpoint = (rt: SyncRuntime, opts: DemoEndpointOptions): void =>
  applySync(rt, demoEndpointPlan(rt.payer.publicKey, opts));
export const registerEnrolledDevice = (rt: SyncRuntime, opts: EnrolledDeviceOptions) =>
  applySync(rt, enrolledDevicePlan(rt.payer.publicKey, opts));

export interface SeededWorld {
  rt: Runtime;
  admin: Keypair;
  utility: Keypair;
  vendor: Keypair;
  program: PublicKey;
  devices: PublicKey[];
}

/** A fresh embedded runtime with a world of `devices` enrolled, routed devices (what `openvpp serve` and the resolver load test run over). */
export function seedWorld({
  devices = 100,
  onProgress,
}: { devices?: number; onProgress?: (done: number) => void } = {}): SeededWorld {
  const rt = Runtime.start();
  const world = applySync(rt, worldPlan(rt.payer.publicKey, { fleet: devices, onProgress }));
  return { ...world, rt, program: world.program! };
}
