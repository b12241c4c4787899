// The benchmarks' settled fleet: @openvpp/localnet's tariff world (partners, payments, the
// utility's tariff program and hourly tariff, the DR program and the attested demo endpoint)
// with `devices` meters, each owned by its own funded owner (who co-signed the registration),
// enrolled in the tariff program (approved, routed to the demo endpoint, bound to the tariff),
// its meter open, a settlement mandate, and readings of the first hours of one UTC day settled
// (2 readings per legacy transaction). Built as plans applied to a synchronous runtime.
import { type KeyObject, createPrivateKey, sign } from 'node:crypto';

import {
  Keypair,
  PublicKey,
  type Signer,
  Transaction,
  type TransactionInstruction,
  VersionedTransaction,
} from '@solana/web3.js';

import { TransactionFailedError, type Runtime } from '@openvpp/runtime';

import {
  type Plan,
  type Step,
  type SyncRuntime,
  type World,
  WORLD_CA,
  applySync,
  approveAndRouteInstructions,
  fundOwnerPlan,
  worldPlan,
} from '@openvpp/localnet';
import {
  CAP_EXPORT,
  CAP_IMPORT,
  PROTOCOL_OPENADR3,
  deviceRegisterInstructions,
  enrollmentRequestInstructions,
  findDevicePda,
  meterOpenInstructions,
  meterSettleBatchInstructions,
  tariffBindInstructions,
} from '@openvpp/sdk/web3';

/** 2026-11-25 00:00 UTC: owners claim their devices then; readings are of that day's first hours. */
export const FLEET_DAY = 1_795_564_800n;
const HOUR = 3_600n;
const USDC = 1_000_000n;

export interface FleetDevice {
  key: Keypair;
  owner: Keypair;
  device: PublicKey;
}

export interface Fleet {
  world: World;
  devices: FleetDevice[];
  /** The UTC day of the settled readings (`YYYY-MM-DD`), "today" once seeded. */
  day: string;
  /** Transactions sent. */
  transactions: number;
}

/** Device `i`'s placeholder certificate fingerprint (`fill` keeps fleets apart). */
export function placeholderFingerprint(i: number, fill = 0xb3): Uint8Array {
  const fp = new Uint8Array(32).fill(fill);
  new DataView(fp.buffer).setUint32(0, i + 1);
  return fp;
}

/**
 * `device_register` of a fresh meter (import and export) whose owner co-signs (claimed at once),
 * certified by the world's CA: the instructions (signed by the vendor, the device key and the owner).
 */
export function ownedMeterRegisterInstructions({
  vendor,
  payer,
  key,
  owner,
  certFingerprint,
}: {
  vendor: PublicKey;
  payer: PublicKey;
  key: PublicKey;
  owner: PublicKey;
  certFingerprint: Uint8Array;
}): TransactionInstruction[] {
  return deviceRegisterInstructions({
    vendorAuthority: vendor,
    deviceKey: key,
    payer,
    owner,
    ownerSigns: true,
    deviceType: 'meter',
    capabilities: {
      flags: CAP_IMPORT | CAP_EXPORT,
      protocols: PROTOCOL_OPENADR3,
      maxImportW: 10_000,
      maxExportW: 5_000,
      energyCapacityWh: 0n,
    },
    certFingerprint,
    issuerCa: WORLD_CA,
    certNotAfter: 4_102_444_800n,
  });
}

/** Registers, enrolls, routes, binds and funds one owned meter (claimed at `FLEET_DAY`). */
function ownedMeterPlan(payer: PublicKey, world: World, i: number): Plan<FleetDevice> {
  const { vendor, vendorPda, utility, utilityPda } = world;
  const program = world.tariffProgram!;
  const key = Keypair.generate();
  const owner = Keypair.generate();
  const device = findDevicePda({ deviceKey: key.publicKey })[0];
  const steps: Step[] = [
    {
      instructions: [
        ...ownedMeterRegisterInstructions({
          vendor: vendor.publicKey,
          payer,
          key: key.publicKey,
          owner: owner.publicKey,
          certFingerprint: placeholderFingerprint(i),
        }),
        ...enrollmentRequestInstructions({ program, device, vendor: vendorPda, requester: owner.publicKey, payer }),
      ],
      signers: [vendor, key, owner],
    },
    {
      instructions: [
        ...approveAndRouteInstructions({ program, utility: utility.publicKey, device, payer }),
        ...tariffBindInstructions({ tariff: world.tariff!, authority: utility.publicKey, device, program, payer }),
        ...meterOpenInstructions({ device, payer }),
      ],
      signers: [utility],
    },
    ...fundOwnerPlan(payer, {
      owner,
      usdcMint: world.usdcMint!,
      amount: 50n * USDC,
      allowance: 50n * USDC,
      device,
      utility: utilityPda,
      lamports: 10_000_000n,
    }).steps,
  ];
  return { steps, value: { key, owner, device } };
}

/** Readings of hours `hours` of `FLEET_DAY`, settled for one device in legacy 2-reading batches. */
function settledReadingsPlan(world: World, d: FleetDevice, hours: bigint[]): Plan<void> {
  const readings = hours.map((hour, k) => ({
    revision: 1,
    seq: BigInt(k + 1),
    intervalStart: FLEET_DAY + hour * HOUR,
    importWh: 400n + hour * 10n,
    exportWh: hour % 2n === 0n ? 150n : 0n,
  }));
  const steps: Step[] = [];
  for (let k = 0; k < readings.length; k += 2) {
    steps.push({
      instructions: meterSettleBatchInstructions({
        device: d.device,
        deviceKey: d.key.publicKey,
        owner: d.owner.publicKey,
        tariff: world.tariff!,
        program: world.tariffProgram!,
        utility: world.utilityPda,
        utilityTreasury: world.utilityTreasury!,
        readings: readings.slice(k, k + 2),
        deviceSecretKey: d.key.secretKey,
      }),
    });
  }
  return { steps, value: undefined };
}

type FleetRuntime = Pick<
  Runtime,
  'payer' | 'airdrop' | 'minimumBalanceForRentExemption' | 'latestBlockhash' | 'sendTransaction' | 'setUnixTimestamp'
>;

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * `rt` as `applySync` needs it, signing with node:crypto's native ed25519 on one blockhash
 * (refreshed every 100 transactions) and compiling each message once: seeding 10,000 devices
 * spends most of its time in web3.js's JS signing and message compilation otherwise.
 */
function nativeSigning(rt: FleetRuntime): SyncRuntime {
  const keys = new WeakMap<Signer, KeyObject>();
  const keyOf = (s: Signer) => {
    let k = keys.get(s);
    if (!k) {
      const der = Buffer.concat([PKCS8_ED25519, Buffer.from(s.secretKey.subarray(0, 32))]);
      k = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      keys.set(s, k);
    }
    return k;
  };
  let blockhash = rt.latestBlockhash();
  let sent = 0;
  return {
    payer: rt.payer,
    airdrop: (to, lamports) => rt.airdrop(to, lamports),
    minimumBalanceForRentExemption: (space) => rt.minimumBalanceForRentExemption(space),
    processInstructions(instructions: TransactionInstruction[], signers: Signer[] = []) {
      if (++sent % 100 === 0) blockhash = rt.latestBlockhash();
      const message = new Transaction({ feePayer: rt.payer.publicKey, recentBlockhash: blockhash })
        .add(...instructions)
        .compileMessage();
      const bytes = message.serialize();
      const byKey = new Map([rt.payer, ...signers].map((s) => [s.publicKey.toBase58(), s]));
      const signatures = message.accountKeys
        .slice(0, message.header.numRequiredSignatures)
        .map((k) => sign(null, bytes, keyOf(byKey.get(k.toBase58())!)));
      const outcome = rt.sendTransaction(new VersionedTransaction(message, signatures));
      if (outcome.err) throw new TransactionFailedError(outcome);
      return outcome;
    },
  };
}

/**
 * Runs `f` with `PublicKey.findProgramAddressSync` memoized (a PDA is a pure function of its
 * seeds and program; the SDK's builders derive each of a device's PDAs about 4 times, and each
 * derivation costs curve arithmetic in JS), then restores it.
 */
function withPdaMemo<T>(f: () => T): T {
  const find = PublicKey.findProgramAddressSync;
  const memo = new Map<string, [PublicKey, number]>();
  PublicKey.findProgramAddressSync = (seeds, programId) => {
    const key = `${programId.toBase58()}:${seeds.map((s) => Buffer.from(s).toString('hex')).join(':')}`;
    let pda = memo.get(key);
    if (!pda) memo.set(key, (pda = find.call(PublicKey, seeds, programId)));
    return pda;
  };
  try {
    return f();
  } finally {
    PublicKey.findProgramAddressSync = find;
  }
}

/**
 * Seeds the fleet on `rt` (a runtime whose payer pays; a LocalnetNode's `rt` records every
 * transaction for JSON-RPC): `devices` owned meters with `readings` settled each (default 2).
 * Leaves the clock at the readings' day, after them.
 */
export function seedFleet(
  rt: FleetRuntime,
  { devices, readings = 2, onProgress }: { devices: number; readings?: number; onProgress?: (done: number) => void },
): Fleet {
  const payer = rt.payer.publicKey;
  const signing = nativeSigning(rt);
  let transactions = 0;
  const run = <T>(plan: Plan<T>): T => {
    transactions += plan.steps.filter((s) => 'instructions' in s).length;
    return applySync(signing, plan);
  };
  return withPdaMemo(() => {
    rt.setUnixTimestamp(FLEET_DAY);
    const world = run(worldPlan(payer, { payments: true, tariff: true, fleet: 0 }));
    const fleet: FleetDevice[] = [];
    for (let i = 0; i < devices; i++) {
      fleet.push(run(ownedMeterPlan(payer, world, i)));
      if ((i + 1) % 100 === 0) onProgress?.(i + 1);
    }
    const hours = Array.from({ length: readings }, (_, k) => BigInt(k));
    rt.setUnixTimestamp(FLEET_DAY + BigInt(readings) * HOUR + 60n);
    for (const d of fleet) run(settledReadingsPlan(world, d, hours));
    return { world, devices: fleet, day: new Date(Number(FLEET_DAY) * 1000).toISOString().slice(0, 10), transactions };
  });
}
