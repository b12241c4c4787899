// A seeded embedded world for `openvpp serve` and the resolver load test: protocol config, a
// utility and a vendor, a DR program and `devices` enrolled devices with OpenADR 3 routes.
import { Keypair, PublicKey } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_IMPORT,
  PROTOCOL_OPENADR3,
  configInitInstructions,
  deviceRegisterInstructions,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findDevicePda,
  findPartnerPda,
  findUtilityProgramPda,
  partnerRegisterInstructions,
  routeSetInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk';

export interface SeededWorld {
  rt: Runtime;
  admin: Keypair;
  utility: Keypair;
  vendor: Keypair;
  program: PublicKey;
  devices: PublicKey[];
}

export function seedWorld({
  devices = 100,
  onProgress,
}: { devices?: number; onProgress?: (done: number) => void } = {}): SeededWorld {
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  const [admin, utility, vendor] = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
  const ca = new Uint8Array(32).fill(7);
  rt.processInstructions(configInitInstructions({ payer, authority: admin.publicKey }));
  rt.processInstructions(
    [
      ...partnerRegisterInstructions({
        authority: admin.publicKey,
        partnerAuthority: utility.publicKey,
        payer,
        kind: 'utility',
        name: 'Gridco',
      }),
      ...partnerRegisterInstructions({
        authority: admin.publicKey,
        partnerAuthority: vendor.publicKey,
        payer,
        kind: 'vendor',
        name: 'Acme',
        caFingerprints: [ca],
      }),
    ],
    [admin, utility, vendor],
  );
  const utilityPda = findPartnerPda({ authority: utility.publicKey })[0];
  const vendorPda = findPartnerPda({ authority: vendor.publicKey })[0];
  rt.processInstructions(
    utilityProgramCreateInstructions({
      utility: utilityPda,
      authority: utility.publicKey,
      payer,
      utilityProgramId: 1,
      kind: 'demandResponse',
      name: 'DR',
    }),
    [utility],
  );
  const program = findUtilityProgramPda({ utility: utilityPda, utilityProgramId: 1 })[0];
  const out: PublicKey[] = [];
  for (let i = 0; i < devices; i++) {
    const key = Keypair.generate();
    const fp = new Uint8Array(32).fill(0x5a);
    new DataView(fp.buffer).setUint32(0, i + 1);
    const device = findDevicePda({ deviceKey: key.publicKey })[0];
    rt.processInstructions(
      [
        ...deviceRegisterInstructions({
          vendorAuthority: vendor.publicKey,
          deviceKey: key.publicKey,
          payer,
          owner: Keypair.generate().publicKey,
          deviceType: 'meter',
          capabilities: {
            flags: CAP_IMPORT,
            protocols: PROTOCOL_OPENADR3,
            maxImportW: 7_000,
            maxExportW: 0,
            energyCapacityWh: 0n,
          },
          certFingerprint: fp,
          issuerCa: ca,
          certNotAfter: 4_102_444_800n,
        }),
        ...enrollmentRequestInstructions({ program, device, vendor: vendorPda, requester: vendor.publicKey, payer }),
      ],
      [vendor, key],
    );
    rt.processInstructions(
      [
        ...enrollmentDecideInstructions({ program, authority: utility.publicKey, device, approve: true }),
        ...routeSetInstructions({
          program,
          authority: utility.publicKey,
          device,
          payer,
          protocol: 'openAdr3Vtn',
          endpoint: 'https://vtn.gridco.example/openadr3',
          certPins: [new Uint8Array(32).fill(0xab)],
          expiresAt: 4_102_444_800n,
        }),
      ],
      [utility],
    );
    out.push(device);
    onProgress?.(i + 1);
  }
  return { rt, admin, utility, vendor, program, devices: out };
}
