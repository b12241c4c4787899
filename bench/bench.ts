// Benchmarks of the embedded runtime, printed as tables:
// 1. @openvpp/runtime next to solana-bankrun and LiteSVM on the same Token-2022 workload
//    (transfer_checked transactions built and signed with web3.js), run side by side in one
//    process in interleaved rounds, as tx/s and ratios: the whole loop (build + sign + send)
//    and the runtime alone (pre-signed transactions). bankrun and LiteSVM are dependencies of
//    bench/runtimes/package.json only, installed here with `npm install --prefix bench/runtimes` on first use (npm ci
//    trips over litesvm's optional per-platform packages, which the lock lists for this platform only).
// 2. The largest native stack frame of every program crate (built with `-Z emit-stack-sizes`
//    into its own target dir; SBF allows 4 KiB per frame, anything over 2 KiB is flagged).
// 3. Registry and payments operations: transaction size, accounts, signatures, rent per created
//    record and native throughput.
//
// 4. `openvpp localnet` (a child process) next to the in-process runtime: sendTransaction ->
//    confirmed latency (the node answers once the WAL record is fsynced) p50/p99 over loopback,
//    concurrent sends (group commit), getAccountInfo req/s (autocannon), ledger recovery time with
//    10,000 transactions, and confirmed signatures lost after a SIGKILL under load (must be 0).
//
//   npm run bench            (ITER=200, COMPARE_TXS=500, COMPARE_ROUNDS=5 by default;
//                             COMPARE=0 / STACK=0 / TABLE=0 / LOCALNET=0 skip parts 1 / 2 / 3 / 4;
//                             LOCALNET_RECOVERY_TXS=10000)
//
// Throughput figures on a shared machine are noisy: compare the ratios measured in one run.
// Compute units are not reported for natively hosted programs (they are not SBF-metered
// here; see README). Sizes, account counts and rent are exactly what a cluster would see.
import autocannon from 'autocannon';
import bs58 from 'bs58';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  MINT_SIZE,
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import {
  AddressLookupTableAccount,
  Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
} from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import { applySync, enrollAndBind, mintUsdc, worldPlan } from '@openvpp/localnet';
import {
  deviceOwnerTransferInstructions,
  deviceTransferCancelInstructions,
  deviceStatusSetInstructions,
  fetchDevice,
  findCertIndexPda,
  findDevicePda,
  findMandatePda,
  findNamePda,
  findReversePda,
  fundOwnerInstructions,
  findTariffBindingPda,
  findUsdeMintPda,
  meterOpenInstructions,
  meterSettleBatchInstructions,
  meterSettleInstructions,
  nameRegisterInstructions,
  tariffBindInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';

import { jsonRpc, printTable, quantile } from './common';
import { ownedMeterRegisterInstructions, placeholderFingerprint } from './fleet';

const ITER = Number(process.env.ITER ?? 200);

interface Row {
  op: string;
  bytes: number;
  accounts: number;
  signers: number;
  rent: bigint;
  perSec: number;
}

function txSize(rt: Runtime, ixs: TransactionInstruction[], signers: Keypair[]): number {
  const tx = new Transaction({ feePayer: rt.payer.publicKey, recentBlockhash: rt.latestBlockhash() }).add(...ixs);
  tx.sign(rt.payer, ...signers);
  return tx.serialize().length;
}

/** Serialized size of a legacy transaction (computed, not limited to 1,232 bytes). */
function legacySize(payer: PublicKey, ixs: TransactionInstruction[]): number {
  const message = new Transaction({ feePayer: payer, recentBlockhash: PublicKey.default.toBase58() })
    .add(...ixs)
    .compileMessage();
  try {
    return 1 + 64 * message.header.numRequiredSignatures + message.serialize().length;
  } catch {
    return Infinity; // web3.js refuses to encode a message beyond the packet limit
  }
}

/**
 * Serialized size of a v0 transaction whose accounts, except signers and invoked programs, come
 * from one address lookup table.
 */
function v0SizeWithLookupTable(payer: Keypair, ixs: TransactionInstruction[]): number {
  const programs = new Set(ixs.map((ix) => ix.programId.toBase58()));
  const addresses = [
    ...new Set(
      ixs.flatMap((ix) =>
        ix.keys.filter((k) => !k.isSigner && !programs.has(k.pubkey.toBase58())).map((k) => k.pubkey.toBase58()),
      ),
    ),
  ].map((k) => new PublicKey(k));
  const table = new AddressLookupTableAccount({
    key: Keypair.generate().publicKey,
    state: {
      deactivationSlot: BigInt('18446744073709551615'),
      lastExtendedSlot: 0,
      lastExtendedSlotStartIndex: 0,
      addresses,
    },
  });
  const message = new TransactionMessage({
    payerKey: payer.publicKey,
    recentBlockhash: PublicKey.default.toBase58(),
    instructions: ixs,
  }).compileToV0Message([table]);
  try {
    return 1 + 64 * message.header.numRequiredSignatures + message.serialize().length;
  } catch {
    return Infinity; // web3.js refuses to encode a message beyond the packet limit
  }
}

function uniqueAccounts(ixs: TransactionInstruction[]): number {
  const keys = new Set<string>();
  for (const ix of ixs) {
    keys.add(ix.programId.toBase58());
    for (const k of ix.keys) keys.add(k.pubkey.toBase58());
  }
  return keys.size + 1; // + fee payer
}

function rentOf(rt: Runtime, addresses: PublicKey[]): bigint {
  return addresses.reduce((sum, a) => sum + (rt.getAccount(a)?.lamports ?? 0n), 0n);
}

const ROOT = path.join(__dirname, '..');
const BENCH_DIR = path.join(ROOT, 'bench', 'runtimes');

/** bankrun and LiteSVM, from bench/runtimes/node_modules (installed on first use, never a project dependency). */
function benchRequire(name: string): any {
  if (!fs.existsSync(path.join(BENCH_DIR, 'node_modules', '.package-lock.json'))) {
    const r = spawnSync('npm', ['install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund', '--no-save'], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('npm install --prefix bench/runtimes failed');
  }
  return require(require.resolve(name, { paths: [BENCH_DIR] }));
}

/** One runtime under comparison: its funded payer and a send of a signed web3.js transaction. */
interface Contender {
  name: string;
  payer: Keypair;
  blockhash(): Promise<string>;
  send(tx: Transaction): Promise<void>;
  close(): void;
}

function openvppContender(): Contender {
  const rt = Runtime.start();
  return {
    name: '@openvpp/runtime',
    payer: rt.payer,
    blockhash: async () => rt.latestBlockhash(),
    send: async (tx) => {
      const outcome = rt.sendTransaction(tx);
      if (outcome.err) throw new Error(`@openvpp/runtime: ${outcome.err.message}`);
    },
    close: () => rt.close(),
  };
}

async function bankrunContender(): Promise<Contender> {
  const { start } = benchRequire('solana-bankrun');
  const ctx = await start([], []);
  return {
    name: 'solana-bankrun',
    payer: ctx.payer,
    blockhash: async () => (await ctx.banksClient.getLatestBlockhash())[0],
    send: async (tx) => {
      await ctx.banksClient.processTransaction(tx);
    },
    close: () => {},
  };
}

function litesvmContender(): Contender {
  const { LiteSVM } = benchRequire('litesvm');
  const svm = new LiteSVM();
  const payer = Keypair.generate();
  svm.inner.airdrop(payer.publicKey.toBytes(), 1_000_000_000_000n);
  return {
    name: 'litesvm',
    payer,
    blockhash: async () => svm.latestBlockhash(),
    // The wire bytes web3.js produced, through LiteSVM's own entry point for them (its public
    // `sendTransaction` takes a @solana/kit transaction and only encodes it to these bytes).
    send: async (tx) => {
      const result = svm.inner.sendLegacyTransaction(tx.serialize({ verifySignatures: false }));
      if (typeof result.err === 'function') throw new Error(`litesvm: ${result.toString()}`);
    },
    close: () => {},
  };
}

/**
 * Token-2022 `transfer_checked` throughput of @openvpp/runtime, solana-bankrun and LiteSVM in one
 * process: every round gives each runtime the same transactions, in rotating order. Prints tx/s
 * for the whole loop (web3.js build + sign + send) and for the runtime alone (pre-signed).
 */
async function compareRuntimes() {
  const total = Number(process.env.COMPARE_TXS ?? 500);
  const rounds = Number(process.env.COMPARE_ROUNDS ?? 5);
  const perRound = Math.ceil(total / rounds);
  const CHUNK = 25;
  const contenders = [openvppContender(), await bankrunContender(), litesvmContender()];
  const owner = Keypair.generate();
  const recipient = Keypair.generate();
  const mint = Keypair.generate();
  const source = getAssociatedTokenAddressSync(mint.publicKey, owner.publicKey, false, TOKEN_2022_PROGRAM_ID);
  const dest = getAssociatedTokenAddressSync(mint.publicKey, recipient.publicKey, false, TOKEN_2022_PROGRAM_ID);
  const signed = (c: Contender, blockhash: string, ixs: TransactionInstruction[], signers: Keypair[] = []) => {
    const tx = new Transaction({ feePayer: c.payer.publicKey, recentBlockhash: blockhash }).add(...ixs);
    tx.sign(c.payer, ...signers);
    return tx;
  };
  // Same mint, accounts and balances in every runtime; Token-2022 mint rent at 0 bytes of
  // extensions is the same everywhere too.
  const mintRent = 1_461_600;
  for (const c of contenders) {
    const payer = c.payer.publicKey;
    const bh = await c.blockhash();
    await c.send(
      signed(
        c,
        bh,
        [
          SystemProgram.createAccount({
            fromPubkey: payer,
            newAccountPubkey: mint.publicKey,
            lamports: mintRent,
            space: MINT_SIZE,
            programId: TOKEN_2022_PROGRAM_ID,
          }),
          createInitializeMint2Instruction(mint.publicKey, 6, payer, null, TOKEN_2022_PROGRAM_ID),
          createAssociatedTokenAccountIdempotentInstruction(
            payer,
            source,
            owner.publicKey,
            mint.publicKey,
            TOKEN_2022_PROGRAM_ID,
          ),
          createAssociatedTokenAccountIdempotentInstruction(
            payer,
            dest,
            recipient.publicKey,
            mint.publicKey,
            TOKEN_2022_PROGRAM_ID,
          ),
          createMintToInstruction(mint.publicKey, source, payer, 1_000_000_000_000n, [], TOKEN_2022_PROGRAM_ID),
        ],
        [mint],
      ),
    );
  }
  // Distinct amounts keep every transaction (and signature) unique under one blockhash.
  let amount = 0;
  const transfer = (c: Contender, bh: string) =>
    signed(
      c,
      bh,
      [
        createTransferCheckedInstruction(
          source,
          mint.publicKey,
          dest,
          owner.publicKey,
          ++amount,
          6,
          [],
          TOKEN_2022_PROGRAM_ID,
        ),
      ],
      [owner],
    );
  const loopMs = new Map<string, number>();
  const sendMs = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length];
      // In chunks, each on a fresh blockhash (a loaded machine can outlast one otherwise).
      for (let done = 0; done < perRound; done += CHUNK) {
        const n = Math.min(CHUNK, perRound - done);
        // Whole loop: build, sign and send each transaction.
        let bh = await c.blockhash();
        let t0 = performance.now();
        for (let i = 0; i < n; i++) await c.send(transfer(c, bh));
        loopMs.set(c.name, (loopMs.get(c.name) ?? 0) + performance.now() - t0);
        // Runtime only: the same number of transactions, signed beforehand.
        bh = await c.blockhash();
        const txs = Array.from({ length: n }, () => transfer(c, bh));
        t0 = performance.now();
        for (const tx of txs) await c.send(tx);
        sendMs.set(c.name, (sendMs.get(c.name) ?? 0) + performance.now() - t0);
      }
    }
  }
  const n = perRound * rounds;
  const rate = (ms: number) => (n / ms) * 1000;
  const ours = contenders[0].name;
  const rows = contenders.map((c) => [
    c.name,
    rate(loopMs.get(c.name)!).toFixed(0),
    rate(sendMs.get(c.name)!).toFixed(0),
    (loopMs.get(c.name)! / loopMs.get(ours)!).toFixed(2),
    (sendMs.get(c.name)! / sendMs.get(ours)!).toFixed(2),
  ]);
  printTable(
    [
      `Token-2022 transfer_checked, ${n} tx each`,
      'tx/s (build+sign+send)',
      'tx/s (send only)',
      `${ours} / this (whole loop)`,
      `${ours} / this (runtime only)`,
    ],
    rows,
  );
  for (const c of contenders) c.close();
}

/**
 * The largest native stack frame of each program crate: the programs are built (opt-level 3,
 * as an SBF build is) with `-Z emit-stack-sizes` into their own target dir, and the
 * `.stack_sizes` sections of the library objects are read with `llvm-readobj`. SBF gives every
 * frame 4 KiB; frames over 2 KiB are flagged.
 */
function stackSizes() {
  const programs = ['ovpp-registry', 'ovpp-payments', 'ovpp-routing', 'ovpp-hook'];
  const sharedTarget = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'openvpp', 'target');
  const target = `${sharedTarget}-stack-sizes`;
  const env = {
    ...process.env,
    CARGO_TARGET_DIR: target,
    RUSTUP_TOOLCHAIN: process.env.RUSTUP_TOOLCHAIN || '1.95.0',
    RUSTC_BOOTSTRAP: '1',
    CARGO_ENCODED_RUSTFLAGS: '-Zemit-stack-sizes',
  };
  const build = spawnSync(
    'cargo',
    [
      'build',
      '--quiet',
      '--lib',
      ...programs.flatMap((p) => ['-p', p]),
      '--config',
      'profile.dev.opt-level=3',
      '--config',
      'profile.dev.package."*".opt-level=0',
    ],
    { cwd: ROOT, env, stdio: 'inherit' },
  );
  if (build.status !== 0) {
    console.log('stack sizes: build failed, skipped\n');
    return;
  }
  const rows: string[][] = [];
  for (const program of programs) {
    const rlib = path.join(target, 'debug', `lib${program.replace(/-/g, '_')}.rlib`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-stack-'));
    try {
      spawnSync('ar', ['x', rlib], { cwd: dir });
      const objects = fs.readdirSync(dir).filter((f) => f.endsWith('.o'));
      const out = spawnSync('llvm-readobj', ['--stack-sizes', '--demangle', ...objects], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      if (out.error) {
        console.log('stack sizes: llvm-readobj not found (apt-get install llvm), skipped\n');
        return;
      }
      const frames: { fn: string; size: number }[] = [];
      let fn = '';
      for (const line of out.stdout.split('\n')) {
        const f = line.match(/Functions: \[(.*)\]/);
        if (f) fn = f[1];
        const z = line.match(/Size: (0x[0-9A-Fa-f]+)/);
        if (z) frames.push({ fn, size: Number(z[1]) });
      }
      frames.sort((x, y) => y.size - x.size);
      const crate = program.replace(/-/g, '_');
      const own = frames.filter((f) => f.fn.includes(crate));
      const top = own[0] ?? frames[0];
      const over = own.filter((f) => f.size > 2048);
      rows.push([
        program,
        top ? `${top.size}` : '-',
        top ? shortName(top.fn) : '-',
        over.length
          ? `${over.length} over 2 KiB${
              over.length > 1
                ? `: ${over
                    .slice(1, 4)
                    .map((f) => `${f.size}`)
                    .join(', ')}...`
                : ''
            }`
          : 'ok',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(['program', 'largest native frame (B, x86-64, opt-level 3)', 'function', 'frames > 2 KiB'], rows);
}

/** `<a::b::X as anchor_lang::Accounts<..>>::try_accounts::{closure#1}` -> `X::try_accounts::{closure#1}`. */
function shortName(fn: string): string {
  const plain = fn.replace(/::h[0-9a-f]{16}$/, '');
  const as = plain.indexOf(' as ');
  if (plain.startsWith('<') && as > 0) {
    const self = plain.slice(1, as).split('::').pop();
    return `${self}::${plain.slice(plain.lastIndexOf('>::') + 3)}`;
  }
  return plain.split('::').slice(-3).join('::');
}

/** A markdown table. */
/** `openvpp localnet` as a child on free ports: its process and URLs. */
async function startLocalnetChild(ledger: string, extra: string[] = []) {
  const cli = path.join(ROOT, 'service', 'bin', 'openvpp');
  const proc = spawn(process.execPath, [cli, 'localnet', '--port', '0', '--ledger', ledger, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const info = await new Promise<{ rpc: string; restoreMs: number }>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
    proc.once('exit', (code) => reject(new Error(`localnet exited (${code}): ${err}`)));
  });
  return { proc, ...info };
}

function stop(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  return new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

/**
 * Sends `n` SOL transfers from `payer` over JSON-RPC with `concurrency` in flight (a fresh
 * blockhash every 50), returning per-send latencies (ms) and the answered signatures. Stops
 * early when `stopAfter` sends are answered (then calls `onStop`).
 */
async function rpcLoad(
  url: string,
  payer: Keypair,
  n: number,
  concurrency: number,
  opts: { stopAfter?: number; onStop?: () => void } = {},
) {
  const latencies: number[] = [];
  const answered = new Set<string>();
  const signed = new Set<string>();
  let blockhash = (await jsonRpc(url, 'getLatestBlockhash')).value.blockhash as string;
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < n) {
      const i = next++;
      if (i % 50 === 0)
        blockhash = (await jsonRpc(url, 'getLatestBlockhash').catch(() => ({ value: { blockhash } }))).value.blockhash;
      const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: 1_000_000 + i,
        }),
      );
      tx.sign(payer);
      signed.add(bs58.encode(tx.signature!));
      const wire = tx.serialize().toString('base64');
      const t0 = performance.now();
      const sig = await jsonRpc(url, 'sendTransaction', [wire, { encoding: 'base64' }]).catch(() => null);
      if (sig && !stopped) {
        latencies.push(performance.now() - t0);
        answered.add(sig);
        if (opts.stopAfter && answered.size >= opts.stopAfter) {
          stopped = true;
          opts.onStop?.();
        }
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, answered, signed, seconds: (performance.now() - t0) / 1000 };
}

async function localnetBench() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-bench-localnet-'));
  const SEQ = 300;
  const rows: string[][] = [];
  const child = await startLocalnetChild(path.join(tmp, 'a'));
  try {
    const payer = Keypair.generate();
    await jsonRpc(child.rpc, 'requestAirdrop', [payer.publicKey.toBase58(), 100_000 * 1e9]);

    // The same transfers on an in-process runtime, signed the same way.
    const rt = Runtime.start();
    const local: number[] = [];
    for (let i = 0; i < SEQ; i++) {
      const tx = new Transaction({ feePayer: rt.payer.publicKey, recentBlockhash: rt.latestBlockhash() }).add(
        SystemProgram.transfer({
          fromPubkey: rt.payer.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: 1_000_000 + i,
        }),
      );
      tx.sign(rt.payer);
      const t0 = performance.now();
      rt.sendTransaction(tx);
      local.push(performance.now() - t0);
    }
    const seq = await rpcLoad(child.rpc, payer, SEQ, 1);
    const conc = await rpcLoad(child.rpc, payer, 2_000, 32);
    const p = (xs: number[], q: number) => quantile(xs, q).toFixed(2);
    rows.push([
      'SOL transfer, in-process runtime.sendTransaction',
      p(local, 0.5),
      p(local, 0.99),
      `${Math.round(SEQ / (local.reduce((a, b) => a + b, 0) / 1000))}`,
      '1.00',
    ]);
    rows.push([
      'SOL transfer, RPC sendTransaction -> confirmed (fsynced), 1 in flight',
      p(seq.latencies, 0.5),
      p(seq.latencies, 0.99),
      `${Math.round(SEQ / seq.seconds)}`,
      (quantile(seq.latencies, 0.5) / quantile(local, 0.5)).toFixed(1),
    ]);
    rows.push([
      'SOL transfer, RPC sendTransaction -> confirmed, 32 in flight (group commit)',
      p(conc.latencies, 0.5),
      p(conc.latencies, 0.99),
      `${Math.round(conc.answered.size / conc.seconds)}`,
      (quantile(conc.latencies, 0.5) / quantile(local, 0.5)).toFixed(1),
    ]);

    // Reads: getAccountInfo over loopback (autocannon, 16 connections) next to runtime.getAccount.
    const key = payer.publicKey.toBase58();
    const t0 = performance.now();
    let reads = 0;
    while (performance.now() - t0 < 2_000) {
      rt.getAccount(key);
      reads++;
    }
    const localReads = reads / ((performance.now() - t0) / 1000);
    rt.close();
    const ac = await autocannon({
      url: child.rpc,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getAccountInfo', params: [key, { encoding: 'base64' }] }),
      connections: 16,
      duration: 5,
    });
    printTable(
      ['openvpp localnet vs the in-process runtime', 'p50 ms', 'p99 ms', 'per second', 'p50 ratio'],
      [
        ...rows,
        ['getAccountInfo, in-process runtime.getAccount', '', '', `${Math.round(localReads)}`, ''],
        [
          'getAccountInfo over JSON-RPC (autocannon, 16 connections, 5 s)',
          `${ac.latency.p50}`,
          `${ac.latency.p99}`,
          `${Math.round(ac.requests.average)} (${(ac.requests.average / localReads).toFixed(2)} of in-process)`,
          '',
        ],
      ],
    );
  } finally {
    await stop(child.proc);
  }

  // Recovery: N transactions in the WAL (no snapshot), then with the default snapshots.
  const N = Number(process.env.LOCALNET_RECOVERY_TXS ?? 10_000);
  const recovery: string[][] = [];
  for (const [label, extra] of [
    ['WAL only (no snapshot)', ['--snapshot-every', String(10 * N)]],
    ['snapshot every 5,000 + WAL', []],
  ] as const) {
    const dir = path.join(tmp, `r-${recovery.length}`);
    const node = await startLocalnetChild(dir, [...extra]);
    const payer = Keypair.generate();
    await jsonRpc(node.rpc, 'requestAirdrop', [payer.publicKey.toBase58(), 100_000 * 1e9]);
    const load = await rpcLoad(node.rpc, payer, N, 32);
    await stop(node.proc, 'SIGKILL');
    const size = fs.readdirSync(dir).reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
    const t0 = performance.now();
    const again = await startLocalnetChild(dir);
    const startMs = performance.now() - t0;
    const count = await jsonRpc(again.rpc, 'getTransactionCount');
    await stop(again.proc);
    recovery.push([
      label,
      `${load.answered.size}`,
      `${(size / 1e6).toFixed(1)} MB`,
      `${again.restoreMs}`,
      `${Math.round(startMs)}`,
      `${count}`,
    ]);
  }
  printTable(
    [
      'ledger after SIGKILL',
      'transactions',
      'ledger size',
      'restore ms',
      'restart to serving ms',
      'transactions after restart',
    ],
    recovery,
  );

  // SIGKILL in the middle of a load: confirmed signatures lost must be 0.
  const dir = path.join(tmp, 'crash');
  const node = await startLocalnetChild(dir, ['--snapshot-every', '500']);
  const payer = Keypair.generate();
  const airdrop = await jsonRpc(node.rpc, 'requestAirdrop', [payer.publicKey.toBase58(), 100_000 * 1e9]);
  const load = await rpcLoad(node.rpc, payer, 4_000, 32, { stopAfter: 2_000, onStop: () => node.proc.kill('SIGKILL') });
  await stop(node.proc, 'SIGKILL');
  const again = await startLocalnetChild(dir);
  const answered = [...load.answered];
  let lost = 0;
  for (let i = 0; i < answered.length; i += 256) {
    const { value } = await jsonRpc(again.rpc, 'getSignatureStatuses', [answered.slice(i, i + 256)]);
    lost += (value as unknown[]).filter((v) => v === null).length;
  }
  const history = await jsonRpc(again.rpc, 'getSignaturesForAddress', [payer.publicKey.toBase58(), { limit: 1000 }]);
  await stop(again.proc);
  printTable(
    [
      'SIGKILL under load (32 in flight)',
      'confirmed before the kill',
      'confirmed signatures lost',
      'restored but never sent',
    ],
    [
      [
        '4,000 transfers, killed after 2,000 answers',
        `${answered.length}`,
        `${lost}`,
        `${(history as { signature: string }[]).filter((h) => h.signature !== airdrop && !load.signed.has(h.signature)).length}`,
      ],
    ],
  );
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function main() {
  if (process.env.LOCALNET !== '0') await localnetBench();
  if (process.env.COMPARE !== '0') await compareRuntimes();
  if (process.env.STACK !== '0') stackSizes();
  if (process.env.TABLE === '0') return;
  const rt = Runtime.start();
  const payer = rt.payer.publicKey;
  // The tariff world of the demo (localnet's world builder): partners, payments with the localnet
  // USDC, the utility's tariff program, USDE treasury and hourly tariff.
  const world = applySync(rt, worldPlan(payer, { payments: true, tariff: true }));
  const { vendor, utility, utilityPda, vendorPda } = world;
  const [usdcMint, tariff, program, treasury] = [
    world.usdcMint!,
    world.tariff!,
    world.tariffProgram!,
    world.utilityTreasury!,
  ];
  const rows: Row[] = [];

  const measure = (
    op: string,
    make: (i: number) => { ixs: TransactionInstruction[]; signers: Keypair[]; created: PublicKey[] },
  ) => {
    const first = make(0);
    const bytes = txSize(rt, first.ixs, first.signers);
    rt.processInstructions(first.ixs, first.signers);
    const rent = rentOf(rt, first.created);
    const built = Array.from({ length: ITER }, (_, i) => make(i + 1));
    const t0 = performance.now();
    for (const b of built) rt.processInstructions(b.ixs, b.signers);
    const perSec = (ITER / (performance.now() - t0)) * 1000;
    rows.push({ op, bytes, accounts: uniqueAccounts(first.ixs), signers: 1 + first.signers.length, rent, perSec });
  };

  // Owners claim their devices a day before the metered hours settled below (a reading of an
  // interval before any owner's claim bills nobody: `ReadingBeforeOwnership`).
  const start = BigInt(rt.getClock().unixTimestamp);
  rt.setUnixTimestamp(start - 86_400n);
  const devices: { key: Keypair; owner: Keypair; device: PublicKey }[] = [];
  const fp = (i: number) => placeholderFingerprint(i, 0x5a);
  measure('device_register (owner co-signs)', (i) => {
    const key = Keypair.generate();
    const owner = Keypair.generate();
    const device = findDevicePda({ deviceKey: key.publicKey })[0];
    devices.push({ key, owner, device });
    const ixs = ownedMeterRegisterInstructions({
      vendor: vendor.publicKey,
      payer,
      key: key.publicKey,
      owner: owner.publicKey,
      certFingerprint: fp(i),
    });
    return {
      ixs,
      signers: [vendor, key, owner],
      created: [device, findCertIndexPda({ lfdi: fp(i).subarray(0, 20) })[0]],
    };
  });
  measure('name_register', (i) => {
    const d = devices[i];
    const name = `bench-${i}`;
    const ixs = nameRegisterInstructions({ target: d.device, authority: d.owner.publicKey, payer, name });
    return {
      ixs,
      signers: [d.owner],
      created: [findNamePda({ name })[0], findReversePda({ target: d.device })[0]],
    };
  });
  measure('device_owner_transfer (proposal)', (i) => {
    const d = devices[i];
    const ixs = deviceOwnerTransferInstructions({
      deviceKey: d.key.publicKey,
      owner: d.owner.publicKey,
      newOwner: Keypair.generate().publicKey,
    });
    return { ixs, signers: [d.owner], created: [] };
  });
  measure('device_transfer_cancel', (i) => {
    const d = devices[i];
    const ixs = deviceTransferCancelInstructions({ deviceKey: d.key.publicKey, owner: d.owner.publicKey });
    return { ixs, signers: [d.owner], created: [] };
  });

  // Payments: devices enrolled in the utility's tariff program and bound to the world's hourly
  // tariff, owners funded with a mandate, then settlement of device-signed readings (with their
  // ed25519 instruction).
  rt.setUnixTimestamp(start);
  const usde = findUsdeMintPda()[0];
  for (const d of devices.slice(0, ITER + 1)) {
    enrollAndBind(rt, { utility, requester: d.owner, vendorPda, device: d.device, program, tariffs: [] });
  }
  measure('tariff_bind (approved enrollment)', (i) => {
    const d = devices[i];
    return {
      ixs: tariffBindInstructions({ tariff, authority: utility.publicKey, device: d.device, program, payer }),
      signers: [utility],
      created: [findTariffBindingPda({ tariff, device: d.device })[0]],
    };
  });
  for (const d of devices.slice(0, ITER + 1)) {
    mintUsdc(rt, { usdcMint, owner: d.owner.publicKey, amount: 20_000_000n });
    const ownerUsde = getAssociatedTokenAddressSync(usde, d.owner.publicKey, true, TOKEN_2022_PROGRAM_ID);
    rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(
        payer,
        ownerUsde,
        d.owner.publicKey,
        usde,
        TOKEN_2022_PROGRAM_ID,
      ),
      ...meterOpenInstructions({ device: d.device, payer }),
    ]);
  }
  measure('usde_wrap', (i) => {
    const owner = devices[i].owner;
    const ixs = usdeWrapInstructions({
      user: owner.publicKey,
      usdcMint,
      amount: 5_000_000n,
      userUsde: getAssociatedTokenAddressSync(usde, owner.publicKey, true, TOKEN_2022_PROGRAM_ID),
    });
    return { ixs, signers: [owner], created: [] };
  });
  measure('fund_owner (wrap + delegate + mandate)', (i) => {
    const d = devices[i];
    const ixs = fundOwnerInstructions({
      owner: d.owner.publicKey,
      payer,
      usdcMint,
      amount: 5_000_000n,
      allowance: 5_000_000n,
      device: d.device,
      utility: utilityPda,
    });
    return {
      ixs,
      signers: [d.owner],
      created: [findMandatePda({ owner: d.owner.publicKey, device: d.device })[0]],
    };
  });
  const hourAgo = (BigInt(rt.getClock().unixTimestamp) / 3_600n) * 3_600n - 4n * 3_600n;
  const settleParams = (d: (typeof devices)[number]) => ({
    device: d.device,
    deviceKey: d.key.publicKey,
    owner: d.owner.publicKey,
    tariff,
    program,
    utility: utilityPda,
    utilityTreasury: treasury,
    deviceSecretKey: d.key.secretKey,
  });
  const reading = (seq: bigint) => ({
    revision: 1,
    seq,
    intervalStart: hourAgo + (seq - 1n) * 3_600n,
    importWh: 20n,
    exportWh: 0n,
  });
  measure('meter_settle (+ ed25519 ix)', (i) => ({
    ixs: meterSettleInstructions({ ...settleParams(devices[i]), reading: reading(1n) }),
    signers: [],
    created: [],
  }));
  // A legacy transaction carries 2 readings (the revision, binding and enrollment accounts
  // took the third's room); the batch row settles 2 per transaction.
  measure('meter_settle_batch, 2 readings (legacy tx)', (i) => ({
    ixs: meterSettleBatchInstructions({ ...settleParams(devices[i]), readings: [2n, 3n].map(reading) }),
    signers: [],
    created: [],
  }));

  measure('device_status_set (suspend)', (i) => {
    const ixs = deviceStatusSetInstructions({
      authority: vendor.publicKey,
      vendor: vendorPda,
      deviceKey: devices[i].key.publicKey,
      status: 'suspended',
    });
    return { ixs, signers: [vendor], created: [] };
  });

  // Settlement bytes per reading: legacy, and v0 with every non-signer, non-program account
  // in an address lookup table (sizes from the real compiled messages).
  {
    const d = devices[0];
    const batchRows: string[][] = [];
    let maxV0 = 0;
    for (let n = 1; n <= 8; n++) {
      const readings = Array.from({ length: n }, (_, k) => reading(BigInt(k + 1)));
      const ixs = meterSettleBatchInstructions({ ...settleParams(d), readings });
      const legacy = legacySize(rt.payer.publicKey, ixs);
      const v0 = v0SizeWithLookupTable(rt.payer, ixs);
      if (v0 <= 1_232) maxV0 = n;
      batchRows.push([
        `${n}`,
        legacy === Infinity ? '> 1232 (too large)' : `${legacy}`,
        v0 === Infinity ? '> 1232 (too large)' : `${v0}${v0 > 1_232 ? ' (too large)' : ''}`,
        v0 === Infinity ? '-' : `${Math.round(v0 / n)}`,
      ]);
    }
    printTable(['readings per batch', 'legacy tx bytes', 'v0 + lookup table bytes', 'v0 bytes per reading'], batchRows);
    console.log(`readings per transaction under 1,232 bytes: ${maxV0} (v0 + address lookup table)\n`);
  }

  // Reads: the resolver's hot path.
  const t0 = performance.now();
  for (let i = 0; i < ITER; i++) await fetchDevice(rt, { deviceKey: devices[i].key.publicKey });
  const lookups = (ITER / (performance.now() - t0)) * 1000;

  const header = ['operation', 'tx bytes (/1232)', 'accounts', 'signatures', 'rent created (lamports)', 'native tx/s'];
  const table = rows.map((r) => [
    r.op,
    `${r.bytes}`,
    `${r.accounts}`,
    `${r.signers}`,
    `${r.rent}`,
    r.perSec.toFixed(0),
  ]);
  table.push(['fetchDevice (read)', '-', '-', '-', '-', `${lookups.toFixed(0)} reads/s`]);
  printTable(header, table);
  const perDevice = rows[0].rent + rows[1].rent;
  const mandateRent = rows.find((r) => r.op.startsWith('fund_owner'))?.rent ?? 0n;
  console.log(`lamports per settlement mandate: ${mandateRent}`);
  console.log(`lamports per registered + named device: ${perDevice} (${Number(perDevice) / 1e9} SOL)`);
  rt.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
