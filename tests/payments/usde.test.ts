import {
  TOKEN_2022_PROGRAM_ID,
  createBurnCheckedInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  ClientError,
  fetchPaymentsConfig,
  fetchReserve,
  fetchTokenAmount,
  findUsdcVaultPda,
  findUsdeMintPda,
  isPaymentsError,
  parsePaymentsError,
  paymentsPauseSetInstructions,
  usdeSurplusSweepInstructions,
  usdeUnwrapInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';

import { mintUsdc } from '@openvpp/testing';

import { USDC, expectReserve, paymentsWorld } from '../utils/payments';

describe('payments: USDE wrap/unwrap', () => {
  it('mints USDE 1:1 against USDC and keeps the reserve invariant after every step', async () => {
    const w = paymentsWorld();
    const config = await fetchPaymentsConfig(w.rt);
    expect(config?.usdcMint.equals(w.usdcMint)).to.equal(true);
    expect(w.rt.getAccount(findUsdeMintPda()[0])?.owner.equals(TOKEN_2022_PROGRAM_ID)).to.equal(true);
    const userUsde = getAssociatedTokenAddressSync(findUsdeMintPda()[0], w.user.publicKey, true, TOKEN_2022_PROGRAM_ID);

    const wrap = (amount: bigint) => usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount });
    const unwrap = (amount: bigint) => usdeUnwrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount });

    w.rt.processInstructions(wrap(400n * USDC), [w.user]);
    expect(await fetchTokenAmount(w.rt, userUsde)).to.equal(400n * USDC);
    expect(await expectReserve(w.rt)).to.equal(400n * USDC);
    w.rt.processInstructions(wrap(100n * USDC), [w.user]); // idempotent ATA creation
    expect(await expectReserve(w.rt)).to.equal(500n * USDC);
    w.rt.processInstructions(unwrap(125n * USDC), [w.user]);
    expect(await fetchTokenAmount(w.rt, userUsde)).to.equal(375n * USDC);
    expect(await fetchTokenAmount(w.rt, w.userUsdc)).to.equal(625n * USDC);
    expect(await expectReserve(w.rt)).to.equal(375n * USDC);

    // Over-withdrawal fails inside Token-2022 and changes nothing.
    const fail = w.rt.tryInstructions(unwrap(10_000n * USDC), [w.user]);
    expect(fail.err?.customCode).to.equal(1);
    expect(await expectReserve(w.rt)).to.equal(375n * USDC);
  });

  it('rejects zero amounts client-side, thieves on-chain, and wraps while paused', async () => {
    const w = paymentsWorld();
    expect(() => usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: 0n })).to.throw(
      ClientError,
      /InvalidAmount/,
    );
    w.rt.processInstructions(
      usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: 50n * USDC }),
      [w.user],
    );

    const thief = Keypair.generate();
    const userUsde = getAssociatedTokenAddressSync(findUsdeMintPda()[0], w.user.publicKey, true, TOKEN_2022_PROGRAM_ID);
    const steal = usdeUnwrapInstructions({
      user: thief.publicKey,
      usdcMint: w.usdcMint,
      amount: USDC,
      userUsde,
      userUsdc: w.userUsdc,
    });
    expect(w.rt.tryInstructions(steal, [thief]).err?.customCode).to.equal(2015); // ConstraintTokenOwner

    const notAuthority = w.rt.tryInstructions(
      paymentsPauseSetInstructions({ authority: w.user.publicKey, paused: true }),
      [w.user],
    );
    expect(parsePaymentsError(notAuthority)?.errorName).to.equal('Unauthorized');
    w.rt.processInstructions(paymentsPauseSetInstructions({ authority: w.authority.publicKey, paused: true }), [
      w.authority,
    ]);
    const paused = w.rt.tryInstructions(
      usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: USDC }),
      [w.user],
    );
    expect(isPaymentsError(paused, 'Paused')).to.equal(true);
    // Exit stays open.
    w.rt.processInstructions(
      usdeUnwrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: 20n * USDC }),
      [w.user],
    );
    expect(await expectReserve(w.rt)).to.equal(30n * USDC);
  });

  it('is not blocked by a 1-unit USDC donation or a direct USDE burn; the surplus is swept', async () => {
    const w = paymentsWorld();
    const usdeMint = findUsdeMintPda()[0];
    const vault = findUsdcVaultPda()[0];
    const userUsde = getAssociatedTokenAddressSync(usdeMint, w.user.publicKey, true, TOKEN_2022_PROGRAM_ID);
    const wrap = (amount: bigint) => usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount });
    const unwrap = (amount: bigint) => usdeUnwrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount });
    w.rt.processInstructions(wrap(100n * USDC), [w.user]);

    // Anyone can send USDC to the vault: one raw unit used to freeze every wrap and unwrap.
    w.rt.processInstructions(
      [createTransferCheckedInstruction(w.userUsdc, w.usdcMint, vault, w.user.publicKey, 1n, 6)],
      [w.user],
    );
    expect(await fetchReserve(w.rt)).to.include({ usdeSupply: 100n * USDC, usdcVault: 100n * USDC + 1n, surplus: 1n });
    w.rt.processInstructions(wrap(USDC), [w.user]);
    w.rt.processInstructions(unwrap(2n * USDC), [w.user]);
    expect((await fetchReserve(w.rt)).surplus).to.equal(1n);

    // Any holder can burn USDE directly through Token-2022: the USDC behind it becomes surplus.
    w.rt.processInstructions(
      [createBurnCheckedInstruction(userUsde, usdeMint, w.user.publicKey, 5n * USDC, 6, [], TOKEN_2022_PROGRAM_ID)],
      [w.user],
    );
    expect(await fetchReserve(w.rt)).to.include({ usdeSupply: 94n * USDC, surplus: 5n * USDC + 1n });
    w.rt.processInstructions(wrap(USDC), [w.user]);
    w.rt.processInstructions(unwrap(USDC), [w.user]);
    expect(await fetchTokenAmount(w.rt, userUsde)).to.equal(94n * USDC);

    // Only the authority sweeps, and only the surplus: the supply stays fully covered.
    const destination = mintUsdc(w.rt, { usdcMint: w.usdcMint, owner: w.authority.publicKey, amount: 0n });
    const notAuthority = w.rt.tryInstructions(
      usdeSurplusSweepInstructions({ authority: w.user.publicKey, usdcMint: w.usdcMint, destination: w.userUsdc }),
      [w.user],
    );
    expect(parsePaymentsError(notAuthority)?.errorName).to.equal('Unauthorized');
    const sweep = () =>
      w.rt.tryInstructions(usdeSurplusSweepInstructions({ authority: w.authority.publicKey, usdcMint: w.usdcMint }), [
        w.authority,
      ]);
    expect(sweep().err).to.equal(null);
    expect(await fetchTokenAmount(w.rt, destination)).to.equal(5n * USDC + 1n);
    expect(await expectReserve(w.rt)).to.equal(94n * USDC);
    expect(parsePaymentsError(sweep())?.errorName).to.equal('NoSurplus');
    // Everyone can still leave in full.
    w.rt.processInstructions(unwrap(94n * USDC), [w.user]);
    expect(await expectReserve(w.rt)).to.equal(0n);
  });
});
