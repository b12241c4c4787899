// The on-chain side of the connect tests, on the embedded runtime: a utility with a
// demand-response program, an enrolled device (speaking all three protocols), and ONE helper
// that publishes the device's route. Anything route_set comes to require (e.g. an endpoint
// attestation) is added in `publishRoute` only.
import type { PublicKey } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import {
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type Protocol,
  enrollmentDecideInstructions,
  routeSetInstructions,
} from '@openvpp/sdk/web3';
import {
  WORLD_CA,
  attestDemoEndpoint,
  createDrProgram,
  onboardPartners,
  registerEnrolledDevice,
  type Partners,
} from '@openvpp/localnet';

export interface ConnectWorld {
  rt: Runtime;
  partners: Partners;
  program: PublicKey;
  deviceKey: PublicKey;
  device: PublicKey;
  /** Whether the enrollment was approved (by the first `publishRoute`). */
  approved?: boolean;
}

/** Registry + utility program + one device whose enrollment is requested (not yet approved). */
export function connectWorld(): ConnectWorld {
  const rt = Runtime.start();
  const ca = WORLD_CA;
  const partners = onboardPartners(rt, { caFingerprints: [ca] });
  const program = createDrProgram(rt, partners);
  const { key, device } = registerEnrolledDevice(rt, {
    partners,
    program,
    certFingerprint: new Uint8Array(32).fill(0x5c),
    issuerCa: ca,
    deviceType: 'evCharger',
    protocols: PROTOCOL_OPENADR3 | PROTOCOL_IEEE2030_5 | PROTOCOL_OCPP201,
    maxImportW: 11_000,
  });
  return { rt, partners, program, deviceKey: key.publicKey, device };
}

/**
 * The utility approves the enrollment (first time) and publishes the device's route: protocol,
 * endpoint, hex SPKI pins. The single place the tests publish routes.
 */
export function publishRoute(
  w: ConnectWorld,
  {
    protocol,
    endpoint,
    pins,
    expiresAt = 4_102_444_800n,
  }: { protocol: Protocol; endpoint: string; pins: string[]; expiresAt?: bigint },
) {
  const { rt, partners, program, device } = w;
  const utility = partners.utility.publicKey;
  // route_set needs the endpoint attested with a pinned key: here the protocol authority attests
  // the first pin directly (the flow through a real probe is tests/interop/flow.test.ts).
  const certPins = pins.map((p) => Uint8Array.from(Buffer.from(p, 'hex')));
  if (certPins.length > 0) {
    attestDemoEndpoint(rt, { admin: partners.admin, endpoint, protocol, spkiSha256: certPins[0] });
  }
  rt.processInstructions(
    [
      ...(w.approved ? [] : enrollmentDecideInstructions({ program, authority: utility, device, approve: true })),
      ...routeSetInstructions({
        program,
        authority: utility,
        device,
        payer: rt.payer.publicKey,
        protocol,
        endpoint,
        certPins,
        expiresAt,
      }),
    ],
    [partners.utility],
  );
  w.approved = true;
}
