// The on-ramp: the localnet USDC mint, payments initialisation signed by the localnet deployer,
// USDC minting and owner funding (USDE, settlement allowance, mandate), the utility's tariff
// program and a device's enrollment and tariff bindings. Plans (see plan.ts) and their
// synchronous runtime forms.
import {
  MINT_SIZE,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import type { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';

import {
  type MandateCaps,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findTariffPda,
  findUsdeAccount,
  findUsdeMintPda,
  findUtilityProgramPda,
  fundOwnerInstructions,
  paymentsInitInstructions,
  tariffBindInstructions,
  tariffCreateInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';

import { localnetAdmin, usdcLocalnetKeypair } from '../keys';
import { type Plan, type SyncRuntime, applySync } from './plan';

/**
 * The localnet USDC: a legacy SPL Token mint with 6 decimals at `USDC_LOCALNET` (the address
 * the payments program accepts when natively hosted), whose mint authority is `payer`. One per chain.
 */
export function usdcMintPlan(payer: PublicKey): Plan<PublicKey> {
  const mint = usdcLocalnetKeypair();
  return {
    steps: [
      {
        account: mint,
        space: MINT_SIZE,
        programId: TOKEN_PROGRAM_ID,
        instructions: [createInitializeMint2Instruction(mint.publicKey, 6, payer, null)],
      },
    ],
    value: mint.publicKey,
  };
}

/**
 * The on-ramp on a natively hosted chain: the localnet USDC mint, then payments (USDE, vault,
 * treasury) with `authority` as payments authority, signed by the localnet deployer. Its value
 * is the USDC mint.
 */
export function paymentsPlan(payer: PublicKey, { authority }: { authority: PublicKey }): Plan<PublicKey> {
  const usdc = usdcMintPlan(payer);
  const deployer = localnetAdmin();
  return {
    steps: [
      ...usdc.steps,
      {
        instructions: paymentsInitInstructions({
          payer,
          authority,
          usdcMint: usdc.value,
          deployer: deployer.publicKey,
        }),
        signers: [deployer],
      },
    ],
    value: usdc.value,
  };
}

/** Mints `amount` raw localnet USDC (mint authority `payer`) to `owner`'s USDC ATA, created if needed; the ATA. */
export function mintUsdcPlan(
  payer: PublicKey,
  { usdcMint, owner, amount }: { usdcMint: PublicKey; owner: PublicKey; amount: bigint },
): Plan<PublicKey> {
  const ata = getAssociatedTokenAddressSync(usdcMint, owner, true);
  const instructions: TransactionInstruction[] = [
    createAssociatedTokenAccountIdempotentInstruction(payer, ata, owner, usdcMint),
  ];
  if (amount > 0n) instructions.push(createMintToInstruction(usdcMint, ata, payer, amount));
  return { steps: [{ instructions }], value: ata };
}

export interface FundOwnerOptions {
  owner: Keypair;
  usdcMint: PublicKey;
  amount: bigint;
  allowance?: bigint;
  device?: PublicKey;
  utility?: PublicKey;
  mandate?: Partial<MandateCaps>;
  lamports?: bigint;
}

/**
 * Funds a device owner: SOL for fees, `amount` localnet USDC, then the SDK's
 * `fundOwnerInstructions` signed by the owner (wrap into USDE, approve the settlement delegate
 * for `allowance`, and a mandate for `device` and `utility` when given).
 */
export function fundOwnerPlan(
  payer: PublicKey,
  { owner, usdcMint, amount, allowance = amount, device, utility, mandate, lamports = 10_000_000n }: FundOwnerOptions,
): Plan<void> {
  return {
    steps: [
      ...(lamports > 0n ? [{ airdrop: owner.publicKey, lamports }] : []),
      ...mintUsdcPlan(payer, { usdcMint, owner: owner.publicKey, amount }).steps,
      {
        instructions: fundOwnerInstructions({
          owner: owner.publicKey,
          usdcMint,
          amount,
          allowance,
          device,
          utility,
          mandate,
        }),
        signers: [owner],
      },
    ],
    value: undefined,
  };
}

/**
 * A tariff program (routing `ProgramKind::Tariff`, id `utilityProgramId`) of the utility whose
 * authority is `utility` and partner account `utilityPda`: what devices enroll in before they
 * settle against the utility's tariffs. Its value is the program account.
 */
export function tariffProgramPlan(
  payer: PublicKey,
  {
    utility,
    utilityPda,
    utilityProgramId = 2,
    name = 'Tariff',
  }: { utility: Keypair; utilityPda: PublicKey; utilityProgramId?: number; name?: string },
): Plan<PublicKey> {
  return {
    steps: [
      {
        instructions: utilityProgramCreateInstructions({
          utility: utilityPda,
          authority: utility.publicKey,
          payer,
          utilityProgramId,
          kind: 'tariff',
          name,
        }),
        signers: [utility],
      },
    ],
    value: findUtilityProgramPda({ utility: utilityPda, utilityProgramId })[0],
  };
}

/** A tariff's schedule and limits (`tariff_create`). */
export type TariffOptions = Pick<
  Parameters<typeof tariffCreateInstructions>[0],
  'tariffId' | 'effectiveFrom' | 'intervals' | 'intervalSecs' | 'settlementWindowSecs' | 'exportCap'
>;

/**
 * The demo's hourly time-of-use tariff (id 1, in effect since the epoch): off-peak 0.12 / 0.06,
 * evening peak (17:00-21:00) 0.35 / 0.09 USDE per kWh imported / exported, a 30-day settlement
 * window, export credit capped at 4 USDE per device per day.
 */
export const DEMO_TARIFF: TariffOptions = {
  tariffId: 1,
  effectiveFrom: 0n,
  intervals: [
    { startMinute: 0, importPrice: 120_000n, exportPrice: 60_000n },
    { startMinute: 17 * 60, importPrice: 350_000n, exportPrice: 90_000n },
    { startMinute: 21 * 60, importPrice: 120_000n, exportPrice: 60_000n },
  ],
  intervalSecs: 3_600,
  settlementWindowSecs: 30 * 86_400,
  exportCap: { maxCredit: 4_000_000n, periodSecs: 86_400 },
};

/**
 * The utility's USDE treasury (its USDE account, created if needed) and a tariff of the utility
 * (`DEMO_TARIFF`, overridden by `tariff`). Payments must be initialised. Its value is the tariff
 * and the treasury settlements pay into.
 */
export function tariffPlan(
  payer: PublicKey,
  { utility, utilityPda, ...tariff }: { utility: Keypair; utilityPda: PublicKey } & Partial<TariffOptions>,
): Plan<{ tariff: PublicKey; treasury: PublicKey }> {
  const t = { ...DEMO_TARIFF, ...tariff };
  const usde = findUsdeMintPda()[0];
  const treasury = findUsdeAccount({ owner: utility.publicKey });
  return {
    steps: [
      {
        instructions: [
          createAssociatedTokenAccountIdempotentInstruction(
            payer,
            treasury,
            utility.publicKey,
            usde,
            TOKEN_2022_PROGRAM_ID,
          ),
        ],
      },
      {
        instructions: tariffCreateInstructions({ utility: utilityPda, authority: utility.publicKey, payer, ...t }),
        signers: [utility],
      },
    ],
    value: { tariff: findTariffPda({ utility: utilityPda, tariffId: t.tariffId })[0], treasury },
  };
}

export interface EnrollAndBindOptions {
  utility: Keypair;
  requester: Keypair;
  vendorPda: PublicKey;
  device: PublicKey;
  program: PublicKey;
  tariffs: PublicKey[];
}

/**
 * What a device needs before its readings settle against a tariff: `requester` (the device's
 * claimed owner or its vendor authority) asks to enroll `device` (made by vendor partner
 * `vendorPda`) in `program`, the utility approves, and `payer` binds the device to each of
 * `tariffs` (`tariff_bind`). Give `tariffs: []` to only enroll.
 */
export function enrollAndBindPlan(
  payer: PublicKey,
  { utility, requester, vendorPda, device, program, tariffs }: EnrollAndBindOptions,
): Plan<void> {
  return {
    steps: [
      {
        instructions: enrollmentRequestInstructions({
          program,
          device,
          vendor: vendorPda,
          requester: requester.publicKey,
          payer,
        }),
        signers: [requester],
      },
      {
        instructions: [
          ...enrollmentDecideInstructions({ program, authority: utility.publicKey, device, approve: true }),
          ...tariffs.flatMap((tariff) =>
            tariffBindInstructions({ tariff, authority: utility.publicKey, device, program, payer }),
          ),
        ],
        signers: [utility],
      },
    ],
    value: undefined,
  };
}

// The synchronous forms, on an embedded (or a node's ledgered) runtime whose payer pays.

export const createUsdcMint = (rt: SyncRuntime): PublicKey => applySync(rt, usdcMintPlan(rt.payer.publicKey));
export const initPayments = (rt: SyncRuntime, opts: { authority: PublicKey }): PublicKey =>
  applySync(rt, paymentsPlan(rt.payer.publicKey, opts));
export const mintUsdc = (rt: SyncRuntime, opts: { usdcMint: PublicKey; owner: PublicKey; amount: bigint }): PublicKey =>
  applySync(rt, mintUsdcPlan(rt.payer.publicKey, opts));
export const fundOwner = (rt: SyncRuntime, opts: FundOwnerOptions): void =>
  applySync(rt, fundOwnerPlan(rt.payer.publicKey, opts));
export const createTariffProgram = (rt: SyncRuntime, opts: Parameters<typeof tariffProgramPlan>[1]): PublicKey =>
  applySync(rt, tariffProgramPlan(rt.payer.publicKey, opts));
export const enrollAndBind = (rt: SyncRuntime, opts: EnrollAndBindOptions): void =>
  applySync(rt, enrollAndBindPlan(rt.payer.publicKey, opts));
