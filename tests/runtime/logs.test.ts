// The runtime's transaction logs read like a validator's: natively hosted programs' `msg!`
// output as `Program log:` lines in place, one `invoke [depth]` / `success` / `failed` per
// invocation (native or SBF, at any depth), events as `Program data:` and a `consumed` line per
// program; Anchor's own client-side parsers work on them unmodified.
import * as anchorNs from '@coral-xyz/anchor';
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair, PublicKey } from '@solana/web3.js';
import { expect } from 'chai';

import {
  HOOK_PROGRAM_ID,
  PAYMENTS_PROGRAM_ID,
  findUnitMintPda,
  unitBuyInstructions,
  unitMarketCreateInstructions,
  unitTransferInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';

import hookIdl from '../../sdk/idl/ovpp_hook.json';
import { PAYMENTS_IDL } from '../utils/anchor';
import { world } from '../utils/harness';
import { MARKET, USDC, makeMember, paymentsWorld, setFeed } from '../utils/payments';

const anchor = ((anchorNs as unknown as { default?: typeof anchorNs }).default ?? anchorNs) as typeof anchorNs;
const { AnchorError, BorshCoder, EventParser, translateError } = anchor;
type Idl = anchorNs.Idl;

const TOKEN_2022 = TOKEN_2022_PROGRAM_ID.toBase58();
const PAYMENTS = PAYMENTS_PROGRAM_ID.toBase58();
const HOOK = HOOK_PROGRAM_ID.toBase58();
const SYSTEM = '11111111111111111111111111111111';

interface Invocation {
  program: string;
  depth: number;
  /** `Program log:` messages written directly by this invocation (not its callees). */
  logs: string[];
  events: number;
  consumed?: number;
  result?: string;
  children: Invocation[];
}

/**
 * Parses a transaction log into its call tree, failing on anything a validator would not print:
 * an `invoke` at the wrong depth, a `success`/`failed`/`consumed` line for a program other than
 * the running one, a second `invoke`/`success` for one invocation, output outside a program.
 */
function callTree(logs: string[]): Invocation[] {
  const roots: Invocation[] = [];
  const stack: Invocation[] = [];
  const top = (line: string) => {
    expect(stack.length, `no program running for: ${line}`).to.be.greaterThan(0);
    return stack[stack.length - 1];
  };
  for (const line of logs) {
    let m: RegExpExecArray | null;
    if ((m = /^Program (\w+) invoke \[(\d+)\]$/.exec(line))) {
      const call: Invocation = { program: m[1], depth: Number(m[2]), logs: [], events: 0, children: [] };
      expect(call.depth, line).to.equal(stack.length + 1);
      (stack.length ? top(line).children : roots).push(call);
      stack.push(call);
    } else if ((m = /^Program (\w+) (success|failed: .*)$/.exec(line))) {
      const call = stack.pop();
      expect(call?.program, line).to.equal(m[1]);
      call!.result = m[2];
    } else if ((m = /^Program (\w+) consumed (\d+) of (\d+) compute units$/.exec(line))) {
      expect(top(line).program, line).to.equal(m[1]);
      expect(top(line).consumed, `second consumed line: ${line}`).to.equal(undefined);
      top(line).consumed = Number(m[2]);
    } else if ((m = /^Program return: (\w+) /.exec(line))) {
      expect(top(line).program, line).to.equal(m[1]);
    } else if (line.startsWith('Program log: ')) {
      top(line).logs.push(line.slice('Program log: '.length));
    } else if (line.startsWith('Program data: ')) {
      top(line).events += 1;
    } else {
      // System-program style messages (e.g. `Transfer: insufficient lamports ...`).
      top(line);
    }
  }
  expect(stack, 'every invocation ends').to.deep.equal([]);
  return roots;
}

const shape = (calls: Invocation[]): unknown[] =>
  calls.map((c) => (c.children.length ? { [c.program]: shape(c.children) } : c.program));

describe('runtime: transaction logs as a validator prints them', () => {
  function unitsWorld() {
    const reg = world();
    const w = paymentsWorld(reg.rt);
    makeMember(reg, w.user, 700);
    w.rt.processInstructions(
      usdeWrapInstructions({ user: w.user.publicKey, usdcMint: w.usdcMint, amount: 100n * USDC }),
      [w.user],
    );
    return { ...w, reg };
  }
  const paymentsCoder = new BorshCoder(PAYMENTS_IDL as Idl);

  it('native -> native -> SBF: a market creation CPIs the hook program, which CPIs the system program', () => {
    const w = unitsWorld();
    const co2Feed = Keypair.generate().publicKey;
    setFeed(w.rt, co2Feed);
    const out = w.rt.processInstructions(
      unitMarketCreateInstructions({
        authority: w.authority.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'co2Kg',
        feed: co2Feed,
        ...MARKET,
      }),
      [w.authority],
    );
    const tree = callTree(out.logs);
    const create = tree.find((c) => c.program === PAYMENTS)!;
    expect(create.logs[0]).to.equal('Instruction: UnitMarketCreate');
    expect(create.consumed).to.be.a('number');
    const hook = create.children.find((c) => c.program === HOOK)!;
    expect(hook, JSON.stringify(shape(tree))).to.not.equal(undefined);
    expect(hook.depth).to.equal(2);
    expect(hook.logs[0]).to.equal('Instruction: MetaListInit');
    expect(hook.children.map((c) => c.depth)).to.satisfy((d: number[]) => d.every((x) => x === 3));
    expect(hook.children.some((c) => c.program === SYSTEM)).to.equal(true);
    // One invoke line and one success line per invocation.
    expect(out.logs.filter((l) => l === `Program ${PAYMENTS} invoke [1]`)).to.have.length(1);
    expect(out.logs.filter((l) => l === `Program ${HOOK} invoke [2]`)).to.have.length(1);
    expect(out.logs.filter((l) => l === `Program ${HOOK} success`)).to.have.length(1);
  });

  it("a succeeding instruction: Anchor's EventParser reads its events from the logs as they are", () => {
    const w = unitsWorld();
    w.rt.processInstructions(
      unitMarketCreateInstructions({
        authority: w.authority.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'kwh',
        feed: w.feed,
        ...MARKET,
      }),
      [w.authority],
    );
    const out = w.rt.processInstructions(
      unitBuyInstructions({ user: w.user.publicKey, kind: 'kwh', feed: w.feed, usdeAmount: USDC, minUnitsOut: 0n }),
      [w.user],
    );
    const buy = callTree(out.logs).find((c) => c.program === PAYMENTS)!;
    // payments [1] -> Token-2022 [2] (USDE into the treasury), Token-2022 [2] (mint units).
    expect(shape([buy])).to.deep.equal([{ [PAYMENTS]: [TOKEN_2022, TOKEN_2022] }]);
    expect(buy.children.map((c) => c.logs[0])).to.deep.equal(['Instruction: TransferChecked', 'Instruction: MintTo']);
    expect(buy.children.every((c) => c.depth === 2 && c.result === 'success' && c.consumed! > 0)).to.equal(true);
    expect(buy.logs).to.deep.equal(['Instruction: UnitBuy']);
    expect(buy.events).to.equal(1);
    // The event comes after the CPIs that precede `emit!` (program order), before `consumed`.
    const dataAt = out.logs.findIndex((l) => l.startsWith('Program data: '));
    expect(dataAt).to.be.greaterThan(out.logs.lastIndexOf(`Program ${TOKEN_2022} success`));
    expect(out.logs[dataAt + 1]).to.match(new RegExp(`^Program ${PAYMENTS} consumed \\d+ of \\d+ compute units$`));

    const events = [...new EventParser(PAYMENTS_PROGRAM_ID, paymentsCoder).parseLogs(out.logs)];
    expect(events.map((e) => e.name)).to.deep.equal(['UnitsBought']);
    expect(events[0].data.usde_in.toString()).to.equal(USDC.toString());
    expect(events[0].data.user.equals(w.user.publicKey)).to.equal(true);
  });

  it("a failing instruction: AnchorError.parse and translateError name the program's error", () => {
    const w = unitsWorld();
    w.rt.processInstructions(
      unitMarketCreateInstructions({
        authority: w.authority.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'kwh',
        feed: w.feed,
        ...MARKET,
      }),
      [w.authority],
    );
    const out = w.rt.tryInstructions(
      unitBuyInstructions({
        user: w.user.publicKey,
        kind: 'kwh',
        feed: w.feed,
        usdeAmount: USDC,
        minUnitsOut: 10n ** 15n,
      }),
      [w.user],
    );
    expect(out.err?.customCode).to.equal(6014);
    const buy = callTree(out.logs).find((c) => c.program === PAYMENTS)!;
    expect(buy.result).to.equal('failed: custom program error: 0x177e');
    expect(buy.logs[0]).to.equal('Instruction: UnitBuy');

    const parsed = AnchorError.parse(out.logs);
    expect(parsed, out.logs.join('\n')).to.be.instanceOf(AnchorError);
    expect(parsed!.error.errorCode).to.deep.equal({ code: 'SlippageExceeded', number: 6014 });
    expect(parsed!.program.equals(PAYMENTS_PROGRAM_ID)).to.equal(true);
    // `AnchorError thrown in <file>:<line>`: the origin is the program's source line.
    expect((parsed!.error.origin as { file: string }).file).to.match(/unit_buy\.rs$/);

    const idlErrors = new Map((PAYMENTS_IDL as Idl).errors!.map((e) => [e.code, e.msg ?? e.name]));
    const translated = translateError({ logs: out.logs }, idlErrors);
    expect(translated).to.be.instanceOf(AnchorError);
    expect((translated as anchorNs.AnchorError).error.errorCode.code).to.equal('SlippageExceeded');
    expect((translated as anchorNs.AnchorError).programErrorStack.map((p) => p.toBase58())).to.deep.equal([PAYMENTS]);
  });

  it('SBF -> native: a Token-2022 transfer calls the native transfer hook at depth 2, failing or not', () => {
    const w = unitsWorld();
    w.rt.processInstructions(
      unitMarketCreateInstructions({
        authority: w.authority.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'kwh',
        feed: w.feed,
        ...MARKET,
      }),
      [w.authority],
    );
    w.rt.processInstructions(
      unitBuyInstructions({ user: w.user.publicKey, kind: 'kwh', feed: w.feed, usdeAmount: USDC, minUnitsOut: 0n }),
      [w.user],
    );
    const bob = Keypair.generate();
    const mint = findUnitMintPda({ kind: 'kwh' })[0];
    const unitsOf = (k: PublicKey) => getAssociatedTokenAddressSync(mint, k, true, TOKEN_2022_PROGRAM_ID);
    w.rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(
        w.rt.payer.publicKey,
        unitsOf(bob.publicKey),
        bob.publicKey,
        mint,
        TOKEN_2022_PROGRAM_ID,
      ),
    ]);
    const send = (to: Keypair) =>
      w.rt.tryInstructions(
        unitTransferInstructions({ kind: 'kwh', from: w.user.publicKey, to: to.publicKey, amount: 1n }),
        [w.user],
      );

    // Bob is not a participant: the hook (native, depth 2) fails inside Token-2022 (SBF, depth 1).
    const refused = send(bob);
    const [transfer] = callTree(refused.logs).filter((c) => c.program === TOKEN_2022);
    expect(shape([transfer])).to.deep.equal([{ [TOKEN_2022]: [HOOK] }]);
    const hook = transfer.children[0];
    expect(hook.depth).to.equal(2);
    expect(hook.logs[0]).to.equal('Instruction: Execute');
    expect(hook.result).to.match(/^failed: custom program error: 0x/);
    expect(transfer.result).to.match(/^failed: custom program error: 0x/);
    const hookErrors = new Map((hookIdl as unknown as Idl).errors!.map((e) => [e.code, e.msg ?? e.name]));
    const err = translateError({ logs: refused.logs }, hookErrors) as anchorNs.AnchorError;
    expect(err).to.be.instanceOf(AnchorError);
    expect(err.error.errorCode.code).to.equal('RecipientNotParticipant');
    expect(err.program.equals(HOOK_PROGRAM_ID)).to.equal(true);
    expect(err.programErrorStack.map((p) => p.toBase58())).to.deep.equal([TOKEN_2022, HOOK]);

    // To a participant it succeeds: one invoke and one success line for the hook.
    const carol = Keypair.generate();
    makeMember(w.reg, carol, 701);
    w.rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(
        w.rt.payer.publicKey,
        unitsOf(carol.publicKey),
        carol.publicKey,
        mint,
        TOKEN_2022_PROGRAM_ID,
      ),
    ]);
    const ok = send(carol);
    expect(ok.err).to.equal(null);
    const [okTransfer] = callTree(ok.logs).filter((c) => c.program === TOKEN_2022);
    expect(shape([okTransfer])).to.deep.equal([{ [TOKEN_2022]: [HOOK] }]);
    expect(ok.logs.filter((l) => l === `Program ${HOOK} invoke [2]`)).to.have.length(1);
    expect(ok.logs.filter((l) => l === `Program ${HOOK} success`)).to.have.length(1);
  });

  it('keeps programOutput as a deprecated alias of the Program log: messages', () => {
    const w = unitsWorld();
    const out = w.rt.processInstructions(
      unitMarketCreateInstructions({
        authority: w.authority.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'kwh',
        feed: w.feed,
        ...MARKET,
      }),
      [w.authority],
    );
    expect(out.programOutput).to.include('Instruction: UnitMarketCreate');
    expect(out.programOutput).to.deep.equal(
      out.logs.filter((l) => l.startsWith('Program log: ')).map((l) => l.slice('Program log: '.length)),
    );
  });
});
