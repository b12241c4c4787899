// A bankrun test suite written the way solana-bankrun suites are written (start, banksClient,
// processTransaction / tryProcessTransaction, setAccount, setClock, warpToSlot, a program from
// tests/fixtures/<name>.so). It runs once per implementation: each `*.test.ts` next to this file
// differs only in which module it passes in (see openvpp.test.ts and solana-bankrun.test.ts).
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  AccountLayout,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createAmountToUiAmountInstruction,
  createAssociatedTokenAccountInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { expect } from 'chai';

import type * as OpenVppBankrun from '@openvpp/runtime/bankrun';

/** What the suite uses of a bankrun module (solana-bankrun and @openvpp/runtime/bankrun). */
export type BankrunModule = Pick<typeof OpenVppBankrun, 'start' | 'Clock' | 'Rent'>;
type Context = Awaited<ReturnType<BankrunModule['start']>>;

const SYSTEM = SystemProgram.programId.toBase58();

function transfer(ctx: Context, to: PublicKey, lamports: number | bigint, blockhash = ctx.lastBlockhash) {
  const tx = new Transaction({ feePayer: ctx.payer.publicKey, recentBlockhash: blockhash }).add(
    SystemProgram.transfer({ fromPubkey: ctx.payer.publicKey, toPubkey: to, lamports }),
  );
  tx.sign(ctx.payer);
  return tx;
}

async function latest(ctx: Context): Promise<string> {
  return (await ctx.banksClient.getLatestBlockhash())![0];
}

export function bankrunSuite(label: string, load: () => BankrunModule | null) {
  describe(`bankrun compatibility: ${label}`, function () {
    let bankrun: BankrunModule;
    const started: Context[] = [];
    before(function () {
      const mod = load();
      if (!mod) {
        // CI (scripts/test.sh) installs it and requires it: there the comparison must run.
        if (process.env.OVPP_REQUIRE_BANKRUN)
          throw new Error(`${label} is not installed: npm install --prefix bench/runtimes`);
        console.log(`      (skipped: ${label} is not installed)`);
        this.skip();
      }
      // Keeps track of the contexts so the ones that can be closed (OpenVPP's) are, after
      // each test; solana-bankrun's are garbage-collected.
      bankrun = {
        ...mod!,
        start: async (...args: Parameters<BankrunModule['start']>) => {
          const ctx = await mod!.start(...args);
          started.push(ctx);
          return ctx;
        },
      };
    });
    afterEach(() => {
      for (const ctx of started.splice(0)) (ctx as { close?: () => void }).close?.();
    });

    it('transfers SOL: processTransaction returns the logs and compute units', async () => {
      const ctx = await bankrun.start([], []);
      const client = ctx.banksClient;
      const to = Keypair.generate().publicKey;
      const meta = await client.processTransaction(transfer(ctx, to, LAMPORTS_PER_SOL));
      expect(meta.logMessages).to.deep.equal([`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`]);
      expect(meta.computeUnitsConsumed).to.equal(150n);
      expect(meta.returnData).to.equal(null);
      expect(await client.getBalance(to)).to.equal(BigInt(LAMPORTS_PER_SOL));
      const account = await client.getAccount(to);
      expect(account?.lamports).to.equal(LAMPORTS_PER_SOL);
      expect(account?.owner.toBase58()).to.equal(SYSTEM);
      expect(account?.executable).to.equal(false);
      expect(account?.data.length).to.equal(0);
      expect(await client.getAccount(Keypair.generate().publicKey)).to.equal(null);
    });

    it('processes a versioned (v0) transaction', async () => {
      const ctx = await bankrun.start([], []);
      const to = Keypair.generate().publicKey;
      const message = new TransactionMessage({
        payerKey: ctx.payer.publicKey,
        recentBlockhash: await latest(ctx),
        instructions: [SystemProgram.transfer({ fromPubkey: ctx.payer.publicKey, toPubkey: to, lamports: 2_000_000 })],
      }).compileToV0Message();
      const tx = new VersionedTransaction(message);
      tx.sign([ctx.payer]);
      const meta = await ctx.banksClient.processTransaction(tx);
      expect(meta.logMessages).to.deep.equal([`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`]);
      expect(await ctx.banksClient.getBalance(to)).to.equal(2_000_000n);
    });

    it('reports a failing transaction: tryProcessTransaction returns it, processTransaction throws', async () => {
      const ctx = await bankrun.start([], []);
      const client = ctx.banksClient;
      const to = Keypair.generate().publicKey;
      const tooMuch = 10n ** 18n;
      const failed = await client.tryProcessTransaction(transfer(ctx, to, tooMuch));
      expect(failed.result).to.equal('Error processing Instruction 0: custom program error: 0x1');
      expect(failed.meta?.logMessages[0]).to.equal(`Program ${SYSTEM} invoke [1]`);
      expect(failed.meta?.logMessages[1]).to.match(/^Transfer: insufficient lamports \d+, need 1000000000000000000$/);
      expect(failed.meta?.logMessages[2]).to.equal(`Program ${SYSTEM} failed: custom program error: 0x1`);

      let thrown: Error | undefined;
      await client.processTransaction(transfer(ctx, to, tooMuch + 1n)).catch((e: Error) => (thrown = e));
      expect(thrown?.message).to.equal(
        'Failed to process transaction: transport transaction error: Error processing Instruction 0: custom program error: 0x1',
      );

      // Rejected before execution: no meta.
      const again = await client.tryProcessTransaction(transfer(ctx, to, tooMuch));
      expect(again.result).to.equal('This transaction has already been processed');
      expect(again.meta).to.equal(null);
      const unknown = await client.tryProcessTransaction(transfer(ctx, to, 1, Keypair.generate().publicKey.toBase58()));
      expect(unknown.result).to.equal('Blockhash not found');
      expect(unknown.meta).to.equal(null);
      expect(await client.getAccount(to)).to.equal(null);
    });

    it('simulates without committing', async () => {
      const ctx = await bankrun.start([], []);
      const to = Keypair.generate().publicKey;
      const sim = await ctx.banksClient.simulateTransaction(transfer(ctx, to, LAMPORTS_PER_SOL));
      expect(sim.result).to.equal(null);
      expect(sim.meta?.logMessages).to.deep.equal([`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`]);
      expect(sim.meta?.computeUnitsConsumed).to.equal(150n);
      expect(await ctx.banksClient.getBalance(to)).to.equal(0n);
    });

    it('overwrites the clock and warps to a slot', async () => {
      const ctx = await bankrun.start([], []);
      const client = ctx.banksClient;
      const clock = await client.getClock();
      expect(clock).to.be.instanceOf(bankrun.Clock);
      expect(typeof clock.unixTimestamp).to.equal('bigint');
      const newYear = 1_767_225_600n; // 2026-01-01T00:00:00Z
      ctx.setClock(
        new bankrun.Clock(clock.slot, clock.epochStartTimestamp, clock.epoch, clock.leaderScheduleEpoch, newYear),
      );
      expect((await client.getClock()).unixTimestamp).to.equal(newYear);

      ctx.warpToSlot(500n);
      expect(await client.getSlot()).to.equal(500n);
      expect((await client.getClock()).slot).to.equal(500n);
      const to = Keypair.generate().publicKey;
      await client.processTransaction(transfer(ctx, to, LAMPORTS_PER_SOL, await latest(ctx)));
      expect(await client.getBalance(to)).to.equal(BigInt(LAMPORTS_PER_SOL));
    });

    it('writes arbitrary accounts with setAccount and at start', async () => {
      const owner = Keypair.generate().publicKey;
      const preset = Keypair.generate().publicKey;
      const ctx = await bankrun.start(
        [],
        [
          {
            address: preset,
            info: { lamports: 5_000_000, data: Buffer.from('preset'), owner, executable: false },
          },
        ],
      );
      const client = ctx.banksClient;
      expect(Buffer.from((await client.getAccount(preset))!.data).toString()).to.equal('preset');

      const address = Keypair.generate().publicKey;
      ctx.setAccount(address, { lamports: 1_000_000_000, data: Buffer.from([1, 2, 3]), owner, executable: false });
      const account = await client.getAccount(address);
      expect(Array.from(account!.data)).to.deep.equal([1, 2, 3]);
      expect(account!.owner.toBase58()).to.equal(owner.toBase58());
      expect(account!.lamports).to.equal(1_000_000_000);
      expect(await client.getBalance(address)).to.equal(1_000_000_000n);
    });

    it('reads the rent sysvar, the latest blockhash and fees', async () => {
      const ctx = await bankrun.start([], []);
      const rent = await ctx.banksClient.getRent();
      expect(rent).to.be.instanceOf(bankrun.Rent);
      expect(rent.lamportsPerByteYear).to.equal(3480n);
      expect(rent.exemptionThreshold).to.equal(2);
      expect(rent.burnPercent).to.equal(50);
      expect(rent.minimumBalance(0n)).to.equal(890_880n);
      expect(rent.minimumBalance(165n)).to.equal(2_039_280n);
      const [blockhash, lastValidBlockHeight] = (await ctx.banksClient.getLatestBlockhash())!;
      expect(new PublicKey(blockhash).toBase58()).to.equal(blockhash);
      expect(typeof lastValidBlockHeight).to.equal('bigint');
      expect(typeof (await ctx.banksClient.getBlockHeight())).to.equal('bigint');
      const message = transfer(ctx, Keypair.generate().publicKey, 1, blockhash).compileMessage();
      expect(await ctx.banksClient.getFeeForMessage(message)).to.equal(5000n);
    });

    it('runs SPL Token: mint, associated accounts, transfer_checked', async () => {
      const ctx = await bankrun.start([], []);
      const client = ctx.banksClient;
      const payer = ctx.payer;
      const mint = Keypair.generate();
      const alice = Keypair.generate();
      const bob = Keypair.generate().publicKey;
      const rent = await client.getRent();
      const aliceAta = getAssociatedTokenAddressSync(mint.publicKey, alice.publicKey);
      const bobAta = getAssociatedTokenAddressSync(mint.publicKey, bob);
      const setup = new Transaction({ feePayer: payer.publicKey, recentBlockhash: await latest(ctx) }).add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: mint.publicKey,
          space: MINT_SIZE,
          lamports: Number(rent.minimumBalance(BigInt(MINT_SIZE))),
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeMint2Instruction(mint.publicKey, 6, payer.publicKey, null),
        createAssociatedTokenAccountInstruction(payer.publicKey, aliceAta, alice.publicKey, mint.publicKey),
        createAssociatedTokenAccountInstruction(payer.publicKey, bobAta, bob, mint.publicKey),
        createMintToInstruction(mint.publicKey, aliceAta, payer.publicKey, 100_000_000n),
        SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: alice.publicKey, lamports: LAMPORTS_PER_SOL }),
      );
      setup.sign(payer, mint);
      await client.processTransaction(setup);

      const send = new Transaction({ feePayer: alice.publicKey, recentBlockhash: await latest(ctx) }).add(
        createTransferCheckedInstruction(aliceAta, mint.publicKey, bobAta, alice.publicKey, 40_000_000n, 6),
      );
      send.sign(alice);
      const meta = await client.processTransaction(send);
      const token = TOKEN_PROGRAM_ID.toBase58();
      expect(meta.logMessages).to.include('Program log: Instruction: TransferChecked');
      expect(meta.logMessages[0]).to.equal(`Program ${token} invoke [1]`);
      expect(meta.computeUnitsConsumed > 0n).to.equal(true);
      const amount = async (ata: PublicKey) => AccountLayout.decode((await client.getAccount(ata))!.data).amount;
      expect(await amount(aliceAta)).to.equal(60_000_000n);
      expect(await amount(bobAta)).to.equal(40_000_000n);
      expect((await client.getAccount(bobAta))!.owner.toBase58()).to.equal(token);
      expect((await client.getAccount(ASSOCIATED_TOKEN_PROGRAM_ID))!.executable).to.equal(true);

      // Return data: AmountToUiAmount returns the amount as text.
      const ui = new Transaction({ feePayer: payer.publicKey, recentBlockhash: await latest(ctx) }).add(
        createAmountToUiAmountInstruction(mint.publicKey, 1_500_000n),
      );
      ui.sign(payer);
      const sim = await client.simulateTransaction(ui);
      expect(sim.meta?.returnData?.programId.toBase58()).to.equal(token);
      expect(Buffer.from(sim.meta!.returnData!.data).toString()).to.equal('1.5');
      expect(sim.meta?.logMessages).to.include(`Program return: ${token} MS41`);
    });

    it('loads an SBF program from tests/fixtures/<name>.so at any program id, metered', async () => {
      const programId = Keypair.generate().publicKey;
      const ctx = await bankrun.start([{ name: 'spl_memo', programId }], []);
      const memo = (data: Buffer) => {
        const tx = new Transaction({ feePayer: ctx.payer.publicKey, recentBlockhash: ctx.lastBlockhash }).add(
          new TransactionInstruction({ programId, keys: [], data }),
        );
        tx.sign(ctx.payer);
        return tx;
      };
      const id = programId.toBase58();
      const meta = await ctx.banksClient.processTransaction(memo(Buffer.from('hello bankrun')));
      expect(meta.logMessages[0]).to.equal(`Program ${id} invoke [1]`);
      expect(meta.logMessages[1]).to.equal('Program log: Memo (len 13): "hello bankrun"');
      const consumed = /^Program (\w+) consumed (\d+) of (\d+) compute units$/.exec(meta.logMessages[2]);
      expect(consumed?.[1]).to.equal(id);
      expect(Number(consumed?.[2])).to.be.greaterThan(0);
      expect(meta.logMessages[3]).to.equal(`Program ${id} success`);
      expect(meta.computeUnitsConsumed).to.equal(BigInt(consumed![2]));

      const bad = await ctx.banksClient.tryProcessTransaction(memo(Buffer.from([0xff, 0xfe])));
      expect(bad.result).to.equal('Error processing Instruction 0: invalid instruction data');
      expect(bad.meta?.logMessages).to.include('Program log: Invalid UTF-8, from byte 0');
    });
  });
}
