// `openvpp demo enroll-csv`: embedded runtime only. Onboards a demo utility and vendor (localnet
// fixtures from @openvpp/localnet), then registers, names, enrolls and routes a CSV fleet.
import { Command } from 'commander';
import { Keypair, PublicKey } from '@solana/web3.js';
import fs from 'node:fs';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_OPENADR3,
  deviceRegisterInstructions,
  enrollmentRequestInstructions,
  findDevicePda,
  nameRegisterInstructions,
  parseRegistryError,
  parseRoutingError,
} from '@openvpp/sdk/web3';
import { approveAndRouteInstructions, attestDemoEndpoint, createDrProgram, onboardPartners } from '@openvpp/localnet';

import { type DeviceRow, parseDeviceCsv } from './csv';
import { progress, usage } from './util';

/**
 * Bulk enrollment on the embedded runtime: onboard a utility and a vendor, register and name
 * every CSV device, enroll it in a DR program, approve it and publish its route.
 */
export function enrollCsv(
  rows: DeviceRow[],
  {
    endpoint,
    onProgress,
    unixTimestamp,
  }: {
    endpoint: string;
    onProgress?: (d: number) => void;
    /** The clock the fleet is registered (and its owners claim) at; default: the runtime's. */
    unixTimestamp?: bigint;
  },
) {
  const rt = Runtime.start();
  if (unixTimestamp !== undefined) rt.setUnixTimestamp(unixTimestamp);
  const payer = rt.payer.publicKey;
  const ca = new Uint8Array(32).fill(7);
  const partners = onboardPartners(rt, { caFingerprints: [ca], utilityName: 'Utility', vendorName: 'Vendor' });
  const { utility, vendor, vendorPda } = partners;
  const program = createDrProgram(rt, partners);
  // Embedded demo only: the endpoint is attested without a probe (see `openvpp probe`).
  attestDemoEndpoint(rt, { admin: partners.admin, endpoint });
  const results: { line: number; name: string; device?: string; error?: string }[] = [];
  const fleet = new Map<string, { device: PublicKey; key: Keypair; owner: Keypair }>();
  rows.forEach((row, i) => {
    const key = Keypair.generate();
    const owner = Keypair.generate();
    const device = findDevicePda({ deviceKey: key.publicKey })[0];
    const fp = new Uint8Array(32).fill(0x3c);
    new DataView(fp.buffer).setUint32(0, i + 1);
    const registered = rt.tryInstructions(
      [
        ...deviceRegisterInstructions({
          vendorAuthority: vendor.publicKey,
          deviceKey: key.publicKey,
          payer,
          owner: owner.publicKey,
          ownerSigns: true,
          deviceType: row.type,
          capabilities: {
            flags: CAP_IMPORT | CAP_EXPORT,
            protocols: row.protocols,
            maxImportW: row.maxImportW,
            maxExportW: 0,
            energyCapacityWh: 0n,
          },
          certFingerprint: fp,
          issuerCa: ca,
          certNotAfter: 4_102_444_800n,
        }),
        ...nameRegisterInstructions({ target: device, authority: owner.publicKey, payer, name: row.name }),
        ...enrollmentRequestInstructions({ program, device, vendor: vendorPda, requester: vendor.publicKey, payer }),
      ],
      [vendor, key, owner],
    );
    let error = registered.err ? (parseRegistryError(registered)?.errorName ?? registered.err.message) : undefined;
    if (!error && row.protocols & PROTOCOL_OPENADR3) {
      const routed = rt.tryInstructions(
        approveAndRouteInstructions({ program, utility: utility.publicKey, device, payer, endpoint }),
        [utility],
      );
      if (routed.err) error = parseRoutingError(routed)?.errorName ?? routed.err.message;
    } else if (!error) {
      error = 'device does not speak OpenADR 3 (left requested)';
    }
    results.push({ line: row.line, name: row.name, device: device.toBase58(), ...(error && { error }) });
    if (!registered.err) fleet.set(row.name, { device, key, owner });
    onProgress?.(i + 1);
  });
  return { rt, program, results, partners, fleet };
}

export function register(parent: Command, name = 'enroll-csv', opts: { hidden?: boolean } = {}) {
  parent
    .command(name, opts)
    .description(
      'register, name, enroll and route every device of a CSV (name,type,max_import_w,protocols) on the embedded runtime',
    )
    .requiredOption('--csv <file>', 'CSV file')
    .option('--endpoint <url>', 'OpenADR 3 VTN endpoint for the routes', 'https://vtn.example.org/openadr3')
    .action((opts: { csv: string; endpoint: string }) => {
      const { rows, errors } = parseDeviceCsv(fs.readFileSync(opts.csv, 'utf8'));
      if (errors.length) {
        return usage(errors.join('\n'));
      }
      const { rt, program, results } = enrollCsv(rows, {
        endpoint: opts.endpoint,
        onProgress: (d) => progress(d, rows.length),
      });
      const failed = results.filter((r) => r.error);
      console.log(
        JSON.stringify({ program: program.toBase58(), enrolled: results.length - failed.length, failed }, null, 2),
      );
      rt.close();
      if (failed.length) process.exitCode = 1;
    });
}
