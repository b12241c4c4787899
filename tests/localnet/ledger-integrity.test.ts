// Integrity of the localnet ledger (round 3 audit): WAL frames are hash-chained and snapshots
// record the chain head, so an edited record (CRC recomputed or not) or a damaged frame in the
// middle refuses the start with LedgerCorruptError naming the file, byte offset and frame index,
// and nothing is truncated; only a torn tail (nothing valid after it) is cut, and logged.
// `openvpp localnet repair` reports, and cuts at the corruption only when asked (with a backup).
import { Connection, Keypair, LAMPORTS_PER_SOL, type PublicKey } from '@solana/web3.js';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { Ledger } from '@openvpp/localnet';
import { CLI, childNode, stopChild, tempLedger, type ChildNode } from './node';

// The on-disk frame, as documented in localnet/src/node/ledger.ts: magic, length, SHA-256
// chain hash, CRC-32 (of length ‖ hash ‖ payload), payload. The previous layout ([length][crc]
// [payload]) is read too, so this suite can be run against the ledger before the fix (where it
// fails: that ledger accepts every one of these edits).
const MAGIC = Buffer.from([0xff, 0x4f, 0x56, 0x02]);
interface WalFrame {
  offset: number;
  end: number;
  payload: Buffer;
  /** Chain hash (format 2 only). */
  hash: Buffer | null;
}

function walFrames(buf: Buffer): WalFrame[] {
  const out: WalFrame[] = [];
  for (let at = 0; at < buf.length;) {
    const v2 = buf.subarray(at, at + 4).equals(MAGIC);
    const len = buf.readUInt32LE(v2 ? at + 4 : at);
    const start = at + (v2 ? 44 : 8);
    out.push({
      offset: at,
      end: start + len,
      payload: buf.subarray(start, start + len),
      hash: v2 ? buf.subarray(at + 8, at + 40) : null,
    });
    at = start + len;
  }
  return out;
}

/** Frame bytes for `payload`; `hash` is kept as given (an edit that only fixes the CRC). */
function encode(payload: Buffer, hash: Buffer | null): Buffer {
  if (!hash) {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(payload.length, 0);
    head.writeUInt32LE(zlib.crc32(payload), 4);
    return Buffer.concat([head, payload]);
  }
  const head = Buffer.alloc(44);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(payload.length, 4);
  hash.copy(head, 8);
  head.writeUInt32LE(zlib.crc32(payload, zlib.crc32(head.subarray(4, 40))), 40);
  return Buffer.concat([head, payload]);
}

const sha256 = (a: Buffer, b: Buffer) => crypto.createHash('sha256').update(a).update(b).digest();

/** `buf` with frame `i` replaced by `bytes`. */
const replaced = (buf: Buffer, fr: WalFrame[], i: number, bytes: Buffer) =>
  Buffer.concat([buf.subarray(0, fr[i].offset), bytes, buf.subarray(fr[i].end)]);

/** Frame `i` with its JSON payload changed by `edit` and its CRC recomputed (and, asked, its hash). */
function edited(fr: WalFrame[], i: number, edit: (rec: Record<string, unknown>) => void, rehash = false): Buffer {
  const rec = JSON.parse(fr[i].payload.toString('utf8'));
  edit(rec);
  const payload = Buffer.from(JSON.stringify(rec));
  const hash = fr[i].hash && rehash && i > 0 ? sha256(fr[i - 1].hash!, payload) : fr[i].hash;
  return encode(payload, hash);
}

type R = { seq: number; v: string };
const walFile = (dir: string) =>
  path.join(
    dir,
    fs
      .readdirSync(dir)
      .filter((f) => /^wal-\d{12}\.log$/.test(f))
      .sort()
      .pop()!,
  );

/** A ledger of `n` records r0..r(n-1) (and with `snapshotAfter`, a snapshot after that many). */
async function ledgerOf(n: number, snapshotAfter?: number): Promise<string> {
  const dir = tempLedger('integrity');
  const { ledger } = Ledger.open<R, unknown>(dir);
  for (let i = 0; i < n; i++) {
    if (i === snapshotAfter) await ledger.snapshot({ slot: 1 }, [{ values: ['snapshotted'] }]);
    await ledger.append({ seq: ledger.nextSeq(), v: `r${i}` });
  }
  await ledger.close();
  return dir;
}

/** Opening must refuse with LedgerCorruptError at `offset` / `frameIndex` and change no file. */
function expectRefused(dir: string, file: string, offset?: number, frameIndex?: number) {
  const before = new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
  let opened: ReturnType<typeof Ledger.open<R, unknown>> | null = null;
  let error: Error | null = null;
  try {
    opened = Ledger.open<R, unknown>(dir);
  } catch (e) {
    error = e as Error;
  }
  if (opened) {
    void opened.ledger.close();
    expect.fail(
      `the ledger opened with ${opened.restored.records.length} records (cut ${opened.restored.truncatedBytes} bytes)`,
    );
  }
  expect(error!.name).to.equal('LedgerCorruptError');
  expect(error!.message).to.contain(path.basename(file));
  if (offset !== undefined) expect(error!.message).to.contain(`at byte ${offset} (frame index ${frameIndex})`);
  for (const [f, bytes] of before)
    expect(fs.readFileSync(path.join(dir, f)).equals(bytes), `${f} changed`).to.equal(true);
}

const values = (dir: string) => {
  const { ledger, restored } = Ledger.open<R, unknown>(dir);
  void ledger.close();
  return { values: restored.records.map((r) => r.v), truncatedBytes: restored.truncatedBytes };
};

describe('localnet: ledger integrity (hash-chained WAL; corruption refused, torn tail cut)', function () {
  this.timeout(120_000);
  let child: ChildNode | undefined;
  afterEach(async () => {
    if (child) await stopChild(child, 'SIGKILL');
    child = undefined;
  });

  /** A node ledger holding one airdrop record per recipient (the node SIGKILLed: no final snapshot). */
  async function nodeLedger(n: number): Promise<{ dir: string; recipients: PublicKey[] }> {
    const dir = tempLedger('integrity-node');
    child = await childNode(dir, ['--slot-ms', '100']);
    const connection = new Connection(child.rpc, 'confirmed');
    const recipients = Array.from({ length: n }, () => Keypair.generate().publicKey);
    for (const r of recipients) await connection.requestAirdrop(r, LAMPORTS_PER_SOL);
    await stopChild(child, 'SIGKILL');
    child = undefined;
    return { dir, recipients };
  }

  /** `openvpp localnet` on `dir` must exit with an error; returns its stderr. */
  async function refusedStart(dir: string): Promise<string> {
    try {
      child = await childNode(dir, ['--slot-ms', '100']);
    } catch (e) {
      return (e as Error).message;
    }
    expect.fail(`the node started on a corrupt ledger: ${child.stderr()}`);
  }

  describe('an edited record is refused', () => {
    it('the node refuses a WAL whose middle record was edited with its CRC recomputed (named error, file, offset)', async () => {
      const { dir, recipients } = await nodeLedger(5);
      const file = walFile(dir);
      const buf = fs.readFileSync(file);
      const fr = walFrames(buf);
      expect(fr).to.have.length(5);
      // Frame 2 is the airdrop to recipient 2: give it 1,000 SOL instead of 1.
      const target = recipients[2].toBase58();
      const forged = edited(fr, 2, (rec) => {
        const row = (rec.accounts as unknown[][]).find((a) => a[0] === target)!;
        row[1] = String(1_000 * LAMPORTS_PER_SOL);
      });
      const tampered = replaced(buf, fr, 2, forged);
      fs.writeFileSync(file, tampered);
      const err = await refusedStart(dir);
      expect(err).to.contain('LedgerCorruptError');
      expect(err).to.contain(`${file} is corrupt at byte ${fr[2].offset} (frame index 2)`);
      expect(err).to.contain('nothing was truncated');
      expect(fs.readFileSync(file).equals(tampered), 'the WAL was changed').to.equal(true);
    });

    it('an edit is caught at the frame itself (CRC fixed), at the next frame (CRC and hash fixed), and in the last frame', async () => {
      for (const [i, rehash, failsAt] of [
        [3, false, 3],
        [3, true, 4],
        [0, false, 0],
        [7, false, 7],
      ] as const) {
        const dir = await ledgerOf(8);
        const file = walFile(dir);
        const buf = fs.readFileSync(file);
        const fr = walFrames(buf);
        const after = replaced(
          buf,
          fr,
          i,
          edited(fr, i, (rec) => (rec.v = 'forged'), rehash),
        );
        fs.writeFileSync(file, after);
        const at = walFrames(after)[failsAt].offset;
        expectRefused(dir, file, at, failsAt);
      }
    });
  });

  describe('a damaged frame in the middle is corruption, never a torn tail', () => {
    const damages: [string, (buf: Buffer, fr: WalFrame[]) => Buffer, number][] = [
      ['a flipped payload byte', (b, fr) => flip(b, fr[3].end - 5), 3],
      ['a flipped hash byte', (b, fr) => flip(b, fr[3].offset + 20), 3],
      ['a length made huge', (b, fr) => withU32(b, fr[3].offset + 4, 0x7fff_0000), 3],
      ['a length made short', (b, fr) => withU32(b, fr[3].offset + 4, fr[3].payload.length - 7), 3],
      [
        'a zeroed header',
        (b, fr) => Buffer.concat([b.subarray(0, fr[3].offset), Buffer.alloc(44), b.subarray(fr[3].offset + 44)]),
        3,
      ],
      ['a frame removed', (b, fr) => Buffer.concat([b.subarray(0, fr[3].offset), b.subarray(fr[3].end)]), 3],
      [
        'two frames swapped',
        (b, fr) =>
          Buffer.concat([
            b.subarray(0, fr[3].offset),
            b.subarray(fr[4].offset, fr[4].end),
            b.subarray(fr[3].offset, fr[3].end),
            b.subarray(fr[4].end),
          ]),
        3,
      ],
      [
        'a frame duplicated',
        (b, fr) =>
          Buffer.concat([b.subarray(0, fr[4].offset), b.subarray(fr[3].offset, fr[3].end), b.subarray(fr[4].offset)]),
        4,
      ],
      [
        'garbage inserted',
        (b, fr) => Buffer.concat([b.subarray(0, fr[3].offset), crypto.randomBytes(100), b.subarray(fr[3].offset)]),
        3,
      ],
    ];
    for (const [what, damage, frameIndex] of damages) {
      it(`${what}: refused at frame ${frameIndex}, the records after it kept on disk`, async () => {
        const dir = await ledgerOf(8);
        const file = walFile(dir);
        const buf = fs.readFileSync(file);
        const fr = walFrames(buf);
        fs.writeFileSync(file, damage(buf, fr));
        expectRefused(dir, file, fr[frameIndex].offset, frameIndex);
      });
    }
  });

  describe('a torn tail is cut, logged, and the records before it kept', () => {
    const tails: [string, (buf: Buffer, fr: WalFrame[]) => Buffer, (fr: WalFrame[]) => number][] = [
      ['cut in the middle of the last frame', (b, fr) => b.subarray(0, fr[5].end - 9), (fr) => fr[5].offset],
      ['cut in the last frame header', (b, fr) => b.subarray(0, fr[5].offset + 20), (fr) => fr[5].offset],
      ['random garbage appended', (b) => Buffer.concat([b, crypto.randomBytes(300)]), (fr) => fr[5].end],
      ['zeros appended', (b) => Buffer.concat([b, Buffer.alloc(4096)]), (fr) => fr[5].end],
      [
        'a copy of a frame header appended',
        (b, fr) => Buffer.concat([b, b.subarray(fr[2].offset, fr[2].offset + 60)]),
        (fr) => fr[5].end,
      ],
    ];
    for (const [what, tear, cutAt] of tails) {
      it(`${what}`, async () => {
        const dir = await ledgerOf(6);
        const file = walFile(dir);
        const buf = fs.readFileSync(file);
        const fr = walFrames(buf);
        const torn = tear(buf, fr);
        fs.writeFileSync(file, torn);
        const offset = cutAt(fr);
        const kept = offset === fr[5].end ? 6 : 5;
        const got = values(dir);
        expect(got.values).to.deep.equal(['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].slice(0, kept));
        expect(got.truncatedBytes).to.equal(torn.length - offset);
        expect(fs.statSync(file).size).to.equal(offset);
        // Appends continue the chain after the cut.
        const { ledger } = Ledger.open<R, unknown>(dir);
        await ledger.append({ seq: ledger.nextSeq(), v: 'after' });
        await ledger.close();
        expect(values(dir).values).to.deep.equal([...['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].slice(0, kept), 'after']);
      });
    }

    it('the node starts on a torn tail, keeps every earlier record and logs where it cut', async () => {
      const { dir, recipients } = await nodeLedger(4);
      const file = walFile(dir);
      const fr = walFrames(fs.readFileSync(file));
      fs.truncateSync(file, fr[3].end - 10);
      child = await childNode(dir, ['--slot-ms', '100']);
      expect(child.stderr()).to.match(/restored 3 WAL records/);
      expect(child.stderr()).to.contain(
        `cut a torn tail of ${fr[3].end - 10 - fr[3].offset} bytes from ${file} at byte ${fr[3].offset}`,
      );
      const connection = new Connection(child.rpc, 'confirmed');
      const balances = await Promise.all(recipients.map((r) => connection.getBalance(r)));
      expect(balances).to.deep.equal([LAMPORTS_PER_SOL, LAMPORTS_PER_SOL, LAMPORTS_PER_SOL, 0]);
    });
  });

  describe('snapshot + WAL: the frames after a snapshot chain from its recorded head', () => {
    it('a frame after the snapshot edited with its CRC recomputed is refused', async () => {
      const dir = await ledgerOf(10, 5);
      const file = walFile(dir);
      expect(path.basename(file)).to.equal('wal-000000000006.log');
      const buf = fs.readFileSync(file);
      const fr = walFrames(buf);
      expect(fr).to.have.length(5);
      fs.writeFileSync(
        file,
        replaced(
          buf,
          fr,
          2,
          edited(fr, 2, (rec) => (rec.v = 'forged')),
        ),
      );
      expectRefused(dir, file, fr[2].offset, 2);
    });

    it('a WAL re-chained from another head, a deleted segment and an edited snapshot chunk are refused', async () => {
      // Every frame after the snapshot rewritten with hashes chained from a head of the attacker's choosing.
      let dir = await ledgerOf(10, 5);
      let file = walFile(dir);
      let fr = walFrames(fs.readFileSync(file));
      let prev = Buffer.alloc(32);
      const rechained = fr.map((f) => {
        const hash = f.hash ? sha256(prev, f.payload) : null;
        prev = hash ?? prev;
        return encode(f.payload, hash);
      });
      fs.writeFileSync(file, Buffer.concat(rechained));
      if (fr[0].hash) expectRefused(dir, file, 0, 0);
      else expectRefused(dir, file);

      // The segment after the snapshot deleted: its records are gone, not silently skipped.
      dir = await ledgerOf(10, 5);
      file = walFile(dir);
      fs.rmSync(file);
      expectRefused(dir, file);

      // A snapshot chunk edited, CRC recomputed.
      dir = await ledgerOf(10, 5);
      file = path.join(dir, 'snapshot.bin');
      const buf = fs.readFileSync(file);
      fr = walFrames(buf);
      fs.writeFileSync(
        file,
        replaced(
          buf,
          fr,
          1,
          edited(fr, 1, (chunk) => (chunk.values = ['forged'])),
        ),
      );
      expectRefused(dir, file, fr[1].offset, 1);
    });
  });

  describe('openvpp localnet repair', () => {
    const repair = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'localnet', 'repair', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { status: r.status, out: r.stdout, err: r.stderr };
    };

    it('reports corruption (exit 1, nothing changed); with --truncate-at-corruption cuts there, keeps a backup, and the node starts with the records before it', async () => {
      const { dir, recipients } = await nodeLedger(6);
      const file = walFile(dir);
      const original = fs.readFileSync(file);
      const fr = walFrames(original);
      const damaged = flip(original, fr[3].end - 4);
      fs.writeFileSync(file, damaged);

      const report = repair('--ledger', dir);
      expect(report.status, report.out + report.err).to.equal(1);
      expect(report.out).to.contain(`CORRUPT: ${path.basename(file)} at byte ${fr[3].offset} (frame index 3)`);
      expect(report.out).to.contain('2 checksummed frame(s) after it');
      expect(fs.readFileSync(file).equals(damaged)).to.equal(true);
      await refusedStart(dir);

      const fixed = repair('--ledger', dir, '--truncate-at-corruption');
      expect(fixed.status, fixed.out + fixed.err).to.equal(0);
      const backup = /^backup: (.*)$/m.exec(fixed.out)![1];
      expect(path.dirname(path.dirname(backup))).to.equal(dir);
      expect(fs.readFileSync(backup).equals(damaged), 'the backup is the original file').to.equal(true);
      expect(fs.statSync(file).size).to.equal(fr[3].offset);
      expect(fixed.out).to.match(/repaired: 3 WAL records verify/);

      const clean = repair('--ledger', dir);
      expect(clean.status).to.equal(0);
      expect(clean.out).to.contain('clean');

      child = await childNode(dir, ['--slot-ms', '100']);
      expect(child.stderr()).to.match(/restored 3 WAL records/);
      const connection = new Connection(child.rpc, 'confirmed');
      const balances = await Promise.all(recipients.map((r) => connection.getBalance(r)));
      expect(balances).to.deep.equal([LAMPORTS_PER_SOL, LAMPORTS_PER_SOL, LAMPORTS_PER_SOL, 0, 0, 0]);
    });

    it('exit 0 on a clean ledger and on a torn tail (left to the node), 2 on usage errors', async () => {
      const dir = await ledgerOf(4);
      expect(repair('--ledger', dir).status).to.equal(0);
      const file = walFile(dir);
      fs.appendFileSync(file, Buffer.alloc(30));
      const size = fs.statSync(file).size;
      const torn = repair('--ledger', dir, '--truncate-at-corruption');
      expect(torn.status).to.equal(0);
      expect(torn.out).to.contain('torn tail');
      expect(fs.statSync(file).size, 'repair cuts corruption only').to.equal(size);
      expect(repair().status).to.equal(2);
      expect(repair('--ledger', path.join(dir, 'missing')).status).to.equal(2);
      expect(repair('--ledger', dir, '--no-such-flag').status).to.equal(2);
    });
  });
});

function flip(buf: Buffer, at: number): Buffer {
  const out = Buffer.from(buf);
  out[at] ^= 0x01;
  return out;
}

function withU32(buf: Buffer, at: number, v: number): Buffer {
  const out = Buffer.from(buf);
  out.writeUInt32LE(v, at);
  return out;
}
