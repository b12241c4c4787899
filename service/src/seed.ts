// A seeded embedded world for `openvpp serve` and the resolver load test: protocol config, a
// utility and a vendor, a DR program and `devices` enrolled devices with OpenADR 3 routes.
import {
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, type TransactionInstruction } from '@solana/web3.js';
import fs from 'node:fs';
import path from 'node:path';

import { Runtime } from '@openvpp/runtime';
import {
  CAP_IMPORT,
  LOCALNET_ADMIN,
  PROTOCOL_OPENADR3,
  configInitInstructions,
  paymentsInitInstructions,
  deviceRegisterInstructions,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findDevicePda,
  findPartnerPda,
  findUtilityProgramPda,
  fundOwnerInstructions,
  type MandateCaps,
  partnerRegisterInstructions,
  USDC_LOCALNET,
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

/** Keypair of the localnet test USDC (`USDC_LOCALNET`), `tests/fixtures/keys/usdc-localnet.json`. */
export function usdcLocalnetKeypair(): Keypair {
  const file = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'keys', 'usdc-localnet.json');
  const key = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(file, 'utf8'))));
  if (!key.publicKey.equals(USDC_LOCALNET)) throw new Error(`${file} is not the USDC_LOCALNET keypair`);
  return key;
}

/**
 * The localnet USDC: a legacy SPL Token mint with 6 decimals at `USDC_LOCALNET` (the address
 * the payments program accepts when natively hosted), whose mint authority is the runtime payer.
 * One per runtime.
 */
export function createUsdcMint(rt: Runtime): PublicKey {
  const mint = usdcLocalnetKeypair();
  rt.processInstructions(
    [
      SystemProgram.createAccount({
        fromPubkey: rt.payer.publicKey,
        newAccountPubkey: mint.publicKey,
        space: MINT_SIZE,
        lamports: Number(rt.minimumBalanceForRentExemption(MINT_SIZE)),
        programId: TOKEN_PROGRAM_ID,
      }),
      createInitializeMint2Instruction(mint.publicKey, 6, rt.payer.publicKey, null),
    ],
    [mint],
  );
  return mint.publicKey;
}

/**
 * The on-ramp on a natively hosted runtime: creates the localnet USDC mint and initialises
 * payments (USDE, vault, treasury) with `authority` as payments authority, signed by the
 * localnet deployer. Returns the USDC mint.
 */
export function initPayments(rt: Runtime, { authority }: { authority: PublicKey }): PublicKey {
  const usdcMint = createUsdcMint(rt);
  const deployer = localnetAdmin();
  rt.processInstructions(
    paymentsInitInstructions({ payer: rt.payer.publicKey, authority, usdcMint, deployer: deployer.publicKey }),
    [deployer],
  );
  return usdcMint;
}

/** Mints `amount` raw localnet USDC to `owner`'s USDC ATA (created if needed); returns the ATA. */
export function mintUsdc(
  rt: Runtime,
  { usdcMint, owner, amount }: { usdcMint: PublicKey; owner: PublicKey; amount: bigint },
) {
  const payer = rt.payer.publicKey;
  const ata = getAssociatedTokenAddressSync(usdcMint, owner, true);
  const ixs: TransactionInstruction[] = [
    createAssociatedTokenAccountIdempotentInstruction(payer, ata, owner, usdcMint),
  ];
  if (amount > 0n) ixs.push(createMintToInstruction(usdcMint, ata, payer, amount));
  rt.processInstructions(ixs);
  return ata;
}

/**
 * Funds a device owner on the embedded runtime: SOL for fees, `amount` localnet USDC, then
 * the SDK's `fundOwnerInstructions` signed by the owner (wrap into USDE, approve the settlement
 * delegate for `allowance`, and a mandate for `device` and `utility` when given).
 */
export function fundOwner(
  rt: Runtime,
  {
    owner,
    usdcMint,
    amount,
    allowance = amount,
    device,
    utility,
    mandate,
    lamports = 10_000_000n,
  }: {
    owner: Keypair;
    usdcMint: PublicKey;
    amount: bigint;
    allowance?: bigint;
    device?: PublicKey;
    utility?: PublicKey;
    mandate?: Partial<MandateCaps>;
    lamports?: bigint;
  },
) {
  if (lamports > 0n) rt.airdrop(owner.publicKey, lamports);
  mintUsdc(rt, { usdcMint, owner: owner.publicKey, amount });
  return rt.processInstructions(
    fundOwnerInstructions({
      owner: owner.publicKey,
      usdcMint,
      amount,
      allowance,
      device,
      utility,
      mandate,
    }),
    [owner],
  );
}

export interface Partners {
  admin: Keypair;
  utility: Keypair;
  vendor: Keypair;
  utilityPda: PublicKey;
  vendorPda: PublicKey;
}

/**
 * The localnet deployer (`LOCALNET_ADMIN`) of the natively hosted programs: only it may
 * initialise their configs in the embedded runtime. Never valid on a cluster.
 */
export function localnetAdmin(): Keypair {
  const file = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'keys', 'localnet-admin.json');
  const key = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(file, 'utf8'))));
  if (!key.publicKey.equals(LOCALNET_ADMIN)) throw new Error(`${file} is not LOCALNET_ADMIN`);
  return key;
}

/** Registry config (signed by the localnet deployer) plus one utility and one vendor (trusting `caFingerprints`). */
export function onboardPartners(
  rt: Runtime,
  {
    caFingerprints,
    utilityName = 'Gridco',
    vendorName = 'Acme',
    utilityHandle = 'gridco',
    vendorHandle = 'acme',
  }: {
    caFingerprints: Uint8Array[];
    utilityName?: string;
    vendorName?: string;
    /** Reserved registry names of the partners. */
    utilityHandle?: string;
    vendorHandle?: string;
  },
): Partners {
  const payer = rt.payer.publicKey;
  const [admin, utility, vendor] = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
  const deployer = localnetAdmin();
  rt.processInstructions(configInitInstructions({ payer, authority: admin.publicKey, deployer: deployer.publicKey }), [
    deployer,
  ]);
  rt.processInstructions(
    [
      ...partnerRegisterInstructions({
        authority: admin.publicKey,
        partnerAuthority: vendor.publicKey,
        payer,
        kind: 'vendor',
        name: vendorName,
        handle: vendorHandle,
        caFingerprints,
      }),
      ...partnerRegisterInstructions({
        authority: admin.publicKey,
        partnerAuthority: utility.publicKey,
        payer,
        kind: 'utility',
        name: utilityName,
        handle: utilityHandle,
      }),
    ],
    [admin, vendor, utility],
  );
  return {
    admin,
    utility,
    vendor,
    utilityPda: findPartnerPda({ authority: utility.publicKey })[0],
    vendorPda: findPartnerPda({ authority: vendor.publicKey })[0],
  };
}

/** A demand-response program (id 1) of the utility. */
export function createDrProgram(rt: Runtime, p: Partners, name = 'DR'): PublicKey {
  rt.processInstructions(
    utilityProgramCreateInstructions({
      utility: p.utilityPda,
      authority: p.utility.publicKey,
      payer: rt.payer.publicKey,
      utilityProgramId: 1,
      kind: 'demandResponse',
      name,
    }),
    [p.utility],
  );
  return findUtilityProgramPda({ utility: p.utilityPda, utilityProgramId: 1 })[0];
}

export function seedWorld({
  devices = 100,
  onProgress,
}: { devices?: number; onProgress?: (done: number) => void } = {}): SeededWorld {
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  const ca = new Uint8Array(32).fill(7);
  const partners = onboardPartners(rt, { caFingerprints: [ca] });
  const { admin, utility, vendor, vendorPda } = partners;
  const program = createDrProgram(rt, partners);
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
