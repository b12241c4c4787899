// openvpp: onboard, bulk-enroll, serve and resolve from the command line.
import { Command, InvalidArgumentError } from 'commander';
import { Keypair, PublicKey } from '@solana/web3.js';
import fs from 'node:fs';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type DeviceType,
  deviceRegisterInstructions,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findDevicePda,
  isValidName,
  nameRegisterInstructions,
  parseRegistryError,
  parseRoutingError,
  routeSetInstructions,
} from '@openvpp/sdk';

import { buildApp } from './app';
import { runtimeBackend } from './backend';
import { createDrProgram, onboardPartners, seedWorld } from './seed';

const DEVICE_TYPES: DeviceType[] = ['meter', 'evCharger', 'battery', 'inverter', 'thermostat', 'other'];
const PROTOCOLS: Record<string, number> = {
  openadr3: PROTOCOL_OPENADR3,
  ieee2030_5: PROTOCOL_IEEE2030_5,
  ocpp201: PROTOCOL_OCPP201,
};

/** A row of the bulk-enrollment CSV: `name,type,max_import_w,protocols` (protocols `a|b`). */
export interface DeviceRow {
  line: number;
  name: string;
  type: DeviceType;
  maxImportW: number;
  protocols: number;
}

/** Parses and validates the CSV; every problem is reported with its line number. */
export function parseDeviceCsv(text: string): { rows: DeviceRow[]; errors: string[] } {
  const rows: DeviceRow[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (!header || header.join(',') !== 'name,type,max_import_w,protocols') {
    return { rows, errors: ['line 1: header must be name,type,max_import_w,protocols'] };
  }
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const line = i + 2;
    const [name, type, watts, protocols] = l.split(',').map((c) => c.trim());
    const problems: string[] = [];
    if (!isValidName(name ?? '')) problems.push(`invalid name ${JSON.stringify(name)}`);
    if (seen.has(name)) problems.push(`duplicate name ${name}`);
    if (!DEVICE_TYPES.includes(type as DeviceType)) problems.push(`type must be one of ${DEVICE_TYPES.join('|')}`);
    const w = Number(watts);
    if (!Number.isInteger(w) || w <= 0 || w > 0xffffffff) problems.push('max_import_w must be a positive integer');
    const bits = (protocols ?? '').split('|').map((p) => PROTOCOLS[p]);
    if (bits.some((b) => b === undefined))
      problems.push(`protocols must be ${Object.keys(PROTOCOLS).join('|')} joined by |`);
    if (problems.length) errors.push(`line ${line}: ${problems.join('; ')}`);
    else {
      seen.add(name);
      rows.push({ line, name, type: type as DeviceType, maxImportW: w, protocols: bits.reduce((a, b) => a | b, 0) });
    }
  });
  return { rows, errors };
}

function progress(done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

/**
 * Bulk enrollment on the embedded runtime: onboard a utility and a vendor, register and name
 * every CSV device, enroll it in a DR program, approve it and publish its route.
 */
export function enrollCsv(
  rows: DeviceRow[],
  { endpoint, onProgress }: { endpoint: string; onProgress?: (d: number) => void },
) {
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  const ca = new Uint8Array(32).fill(7);
  const partners = onboardPartners(rt, { caFingerprints: [ca], utilityName: 'Utility', vendorName: 'Vendor' });
  const { utility, vendor, vendorPda } = partners;
  const program = createDrProgram(rt, partners);
  const results: { line: number; name: string; device?: string; error?: string }[] = [];
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
        [
          ...enrollmentDecideInstructions({ program, authority: utility.publicKey, device, approve: true }),
          ...routeSetInstructions({
            program,
            authority: utility.publicKey,
            device,
            payer,
            protocol: 'openAdr3Vtn',
            endpoint,
            certPins: [new Uint8Array(32).fill(0xab)],
            expiresAt: 4_102_444_800n,
          }),
        ],
        [utility],
      );
      if (routed.err) error = parseRoutingError(routed)?.errorName ?? routed.err.message;
    } else if (!error) {
      error = 'device does not speak OpenADR 3 (left requested)';
    }
    results.push({ line: row.line, name: row.name, device: device.toBase58(), ...(error && { error }) });
    onProgress?.(i + 1);
  });
  return { rt, program, results };
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

export function main(argv: string[]) {
  const cli = new Command('openvpp').description('OpenVPP command line: bulk enrollment, API service, resolution');

  cli
    .command('enroll-csv')
    .description(
      'register, name, enroll and route every device of a CSV (name,type,max_import_w,protocols) on the embedded runtime',
    )
    .requiredOption('--csv <file>', 'CSV file')
    .option('--endpoint <url>', 'OpenADR 3 VTN endpoint for the routes', 'https://vtn.example.org/openadr3')
    .action((opts: { csv: string; endpoint: string }) => {
      const { rows, errors } = parseDeviceCsv(fs.readFileSync(opts.csv, 'utf8'));
      if (errors.length) {
        for (const e of errors) console.error(e);
        process.exitCode = 2;
        return;
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

  cli
    .command('serve')
    .description('run the routing & integration API on the embedded runtime, seeded with enrolled devices')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port', positiveInt, 8787)
    .option('--devices <n>', 'devices to seed', positiveInt, 100)
    .option('--api-key <key>', 'x-api-key for writes', process.env.OVPP_API_KEY ?? 'change-me')
    .action(async (opts: { host: string; port: number; devices: number; apiKey: string }) => {
      const world = seedWorld({ devices: opts.devices, onProgress: (d) => progress(d, opts.devices) });
      const app = buildApp({
        backend: runtimeBackend(world.rt),
        apiKey: opts.apiKey,
        utilityKey: world.utility,
        protocolKey: world.admin,
        logger: true,
      });
      await app.listen({ host: opts.host, port: opts.port });
      console.log(JSON.stringify({ program: world.program.toBase58(), sampleDevice: world.devices[0]?.toBase58() }));
    });

  cli
    .command('resolve')
    .description("ask a running service for a device's connection parameters")
    .requiredOption('--device <pubkey>', 'registry device account')
    .requiredOption('--program <pubkey>', 'routing program account')
    .option('--service <url>', 'service base URL', 'http://127.0.0.1:8787')
    .action(async (opts: { device: string; program: string; service: string }) => {
      for (const k of [opts.device, opts.program]) {
        try {
          new PublicKey(k);
        } catch {
          console.error(`not a public key: ${k}`);
          process.exitCode = 2;
          return;
        }
      }
      const res = await fetch(`${opts.service}/v1/resolve?device=${opts.device}&program=${opts.program}`);
      console.log(JSON.stringify(await res.json(), null, 2));
      if (res.status !== 200) process.exitCode = 1;
    });

  return cli.parseAsync(argv);
}
