// World builders on the embedded runtime: the registry config signed by the localnet deployer,
// a utility and a vendor, a demand-response program, and a seeded world of enrolled, routed
// devices (what `openvpp serve` runs over when no cluster is given, and the resolver load test).
import { Keypair, PublicKey } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';

import type { RuntimeLike } from './rpc-runtime';
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

import { createHash } from 'node:crypto';

import { localnetAdmin } from './keys';

/** The placeholder server-key pin (SPKI SHA-256) of the embedded worlds' demo routes. */
export const DEMO_SPKI_PIN = new Uint8Array(32).fill(0xab);

/**
 * The protocol authority attests a demo endpoint WITHOUT probing it (embedded worlds only), so
 * `route_set` accepts routes to it. A deployment attests an endpoint after a passing probe
 * (`POST /v1/endpoints/validate`), with the server key the probe saw.
 */
export function attestDemoEndpoint(
  rt: RuntimeLike,
  {
    admin,
    endpoint = 'https://vtn.gridco.example/openadr3',
    protocol = 'openAdr3Vtn',
    spkiSha256 = DEMO_SPKI_PIN,
  }: { admin: Keypair; endpoint?: string; protocol?: Protocol; spkiSha256?: Uint8Array },
): void {
  rt.processInstructions(
    endpointAttestInstructions({
      authority: admin.publicKey,
      payer: rt.payer.publicKey,
      endpoint,
      kind: ENDPOINT_ATTESTATION_KINDS[protocol],
      spkiSha256,
      evidenceHash: createHash('sha256').update(`unprobed demo endpoint ${endpoint}`).digest(),
      expiresAt: 4_102_444_800n,
    }),
    [admin],
  );
}

/**
 * The utility approves a device's requested enrollment and publishes its OpenADR 3 route
 * (demo endpoint and placeholder SPKI pin, far expiry): the instructions, signed by `utility`.
 * The endpoint must be attested first (`attestDemoEndpoint`).
 */
export function approveAndRouteInstructions({
  program,
  utility,
  device,
  payer,
  endpoint = 'https://vtn.gridco.example/openadr3',
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
      expiresAt: 4_102_444_800n,
    }),
  ];
}

export interface SeededWorld {
  rt: Runtime;
  admin: Keypair;
  utility: Keypair;
  vendor: Keypair;
  program: PublicKey;
  devices: PublicKey[];
}

export interface Partners {
  admin: Keypair;
  utility: Keypair;
  vendor: Keypair;
  utilityPda: PublicKey;
  vendorPda: PublicKey;
}

/** Registry config (signed by the localnet deployer) plus one utility and one vendor (trusting `caFingerprints`). */
export function onboardPartners(
  rt: RuntimeLike,
  {
    caFingerprints,
    utilityName = 'Gridco',
    vendorName = 'Acme',
    utilityHandle = 'gridco',
    vendorHandle = 'acme',
  }: {
    caFingerprints: Uint8Array[];
    utilityName?: string;
    vendorName?: string;
    /** Reserved registry names of the partners. */
    utilityHandle?: string;
    vendorHandle?: string;
  },
): Partners {
  const payer = rt.payer.publicKey;
  const [admin, utility, vendor] = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
  const deployer = localnetAdmin();
  rt.processInstructions(configInitInstructions({ payer, authority: admin.publicKey, deployer: deployer.publicKey }), [
    deployer,
  ]);
  rt.processInstructions(
    [
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
    [admin, vendor, utility],
  );
  return {
    admin,
    utility,
    vendor,
    utilityPda: findPartnerPda({ authority: utility.publicKey })[0],
    vendorPda: findPartnerPda({ authority: vendor.publicKey })[0],
  };
}

/** A demand-response program (id 1) of the utility. */
export function createDrProgram(rt: RuntimeLike, p: Partners, name = 'DR'): PublicKey {
  rt.processInstructions(
    utilityProgramCreateInstructions({
      utility: p.utilityPda,
      authority: p.utility.publicKey,
      payer: rt.payer.publicKey,
      utilityProgramId: 1,
      kind: 'demandResponse',
      name,
    }),
    [p.utility],
  );
  return findUtilityProgramPda({ utility: p.utilityPda, utilityProgramId: 1 })[0];
}

/**
 * The vendor registers a device (a fresh key; unclaimed, a random owner-elect) and requests its
 * enrollment in `program`, in one transaction signed by the vendor and the device key.
 */
export function registerEnrolledDevice(
  rt: Pick<RuntimeLike, 'payer' | 'processInstructions'>,
  {
    partners,
    program,
    certFingerprint,
    issuerCa,
    deviceType = 'meter',
    protocols = PROTOCOL_OPENADR3,
    maxImportW = 7_000,
  }: {
    partners: Pick<Partners, 'vendor' | 'vendorPda'>;
    program: PublicKey;
    certFingerprint: Uint8Array;
    issuerCa: Uint8Array;
    deviceType?: DeviceType;
    /** `PROTOCOL_*` bits the device declares. */
    protocols?: number;
    maxImportW?: number;
  },
): { key: Keypair; device: PublicKey } {
  const { vendor, vendorPda } = partners;
  const payer = rt.payer.publicKey;
  const key = Keypair.generate();
  const device = findDevicePda({ deviceKey: key.publicKey })[0];
  rt.processInstructions(
    [
      ...deviceRegisterInstructions({
        vendorAuthority: vendor.publicKey,
        deviceKey: key.publicKey,
        payer,
        owner: Keypair.generate().publicKey,
        deviceType,
        capabilities: { flags: CAP_IMPORT, protocols, maxImportW, maxExportW: 0, energyCapacityWh: 0n },
        certFingerprint,
        issuerCa,
        certNotAfter: 4_102_444_800n,
      }),
      ...enrollmentRequestInstructions({ program, device, vendor: vendorPda, requester: vendor.publicKey, payer }),
    ],
    [vendor, key],
  );
  return { key, device };
}

export function seedWorld({
  devices = 100,
  onProgress,
}: { devices?: number; onProgress?: (done: number) => void } = {}): SeededWorld {
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  const ca = new Uint8Array(32).fill(7);
  const partners = onboardPartners(rt, { caFingerprints: [ca] });
  const { admin, utility, vendor } = partners;
  const program = createDrProgram(rt, partners);
  attestDemoEndpoint(rt, { admin });
  const out: PublicKey[] = [];
  for (let i = 0; i < devices; i++) {
    const fp = new Uint8Array(32).fill(0x5a);
    new DataView(fp.buffer).setUint32(0, i + 1);
    const { device } = registerEnrolledDevice(rt, { partners, program, certFingerprint: fp, issuerCa: ca });
    rt.processInstructions(approveAndRouteInstructions({ program, utility: utility.publicKey, device, payer }), [
      utility,
    ]);
    out.push(device);
    onProgress?.(i + 1);
  }
  return { rt, admin, utility, vendor, program, devices: out };
}
