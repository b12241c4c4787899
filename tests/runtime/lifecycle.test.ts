// The runtime's resources: its temporary directories (the bank's accounts-db) go away with
// close(), and it runs every call on one long-lived worker thread, not a thread per call.
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Runtime } from '@openvpp/runtime';

/** Runs `f` with TMPDIR pointing at a fresh directory (the bank creates its dirs under it). */
async function withTmpdir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-runtime-test-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await f(dir);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    // The bank's last background threads may still be removing their files: retry.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  }
}

const threads = () => fs.readdirSync('/proc/self/task').length;

/**
 * Thread count once closed runtimes are gone: their banks dropped and the bank's own pools
 * (which exit asynchronously) down, i.e. unchanged for 200 ms.
 */
async function settledThreads(): Promise<number> {
  Runtime.waitForClosed();
  let last = threads();
  for (let stable = 0, i = 0; stable < 10 && i < 250; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const now = threads();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

describe('runtime: lifecycle', () => {
  it('removes every temporary directory it created on close()', async () => {
    await withTmpdir(async (dir) => {
      const rt = Runtime.start();
      // The accounts-db keeps its storage here while the runtime is open...
      expect(fs.readdirSync(dir)).to.not.be.empty;
      rt.airdrop(Keypair.generate().publicKey, 1_000_000_000n);
      rt.close();
      // ...and nothing is left behind once it is closed: the bank is dropped in the background
      // and its accounts index tidies up on its own threads, so wait (bounded) until the
      // directory is empty and stays empty.
      Runtime.waitForClosed();
      let left = fs.readdirSync(dir);
      for (let stable = 0, i = 0; stable < 5 && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        left = fs.readdirSync(dir);
        stable = left.length === 0 ? stable + 1 : 0;
      }
      expect(left).to.deep.equal([]);
    });
  });

  it('runs on one worker thread for its whole life, joined on close()', async () => {
    // Process-wide pools some crates start lazily on first use stay; a first runtime starts them.
    Runtime.start().close();
    const before = await settledThreads();
    const rt = Runtime.start();
    const open = threads();
    expect(open).to.be.greaterThan(before);
    const payer = rt.payer.publicKey;
    for (let i = 0; i < 20; i++) rt.airdrop(payer, BigInt(i + 1));
    expect(threads()).to.equal(open);
    rt.close();
    expect(await settledThreads()).to.equal(before);
    expect(() => rt.latestBlockhash()).to.throw(/closed/);
  });
});
