// End-to-end demo on the embedded in-process runtime: a utility and a device vendor are
// onboarded, a fleet of devices is registered from certificates and named, then resolved by
// name, by key, by LFDI and in reverse; one device is revoked. Prints a summary.
//
//   npm run demo                 # 250 devices
//   DEVICES=1000 npm run demo
import { Keypair, Transaction } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  CAP_METERING,
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type DeviceType,
  certificateFingerprint,
  configInitInstructions,
  deviceIdentity,
  deviceOwnerTransferInstructions,
  deviceRegisterInstructions,
  deviceStatusSetInstructions,
  fetchDevice,
  fetchDeviceByLfdi,
  fetchReverseRecord,
  findDevicePda,
  findPartnerPda,
  isRegistryError,
  nameRegisterInstructions,
  parseRegistryError,
  partnerRegisterInstructions,
  resolveDeviceName,
} from '@openvpp/sdk';
import fs from 'node:fs';
import path from 'node:path';

const N = Number(process.env.DEVICES ?? 250);
const TYPES: DeviceType[] = ['meter', 'evCharger', 'battery', 'inverter'];

async function main() {
  const t0 = performance.now();
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  const admin = Keypair.generate();
  const utility = Keypair.generate();
  const vendor = Keypair.generate();
  const ca = certificateFingerprint(fs.readFileSync(path.join(__dirname, '../tests/fixtures/certs/ca.pem'), 'utf8'));

  rt.processInstructions(configInitInstructions({ payer, authority: admin.publicKey }));
  rt.processInstructions(
    [
      ...partnerRegisterInstructions({
        authority: admin.publicKey,
        partnerAuthority: utility.publicKey,
        payer,
        kind: 'utility',
        name: 'Gridco Energy',
      }),
      ...partnerRegisterInstructions({
        authority: admin.publicKey,
        partnerAuthority: vendor.publicKey,
        payer,
        kind: 'vendor',
        name: 'Acme DER Devices',
        caFingerprints: [ca],
      }),
    ],
    [admin, utility, vendor],
  );
  rt.processInstructions(
    nameRegisterInstructions({
      target: findPartnerPda({ authority: utility.publicKey })[0],
      authority: utility.publicKey,
      payer,
      name: 'gridco',
    }),
    [utility],
  );

  const tRegister = performance.now();
  const devices: { key: Keypair; owner: Keypair; name: string; lfdi: Uint8Array }[] = [];
  let txBytes = 0;
  for (let i = 0; i < N; i++) {
    const key = Keypair.generate();
    const owner = Keypair.generate();
    // A per-device "certificate": in production the vendor's manufacturing CA issues it.
    const id = deviceIdentity(Buffer.concat([Buffer.from('demo-device-cert-'), key.publicKey.toBuffer()]));
    const name = `${TYPES[i % 4].toLowerCase()}-${String(i).padStart(5, '0')}.acme`;
    const ixs = [
      ...deviceRegisterInstructions({
        vendorAuthority: vendor.publicKey,
        deviceKey: key.publicKey,
        payer,
        owner: owner.publicKey,
        deviceType: TYPES[i % 4],
        capabilities: {
          flags: CAP_IMPORT | CAP_EXPORT | CAP_METERING,
          protocols: PROTOCOL_OPENADR3 | PROTOCOL_IEEE2030_5 | (i % 4 === 1 ? PROTOCOL_OCPP201 : 0),
          maxImportW: 7_200,
          maxExportW: 5_000,
          energyCapacityWh: 13_500n,
        },
        certFingerprint: id.fingerprint,
        issuerCa: ca,
        certNotAfter: 4_102_444_800n,
      }),
      ...nameRegisterInstructions({
        target: findDevicePda({ deviceKey: key.publicKey })[0],
        authority: owner.publicKey,
        payer,
        name,
      }),
    ];
    if (i === 0) {
      const tx = new Transaction({ feePayer: payer, recentBlockhash: rt.latestBlockhash() }).add(...ixs);
      tx.sign(rt.payer, vendor, key, owner);
      txBytes = tx.serialize().length;
    }
    rt.processInstructions(ixs, [vendor, key, owner]);
    devices.push({ key, owner, name, lfdi: id.lfdi });
  }
  const registerMs = performance.now() - tRegister;

  const tResolve = performance.now();
  let resolved = 0;
  for (const d of devices) {
    const byName = await resolveDeviceName(rt, { name: d.name });
    const byKey = await fetchDevice(rt, { deviceKey: d.key.publicKey });
    const byLfdi = await fetchDeviceByLfdi(rt, { lfdi: d.lfdi });
    const reverse = await fetchReverseRecord(rt, { target: byKey!.address });
    if (byName?.address.equals(byKey!.address) && byLfdi?.address.equals(byKey!.address) && reverse?.name === d.name)
      resolved++;
  }
  const resolveMs = performance.now() - tResolve;

  // Revoke one device; every later use fails with a typed error.
  const victim = devices[0];
  rt.processInstructions(
    deviceStatusSetInstructions({
      authority: vendor.publicKey,
      vendor: findPartnerPda({ authority: vendor.publicKey })[0],
      deviceKey: victim.key.publicKey,
      status: 'revoked',
    }),
    [vendor],
  );
  const rejected = rt.tryInstructions(
    deviceOwnerTransferInstructions({
      deviceKey: victim.key.publicKey,
      owner: victim.owner.publicKey,
      newOwner: Keypair.generate().publicKey,
    }),
    [victim.owner],
  );
  const err = parseRegistryError(rejected);

  const deviceRent = rt.minimumBalanceForRentExemption(
    rt.getAccount(findDevicePda({ deviceKey: victim.key.publicKey })[0])!.data.length,
  );
  const rows: [string, string][] = [
    ['devices registered + named', `${N}`],
    [
      'registration throughput',
      `${((N / registerMs) * 1000).toFixed(0)} tx/s (device_register + name_register per tx)`,
    ],
    [
      'lookups (name, key, LFDI, reverse)',
      `${resolved}/${N} consistent, ${(((4 * N) / resolveMs) * 1000).toFixed(0)} lookups/s`,
    ],
    ['rent per device record', `${deviceRent} lamports`],
    ['revoked device reuse', `${err ? `${err.errorName} (${err.code})` : 'NOT REJECTED'}`],
    ['register+name tx size', `${txBytes} of 1232 bytes (4 signatures)`],
    ['total time', `${((performance.now() - t0) / 1000).toFixed(1)} s`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log('\nOpenVPP registry demo (embedded runtime: native programs + SPL Token-2022 SBF)\n');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  if (resolved !== N || !isRegistryError(rejected, 'DeviceNotActive')) {
    console.error('\ndemo invariant failed');
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
