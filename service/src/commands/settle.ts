// `openvpp demo settle`: embedded runtime only. Enrolls a CSV fleet (as `demo enroll-csv`),
// initialises payments with the localnet USDC, funds the owners and settles device-signed readings.
import { Command } from 'commander';
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import fs from 'node:fs';

import {
  type TariffRevision,
  fetchTariff,
  fetchTariffRevision,
  fetchTokenAmount,
  findTariffPda,
  findUsdeMintPda,
  meterOpenInstructions,
  meterSettleInstructions,
  parsePaymentsError,
  quoteReading,
  tariffBindInstructions,
  tariffCreateInstructions,
  tariffRevisionFor,
} from '@openvpp/sdk/web3';
import { fundOwner, initPayments } from '@openvpp/localnet';

import { type DeviceRow, type ReadingRow, parseDeviceCsv, parseReadingCsv } from './csv';
import { enrollCsv } from './enroll-csv';
import { positiveInt, usage } from './util';

/**
 * Settlement on the embedded runtime: enrolls the CSV fleet (registered and claimed at
 * yesterday 00:00 UTC, before the metered hours), publishes a flat tariff with hourly metering
 * intervals from then (30-day settlement window), binds every device whose enrollment the
 * utility approved to it (`tariff_bind`), then funds each owner through `fundOwner` (50 USDE,
 * a 50 USDE settlement allowance and a mandate for the device and the utility) and settles
 * every reading, signed by its device for the tariff revision covering its hour and relayed in
 * its own transaction. Each refusal is reported by line (`NotEnrolled` for a device left
 * unapproved).
 */
export async function settleCsv(
  devices: DeviceRow[],
  readings: ReadingRow[],
  { pricePerKwh }: { pricePerKwh: bigint },
) {
  const wall = BigInt(Math.floor(Date.now() / 1000));
  const day = wall - (wall % 86_400n) - 86_400n;
  const { rt, partners, fleet, program } = enrollCsv(devices, {
    endpoint: 'https://vtn.example.org/openadr3',
    unixTimestamp: day,
  });
  rt.setUnixTimestamp(wall);
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
  rt.processInstructions(
    tariffCreateInstructions({
      utility: partners.utilityPda,
      authority: partners.utility.publicKey,
      payer,
      tariffId: 1,
      effectiveFrom: day,
      intervals: [{ startMinute: 0, importPrice: pricePerKwh, exportPrice: 0n }],
      intervalSecs: 3_600,
      settlementWindowSecs: 30 * 86_400,
      // Imports only (no export price): the cap is a formality.
      exportCap: { maxCredit: 1_000_000n, periodSecs: 86_400 },
    }),
    [partners.utility],
  );
  const tariffAddress = findTariffPda({ utility: partners.utilityPda, tariffId: 1 })[0];
  const tariff = (await fetchTariff(rt, { address: tariffAddress }))!;
  const revisions = new Map<number, TariffRevision | null>();
  const revisionAccount = async (revision: number) => {
    if (!revisions.has(revision)) {
      revisions.set(revision, await fetchTariffRevision(rt, { tariff: tariffAddress, revision }));
    }
    return revisions.get(revision) ?? null;
  };
  for (const { device, owner } of fleet.values()) {
    // Only a device whose enrollment the utility approved can be bound; the others' readings
    // are refused at settlement (`NotEnrolled`).
    rt.tryInstructions(
      tariffBindInstructions({ tariff: tariffAddress, authority: partners.utility.publicKey, device, program, payer }),
      [partners.utility],
    );
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
        program,
        utility: partners.utilityPda,
        utilityTreasury: treasury,
        reading,
        deviceSecretKey: d.key.secretKey,
      }),
    );
    const revision = out.err ? null : await revisionAccount(reading.revision);
    outcomes.push(
      out.err
        ? { line: r.line, device: r.device, error: parsePaymentsError(out)?.errorName ?? out.err.message }
        : { line: r.line, device: r.device, amount: quoteReading(revision!, reading)!.amount.toString() },
    );
  }
  const paid = await fetchTokenAmount(rt, treasury);
  return { rt, outcomes, paid };
}

export function register(parent: Command, name = 'settle', opts: { hidden?: boolean } = {}) {
  parent
    .command(name, opts)
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
        return usage(errors.join('\n'));
      }
      const { rt, outcomes, paid } = await settleCsv(devices.rows, readings.rows, { pricePerKwh: BigInt(opts.price) });
      const failed = outcomes.filter((o) => o.error);
      console.log(
        JSON.stringify({ settled: outcomes.length - failed.length, paidToUtility: paid.toString(), failed }, null, 2),
      );
      rt.close();
      if (failed.length) process.exitCode = 1;
    });
}
