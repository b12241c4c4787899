// End-to-end demo over a Sender (@openvpp/localnet): the embedded in-process runtime, or a
// JSON-RPC node with --rpc:
//   1. a utility and a device vendor are onboarded; a fleet of devices is registered from
//      certificates and named, then resolved by name, key, LFDI and reverse record;
//   2. device owners wrap USDC into USDE, approve the settlement delegate and give the utility
//      a capped mandate for their device (one `fundOwner` transaction each);
//   3. the utility publishes an hourly time-of-use tariff and funds its export escrow; every
//      meter signs readings for the tariff revision (aligned hourly intervals, in sequence)
//      that a relayer settles (ed25519 precompile): off-peak import, midday export paid from
//      the escrow (debt recorded when it runs short, paid after a refill), peak import;
//   2b. a DR program: vendors enroll devices, the utility approves and publishes routes through
//      the HTTP API, devices resolve their OpenADR 3 VTN over it;
//   3b. a kWh market priced by a Switchboard feed; unit tokens move only between members;
//   4. a demand-response event pays flexibility rewards; one device is revoked and its next
//      reading is refused. The USDE reserve invariant is checked at the end.
//
//   npm run demo                 # 1,000 devices
//   DEVICES=250 npm run demo     # quicker
//   npm run demo -- --rpc http://127.0.0.1:8899   # over JSON-RPC against `openvpp localnet`
//     (its development cheatcodes set the clock and the Switchboard feed)
//   npm run demo -- --serve [--port 8787]   # then leave OpenVPP World running on the demo's world
//     (the embedded runtime behind an in-process local node; the app at the printed URL, with
//     demo wallets holding a demo owner's and the utility's keys; Ctrl-C stops it)
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Connection, Keypair, PublicKey, Transaction } from '@solana/web3.js';
import fs from 'node:fs';
import path from 'node:path';

import {
  RpcSender,
  RuntimeSender,
  apply,
  ledgeredSender,
  startLocalnet,
  buildWorld,
  demoEndpointPlan,
  drProgramPlan,
  fundOwnerPlan,
  mintUsdcPlan,
  paymentsPlan,
  tariffPlan,
} from '@openvpp/localnet';
import type { Sender } from '@openvpp/sdk';
import { appDir, demoWalletOptions } from '@openvpp/app';
import { buildApp, generateApiKey, rpcBackend, runtimeBackend, startAppServer } from '@openvpp/service';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  CAP_METERING,
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type DeviceType,
  certificateFingerprint,
  deviceIdentity,
  deviceClaimInstructions,
  deviceOwnerTransferInstructions,
  deviceRegisterInstructions,
  deviceStatusSetInstructions,
  drEventCloseInstructions,
  drEventCreateInstructions,
  drRewardPayInstructions,
  findRegistryConfigPda,
  findUnitMintPda,
  memberRegisterInstructions,
  parseHookError,
  quoteUnitBuy,
  unitBuyInstructions,
  unitMarketCreateInstructions,
  unitTransferInstructions,
  enrollmentRequestInstructions,
  fetchDevice,
  fetchDeviceByLfdi,
  fetchMeter,
  findUsdeAccount,
  fetchReserve,
  fetchTariff,
  fetchTariffBinding,
  fetchTariffRevision,
  findExportVaultPda,
  fetchReverseRecord,
  fetchTokenAmount,
  findDevicePda,
  findDrEventPda,
  findUsdeMintPda,
  mandateRevokeInstructions,
  meterExportClaimInstructions,
  meterOpenInstructions,
  meterSettleInstructions,
  nameRegisterInstructions,
  parsePaymentsError,
  parseRegistryError,
  resolveDeviceName,
  tariffExportFundInstructions,
  tariffBindInstructions,
  tariffRevisionFor,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';

const N = Number(process.env.DEVICES ?? 1000);
/** `--rpc <url>`: run against a JSON-RPC node (`openvpp localnet`) instead of the embedded runtime. */
const RPC = (() => {
  const at = process.argv.findIndex((a) => a === '--rpc' || a.startsWith('--rpc='));
  if (at < 0) return undefined;
  const url = process.argv[at].startsWith('--rpc=') ? process.argv[at].slice('--rpc='.length) : process.argv[at + 1];
  if (!url) throw new Error('--rpc needs a URL, e.g. --rpc http://127.0.0.1:8899');
  return url;
})();
/** `--serve`: leave the app and its API running on the demo's world; `--port` (default 8787). */
const SERVE = process.argv.includes('--serve');
const PORT = (() => {
  const at = process.argv.indexOf('--port');
  if (at < 0) return 8787;
  const port = Number(process.argv[at + 1]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error('--port needs a port number, e.g. --port 8787');
  return port;
})();
const TYPES: DeviceType[] = ['meter', 'evCharger', 'battery', 'inverter'];
const USDC = 1_000_000n;

interface Fleet {
  key: Keypair;
  owner: Keypair;
  name: string;
  lfdi: Uint8Array;
  device: PublicKey;
}

/**
 * The HTTP API's connection to the node. web3.js reuses a blockhash for 30 s, but under the
 * demo's load the localnet's runtime registers blockhashes faster than slots pass (README,
 * "Local node", known gaps) and expires it first: fetch one per transaction instead.
 */
function rpcConnection(url: string): Connection {
  const connection = new Connection(url, 'confirmed');
  (connection as unknown as { _disableBlockhashCaching: boolean })._disableBlockhashCaching = true;
  return connection;
}

function rate(count: number, ms: number): string {
  return `${((count / ms) * 1000).toFixed(0)}/s`;
}

const usd = (raw: bigint) => `${Number(raw) / 1e6}`;

async function main() {
  const t0 = performance.now();
  // Served, the embedded runtime sits behind an in-process local node, so the indexer can follow
  // it over JSON-RPC and PubSub like any cluster.
  const net = SERVE && !RPC ? await startLocalnet({ port: 0, slotMs: 400 }) : undefined;
  const embedded = RPC ? undefined : net ? ledgeredSender(net.node) : RuntimeSender.start();
  const rpc = RPC ? await RpcSender.connect(RPC) : undefined;
  const sender: Sender = embedded ?? rpc!;
  if (rpc && (await rpc.getAccount(findRegistryConfigPda()[0]))) {
    // The demo onboards the protocol itself (the registry config, the payments mints).
    console.error(`demo: ${RPC} already holds a registry config; start a fresh localnet (a new --ledger directory)`);
    rpc.close();
    process.exit(2);
  }
  const payer = sender.payer.publicKey;
  const ca = certificateFingerprint(
    fs.readFileSync(path.join(__dirname, '../../testing/fixtures/certs/ca.pem'), 'utf8'),
  );
  const rows: [string, string][] = [];

  // 1. Registry.
  const { admin, utility, vendor, utilityPda, vendorPda } = await buildWorld(sender, {
    partners: { caFingerprints: [ca], utilityName: 'Gridco Energy', vendorName: 'Acme DER Devices' },
  });
  // The partners' handles ('gridco', 'acme') were reserved with their names at onboarding.
  // The metered day is the next UTC day: owners claim their devices before its first interval
  // (a reading of an interval that began before any owner's claim bills nobody:
  // `ReadingBeforeOwnership`); the clock then moves forward past it (a node's clock follows
  // wall time and only moves forward).
  const DAY = (BigInt((await sender.getClock()).unixTimestamp) / 86_400n + 1n) * 86_400n;

  let t = performance.now();
  const fleet: Fleet[] = [];
  let txBytes = 0;
  for (let i = 0; i < N; i++) {
    const key = Keypair.generate();
    const owner = Keypair.generate();
    // A per-device "certificate": in production the vendor's manufacturing CA issues it.
    const id = deviceIdentity(Buffer.concat([Buffer.from('demo-device-cert-'), key.publicKey.toBuffer()]));
    const name = `${TYPES[i % 4].toLowerCase()}-${String(i).padStart(5, '0')}.acme`;
    const device = findDevicePda({ deviceKey: key.publicKey })[0];
    const ixs = [
      ...deviceRegisterInstructions({
        vendorAuthority: vendor.publicKey,
        deviceKey: key.publicKey,
        payer,
        owner: owner.publicKey,
        ownerSigns: true, // the owner co-signs: claimed at once (else it claims it later)
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
      ...nameRegisterInstructions({ target: device, authority: owner.publicKey, payer, name }),
    ];
    if (i === 0) {
      const tx = new Transaction({ feePayer: payer, recentBlockhash: await sender.latestBlockhash() }).add(...ixs);
      tx.sign(sender.payer, vendor, key, owner);
      txBytes = tx.serialize().length;
    }
    await sender.send(ixs, [vendor, key, owner]);
    fleet.push({ key, owner, name, lfdi: id.lfdi, device });
  }
  rows.push(['devices registered + named', `${N} (${rate(N, performance.now() - t)}, ${txBytes} B per tx)`]);
  // One more meter, registered and claimed like the fleet but never enrolled in any program.
  const unenrolledKey = Keypair.generate();
  const unenrolled: Fleet = {
    key: unenrolledKey,
    owner: Keypair.generate(),
    name: '',
    lfdi: new Uint8Array(20),
    device: findDevicePda({ deviceKey: unenrolledKey.publicKey })[0],
  };
  await sender.send(
    deviceRegisterInstructions({
      vendorAuthority: vendor.publicKey,
      deviceKey: unenrolled.key.publicKey,
      payer,
      owner: unenrolled.owner.publicKey,
      ownerSigns: true,
      deviceType: 'meter',
      capabilities: {
        flags: CAP_IMPORT | CAP_EXPORT | CAP_METERING,
        protocols: PROTOCOL_OPENADR3,
        maxImportW: 7_200,
        maxExportW: 5_000,
        energyCapacityWh: 0n,
      },
      certFingerprint: deviceIdentity(
        Buffer.concat([Buffer.from('demo-device-cert-'), unenrolledKey.publicKey.toBuffer()]),
      ).fingerprint,
      issuerCa: ca,
      certNotAfter: 4_102_444_800n,
    }),
    [vendor, unenrolled.key, unenrolled.owner],
  );

  t = performance.now();
  let consistent = 0;
  for (const d of fleet) {
    const byName = await resolveDeviceName(sender, { name: d.name });
    const byKey = await fetchDevice(sender, { deviceKey: d.key.publicKey });
    const byLfdi = await fetchDeviceByLfdi(sender, { lfdi: d.lfdi });
    const reverse = await fetchReverseRecord(sender, { target: d.device });
    if (
      byName?.address.equals(d.device) &&
      byKey?.address.equals(d.device) &&
      byLfdi?.address.equals(d.device) &&
      reverse?.name === d.name
    ) {
      consistent++;
    }
  }
  rows.push([
    'lookups (name, key, LFDI, reverse)',
    `${consistent}/${N} consistent, ${rate(4 * N, performance.now() - t)}`,
  ]);

  // Routing: a DR program; every device's vendor enrolls it, the utility approves through the
  // HTTP API (enrollment webhook) and publishes the device's route; devices resolve over HTTP.
  const drProgram = await apply(sender, drProgramPlan(payer, { utility, utilityPda }, 'Winter peak DR'));
  const apiKey = generateApiKey(); // random per run: the service refuses default or short keys
  const backend = embedded ? runtimeBackend(embedded.runtime) : rpcBackend(rpcConnection(RPC!), rpc!.payer);
  const app = buildApp({ backend, apiKey, utilityKey: utility, protocolKey: admin });
  // Routes go only to attested endpoints. The embedded demo attests its example VTN without a
  // probe; against real servers, `openvpp probe` / POST /v1/endpoints/validate does it.
  await apply(sender, demoEndpointPlan(payer, { admin, endpoint: 'https://vtn.gridco.example/openadr3' }));
  t = performance.now();
  for (const d of fleet) {
    await sender.send(
      enrollmentRequestInstructions({
        program: drProgram,
        device: d.device,
        vendor: vendorPda,
        requester: vendor.publicKey,
        payer,
      }),
      [vendor],
    );
    const headers = { 'x-api-key': apiKey };
    const program = drProgram.toBase58();
    const device = d.device.toBase58();
    const decided = await app.inject({
      method: 'POST',
      url: '/v1/enrollments/decision',
      headers,
      payload: { program, device, approve: true },
    });
    const routed = await app.inject({
      method: 'POST',
      url: '/v1/routes',
      headers,
      payload: {
        program,
        device,
        protocol: 'openAdr3Vtn',
        endpoint: 'https://vtn.gridco.example/openadr3',
        certPins: ['ab'.repeat(32)],
        expiresAt: 4_102_444_800,
      },
    });
    if (decided.statusCode !== 200 || routed.statusCode !== 200)
      throw new Error(`enrollment failed: ${decided.body} ${routed.body}`);
  }
  rows.push(['enrolled + approved + routed (via HTTP API)', `${N} (${rate(N, performance.now() - t)})`]);
  t = performance.now();
  let routesOk = 0;
  for (const d of fleet) {
    const res = await app.inject({ url: `/v1/resolve?device=${d.device.toBase58()}&program=${drProgram.toBase58()}` });
    if (res.statusCode === 200 && res.json().endpoint === 'https://vtn.gridco.example/openadr3') routesOk++;
  }
  rows.push(['routes resolved (GET /v1/resolve)', `${routesOk}/${N}, ${rate(N, performance.now() - t)}`]);

  // 2. On-ramp: the localnet USDC mint (SPL Token), USDE, and per owner one `fundOwner`
  //    transaction: 25 USDC wrapped 1:1, a 20 USDE settlement allowance and a mandate letting
  //    the utility bill this device up to 20 USDE per 30 days.
  const usdcMint = await apply(sender, paymentsPlan(payer, { authority: admin.publicKey }));
  await sender.setUnixTimestamp(DAY + 86_400n); // the next midnight: yesterday's intervals are finished
  t = performance.now();
  await sender.send(meterOpenInstructions({ device: unenrolled.device, payer }));
  await apply(sender, fundOwnerPlan(payer, { owner: unenrolled.owner, usdcMint, amount: USDC }));
  for (const d of fleet) {
    await sender.send(meterOpenInstructions({ device: d.device, payer }));
    await apply(
      sender,
      fundOwnerPlan(payer, {
        owner: d.owner,
        usdcMint,
        amount: 25n * USDC,
        allowance: 20n * USDC,
        device: d.device,
        utility: utilityPda,
      }),
    );
  }
  rows.push(['owners funded (USDC -> USDE, delegate, mandate)', `${N} (${rate(N, performance.now() - t)})`]);

  // 3. An hourly time-of-use tariff; the utility wraps USDC and funds the export escrow with
  //    less than the fleet will export, so some export payments are owed until a refill. A
  //    superseded revision (and a seller's backlog after a sale) settles for 30 days; export
  //    credit is capped at 4 USDE per device per day (5 kW for 8 sunny hours at the peak
  //    export price is 3.6 USDE).
  // The demo's tariff world (DEMO_TARIFF, the bench's too): the utility's USDE treasury and the
  // tariff, in effect from the first day.
  const { tariff, treasury } = await apply(sender, tariffPlan(payer, { utility, utilityPda, effectiveFrom: DAY }));
  await apply(
    sender,
    mintUsdcPlan(payer, { usdcMint, owner: utility.publicKey, amount: 1_000n * USDC + BigInt(N) * 200_000n }),
  );
  await sender.send(
    usdeWrapInstructions({ user: utility.publicKey, usdcMint, amount: 1_000n * USDC + BigInt(N) * 200_000n }),
    [utility],
  );
  const tariffState = (await fetchTariff(sender, { address: tariff }))!;
  const revision1 = (await fetchTariffRevision(sender, { tariff, revision: 1 }))!;
  rows.push([
    'tariff: settlement window / export cap',
    `${tariffState.settlementWindowSecs / 86_400} days / ${usd(revision1.exportCap.maxCredit)} USDE per device per ` +
      `${revision1.exportCap.periodSecs / 3_600} h`,
  ]);
  // A device settles against the tariff only through a binding opened from its approved
  // enrollment in a program of the tariff's utility (here the DR program); the utility signs
  // it (it decides which of its tariffs a device is on). 7 bindings fit one transaction.
  t = performance.now();
  for (let i = 0; i < fleet.length; i += 7) {
    await sender.send(
      fleet
        .slice(i, i + 7)
        .flatMap((d) =>
          tariffBindInstructions({ tariff, authority: utility.publicKey, device: d.device, program: drProgram, payer }),
        ),
      [utility],
    );
  }
  rows.push(['devices bound to the tariff (approved enrollment)', `${N} (${rate(N, performance.now() - t)})`]);
  // Each device exports 3 kWh at midday (0.18 USDE); the escrow holds 0.15 USDE per device.
  const escrow = BigInt(N) * 150_000n;
  await sender.send(tariffExportFundInstructions({ tariff, funder: utility.publicKey, amount: escrow }), [utility]);
  const settle = (d: Fleet, seq: bigint, hour: bigint, importWh: bigint, exportWh = 0n, billTo?: PublicKey) => {
    const intervalStart = DAY + hour * 3600n;
    return meterSettleInstructions({
      device: d.device,
      deviceKey: d.key.publicKey,
      owner: d.owner.publicKey,
      billTo,
      tariff,
      program: drProgram,
      utility: utilityPda,
      utilityTreasury: treasury,
      reading: { revision: tariffRevisionFor(tariffState, intervalStart)!, seq, intervalStart, importWh, exportWh },
      deviceSecretKey: d.key.secretKey,
    });
  };
  const treasuryBefore = await fetchTokenAmount(sender, treasury);
  t = performance.now();
  let settled = 0;
  let settleBytes = 0;
  for (const [i, d] of fleet.entries()) {
    const ixs1 = settle(d, 1n, 2n, 1_000n + BigInt(i % 500));
    if (i === 0) {
      const tx = new Transaction({ feePayer: payer, recentBlockhash: await sender.latestBlockhash() }).add(...ixs1);
      tx.sign(sender.payer);
      settleBytes = tx.serialize().length;
    }
    await sender.send(ixs1); // submitted by a relayer: only the device signed the reading
    await sender.send(settle(d, 2n, 12n, 0n, 3_000n)); // export only: no mandate needed
    await sender.send(settle(d, 3n, 18n, 2_500n));
    settled += 3;
  }
  rows.push([
    'signed readings settled',
    `${settled} (${rate(settled, performance.now() - t)}, ${settleBytes} B per tx incl. ed25519)`,
  ]);
  const exports = async () => {
    let credit = 0n;
    let paid = 0n;
    let owed = 0n;
    let billed = 0n;
    const owing: Fleet[] = [];
    for (const d of fleet) {
      // Export credit and the escrow's debt are kept per (tariff, device) on the binding.
      const b = (await fetchTariffBinding(sender, { tariff, device: d.device }))!;
      credit += b.totalExportCredit;
      paid += b.totalExportPaid;
      owed += b.owedTotal;
      billed += (await fetchMeter(sender, { device: d.device }))!.totalPaid;
      if (b.owedTotal > 0n) owing.push(d);
    }
    return { credit, paid, owed, billed, owing };
  };
  const before = await exports();
  const billedOk = (await fetchTokenAmount(sender, treasury)) - treasuryBefore === before.billed;
  rows.push(['USDE paid to the utility (imports)', `${usd(before.billed)} USDE (treasury agrees: ${billedOk})`]);
  rows.push([
    'exports paid from the escrow',
    `${usd(before.paid)} of ${usd(before.credit)} USDE earned (escrow ${usd(escrow)}); ` +
      `${usd(before.owed)} owed to ${before.owing.length} meters (per tariff binding)`,
  ]);
  // The utility refills the escrow; a crank pays every meter's debt.
  await sender.send(tariffExportFundInstructions({ tariff, funder: utility.publicKey, amount: before.owed }), [
    utility,
  ]);
  for (const d of before.owing) {
    await sender.send(meterExportClaimInstructions({ device: d.device, owner: d.owner.publicKey, tariff }));
  }
  const after = await exports();
  rows.push([
    'export debt paid after refill',
    `${usd(after.paid - before.paid)} USDE to ${before.owing.length} meters (owed now ${usd(after.owed)})`,
  ]);
  const replay = await sender.trySend(settle(fleet[0], 3n, 18n, 2_500n));
  const gap = await sender.trySend(settle(fleet[0], 5n, 20n, 100n));
  rows.push([
    'replayed / out-of-order reading',
    `${parsePaymentsError(replay)?.errorName ?? 'NOT REJECTED'} / ${parsePaymentsError(gap)?.errorName ?? 'NOT REJECTED'}`,
  ]);
  // An owner revokes the mandate: the device's next import reading bills nothing.
  const revoker = fleet[Math.min(5, N - 1)];
  await sender.send(mandateRevokeInstructions({ device: revoker.device, owner: revoker.owner.publicKey }), [
    revoker.owner,
  ]);
  const unmandated = await sender.trySend(settle(revoker, 4n, 20n, 500n));
  rows.push(['reading after the mandate is revoked', parsePaymentsError(unmandated)?.errorName ?? 'NOT REJECTED']);
  // A device with no enrollment in any of the utility's programs cannot be bound to its
  // tariff, and its readings are refused at settlement: the escrow pays it nothing.
  const vault = findExportVaultPda({ tariff })[0];
  const escrowBefore = await fetchTokenAmount(sender, vault);
  const unbound = await sender.trySend(
    tariffBindInstructions({
      tariff,
      authority: utility.publicKey,
      device: unenrolled.device,
      program: drProgram,
      payer,
    }),
    [utility],
  );
  const notEnrolled = await sender.trySend(settle(unenrolled, 1n, 12n, 0n, 3_000n));
  const escrowKept = (await fetchTokenAmount(sender, vault)) === escrowBefore;
  rows.push([
    'device without an enrollment: bind / settle',
    `${unbound.err ? 'refused' : 'NOT REJECTED'} / ${parsePaymentsError(notEnrolled)?.errorName ?? JSON.stringify(notEnrolled.err)} ` +
      `(escrow unchanged: ${escrowKept})`,
  ]);

  // 4. Demand response: the utility escrows a budget and pays 10% of the fleet.
  const now = DAY + 86_400n;
  await sender.send(
    drEventCreateInstructions({
      utility: utilityPda,
      authority: utility.publicKey,
      payer,
      eventId: 1,
      start: now - 7_200n,
      end: now - 3_600n,
      rewardPerKwh: 500_000n,
      budget: 500n * USDC,
    }),
    [utility],
  );
  const event = findDrEventPda({ utility: utilityPda, eventId: 1 })[0];
  const participants = fleet.filter((_, i) => i % 10 === 0);
  for (const d of participants) {
    await sender.send(
      drRewardPayInstructions({
        event,
        authority: utility.publicKey,
        device: d.device,
        owner: d.owner.publicKey,
        payer,
        flexWh: 1_800n,
      }),
      [utility],
    );
  }
  await sender.send(drEventCloseInstructions({ event, authority: utility.publicKey }), [utility]);
  rows.push(['DR rewards paid', `${participants.length} devices x 0.9 USDE (1.8 kWh at 0.50/kWh)`]);

  // Unit tokens: a kWh market priced by a Switchboard on-demand feed (real pull-feed layout);
  // an owner buys kWh and passes some to another member; a non-member cannot receive them.
  const feed = Keypair.generate().publicKey;
  const kwhPrice = 150_000_000_000_000_000n; // $0.15 per kWh, 18 decimals
  await sender.setSwitchboardFeed(feed, {
    value: kwhPrice,
    stdDev: kwhPrice / 1000n,
    numSamples: 5,
    slot: (await sender.getClock()).slot,
  });
  await sender.send(
    unitMarketCreateInstructions({
      authority: admin.publicKey,
      payer,
      kind: 'kwh',
      feed,
      maxStalenessSlots: 150,
      minSamples: 3,
      maxConfidenceBps: 100,
      spreadBps: 30,
    }),
    [admin],
  );
  const [buyer, peer, outsider] = [fleet[2], fleet[3], fleet[4]];
  // Units are minted only to registry participants: the buyer and the peer become members.
  for (const d of [buyer, peer]) {
    await sender.send(memberRegisterInstructions({ deviceKey: d.key.publicKey, owner: d.owner.publicKey, payer }), [
      d.owner,
    ]);
  }
  const quote = quoteUnitBuy({ value: kwhPrice, stdDev: kwhPrice / 1000n, spreadBps: 30, usdeAmount: 3n * USDC })!;
  await sender.send(
    unitBuyInstructions({ user: buyer.owner.publicKey, kind: 'kwh', feed, usdeAmount: 3n * USDC, minUnitsOut: quote }),
    [buyer.owner],
  );
  const kwhMint = findUnitMintPda({ kind: 'kwh' })[0];
  for (const d of [peer, outsider]) {
    const ata = getAssociatedTokenAddressSync(kwhMint, d.owner.publicKey, true, TOKEN_2022_PROGRAM_ID);
    await sender.send([
      createAssociatedTokenAccountIdempotentInstruction(payer, ata, d.owner.publicKey, kwhMint, TOKEN_2022_PROGRAM_ID),
    ]);
  }
  await sender.send(
    unitTransferInstructions({ kind: 'kwh', from: buyer.owner.publicKey, to: peer.owner.publicKey, amount: 5n * USDC }),
    [buyer.owner],
  );
  const blocked = await sender.trySend(
    unitTransferInstructions({ kind: 'kwh', from: buyer.owner.publicKey, to: outsider.owner.publicKey, amount: USDC }),
    [buyer.owner],
  );
  rows.push([
    'kWh bought for 3 USDE / sent to a member',
    `${Number(quote) / 1e6} kWh / 5 kWh; to a non-member: ${parseHookError(blocked)?.errorName ?? 'NOT REJECTED'}`,
  ]);

  // A sale needs the buyer's consent: the seller proposes, nothing changes until the buyer
  // claims. The seller's readings of intervals before the claim stay the seller's (billed to
  // its mandate, exports paid to it, for the tariff's settlement window), and never block the
  // buyer, whose readings bill only a mandate the buyer grants.
  const sold = fleet[2];
  const seller = sold.owner.publicKey;
  const newOwner = Keypair.generate();
  await sender.airdrop(newOwner.publicKey, 1_000_000_000n);
  await sender.send(
    deviceOwnerTransferInstructions({ deviceKey: sold.key.publicKey, owner: seller, newOwner: newOwner.publicKey }),
    [sold.owner],
  );
  const beforeClaim = (await fetchDevice(sender, { deviceKey: sold.key.publicKey }))!;
  const member = beforeClaim.member.equals(PublicKey.default) ? undefined : beforeClaim.member;
  await sender.send(deviceClaimInstructions({ deviceKey: sold.key.publicKey, newOwner: newOwner.publicKey, member }), [
    newOwner,
  ]); // claimed at DAY + 24 h: the seller's readings of hours 19 and 20 are still unsettled
  const afterClaim = (await fetchDevice(sender, { deviceKey: sold.key.publicKey }))!;
  await sender.setUnixTimestamp(DAY + 86_400n + 2n * 3_600n);
  await sender.send([
    createAssociatedTokenAccountIdempotentInstruction(
      payer,
      findUsdeAccount({ owner: newOwner.publicKey }),
      newOwner.publicKey,
      findUsdeMintPda()[0],
      TOKEN_2022_PROGRAM_ID,
    ),
  ]);
  const buyerSide = { ...sold, owner: newOwner };
  const unbilled = await sender.trySend(settle(buyerSide, 6n, 24n, 500n));
  rows.push([
    'device sold: owner before / after claim',
    `${beforeClaim.owner.equals(seller) ? 'seller' : 'CHANGED'} / ${afterClaim.owner.equals(newOwner.publicKey) ? 'buyer' : 'NOT CLAIMED'}; buyer billed without a mandate: ${parsePaymentsError(unbilled)?.errorName ?? 'NOT REJECTED'}`,
  ]);
  await apply(
    sender,
    fundOwnerPlan(payer, {
      owner: newOwner,
      usdcMint,
      amount: 5n * USDC,
      device: sold.device,
      utility: utilityPda,
      lamports: 0n,
    }),
  );
  await sender.send(tariffExportFundInstructions({ tariff, funder: utility.publicKey, amount: USDC }), [utility]);
  const balances = async () =>
    Promise.all([seller, newOwner.publicKey].map((o) => fetchTokenAmount(sender, findUsdeAccount({ owner: o }))));
  const [seller0, buyer0] = await balances();
  // The buyer's first reading settles at once, ahead of the seller's backlog.
  await sender.send(settle(buyerSide, 6n, 24n, 500n));
  const [seller1, buyer1] = await balances();
  // The seller's backlog: an import at 19:00 billed to the seller's mandate, an export at 20:00
  // paid to the seller (relayed after the sale, by anyone).
  await sender.send(settle(buyerSide, 4n, 19n, 800n, 0n, seller));
  const [seller2] = await balances();
  await sender.send(settle(buyerSide, 5n, 20n, 0n, 2_000n, seller));
  const [seller3, buyer3] = await balances();
  const saleOk = seller1 === seller0 && buyer1 < buyer0 && seller2 < seller1 && seller3 > seller2 && buyer3 === buyer1;
  rows.push([
    'device sale: buyer first / seller backlog',
    `buyer's first reading settled at once (${usd(buyer0 - buyer1)} USDE from the buyer); seller's backlog: ` +
      `${usd(seller1 - seller2)} USDE billed to the seller, ${usd(seller3 - seller2)} USDE export paid to the ` +
      `seller; buyer charged ${usd(buyer1 - buyer3)}`,
  ]);

  // Revocation: the next reading of a revoked meter is refused; so is a transfer.
  const victim = fleet[1];
  await sender.send(
    deviceStatusSetInstructions({
      authority: vendor.publicKey,
      vendor: vendorPda,
      deviceKey: victim.key.publicKey,
      status: 'revoked',
    }),
    [vendor],
  );
  const refused = await sender.trySend(settle(victim, 4n, 20n, 100n));
  const refusedTransfer = await sender.trySend(
    deviceOwnerTransferInstructions({
      deviceKey: victim.key.publicKey,
      owner: victim.owner.publicKey,
      newOwner: Keypair.generate().publicKey,
    }),
    [victim.owner],
  );
  rows.push([
    'revoked device: reading / transfer',
    `${parsePaymentsError(refused)?.errorName} / ${parseRegistryError(refusedTransfer)?.errorName}`,
  ]);

  const reserve = await fetchReserve(sender);
  rows.push([
    'USDC vault covers USDE supply',
    `${reserve.usdcVault >= reserve.usdeSupply} (${Number(reserve.usdeSupply) / 1e6} USDE, surplus ${reserve.surplus})`,
  ]);
  rows.push(['total time', `${((performance.now() - t0) / 1000).toFixed(1)} s`]);

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(
    embedded
      ? '\nOpenVPP demo (embedded runtime: native OpenVPP programs + SPL Token/Token-2022 SBF)\n'
      : `\nOpenVPP demo (over JSON-RPC: ${RPC})\n`,
  );
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  const ok =
    consistent === N &&
    routesOk === N &&
    parseHookError(blocked)?.errorName === 'RecipientNotParticipant' &&
    reserve.usdeSupply === reserve.usdcVault &&
    parsePaymentsError(replay)?.errorName === 'ReplayedReading' &&
    parsePaymentsError(gap)?.errorName === 'ReadingOutOfOrder' &&
    parsePaymentsError(unmandated)?.errorName === 'MandateRequired' &&
    parsePaymentsError(notEnrolled)?.errorName === 'NotEnrolled' &&
    !!unbound.err &&
    escrowKept &&
    parsePaymentsError(unbilled)?.errorName === 'MandateRequired' &&
    saleOk &&
    after.owed === 0n &&
    billedOk &&
    after.paid === after.credit &&
    parsePaymentsError(refused)?.errorName === 'DeviceNotActive' &&
    parseRegistryError(refusedTransfer)?.errorName === 'DeviceNotActive';
  if (!ok) {
    console.error('\ndemo invariant failed');
    process.exit(1);
  }
  if (!SERVE) {
    sender.close();
    return;
  }
  // OpenVPP World on the demo's world: the indexer catches up with everything above, then the
  // app and its API listen; the demo wallets hold throwaway keys of this run only.
  const owner = fleet[0]; // readings, an export, a DR reward
  const server = await startAppServer({
    backend,
    apiKey,
    utilityKey: utility,
    protocolKey: admin,
    rpcUrl: net?.rpcUrl ?? RPC!,
    wsUrl: net?.wsUrl,
    index: { sqlite: ':memory:' },
    port: PORT,
    web: {
      dir: appDir,
      demoWallets: [
        demoWalletOptions('Demo owner (device 0)', owner.owner),
        demoWalletOptions('Demo owner (kWh buyer)', buyer.owner),
        demoWalletOptions('Demo utility (Gridco)', utility),
      ],
    },
    onSyncError: (e) => console.error(`indexer: ${e.message}`),
  });
  console.log(
    `\nOpenVPP World: ${server.url}\n` +
      `  sign in with the "Demo owner (device 0)" wallet (owner ${owner.owner.publicKey.toBase58()})\n` +
      `  or "Demo utility (Gridco)" (utility ${utility.publicKey.toBase58()}); Ctrl-C stops it.`,
  );
  const stop = async () => {
    await server.close();
    sender.close();
    await net?.close({ snapshot: false });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
