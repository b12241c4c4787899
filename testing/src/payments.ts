// The on-ramp on the embedded runtime: the localnet USDC mint, payments initialisation signed by
// the localnet deployer, USDC minting and owner funding (USDE, settlement allowance, mandate).
import {
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, type TransactionInstruction } from '@solana/web3.js';

import type { RuntimeLike } from './rpc-runtime';
import {
  type MandateCaps,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  findUtilityProgramPda,
  fundOwnerInstructions,
  paymentsInitInstructions,
  tariffBindInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';

import { localnetAdmin, usdcLocalnetKeypair } from './keys';

/**
 * The localnet USDC: a legacy SPL Token mint with 6 decimals at `USDC_LOCALNET` (the address
 * the payments program accepts when natively hosted), whose mint authority is the runtime payer.
 * One per runtime.
 */
export function createUsdcMint(rt: RuntimeLike): PublicKey {
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
export function initPayments(rt: RuntimeLike, { authority }: { authority: PublicKey }): PublicKey {
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
  rt: RuntimeLike,
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
  rt: RuntimeLike,
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

/**
 * A tariff program (routing `ProgramKind::Tariff`, id `utilityProgramId`) of the utility whose
 * authority is `utility` and partner account `utilityPda`: what devices enroll in before they
 * settle against the utility's tariffs. Returns the program account.
 */
export function createTariffProgram(
  rt: RuntimeLike,
  {
    utility,
    utilityPda,
    utilityProgramId = 2,
    name = 'Tariff',
  }: { utility: Keypair; utilityPda: PublicKey; utilityProgramId?: number; name?: string },
): PublicKey {
  rt.processInstructions(
    utilityProgramCreateInstructions({
      utility: utilityPda,
      authority: utility.publicKey,
      payer: rt.payer.publicKey,
      utilityProgramId,
      kind: 'tariff',
      name,
    }),
    [utility],
  );
  return findUtilityProgramPda({ utility: utilityPda, utilityProgramId })[0];
}

/**
 * What a device needs before its readings settle against a tariff: `requester` (the device's
 * claimed owner or its vendor authority) asks to enroll `device` (made by vendor partner
 * `vendorPda`) in `program`, the utility approves, and the runtime payer binds the device to
 * each of `tariffs` (`tariff_bind`). Give `tariffs: []` to only enroll.
 */
export function enrollAndBind(
  rt: RuntimeLike,
  {
    utility,
    requester,
    vendorPda,
    device,
    program,
    tariffs,
  }: {
    utility: Keypair;
    requester: Keypair;
    vendorPda: PublicKey;
    device: PublicKey;
    program: PublicKey;
    tariffs: PublicKey[];
  },
): void {
  const payer = rt.payer.publicKey;
  rt.processInstructions(
    enrollmentRequestInstructions({ program, device, vendor: vendorPda, requester: requester.publicKey, payer }),
    [requester],
  );
  rt.processInstructions(
    [
      ...enrollmentDecideInstructions({ program, authority: utility.publicKey, device, approve: true }),
      ...tariffs.flatMap((tariff) =>
        tariffBindInstructions({ tariff, authority: utility.publicKey, device, program, payer }),
      ),
    ],
    [utility],
  );
}
