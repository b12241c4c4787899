// Benchmark table for registry and payments operations on the embedded runtime: transaction size,
// accounts, signatures, rent per created record and native throughput.
//
//   npm run bench            (ITER=200 by default)
//
// Compute units are not reported for natively hosted programs (they are not SBF-metered
// here; see README). Sizes, account counts and rent are exactly what a cluster would see.
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createApproveCheckedInstruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair, PublicKey, Transaction, TransactionInstruction } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import { createUsdcMint } from '@openvpp/testing';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_OPENADR3,
  configInitInstructions,
  deviceOwnerTransferInstructions,
  deviceRegisterInstructions,
  deviceStatusSetInstructions,
  fetchDevice,
  findDevicePda,
  findPartnerPda,
  findSettlementAuthorityPda,
  findTariffPda,
  findUsdeMintPda,
  meterOpenInstructions,
  meterSettleInstructions,
  nameRegisterInstructions,
  partnerRegisterInstructions,
  paymentsInitInstructions,
  tariffCreateInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk';

const ITER = Number(process.env.ITER ?? 200);
const CA = new Uint8Array(32).fill(7);

interface Row {
  op: string;
  bytes: number;
  accounts: number;
  signers: number;
  rent: bigint;
  perSec: number;
}

function txSize(rt: Runtime, ixs: TransactionInstruction[], signers: Keypair[]): number {
  const tx = new Transaction({ feePayer: rt.payer.publicKey, recentBlockhash: rt.latestBlockhash() }).add(...ixs);
  tx.sign(rt.payer, ...signers);
  return tx.serialize().length;
}

function uniqueAccounts(ixs: TransactionInstruction[]): number {
  const keys = new Set<string>();
  for (const ix of ixs) {
    keys.add(ix.programId.toBase58());
    for (const k of ix.keys) keys.add(k.pubkey.toBase58());
  }
  return keys.size + 1; // + fee payer
}

function rentOf(rt: Runtime, addresses: PublicKey[]): bigint {
  return addresses.reduce((sum, a) => sum + (rt.getAccount(a)?.lamports ?? 0n), 0n);
}

async function main() {
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  const admin = Keypair.generate();
  const vendor = Keypair.generate();
  rt.processInstructions(configInitInstructions({ payer, authority: admin.publicKey }));
  rt.processInstructions(
    partnerRegisterInstructions({
      authority: admin.publicKey,
      partnerAuthority: vendor.publicKey,
      payer,
      kind: 'vendor',
      name: 'Bench Vendor',
      caFingerprints: [CA],
    }),
    [admin, vendor],
  );
  const vendorPda = findPartnerPda({ authority: vendor.publicKey })[0];
  const rows: Row[] = [];

  const measure = (
    op: string,
    make: (i: number) => { ixs: TransactionInstruction[]; signers: Keypair[]; created: PublicKey[] },
  ) => {
    const first = make(0);
    const bytes = txSize(rt, first.ixs, first.signers);
    rt.processInstructions(first.ixs, first.signers);
    const rent = rentOf(rt, first.created);
    const built = Array.from({ length: ITER }, (_, i) => make(i + 1));
    const t0 = performance.now();
    for (const b of built) rt.processInstructions(b.ixs, b.signers);
    const perSec = (ITER / (performance.now() - t0)) * 1000;
    rows.push({ op, bytes, accounts: uniqueAccounts(first.ixs), signers: 1 + first.signers.length, rent, perSec });
  };

  const devices: { key: Keypair; owner: Keypair }[] = [];
  const fp = (i: number) => {
    const f = new Uint8Array(32).fill(0x5a);
    new DataView(f.buffer).setUint32(0, i + 1);
    return f;
  };
  measure('device_register', (i) => {
    const key = Keypair.generate();
    const owner = Keypair.generate();
    devices.push({ key, owner });
    const ixs = deviceRegisterInstructions({
      vendorAuthority: vendor.publicKey,
      deviceKey: key.publicKey,
      payer,
      owner: owner.publicKey,
      deviceType: 'meter',
      capabilities: {
        flags: CAP_IMPORT | CAP_EXPORT,
        protocols: PROTOCOL_OPENADR3,
        maxImportW: 1,
        maxExportW: 1,
        energyCapacityWh: 0n,
      },
      certFingerprint: fp(i),
      issuerCa: CA,
      certNotAfter: 4_102_444_800n,
    });
    return { ixs, signers: [vendor, key], created: [ixs[0].keys[3].pubkey, ixs[0].keys[4].pubkey] };
  });
  measure('name_register', (i) => {
    const d = devices[i];
    const ixs = nameRegisterInstructions({
      target: findDevicePda({ deviceKey: d.key.publicKey })[0],
      authority: d.owner.publicKey,
      payer,
      name: `bench-${i}`,
    });
    return { ixs, signers: [d.owner], created: [ixs[0].keys[2].pubkey, ixs[0].keys[3].pubkey] };
  });
  measure('device_owner_transfer', (i) => {
    const d = devices[i];
    const owner = d.owner;
    d.owner = Keypair.generate();
    const ixs = deviceOwnerTransferInstructions({
      deviceKey: d.key.publicKey,
      owner: owner.publicKey,
      newOwner: d.owner.publicKey,
    });
    return { ixs, signers: [owner], created: [] };
  });

  // Payments: USDE wrap and settlement of a device-signed reading (with its ed25519 ix).
  const usdcMint = { publicKey: createUsdcMint(rt) };
  rt.processInstructions(paymentsInitInstructions({ payer, authority: admin.publicKey, usdcMint: usdcMint.publicKey }));
  const usde = findUsdeMintPda()[0];
  const utility = Keypair.generate();
  rt.processInstructions(
    partnerRegisterInstructions({
      authority: admin.publicKey,
      partnerAuthority: utility.publicKey,
      payer,
      kind: 'utility',
      name: 'U',
    }),
    [admin, utility],
  );
  const utilityPda = findPartnerPda({ authority: utility.publicKey })[0];
  const treasury = getAssociatedTokenAddressSync(usde, utility.publicKey, true, TOKEN_2022_PROGRAM_ID);
  rt.processInstructions([
    createAssociatedTokenAccountIdempotentInstruction(payer, treasury, utility.publicKey, usde, TOKEN_2022_PROGRAM_ID),
  ]);
  rt.processInstructions(
    tariffCreateInstructions({
      utility: utilityPda,
      authority: utility.publicKey,
      payer,
      tariffId: 1,
      effectiveFrom: 0n,
      intervals: [{ startMinute: 0, importPrice: 150_000n, exportPrice: 0n }],
    }),
    [utility],
  );
  const tariff = findTariffPda({ utility: utilityPda, tariffId: 1 })[0];
  const now = BigInt(rt.getClock().unixTimestamp);
  for (const d of devices.slice(0, ITER + 1)) {
    const owner = d.owner.publicKey;
    const ownerUsdc = getAssociatedTokenAddressSync(usdcMint.publicKey, owner);
    const ownerUsde = getAssociatedTokenAddressSync(usde, owner, true, TOKEN_2022_PROGRAM_ID);
    rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(payer, ownerUsdc, owner, usdcMint.publicKey),
      createAssociatedTokenAccountIdempotentInstruction(payer, ownerUsde, owner, usde, TOKEN_2022_PROGRAM_ID),
      createMintToInstruction(usdcMint.publicKey, ownerUsdc, payer, 10_000_000n),
      ...meterOpenInstructions({ device: findDevicePda({ deviceKey: d.key.publicKey })[0], payer }),
    ]);
  }
  measure('usde_wrap', (i) => {
    const owner = devices[i].owner;
    const ixs = usdeWrapInstructions({
      user: owner.publicKey,
      usdcMint: usdcMint.publicKey,
      amount: 5_000_000n,
      userUsde: getAssociatedTokenAddressSync(usde, owner.publicKey, true, TOKEN_2022_PROGRAM_ID),
    });
    return { ixs, signers: [owner], created: [] };
  });
  for (const d of devices.slice(0, ITER + 1)) {
    const ownerUsde = getAssociatedTokenAddressSync(usde, d.owner.publicKey, true, TOKEN_2022_PROGRAM_ID);
    rt.processInstructions(
      [
        createApproveCheckedInstruction(
          ownerUsde,
          usde,
          findSettlementAuthorityPda()[0],
          d.owner.publicKey,
          5_000_000n,
          6,
          [],
          TOKEN_2022_PROGRAM_ID,
        ),
      ],
      [d.owner],
    );
  }
  measure('meter_settle (+ ed25519 ix)', (i) => {
    const d = devices[i];
    const ixs = meterSettleInstructions({
      device: findDevicePda({ deviceKey: d.key.publicKey })[0],
      deviceKey: d.key.publicKey,
      owner: d.owner.publicKey,
      tariff,
      utility: utilityPda,
      utilityTreasury: treasury,
      reading: { seq: 1n, intervalStart: now - 3_600n, importWh: 20n, exportWh: 0n },
      deviceSecretKey: d.key.secretKey,
    });
    return { ixs, signers: [], created: [] };
  });

  measure('device_status_set (suspend)', (i) => {
    const ixs = deviceStatusSetInstructions({
      authority: vendor.publicKey,
      vendor: vendorPda,
      deviceKey: devices[i].key.publicKey,
      status: 'suspended',
    });
    return { ixs, signers: [vendor], created: [] };
  });

  // Reads: the resolver's hot path.
  const t0 = performance.now();
  for (let i = 0; i < ITER; i++) await fetchDevice(rt, { deviceKey: devices[i].key.publicKey });
  const lookups = (ITER / (performance.now() - t0)) * 1000;

  const header = ['operation', 'tx bytes (/1232)', 'accounts', 'signatures', 'rent created (lamports)', 'native tx/s'];
  const table = rows.map((r) => [
    r.op,
    `${r.bytes}`,
    `${r.accounts}`,
    `${r.signers}`,
    `${r.rent}`,
    r.perSec.toFixed(0),
  ]);
  table.push(['fetchDevice (read)', '-', '-', '-', '-', `${lookups.toFixed(0)} reads/s`]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => '| ' + cells.map((x, c) => x.padEnd(widths[c])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of table) console.log(line(r));
  const perDevice = rows[0].rent + rows[1].rent;
  console.log(`\nlamports per registered + named device: ${perDevice} (${Number(perDevice) / 1e9} SOL)`);
  rt.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
