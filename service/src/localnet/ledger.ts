// The node's durable ledger: a write-ahead log of framed JSON records, fsynced in groups (every
// record appended while one fsync runs is written and synced by the next), plus periodic
// snapshots. A frame is [u32 length][u32 crc32][payload]; a torn or corrupt tail (a crash in
// the middle of a write) is detected and cut off on open. Layout of the ledger directory:
//
//   meta.json              genesis hash and node identity (written once)
//   snapshot.bin           frames: header {seq, ...}, state chunks, end marker (atomic rename)
//   wal-<firstSeq>.log     WAL segments; a new one starts at each snapshot, older ones are
//                          deleted once the snapshot that covers them is on disk
//
// Restore = the snapshot, then every WAL record with a higher `seq`, in order.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface LedgerMeta {
  version: 1;
  genesisHash: string;
  identity: string;
  createdAt: string;
}

/** Every WAL record carries a strictly increasing sequence number. */
export interface WalRecord {
  seq: number;
}

export interface Restored<R extends WalRecord, S> {
  meta: LedgerMeta;
  snapshot: { seq: number; state: S } | null;
  /** Records after the snapshot, in order. */
  records: R[];
  /** Bytes cut off a torn WAL tail, if any. */
  truncatedBytes: number;
}

const HEADER = 8;

export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(zlib.crc32(payload), 4);
  payload.copy(out, HEADER);
  return out;
}

/** Complete, checksummed frames of `buf`, and where the valid prefix ends. */
export function readFrames(buf: Buffer): { payloads: Buffer[]; validEnd: number } {
  const payloads: Buffer[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const len = buf.readUInt32LE(at);
    const crc = buf.readUInt32LE(at + 4);
    if (at + HEADER + len > buf.length) break;
    const payload = buf.subarray(at + HEADER, at + HEADER + len);
    if (zlib.crc32(payload) !== crc) break;
    payloads.push(payload);
    at += HEADER + len;
  }
  return { payloads, validEnd: at };
}

function fsyncDir(dir: string) {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const segmentName = (firstSeq: number) => `wal-${String(firstSeq).padStart(12, '0')}.log`;
const SEGMENT = /^wal-(\d{12})\.log$/;

/** The default ledger directory: `$XDG_DATA_HOME/openvpp/ledger` or `~/.local/share/openvpp/ledger`. */
export function defaultLedgerDir(): string {
  const base = process.env.XDG_DATA_HOME || path.join(process.env.HOME || '.', '.local', 'share');
  return path.join(base, 'openvpp', 'ledger');
}

export class Ledger<R extends WalRecord, S> {
  private fd: number;
  private segment: string;
  private pending: Buffer[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private inflight: Promise<void> | null = null;
  /** The batch being written by `inflight` (rewritten by `appendSync`, which cannot wait for it). */
  private inflightBufs: Buffer[] = [];
  private snapshotting: Promise<void> | null = null;
  private closed = false;
  /** Records appended since the last snapshot started. */
  recordsSinceSnapshot = 0;
  /** Number of fsyncs done (group commit makes this smaller than the number of records). */
  fsyncs = 0;

  private constructor(
    readonly dir: string,
    readonly meta: LedgerMeta,
    private lastSeq: number,
  ) {
    this.segment = path.join(dir, segmentName(lastSeq + 1));
    this.fd = fs.openSync(this.segment, 'a');
    fsyncDir(dir);
  }

  /** Opens (creating if needed) the ledger in `dir` and reads back everything it holds. */
  static open<R extends WalRecord, S>(dir: string): { ledger: Ledger<R, S>; restored: Restored<R, S> } {
    fs.mkdirSync(dir, { recursive: true });
    const metaPath = path.join(dir, 'meta.json');
    let meta: LedgerMeta;
    if (fs.existsSync(metaPath)) {
      meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as LedgerMeta;
    } else {
      meta = {
        version: 1,
        genesisHash: crypto.randomBytes(32).toString('hex'),
        identity: crypto.randomBytes(32).toString('hex'),
        createdAt: new Date().toISOString(),
      };
      const tmp = `${metaPath}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(meta, null, 2));
      const fd = fs.openSync(tmp, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(tmp, metaPath);
      fsyncDir(dir);
    }

    let snapshot: Restored<R, S>['snapshot'] = null;
    const snapPath = path.join(dir, 'snapshot.bin');
    if (fs.existsSync(snapPath)) {
      const { payloads } = readFrames(fs.readFileSync(snapPath));
      const parts = payloads.map((p) => JSON.parse(p.toString('utf8')));
      const end = parts[parts.length - 1];
      if (!parts.length || !end?.end) throw new Error(`ledger ${dir}: snapshot.bin is incomplete`);
      const header = parts[0] as { seq: number };
      snapshot = { seq: header.seq, state: { header: parts[0], chunks: parts.slice(1, -1) } as S };
    }

    const bySeq = new Map<number, R>();
    let truncatedBytes = 0;
    const segments = fs
      .readdirSync(dir)
      .filter((f) => SEGMENT.test(f))
      .sort();
    const base = snapshot?.seq ?? 0;
    for (const [i, name] of segments.entries()) {
      const file = path.join(dir, name);
      const buf = fs.readFileSync(file);
      const { payloads, validEnd } = readFrames(buf);
      if (validEnd < buf.length) {
        truncatedBytes += buf.length - validEnd;
        // A torn tail: the crash came in the middle of a write that was never acknowledged.
        if (i === segments.length - 1) fs.truncateSync(file, validEnd);
      }
      for (const p of payloads) {
        const rec = JSON.parse(p.toString('utf8')) as R;
        if (rec.seq > base) bySeq.set(rec.seq, rec);
      }
    }
    // Records are applied in sequence order up to the first gap: a record whose predecessor
    // never reached the disk was never acknowledged either (a synchronous append rewrites the
    // records still queued before it, so an acknowledged record never follows a gap).
    const records: R[] = [];
    let lastSeq = base;
    while (bySeq.has(lastSeq + 1)) {
      lastSeq += 1;
      records.push(bySeq.get(lastSeq)!);
    }
    const ledger = new Ledger<R, S>(dir, meta, lastSeq);
    return { ledger, restored: { meta, snapshot, records, truncatedBytes } };
  }

  /** The next record's sequence number (assigned synchronously, so state and order agree). */
  nextSeq(): number {
    this.lastSeq += 1;
    this.recordsSinceSnapshot += 1;
    return this.lastSeq;
  }

  get seq() {
    return this.lastSeq;
  }

  /** Appends a record; resolves once it is fsynced (group commit). */
  append(record: R): Promise<void> {
    if (this.closed) return Promise.reject(new Error('ledger is closed'));
    this.pending.push(frame(Buffer.from(JSON.stringify(record))));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.kick();
    return done;
  }

  /**
   * Appends a record and fsyncs before returning (for callers that cannot wait: the embedded
   * Runtime's synchronous methods). Records queued or being written ahead of it are written
   * again first, so the file never holds this record without its predecessors (restore keeps
   * one copy of each sequence number).
   */
  appendSync(record: R) {
    if (this.closed) throw new Error('ledger is closed');
    const data = Buffer.concat([...this.inflightBufs, ...this.pending, frame(Buffer.from(JSON.stringify(record)))]);
    fs.writeSync(this.fd, data);
    fs.fdatasyncSync(this.fd);
    this.fsyncs += 1;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  private kick() {
    if (this.inflight || this.pending.length === 0) return;
    const bufs = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    const fd = this.fd;
    this.inflightBufs = bufs;
    this.inflight = (async () => {
      try {
        const data = bufs.length === 1 ? bufs[0] : Buffer.concat(bufs);
        await new Promise<void>((res, rej) => fs.write(fd, data, 0, data.length, null, (e) => (e ? rej(e) : res())));
        await new Promise<void>((res, rej) => fs.fdatasync(fd, (e) => (e ? rej(e) : res())));
        this.fsyncs += 1;
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      } finally {
        this.inflight = null;
        this.inflightBufs = [];
        this.kick();
      }
    })();
  }

  /** True while a snapshot is being written. */
  get snapshotInProgress() {
    return this.snapshotting !== null;
  }

  /**
   * Writes a snapshot of `chunks` (the state as of `this.seq`, taken synchronously by the
   * caller just before) and starts a new WAL segment; older segments are deleted once the
   * snapshot is on disk.
   */
  snapshot(header: Record<string, unknown>, chunks: unknown[]): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    const seq = this.lastSeq;
    this.recordsSinceSnapshot = 0;
    const oldFd = this.fd;
    const oldSegments = fs
      .readdirSync(this.dir)
      .filter((f) => SEGMENT.test(f))
      .map((f) => path.join(this.dir, f));
    this.segment = path.join(this.dir, segmentName(seq + 1));
    this.fd = fs.openSync(this.segment, 'a');
    const body = Buffer.concat([
      frame(Buffer.from(JSON.stringify({ ...header, seq }))),
      ...chunks.map((c) => frame(Buffer.from(JSON.stringify(c)))),
      frame(Buffer.from(JSON.stringify({ end: true }))),
    ]);
    this.snapshotting = (async () => {
      try {
        const tmp = path.join(this.dir, 'snapshot.bin.tmp');
        const fh = await fs.promises.open(tmp, 'w');
        try {
          await fh.write(body);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await fs.promises.rename(tmp, path.join(this.dir, 'snapshot.bin'));
        fsyncDir(this.dir);
        // Wait for a batch still being written to an old segment before closing it.
        while (this.inflight) await this.inflight;
        fs.closeSync(oldFd);
        for (const f of oldSegments) if (f !== this.segment) fs.rmSync(f, { force: true });
      } finally {
        this.snapshotting = null;
      }
    })();
    return this.snapshotting;
  }

  /** Flushes what is pending and closes the WAL. */
  async close() {
    while (this.inflight || this.pending.length) {
      if (this.inflight) await this.inflight;
      else this.kick();
    }
    if (this.snapshotting) await this.snapshotting;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
