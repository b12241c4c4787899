// The in-process runtime itself: real SBF Token-2022 next to the native programs, account
// and clock control, simulation, failure reporting, duplicate handling.
import {
  ExtensionType,
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMetadataPointerInstruction,
  createInitializeMintInstruction,
  createMintToCheckedInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
  getMintLen,
  unpackAccount,
  unpackMint,
} from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { expect } from 'chai';

import { REGISTRY_PROGRAM_ID, configInitInstructions, fetchRegistryConfig } from '@openvpp/sdk/web3';

import { TransactionFailedError, localnetAdmin, startRuntime } from '../utils/harness';

describe('runtime: in-process bank (napi addon)', () => {
  it('hosts the registry natively and Token-2022 as its SBF program', () => {
    const rt = startRuntime();
    expect(rt.programs.ovpp_registry.equals(REGISTRY_PROGRAM_ID)).to.equal(true);
    const t22 = rt.getAccount(TOKEN_2022_PROGRAM_ID);
    expect(t22?.executable).to.equal(true);
    // The bundled SBF binary (an ELF), not a mock.
    const loaderV3 = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');
    expect(t22!.owner.equals(loaderV3)).to.equal(true);
  });

  it('runs a Token-2022 mint (with an extension), ATA, mint_to and transfer_checked', () => {
    const rt = startRuntime();
    const payer = rt.payer;
    const mint = Keypair.generate();
    const alice = Keypair.generate();
    const bob = Keypair.generate();
    const mintLen = getMintLen([ExtensionType.MetadataPointer]);
    const rent = Number(rt.minimumBalanceForRentExemption(mintLen));
    rt.processInstructions(
      [
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: mint.publicKey,
          space: mintLen,
          lamports: rent,
          programId: TOKEN_2022_PROGRAM_ID,
        }),
        createInitializeMetadataPointerInstruction(
          mint.publicKey,
          payer.publicKey,
          mint.publicKey,
          TOKEN_2022_PROGRAM_ID,
        ),
        createInitializeMintInstruction(mint.publicKey, 6, payer.publicKey, null, TOKEN_2022_PROGRAM_ID),
      ],
      [mint],
    );
    const ata = (owner: PublicKey) =>
      getAssociatedTokenAddressSync(mint.publicKey, owner, false, TOKEN_2022_PROGRAM_ID);
    const out = rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(
        payer.publicKey,
        ata(alice.publicKey),
        alice.publicKey,
        mint.publicKey,
        TOKEN_2022_PROGRAM_ID,
      ),
      createAssociatedTokenAccountIdempotentInstruction(
        payer.publicKey,
        ata(bob.publicKey),
        bob.publicKey,
        mint.publicKey,
        TOKEN_2022_PROGRAM_ID,
      ),
      createMintToCheckedInstruction(
        mint.publicKey,
        ata(alice.publicKey),
        payer.publicKey,
        5_000_000n,
        6,
        [],
        TOKEN_2022_PROGRAM_ID,
      ),
    ]);
    // SBF execution is metered; native builtins are not.
    expect(out.computeUnitsConsumed > 1000n).to.equal(true);
    rt.processInstructions(
      [
        createTransferCheckedInstruction(
          ata(alice.publicKey),
          mint.publicKey,
          ata(bob.publicKey),
          alice.publicKey,
          1_250_000n,
          6,
          [],
          TOKEN_2022_PROGRAM_ID,
        ),
      ],
      [alice],
    );
    const read = (owner: PublicKey) => {
      const a = rt.getAccount(ata(owner))!;
      return unpackAccount(
        ata(owner),
        { ...a, lamports: Number(a.lamports), rentEpoch: Number(a.rentEpoch) } as never,
        TOKEN_2022_PROGRAM_ID,
      ).amount;
    };
    expect(read(alice.publicKey)).to.equal(3_750_000n);
    expect(read(bob.publicKey)).to.equal(1_250_000n);
    const m = rt.getAccount(mint.publicKey)!;
    expect(
      unpackMint(
        mint.publicKey,
        { ...m, lamports: Number(m.lamports), rentEpoch: Number(m.rentEpoch) } as never,
        TOKEN_2022_PROGRAM_ID,
      ).supply,
    ).to.equal(5_000_000n);

    // Overdraft fails inside Token-2022 and changes nothing.
    const fail = rt.tryInstructions(
      [
        createTransferCheckedInstruction(
          ata(bob.publicKey),
          mint.publicKey,
          ata(alice.publicKey),
          bob.publicKey,
          9_000_000n,
          6,
          [],
          TOKEN_2022_PROGRAM_ID,
        ),
      ],
      [bob],
    );
    expect(fail.err?.kind).to.equal('InstructionError');
    expect(fail.err?.customCode).to.equal(1); // TokenError::InsufficientFunds
    expect(read(bob.publicKey)).to.equal(1_250_000n);
  });

  it('simulates without committing and throws typed failures', async () => {
    const rt = startRuntime();
    const deployer = localnetAdmin();
    const init = () =>
      configInitInstructions({
        payer: rt.payer.publicKey,
        authority: rt.payer.publicKey,
        deployer: deployer.publicKey,
      });
    const tx = new Transaction({ feePayer: rt.payer.publicKey, recentBlockhash: rt.latestBlockhash() }).add(...init());
    tx.sign(rt.payer, deployer);
    const sim = rt.simulateTransaction(tx);
    expect(sim.err).to.equal(null);
    expect(await fetchRegistryConfig(rt)).to.equal(null);
    expect(rt.sendTransaction(tx).err).to.equal(null);
    expect(await fetchRegistryConfig(rt)).to.not.equal(null);
    // Identical bytes again: the bank deduplicates...
    expect(rt.sendTransaction(tx).err?.kind).to.equal('AlreadyProcessed');
    // ...while processInstructions re-signs on a fresh blockhash and reaches the program.
    let thrown: unknown;
    try {
      rt.processInstructions(init(), [deployer]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(TransactionFailedError);
    expect((thrown as TransactionFailedError).customCode).to.equal(0); // already in use
  });

  it('rejects forged signatures like a validator would', () => {
    const rt = startRuntime();
    const to = Keypair.generate().publicKey;
    const tx = new Transaction({ feePayer: rt.payer.publicKey, recentBlockhash: rt.latestBlockhash() }).add(
      SystemProgram.transfer({ fromPubkey: rt.payer.publicKey, toPubkey: to, lamports: 1_000_000_000 }),
    );
    tx.sign(rt.payer);
    const forged = Transaction.from(tx.serialize());
    forged.signatures[0].signature![0] ^= 1;
    const outcome = rt.sendTransaction(forged);
    expect(outcome.err?.kind).to.equal('SignatureFailure');
    expect(rt.getBalance(to)).to.equal(0n);
    expect(rt.sendTransaction(tx).err).to.equal(null);
    expect(rt.getBalance(to)).to.equal(1_000_000_000n);
  });

  it('sets accounts and controls the clock', () => {
    const rt = startRuntime();
    const key = Keypair.generate().publicKey;
    const owner = Keypair.generate().publicKey;
    rt.setAccount(key, { lamports: 1_000_000n, data: Buffer.from([1, 2, 3]), owner });
    const a = rt.getAccount(key)!;
    expect(a.lamports).to.equal(1_000_000n);
    expect([...a.data]).to.deep.equal([1, 2, 3]);
    expect(a.owner.equals(owner)).to.equal(true);

    rt.setUnixTimestamp(1_900_000_000);
    expect(rt.getClock().unixTimestamp).to.equal(1_900_000_000);
    const slot = rt.getClock().slot;
    rt.warpToSlot(slot + 100n);
    expect(rt.getClock().slot).to.equal(slot + 100n);
    // The bank still accepts transactions after a warp.
    rt.airdrop(key, 5n);
    expect(rt.getBalance(key)).to.equal(1_000_005n);
    expect(() => rt.setAccount('not-a-key', { lamports: 1n, data: new Uint8Array(), owner })).to.throw(
      /invalid public key/,
    );
  });
});
