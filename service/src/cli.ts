// openvpp: onboard partners, bulk-enroll devices from CSV, settle readings, serve the API and
// resolve routes from the command line.
import { Command, InvalidArgumentError } from 'commander';
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import fs from 'node:fs';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type DeviceType,
  certificateFingerprint,
  configInitInstructions,
  fetchTariff,
  fetchTokenAmount,
  findPartnerPda,
  findTariffPda,
  findUsdeMintPda,
  meterOpenInstructions,
  meterSettleInstructions,
  parsePaymentsError,
  partnerRegisterInstructions,
  quoteReading,
  tariffCreateInstructions,
  tariffRevisionFor,
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

import { InsecureApiKeyError, assertStrongApiKey, buildApp, generateApiKey } from './app';
import { rpcBackend, runtimeBackend, type Backend } from './backend';
import { createDrProgram, fundOwner, initPayments, localnetAdmin, onboardPartners, seedWorld } from './seed';

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
    if (!registered.err) fleet.set(row.name, { device, key, owner });
    onProgress?.(i + 1);
  });
  return { rt, program, results, partners, fleet };
}

/**
 * Settlement on the embedded runtime: enrolls the CSV fleet, publishes a flat tariff with
 * hourly metering intervals (from yesterday 00:00 UTC), then funds each owner through
 * `fundOwner` (50 USDE, a 50 USDE settlement allowance and a mandate for the device and the
 * utility) and settles every reading, signed by its device for the tariff revision covering
 * its hour and relayed in its own transaction. Each refusal is reported by line.
 */
export async function settleCsv(
  devices: DeviceRow[],
  readings: ReadingRow[],
  { pricePerKwh }: { pricePerKwh: bigint },
) {
  const { rt, partners, fleet } = enrollCsv(devices, { endpoint: 'https://vtn.example.org/openadr3' });
  const payer = rt.payer.publicKey;
  const usdcMint = initPayments(rt, { authority: partners.admin.publicKey });
  const usde = findUsdeMintPda()[0];
  const treasury = getAssociatedTokenAddressSync(usde, partners.utility.publicKey, true, TOKEN_2022_PROGRAM_ID);
  rt.processInstructions([
    createAssociatedTokenAccountIdempotentInstruction(
      payer,
      treasury,
      partners.utility.publicKey,
      usde,
      TOKEN_2022_PROGRAM_ID,
    ),
  ]);
  const now = BigInt(rt.getClock().unixTimestamp);
  const day = now - (now % 86_400n) - 86_400n;
  rt.processInstructions(
    tariffCreateInstructions({
      utility: partners.utilityPda,
      authority: partners.utility.publicKey,
      payer,
      tariffId: 1,
      effectiveFrom: day,
      intervals: [{ startMinute: 0, importPrice: pricePerKwh, exportPrice: 0n }],
      intervalSecs: 3_600,
    }),
    [partners.utility],
  );
  const tariffAddress = findTariffPda({ utility: partners.utilityPda, tariffId: 1 })[0];
  const tariff = (await fetchTariff(rt, { address: tariffAddress }))!;
  for (const { device, owner } of fleet.values()) {
    rt.processInstructions(meterOpenInstructions({ device, payer }));
    fundOwner(rt, { owner, usdcMint, amount: 50_000_000n, device, utility: partners.utilityPda });
  }
  const outcomes: { line: number; device: string; amount?: string; error?: string }[] = [];
  for (const r of readings) {
    const d = fleet.get(r.device);
    if (!d) {
      outcomes.push({ line: r.line, device: r.device, error: 'unknown device' });
      continue;
    }
    const intervalStart = day + BigInt(r.hour) * 3600n;
    const reading = {
      revision: tariffRevisionFor(tariff, intervalStart) ?? tariff.revision,
      seq: r.seq,
      intervalStart,
      importWh: r.importWh,
      exportWh: 0n,
    };
    const out = rt.tryInstructions(
      meterSettleInstructions({
        device: d.device,
        deviceKey: d.key.publicKey,
        owner: d.owner.publicKey,
        tariff: tariffAddress,
        utility: partners.utilityPda,
        utilityTreasury: treasury,
        reading,
        deviceSecretKey: d.key.secretKey,
      }),
    );
    outcomes.push(
      out.err
        ? { line: r.line, device: r.device, error: parsePaymentsError(out)?.errorName ?? out.err.message }
        : { line: r.line, device: r.device, amount: quoteReading(tariff, reading)!.amount.toString() },
    );
  }
  const paid = await fetchTokenAmount(rt, treasury);
  return { rt, outcomes, paid };
}

/** Onboards a partner: on a cluster through `backend`, or as a dry run on a fresh runtime. */
export async function onboardPartner({
  backend,
  authority,
  partner,
  kind,
  name,
  caPems,
}: {
  backend: Backend;
  authority: Keypair;
  partner: Keypair;
  kind: 'utility' | 'vendor';
  name: string;
  caPems: string[];
}) {
  const caFingerprints = caPems.map((pem) => certificateFingerprint(pem));
  const ixs = partnerRegisterInstructions({
    authority: authority.publicKey,
    partnerAuthority: partner.publicKey,
    payer: backend.payer.publicKey,
    kind,
    name,
    caFingerprints,
  });
  const { signature } = await backend.send(ixs, [authority, partner]);
  return {
    signature,
    partner: findPartnerPda({ authority: partner.publicKey })[0].toBase58(),
    caFingerprints: caFingerprints.map((f) => Buffer.from(f).toString('hex')),
  };
}

/** A row of the readings CSV: `device,seq,hour,import_wh` (device = name from enroll-csv). */
export interface ReadingRow {
  line: number;
  device: string;
  seq: bigint;
  hour: number;
  importWh: bigint;
}

export function parseReadingCsv(text: string): { rows: ReadingRow[]; errors: string[] } {
  const rows: ReadingRow[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.shift()?.replace(/\s/g, '') !== 'device,seq,hour,import_wh') {
    return { rows, errors: ['line 1: header must be device,seq,hour,import_wh'] };
  }
  lines.forEach((l, i) => {
    const [device, seq, hour, wh] = l.split(',').map((c) => c.trim());
    const problems: string[] = [];
    if (!isValidName(device ?? '')) problems.push('device must be a registered name');
    if (!/^[1-9][0-9]{0,18}$/.test(seq ?? '')) problems.push('seq must be a positive integer');
    if (!/^([01]?[0-9]|2[0-3])$/.test(hour ?? '')) problems.push('hour must be 0..23');
    if (!/^[0-9]{1,15}$/.test(wh ?? '')) problems.push('import_wh must be a non-negative integer');
    if (problems.length) errors.push(`line ${i + 2}: ${problems.join('; ')}`);
    else rows.push({ line: i + 2, device, seq: BigInt(seq), hour: Number(hour), importWh: BigInt(wh) });
  });
  return { rows, errors };
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/**
 * The API key `serve` runs with: the one given (--api-key or OVPP_API_KEY), which must be strong;
 * none given on a cluster (--rpc) is refused; none given on the embedded dev runtime gets a fresh
 * random key for this run. Throws `InsecureApiKeyError`.
 */
export function resolveServeApiKey({ apiKey, rpc }: { apiKey?: string; rpc?: string }): {
  apiKey: string;
  generated: boolean;
} {
  if (apiKey === undefined) {
    if (rpc) throw new InsecureApiKeyError('empty', 'serving a cluster (--rpc) needs an API key');
    return { apiKey: generateApiKey(), generated: true };
  }
  assertStrongApiKey(apiKey);
  return { apiKey, generated: false };
}

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
    .description(
      'run the routing & integration API: on a Solana RPC (--rpc) or the embedded runtime seeded with enrolled devices',
    )
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port', positiveInt, 8787)
    .option('--devices <n>', 'devices to seed (embedded)', positiveInt, 100)
    .option(
      '--api-key <key>',
      'x-api-key for writes, at least 32 characters (e.g. `openssl rand -hex 32`; default: OVPP_API_KEY; embedded runtime without one: a random key, printed)',
      process.env.OVPP_API_KEY,
    )
    .option('--rpc <url>', 'Solana RPC URL (default: embedded runtime)')
    .option('--payer-keypair <file>', 'fee payer keypair JSON (with --rpc)')
    .option('--utility-keypair <file>', 'utility authority keypair JSON: decisions and routes (with --rpc)')
    .option('--protocol-keypair <file>', 'protocol authority keypair JSON: attestations (with --rpc)')
    .action(
      async (opts: {
        host: string;
        port: number;
        devices: number;
        apiKey?: string;
        rpc?: string;
        payerKeypair?: string;
        utilityKeypair?: string;
        protocolKeypair?: string;
      }) => {
        let apiKey: string;
        try {
          const resolved = resolveServeApiKey(opts);
          apiKey = resolved.apiKey;
          if (resolved.generated) {
            console.error(`openvpp serve: no --api-key given; this embedded run's random x-api-key is ${apiKey}`);
          }
        } catch (e) {
          if (!(e instanceof InsecureApiKeyError)) throw e;
          console.error(e.message);
          process.exitCode = 2;
          return;
        }
        const readKey = (f?: string) =>
          f ? Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(f, 'utf8')))) : undefined;
        if (opts.rpc) {
          const payer = readKey(opts.payerKeypair);
          if (!payer) {
            console.error('--rpc needs --payer-keypair');
            process.exitCode = 2;
            return;
          }
          const backend = rpcBackend(new Connection(opts.rpc, 'confirmed'), payer);
          const app = buildApp({
            backend,
            apiKey,
            utilityKey: readKey(opts.utilityKeypair),
            protocolKey: readKey(opts.protocolKeypair),
            logger: true,
          });
          await app.listen({ host: opts.host, port: opts.port });
          return;
        }
        const world = seedWorld({ devices: opts.devices, onProgress: (d) => progress(d, opts.devices) });
        const app = buildApp({
          backend: runtimeBackend(world.rt),
          apiKey,
          utilityKey: world.utility,
          protocolKey: world.admin,
          logger: true,
        });
        await app.listen({ host: opts.host, port: opts.port });
        console.log(JSON.stringify({ program: world.program.toBase58(), sampleDevice: world.devices[0]?.toBase58() }));
      },
    );

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

  cli
    .command('settle')
    .description(
      'enroll a CSV fleet, fund its owners (USDE, settlement allowance, mandate) and settle device-signed hourly readings (device,seq,hour,import_wh) at the tariff revision on the embedded runtime',
    )
    .requiredOption('--devices <file>', 'devices CSV (as for enroll-csv)')
    .requiredOption('--readings <file>', 'readings CSV: device,seq,hour,import_wh')
    .option('--price <raw>', 'import price, raw USDE (6 decimals) per kWh', positiveInt, 150_000)
    .action(async (opts: { devices: string; readings: string; price: number }) => {
      const devices = parseDeviceCsv(fs.readFileSync(opts.devices, 'utf8'));
      const readings = parseReadingCsv(fs.readFileSync(opts.readings, 'utf8'));
      const errors = [...devices.errors.map((e) => `devices ${e}`), ...readings.errors.map((e) => `readings ${e}`)];
      if (errors.length) {
        for (const e of errors) console.error(e);
        process.exitCode = 2;
        return;
      }
      const { rt, outcomes, paid } = await settleCsv(devices.rows, readings.rows, { pricePerKwh: BigInt(opts.price) });
      const failed = outcomes.filter((o) => o.error);
      console.log(
        JSON.stringify({ settled: outcomes.length - failed.length, paidToUtility: paid.toString(), failed }, null, 2),
      );
      rt.close();
      if (failed.length) process.exitCode = 1;
    });

  cli
    .command('onboard')
    .description('onboard a utility or vendor partner (on --rpc, or as a dry run on the embedded runtime)')
    .requiredOption('--kind <kind>', 'utility | vendor')
    .requiredOption('--name <name>', 'display name (1..=64 bytes)')
    .option('--ca <pem...>', 'CA root certificate files (vendors)')
    .option('--rpc <url>', 'Solana RPC URL (default: embedded dry run)')
    .option('--authority-keypair <file>', 'protocol authority keypair JSON (with --rpc)')
    .option('--partner-keypair <file>', "partner's keypair JSON (with --rpc)")
    .action(
      async (opts: {
        kind: string;
        name: string;
        ca?: string[];
        rpc?: string;
        authorityKeypair?: string;
        partnerKeypair?: string;
      }) => {
        if (opts.kind !== 'utility' && opts.kind !== 'vendor') {
          console.error('--kind must be utility or vendor');
          process.exitCode = 2;
          return;
        }
        const readKey = (f: string) => Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(f, 'utf8'))));
        let backend: Backend;
        let authority: Keypair;
        let partner: Keypair;
        let rt: Runtime | undefined;
        if (opts.rpc) {
          if (!opts.authorityKeypair || !opts.partnerKeypair) {
            console.error('--rpc needs --authority-keypair and --partner-keypair');
            process.exitCode = 2;
            return;
          }
          authority = readKey(opts.authorityKeypair);
          partner = readKey(opts.partnerKeypair);
          backend = rpcBackend(new Connection(opts.rpc, 'confirmed'), authority);
        } else {
          rt = Runtime.start();
          authority = Keypair.generate();
          partner = Keypair.generate();
          const deployer = localnetAdmin();
          rt.processInstructions(
            configInitInstructions({
              payer: rt.payer.publicKey,
              authority: authority.publicKey,
              deployer: deployer.publicKey,
            }),
            [deployer],
          );
          backend = runtimeBackend(rt);
        }
        try {
          const caPems = (opts.ca ?? []).map((f) => fs.readFileSync(f, 'utf8'));
          const out = await onboardPartner({ backend, authority, partner, kind: opts.kind, name: opts.name, caPems });
          console.log(JSON.stringify({ mode: opts.rpc ? 'rpc' : 'embedded dry run', ...out }, null, 2));
        } catch (e) {
          const typed = parseRegistryError(e);
          console.error(typed ? `${typed.errorName}: ${typed.message}` : (e as Error).message);
          process.exitCode = 1;
        } finally {
          rt?.close();
        }
      },
    );

  return cli.parseAsync(argv);
}
