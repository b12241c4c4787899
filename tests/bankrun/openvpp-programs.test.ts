// What only @openvpp/runtime/bankrun does: the OpenVPP programs are there (natively hosted)
// next to a tester's SBF program loaded from a `.so`, both in one transaction; anchor-bankrun's
// BankrunProvider drives them through Anchor's `Program`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as anchorNs from '@coral-xyz/anchor';
import { Keypair, Transaction, TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';

import { BankrunProvider } from '@openvpp/runtime/anchor-bankrun';
import { type ProgramTestContext, start, startAnchor } from '@openvpp/runtime/bankrun';
import {
  HOOK_PROGRAM_ID,
  REGISTRY_PROGRAM_ID,
  configInitInstructions,
  findRegistryConfigPda,
  findUnitMintPda,
  memberRegisterInstructions,
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

import { REGISTRY_IDL } from '../utils/anchor';
import { Runtime, fakeFingerprint, localnetAdmin, registerDevice, world } from '../utils/harness';
import { USDC, createKwhMarket, paymentsWorld } from '../utils/payments';

const anchor = ((anchorNs as unknown as { default?: typeof anchorNs }).default ?? anchorNs) as typeof anchorNs;
const { AnchorError, Program } = anchor;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const ROOT = path.join(__dirname, '..', '..');
const MEMO_SO = path.join(ROOT, 'tests', 'fixtures', 'spl_memo.so');
const REGISTRY = REGISTRY_PROGRAM_ID.toBase58();

/**
 * Token-2022's release binary as solana-program-test ships it (the crate is in the cargo
 * registry once the workspace has been built): `<CARGO_HOME>/registry/src/<index>/
 * solana-program-test-<locked version>/src/programs/spl_token_2022-*.so`.
 */
function token2022So(): string {
  const lock = fs.readFileSync(path.join(ROOT, 'Cargo.lock'), 'utf8');
  const version = /name = "solana-program-test"\nversion = "([^"]+)"/.exec(lock)![1];
  const src = path.join(process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo'), 'registry', 'src');
  for (const index of fs.readdirSync(src)) {
    const dir = path.join(src, index, `solana-program-test-${version}`, 'src', 'programs');
    const so = fs.existsSync(dir) && fs.readdirSync(dir).find((f) => /^spl_token_2022-.*\.so$/.test(f));
    if (so) return path.join(dir, so);
  }
  throw new Error(`spl_token_2022 .so of solana-program-test ${version} not found under ${src}`);
}

const memoIx = (programId: Keypair['publicKey'], text: string) =>
  new TransactionInstruction({ programId, keys: [], data: Buffer.from(text) });

/** The accounts of the SDK's `config_init`, by the camelCase names Anchor's builder takes. */
function configInitAccounts(payer: Keypair['publicKey'], deployer: Keypair['publicKey']) {
  const [ix] = configInitInstructions({ payer, authority: payer, deployer });
  const def = REGISTRY_IDL.instructions.find((i) => i.name === 'config_init')!;
  const camel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return Object.fromEntries(def.accounts.map((a, i) => [camel(a.name), ix.keys[i].pubkey]));
}

describe('bankrun: OpenVPP programs next to SBF programs from .so files', () => {
  const opened: ProgramTestContext[] = [];
  afterEach(() => {
    for (const ctx of opened.splice(0)) ctx.close();
  });

  it('startAnchor reads Anchor.toml: the workspace programs are natively hosted, extra programs load from .so', async () => {
    const memoId = Keypair.generate().publicKey;
    const ctx = await startAnchor(ROOT, [{ name: 'spl_memo', programId: memoId }], []);
    opened.push(ctx);
    for (const id of Object.values(Runtime.nativePrograms())) {
      expect((await ctx.banksClient.getAccount(id))?.executable, id.toBase58()).to.equal(true);
    }
    const memo = await ctx.banksClient.getAccount(memoId);
    expect(memo?.executable).to.equal(true);
    expect(memo?.owner.toBase58()).to.equal('BPFLoader2111111111111111111111111111111111');
    expect(Buffer.from(memo!.data.subarray(0, 4)).toString('latin1')).to.equal('\x7fELF');
    // A program listed in Anchor.toml without its build output is an error, as in bankrun.
    await start([{ name: 'no_such_program', programId: memoId }], []).then(
      () => expect.fail('started without the program'),
      (e: Error) =>
        expect(e.message).to.equal(`Program file data not available for no_such_program (${memoId.toBase58()})`),
    );
  });

  it('runs an OpenVPP instruction and an SBF program in one transaction; only the SBF program is metered', async () => {
    const memoId = Keypair.generate().publicKey;
    const ctx = await start([{ name: 'spl_memo', programId: memoId }], []);
    opened.push(ctx);
    const deployer = localnetAdmin();
    const tx = new Transaction({
      feePayer: ctx.payer.publicKey,
      recentBlockhash: (await ctx.banksClient.getLatestBlockhash())![0],
    }).add(
      ...configInitInstructions({
        payer: ctx.payer.publicKey,
        authority: ctx.payer.publicKey,
        deployer: deployer.publicKey,
      }),
      memoIx(memoId, 'registry configured'),
    );
    tx.sign(ctx.payer, deployer);
    const meta = await ctx.banksClient.processTransaction(tx);
    const logs = meta.logMessages;
    const consumed = (id: string) => {
      const line = logs.find((l) => l.startsWith(`Program ${id} consumed `));
      return Number(/ consumed (\d+) of /.exec(line ?? '')?.[1]);
    };
    const memo = memoId.toBase58();
    expect(logs).to.include(`Program ${REGISTRY} invoke [1]`);
    expect(logs).to.include('Program log: Instruction: ConfigInit');
    expect(logs.slice(-4)).to.deep.equal([
      `Program ${memo} invoke [1]`,
      'Program log: Memo (len 19): "registry configured"',
      `Program ${memo} consumed ${consumed(memo)} of ${/ of (\d+) /.exec(logs.at(-2)!)![1]} compute units`,
      `Program ${memo} success`,
    ]);
    // The SBF program pays for its instructions; the native registry only for what it CPIs
    // (one unit for its own entry, 150 per system program call).
    expect(consumed(memo)).to.be.greaterThan(500);
    expect(consumed(REGISTRY)).to.be.lessThan(consumed(memo));
    expect(meta.computeUnitsConsumed).to.equal(BigInt(consumed(REGISTRY) + consumed(memo)));
    expect(await ctx.banksClient.getAccount(findRegistryConfigPda()[0])).to.not.equal(null);
  });

  it("anchor-bankrun's BankrunProvider: Program.methods.x().rpc() and account fetches, failures as AnchorError", async () => {
    const ctx = await startAnchor(ROOT, [], []);
    opened.push(ctx);
    const provider = new BankrunProvider(ctx);
    const registry = new Program(REGISTRY_IDL, provider as Any) as Any;
    const deployer = localnetAdmin();

    // A stranger is not the deployer: Anchor translates the failure from the logs.
    const stranger = Keypair.generate();
    const refused = await registry.methods
      .configInit({ authority: provider.publicKey })
      .accountsPartial(configInitAccounts(provider.publicKey, stranger.publicKey))
      .signers([stranger])
      .rpc()
      .then(
        () => expect.fail('a stranger initialised the registry'),
        (e: unknown) => e,
      );
    expect(refused).to.be.instanceOf(AnchorError);
    expect((refused as anchorNs.AnchorError).error.errorCode.code).to.equal('NotDeployer');
    expect((refused as anchorNs.AnchorError).program.equals(REGISTRY_PROGRAM_ID)).to.equal(true);

    const signature: string = await registry.methods
      .configInit({ authority: provider.publicKey })
      .accountsPartial(configInitAccounts(provider.publicKey, deployer.publicKey))
      .signers([deployer])
      .rpc();
    const status = await ctx.banksClient.getTransactionStatus(signature);
    expect(status?.err).to.equal(null);
    const config = await registry.account.config.fetch(findRegistryConfigPda()[0]);
    expect(config.authority.equals(provider.publicKey)).to.equal(true);
  });

  it('Runtime.addProgramFromFile deploys a .so into a running bank', () => {
    const rt = Runtime.start();
    try {
      const memoId = Keypair.generate().publicKey;
      rt.addProgramFromFile(memoId, MEMO_SO);
      const out = rt.processInstructions([memoIx(memoId, 'late')]);
      expect(out.logs[1]).to.equal('Program log: Memo (len 4): "late"');
      expect(out.computeUnitsConsumed > 0n).to.equal(true);
      expect(() => rt.addProgramFromFile(memoId, path.join(ROOT, 'Anchor.toml'))).to.throw(/is not an ELF/);
    } finally {
      rt.close();
    }
  });

  // Both directions of CPI between a loaded `.so` and the native OpenVPP programs, in one
  // transaction each: Token-2022 8.0.0 loaded from its release binary over the bundled one
  // (owner becomes loader v2), then `unit_buy` (native payments -> the .so) and a unit transfer
  // (the .so -> the native transfer hook, which refuses a non-participant recipient).
  it('a program loaded from a .so is CPI-called by OpenVPP and CPI-calls OpenVPP (Token-2022 -> transfer hook)', () => {
    const reg = world();
    reg.rt.addProgramFromFile(TOKEN_2022_PROGRAM_ID, token2022So());
    expect(reg.rt.getAccount(TOKEN_2022_PROGRAM_ID)!.owner.toBase58()).to.equal(
      'BPFLoader2111111111111111111111111111111111',
    );
    const w = paymentsWorld(reg.rt);
    createKwhMarket(w);
    const alice = w.user;
    const bob = Keypair.generate();
    const device = registerDevice(reg, { owner: alice, certFingerprint: fakeFingerprint(900) });
    const payer = w.rt.payer.publicKey;
    w.rt.processInstructions(
      memberRegisterInstructions({ deviceKey: device.publicKey, owner: alice.publicKey, payer }),
      [alice],
    );
    w.rt.processInstructions(
      usdeWrapInstructions({ user: alice.publicKey, usdcMint: w.usdcMint, amount: 15n * USDC }),
      [alice],
    );
    const buy = w.rt.processInstructions(
      unitBuyInstructions({
        user: alice.publicKey,
        kind: 'kwh',
        feed: w.feed,
        usdeAmount: 15n * USDC,
        minUnitsOut: 0n,
      }),
      [alice],
    );
    const token = TOKEN_2022_PROGRAM_ID.toBase58();
    expect(buy.logs).to.include(`Program ${token} invoke [2]`);
    const metered = buy.logs.filter((l) => l.startsWith(`Program ${token} consumed `));
    expect(metered.length).to.be.greaterThan(0);

    const mint = findUnitMintPda({ kind: 'kwh' })[0];
    w.rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(
        payer,
        getAssociatedTokenAddressSync(mint, bob.publicKey, true, TOKEN_2022_PROGRAM_ID),
        bob.publicKey,
        mint,
        TOKEN_2022_PROGRAM_ID,
      ),
    ]);
    const refused = w.rt.tryInstructions(
      unitTransferInstructions({ kind: 'kwh', from: alice.publicKey, to: bob.publicKey, amount: USDC }),
      [alice],
    );
    expect(refused.logs[0]).to.equal(`Program ${token} invoke [1]`);
    expect(refused.logs).to.include(`Program ${HOOK_PROGRAM_ID.toBase58()} invoke [2]`);
    expect(parseHookError(refused)?.errorName).to.equal('RecipientNotParticipant');
  });
});
