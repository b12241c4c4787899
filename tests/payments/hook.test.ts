import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  deviceClaimInstructions,
  deviceOwnerTransferInstructions,
  fetchMember,
  findDevicePda,
  findMemberPda,
  fetchTokenAmount,
  findUnitMintPda,
  memberRegisterInstructions,
  memberStatusSetInstructions,
  parseHookError,
  unitBuyInstructions,
  unitTransferInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';

import { fakeFingerprint, registerDevice, world } from '../utils/harness';
import { USDC, createKwhMarket, paymentsWorld } from '../utils/payments';

describe('payments: unit-token transfer hook (participants only)', () => {
  it('lets units move only between active members and partners', async () => {
    const reg = world();
    const w = paymentsWorld(reg.rt);
    createKwhMarket(w);
    const alice = w.user; // funded with USDC
    const bob = Keypair.generate();
    const aliceDevice = registerDevice(reg, { owner: alice, certFingerprint: fakeFingerprint(800) });
    const bobDevice = registerDevice(reg, { owner: bob, certFingerprint: fakeFingerprint(801) });
    const payer = w.rt.payer.publicKey;
    // Units are minted for participants only: alice joins before she buys.
    w.rt.processInstructions(
      memberRegisterInstructions({ deviceKey: aliceDevice.publicKey, owner: alice.publicKey, payer }),
      [alice],
    );
    w.rt.processInstructions(
      usdeWrapInstructions({ user: alice.publicKey, usdcMint: w.usdcMint, amount: 15n * USDC }),
      [alice],
    );
    w.rt.processInstructions(
      unitBuyInstructions({
        user: alice.publicKey,
        kind: 'kwh',
        feed: w.feed,
        usdeAmount: 15n * USDC,
        minUnitsOut: 0n,
      }),
      [alice],
    );
    const mint = findUnitMintPda({ kind: 'kwh' })[0];
    const unitsOf = (k: Keypair) => getAssociatedTokenAddressSync(mint, k.publicKey, true, TOKEN_2022_PROGRAM_ID);
    w.rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(
        payer,
        unitsOf(bob),
        bob.publicKey,
        mint,
        TOKEN_2022_PROGRAM_ID,
      ),
    ]);
    const send = (from: Keypair, to: Keypair, amount: bigint) =>
      w.rt.tryInstructions(unitTransferInstructions({ kind: 'kwh', from: from.publicKey, to: to.publicKey, amount }), [
        from,
      ]);

    expect((await fetchMember(w.rt, { wallet: alice.publicKey }))?.status).to.equal('active');
    expect(parseHookError(send(alice, bob, USDC))?.errorName).to.equal('RecipientNotParticipant');
    w.rt.processInstructions(
      memberRegisterInstructions({ deviceKey: bobDevice.publicKey, owner: bob.publicKey, payer }),
      [bob],
    );
    expect(send(alice, bob, 2n * USDC).err).to.equal(null);
    expect(await fetchTokenAmount(w.rt, unitsOf(bob))).to.equal(2n * USDC);

    // A stranger cannot register as someone else's member; a suspended member is refused.
    const stranger = Keypair.generate();
    const steal = w.rt.tryInstructions(
      memberRegisterInstructions({ deviceKey: bobDevice.publicKey, owner: stranger.publicKey, payer }),
      [stranger],
    );
    expect(steal.err).to.not.equal(null);
    w.rt.processInstructions(
      memberStatusSetInstructions({
        authority: reg.admin.publicKey,
        wallet: bob.publicKey,
        device: findDevicePda({ deviceKey: bobDevice.publicKey })[0],
        status: 'suspended',
      }),
      [reg.admin],
    );
    expect(parseHookError(send(alice, bob, USDC))?.errorName).to.equal('RecipientNotParticipant');
    expect(await fetchTokenAmount(w.rt, unitsOf(bob))).to.equal(2n * USDC);
    w.rt.processInstructions(
      memberStatusSetInstructions({
        authority: reg.admin.publicKey,
        wallet: bob.publicKey,
        device: findDevicePda({ deviceKey: bobDevice.publicKey })[0],
        status: 'active',
      }),
      [reg.admin],
    );

    // Alice sells her device: once the buyer claims it, her membership has ended (finding 15).
    const buyer = Keypair.generate();
    w.rt.processInstructions(
      deviceOwnerTransferInstructions({
        deviceKey: aliceDevice.publicKey,
        owner: alice.publicKey,
        newOwner: buyer.publicKey,
      }),
      [alice],
    );
    expect(send(alice, bob, USDC).err).to.equal(null); // still hers until the claim
    w.rt.processInstructions(
      deviceClaimInstructions({
        deviceKey: aliceDevice.publicKey,
        newOwner: buyer.publicKey,
        member: findMemberPda({ wallet: alice.publicKey })[0],
      }),
      [buyer],
    );
    expect((await fetchMember(w.rt, { wallet: alice.publicKey }))?.status).to.equal('ended');
    expect(parseHookError(send(alice, bob, USDC))?.errorName).to.equal('SenderNotParticipant');
  });
});
