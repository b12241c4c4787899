// The node's durable ledger: a write-ahead log of hash-chained JSON records, fsynced in groups
// (every record appended while one fsync runs is written and synced by the next), plus periodic
// snapshots. Layout of the ledger directory:
//
//   meta.json              format version, genesis hash and node identity (written once)
//   snapshot.bin           frames: header {seq, head, ...}, state chunks, end marker (atomic rename)
//   wal-<firstSeq>.log     WAL segments; a new one starts at each snapshot, older ones are
//                          deleted once the snapshot that covers them is on disk
//
// Frame (format version 2), little-endian:
//
//   magic  4   FF 4F 56 02 (0xFF never occurs in a UTF-8 JSON payload, so frames can be found
//              again after a damaged one)
//   length 4   payload bytes
//   hash  32   SHA-256(previous frame's hash ‖ payload): the chain
//   crc    4   CRC-32 of length ‖ hash ‖ payload
//   payload    JSON
//
// The WAL's chain starts from a value derived from meta.json (genesis hash and identity), so it is
// bound to this ledger; it runs on across segments; a snapshot records the chain head (seq and
// hash of the WAL frame it was taken at) and the frames after it must chain from that head. The
// snapshot's own frames chain from a second derived value. Record `seq`s run on without a gap.
//
// Opening scans everything. A frame that fails (length, CRC, chain or sequence) with any valid
// frame after it, in its segment or a later one, is corruption: `LedgerCorruptError` names the
// file, byte offset and frame index, and nothing is cut (`openvpp localnet repair` can cut it on
// request). Only an invalid last frame with nothing valid after it (a crash in the middle of a
// write) is cut off, and reported in `Restored.tornTail`. A complete frame whose CRC holds but
// whose chain hash does not is never a torn write and is always corruption.
//
// What the chain does not catch: anyone who can write the directory can recompute every hash
// (there is no secret), so a rewrite of the frames from the edited one up to the end of the WAL,
// hashes included, or deleting whole frames at the end, looks like a shorter, valid WAL. Frames a
// snapshot covers are pinned by the head it records; after a clean shutdown (final snapshot) no
// WAL frame is unpinned.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const LEDGER_FORMAT_VERSION = 2;

export interface LedgerMeta {
  version: typeof LEDGER_FORMAT_VERSION;
  genesisHash: string;
  identity: string;
  createdAt: string;
}

/** Every WAL record carries a strictly increasing sequence number. */
export interface WalRecord {
  seq: number;
}

/** An invalid tail cut off on open (a write the crash interrupted; it was never acknowledged). */
export interface TornTail {
  file: string;
  offset: number;
  frameIndex: number;
  bytes: number;
  reason: string;
}

export interface Restored<R extends WalRecord, S> {
  meta: LedgerMeta;
  snapshot: { seq: number; state: S } | null;
  /** Records after the snapshot, in order. */
  records: R[];
  /** Bytes cut off a torn WAL tail, if any. */
  truncatedBytes: number;
  tornTail: TornTail | null;
}

/** The ledger's files do not verify; nothing was changed. */
export class LedgerCorruptError extends Error {
  override name = 'LedgerCorruptError';
  constructor(
    readonly dir: string,
    readonly file: string,
    readonly offset: number,
    readonly frameIndex: number,
    readonly reason: string,
  ) {
    super(
      `LedgerCorruptError: ledger ${dir}: ${file} is corrupt at byte ${offset} (frame index ${frameIndex}): ${reason}; ` +
        `refusing to start, nothing was truncated. \`openvpp localnet repair --ledger ${dir}\` reports it; ` +
        `with --truncate-at-corruption it cuts the WAL there (keeping a backup), losing the records after it`,
    );
  }
}

/** The directory holds a ledger of another format version (or no readable meta.json). */
export class LedgerFormatError extends Error {
  override name = 'LedgerFormatError';
  constructor(
    readonly dir: string,
    readonly version: unknown,
    detail: string,
  ) {
    super(`LedgerFormatError: ledger ${dir}: ${detail}`);
  }
}

const MAGIC = Buffer.from([0xff, 0x4f, 0x56, 0x02]);
/** Bytes of a frame besides its payload. */
export const FRAME_OVERHEAD = 44;
const HASH_AT = 8;
const CRC_AT = 40;
/** Larger lengths are damage, not records (a snapshot chunk holds 2,000 accounts). */
const MAX_PAYLOAD = 1 << 30;

const sha256 = (...parts: Buffer[]) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** A frame of `payload` chained to `prev`; returns it and its hash (the next frame's `prev`). */
export function frame(prev: Buffer, payload: Buffer): { bytes: Buffer; hash: Buffer } {
  const hash = sha256(prev, payload);
  const out = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.length);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(payload.length, 4);
  hash.copy(out, HASH_AT);
  payload.copy(out, FRAME_OVERHEAD);
  out.writeUInt32LE(zlib.crc32(payload, zlib.crc32(out.subarray(4, CRC_AT))), CRC_AT);
  return { bytes: out, hash };
}

/** Why the bytes at `at` are not a complete, checksummed frame (null when they are). */
function frameProblem(buf: Buffer, at: number): string | null {
  if (buf.length - at < FRAME_OVERHEAD) return `incomplete frame header (${buf.length - at} bytes left)`;
  if (!buf.subarray(at, at + 4).equals(MAGIC)) return 'bad frame magic';
  const len = buf.readUInt32LE(at + 4);
  if (len > MAX_PAYLOAD) return `bad length ${len}`;
  if (at + FRAME_OVERHEAD + len > buf.length) return `length ${len} runs past the end of the file`;
  const crc = zlib.crc32(
    buf.subarray(at + FRAME_OVERHEAD, at + FRAME_OVERHEAD + len),
    zlib.crc32(buf.subarray(at + 4, at + CRC_AT)),
  );
  if (crc !== buf.readUInt32LE(at + CRC_AT)) return 'CRC mismatch';
  return null;
}

/** The offset of the first complete, checksummed frame at or after `from`, or -1. */
function nextValidFrame(buf: Buffer, from: number): number {
  for (let at = buf.indexOf(MAGIC, from); at >= 0; at = buf.indexOf(MAGIC, at + 1)) {
    if (frameProblem(buf, at) === null) return at;
  }
  return -1;
}

/** How many complete, checksummed frames lie at or after `from` (found by their magic). */
function countValidFrames(buf: Buffer, from: number): number {
  let n = 0;
  for (
    let at = nextValidFrame(buf, from);
    at >= 0;
    at = nextValidFrame(buf, at + FRAME_OVERHEAD + buf.readUInt32LE(at + 4))
  ) {
    n += 1;
  }
  return n;
}

interface Frame {
  offset: number;
  index: number;
  payload: Buffer;
  hash: Buffer;
}

interface Stop {
  offset: number;
  index: number;
  reason: string;
  /** A complete frame with a valid CRC failed (chain, sequence, content): never a torn write. */
  complete: boolean;
}

/** Frames of `buf` chained from `prev`, up to the first that fails (if any). */
function scanFrames(buf: Buffer, prev: Buffer): { frames: Frame[]; stop: Stop | null } {
  const frames: Frame[] = [];
  let at = 0;
  while (at < buf.length) {
    const index = frames.length;
    const problem = frameProblem(buf, at);
    if (problem) return { frames, stop: { offset: at, index, reason: problem, complete: false } };
    const len = buf.readUInt32LE(at + 4);
    const payload = buf.subarray(at + FRAME_OVERHEAD, at + FRAME_OVERHEAD + len);
    const hash = buf.subarray(at + HASH_AT, at + CRC_AT);
    if (!sha256(prev, payload).equals(hash)) {
      return {
        frames,
        stop: {
          offset: at,
          index,
          reason: 'chain hash mismatch (the record or one before it was changed)',
          complete: true,
        },
      };
    }
    frames.push({ offset: at, index, payload, hash });
    prev = hash;
    at += FRAME_OVERHEAD + len;
  }
  return { frames, stop: null };
}

function fsyncDir(dir: string) {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncFile(file: string) {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, data: Buffer) {
  for (let done = 0; done < data.length;) done += fs.writeSync(fd, data, done, data.length - done);
}

const segmentName = (firstSeq: number) => `wal-${String(firstSeq).padStart(12, '0')}.log`;
const SEGMENT = /^wal-(\d{12})\.log$/;
const SNAPSHOT = 'snapshot.bin';

/** The default ledger directory: `$XDG_DATA_HOME/openvpp/ledger` or `~/.local/share/openvpp/ledger`. */
export function defaultLedgerDir(): string {
  const base = process.env.XDG_DATA_HOME || path.join(process.env.HOME || '.', '.local', 'share');
  return path.join(base, 'openvpp', 'ledger');
}

/** Chain seeds bound to the ledger (its genesis hash and identity). */
function seeds(meta: LedgerMeta) {
  const bind = (tag: string) =>
    sha256(
      Buffer.from(`openvpp-ledger/v2/${tag}\0`),
      Buffer.from(meta.genesisHash, 'hex'),
      Buffer.from(meta.identity, 'hex'),
    );
  return { wal: bind('wal'), snapshot: bind('snapshot') };
}

/** The first problem found in a ledger: corruption (refused) or a torn tail (cut on open). */
export interface LedgerProblem {
  kind: 'corrupt' | 'tornTail';
  /** File name inside the ledger directory. */
  file: string;
  offset: number;
  frameIndex: number;
  reason: string;
  /** Bytes from `offset` to the end of `file`. */
  bytes: number;
  /** Where the next valid frame is (corruption found by a valid frame after a bad one). */
  validFrameAfter?: { file: string; offset: number };
  /** Complete, checksummed frames after `offset` (in this segment and later ones). */
  framesAfter: number;
}

export interface LedgerScan<R extends WalRecord, S> {
  dir: string;
  meta: LedgerMeta | null;
  snapshot: { seq: number; head: string; state: S } | null;
  /** WAL segments after the snapshot, in order, with the frames that verified. */
  segments: { name: string; bytes: number; frames: number }[];
  /** Segments the snapshot covers (left over from a crash before they were deleted). */
  obsolete: string[];
  records: R[];
  /** Chain head after the last verified record. */
  head: { seq: number; hash: Buffer };
  problem: LedgerProblem | null;
}

function readMeta(dir: string): LedgerMeta | null {
  const metaPath = path.join(dir, 'meta.json');
  if (!fs.existsSync(metaPath)) return null;
  let meta: { version?: unknown; genesisHash?: unknown; identity?: unknown };
  try {
    meta = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
  } catch (e) {
    throw new LedgerFormatError(dir, undefined, `meta.json is not readable JSON (${(e as Error).message})`);
  }
  if (meta.version !== LEDGER_FORMAT_VERSION) {
    throw new LedgerFormatError(
      dir,
      meta.version,
      `format version ${String(meta.version)}; this node reads version ${LEDGER_FORMAT_VERSION} (hash-chained WAL) and does not convert older ledgers: start on a fresh --ledger directory`,
    );
  }
  const hex32 = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (!hex32(meta.genesisHash) || !hex32(meta.identity)) {
    throw new LedgerFormatError(dir, meta.version, 'meta.json lacks a 32-byte hex genesisHash or identity');
  }
  return meta as LedgerMeta;
}

/**
 * Reads and verifies the ledger in `dir` without changing anything. Throws `LedgerFormatError`
 * for another format version; reports corruption and torn tails in `problem`.
 */
export function scanLedger<R extends WalRecord, S>(dir: string): LedgerScan<R, S> {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const segmentNames = names.filter((f) => SEGMENT.test(f)).sort();
  const meta = readMeta(dir);
  const empty = { seq: 0, hash: Buffer.alloc(32) };
  const scan: LedgerScan<R, S> = {
    dir,
    meta,
    snapshot: null,
    segments: [],
    obsolete: [],
    records: [],
    head: empty,
    problem: null,
  };
  const corrupt = (file: string, offset: number, frameIndex: number, reason: string) => {
    const size = fs.existsSync(path.join(dir, file)) ? fs.statSync(path.join(dir, file)).size : 0;
    scan.problem = { kind: 'corrupt', file, offset, frameIndex, reason, bytes: size - offset, framesAfter: 0 };
    return scan;
  };
  if (!meta) {
    if (segmentNames.length || names.includes(SNAPSHOT)) {
      return corrupt('meta.json', 0, 0, 'meta.json is missing but the directory holds WAL segments or a snapshot');
    }
    return scan;
  }
  const seed = seeds(meta);
  scan.head = { seq: 0, hash: seed.wal };

  if (names.includes(SNAPSHOT)) {
    const buf = fs.readFileSync(path.join(dir, SNAPSHOT));
    const { frames, stop } = scanFrames(buf, seed.snapshot);
    // A snapshot is renamed into place complete: any damage is corruption.
    if (stop) return corrupt(SNAPSHOT, stop.offset, stop.index, stop.reason);
    let parts: unknown[];
    try {
      parts = frames.map((f) => JSON.parse(f.payload.toString('utf8')));
    } catch {
      return corrupt(SNAPSHOT, 0, 0, 'a frame is not JSON');
    }
    const header = parts[0] as { seq?: unknown; head?: unknown } | undefined;
    const end = parts[parts.length - 1] as { end?: unknown } | undefined;
    if (parts.length < 2 || end?.end !== true) return corrupt(SNAPSHOT, buf.length, frames.length, 'no end marker');
    if (
      !Number.isSafeInteger(header?.seq) ||
      (header!.seq as number) < 0 ||
      typeof header!.head !== 'string' ||
      !/^[0-9a-f]{64}$/.test(header!.head)
    ) {
      return corrupt(SNAPSHOT, 0, 0, 'the header lacks seq or head');
    }
    const seq = header!.seq as number;
    scan.snapshot = { seq, head: header!.head, state: { header: parts[0], chunks: parts.slice(1, -1) } as S };
    scan.head = { seq, hash: Buffer.from(header!.head, 'hex') };
  }

  const base = scan.head.seq;
  const live: string[] = [];
  for (const name of segmentNames) {
    if (Number(SEGMENT.exec(name)![1]) <= base) scan.obsolete.push(name);
    else live.push(name);
  }
  // The segment after a snapshot is created (and the directory synced) before the snapshot is.
  if (scan.snapshot && !live.includes(segmentName(base + 1))) {
    return corrupt(segmentName(base + 1), 0, 0, `missing: the WAL segment after the snapshot (seq ${base}) is gone`);
  }

  const bufs = live.map((name) => fs.readFileSync(path.join(dir, name)));
  for (const [i, name] of live.entries()) {
    const buf = bufs[i];
    const { frames, stop: bad } = scanFrames(buf, scan.head.hash);
    let stop: Stop | null = bad;
    let verified = 0;
    for (const f of frames) {
      let rec: R | null = null;
      try {
        rec = JSON.parse(f.payload.toString('utf8')) as R;
      } catch {
        // reported below
      }
      const expected = scan.head.seq + 1;
      if (!rec || rec.seq !== expected) {
        const got = rec ? `seq ${String(rec.seq)}` : 'a payload that is not JSON';
        stop = {
          offset: f.offset,
          index: f.index,
          reason: `expected the record with seq ${expected}, found ${got}`,
          complete: true,
        };
        break;
      }
      if (f.index === 0 && name !== segmentName(expected)) {
        stop = {
          offset: 0,
          index: 0,
          reason: `the segment's first record is seq ${expected}, its name says otherwise`,
          complete: true,
        };
        break;
      }
      scan.records.push(rec);
      scan.head = { seq: rec.seq, hash: Buffer.from(f.hash) };
      verified += 1;
    }
    scan.segments.push({ name, bytes: buf.length, frames: verified });
    if (!stop) continue;
    const problem: LedgerProblem = {
      kind: 'corrupt',
      file: name,
      offset: stop.offset,
      frameIndex: stop.index,
      reason: stop.reason,
      bytes: buf.length - stop.offset,
      framesAfter:
        countValidFrames(buf, stop.offset + 1) + bufs.slice(i + 1).reduce((n, b) => n + countValidFrames(b, 0), 0),
    };
    if (!stop.complete) {
      // Damaged bytes: a torn tail only if no valid frame follows, here or in a later segment.
      let after = nextValidFrame(buf, stop.offset + 1);
      let where = after >= 0 ? name : '';
      for (let j = i + 1; after < 0 && j < live.length; j++) {
        after = nextValidFrame(bufs[j], 0);
        if (after >= 0) where = live[j];
      }
      if (after >= 0) {
        problem.validFrameAfter = { file: where, offset: after };
        problem.reason += `, and a valid frame follows (${where} byte ${after})`;
      } else {
        problem.kind = 'tornTail';
      }
    }
    scan.problem = problem;
    // Later segments: in a torn tail they hold no valid frame; listed for the report.
    for (const later of live.slice(i + 1))
      scan.segments.push({ name: later, bytes: fs.statSync(path.join(dir, later)).size, frames: 0 });
    return scan;
  }
  return scan;
}

/**
 * Cuts the WAL at the first corrupt frame, after copying the damaged segment and moving every
 * later one into `backupDir` (inside the ledger directory). The records from the corrupt frame
 * on are given up; the ones before it verify as before.
 */
export function truncateAtCorruption(dir: string, problem: LedgerProblem, backupDir: string): { backedUp: string[] } {
  if (!SEGMENT.test(problem.file)) {
    throw new Error(`${problem.file} is not a WAL segment; truncating the WAL cannot repair it`);
  }
  fs.mkdirSync(backupDir, { recursive: true });
  const backedUp: string[] = [];
  const file = path.join(dir, problem.file);
  const copy = path.join(backupDir, problem.file);
  fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
  fsyncFile(copy);
  backedUp.push(copy);
  const later = fs
    .readdirSync(dir)
    .filter((f) => SEGMENT.test(f) && f > problem.file)
    .sort();
  for (const f of later) {
    fsyncFile(path.join(dir, f));
    fs.renameSync(path.join(dir, f), path.join(backupDir, f));
    backedUp.push(path.join(backupDir, f));
  }
  fsyncDir(backupDir);
  fs.truncateSync(file, problem.offset);
  fsyncFile(file);
  fsyncDir(dir);
  return { backedUp };
}

export class Ledger<R extends WalRecord, S> {
  private fd: number;
  private segment: string;
  private pending: Buffer[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private inflight: Promise<void> | null = null;
  /** The file the batch being fsynced by `inflight` was written to. */
  private inflightFd: number | null = null;
  private snapshotting: Promise<void> | null = null;
  private closed = false;
  /** A failed write or fsync: the file may end in a partial frame, so nothing more is appended. */
  private failed: Error | null = null;
  /** Records appended since the last snapshot started. */
  recordsSinceSnapshot = 0;
  /** Number of fsyncs done (group commit makes this smaller than the number of records). */
  fsyncs = 0;
  /** Chain head: the seq and hash of the last frame appended. */
  private headSeq: number;
  private headHash: Buffer;
  private readonly snapshotSeed: Buffer;

  private constructor(
    readonly dir: string,
    readonly meta: LedgerMeta,
    private lastSeq: number,
    head: Buffer,
  ) {
    this.headSeq = lastSeq;
    this.headHash = head;
    this.snapshotSeed = seeds(meta).snapshot;
    this.segment = path.join(dir, segmentName(lastSeq + 1));
    this.fd = fs.openSync(this.segment, 'a');
    fsyncDir(dir);
  }

  /**
   * Opens (creating if needed) the ledger in `dir` and reads back everything it holds. Throws
   * `LedgerCorruptError` (changing nothing) when a frame fails with a valid one after it, and
   * `LedgerFormatError` for a ledger of another format version; cuts a torn tail.
   */
  static open<R extends WalRecord, S>(dir: string): { ledger: Ledger<R, S>; restored: Restored<R, S> } {
    fs.mkdirSync(dir, { recursive: true });
    const scan = scanLedger<R, S>(dir);
    const p = scan.problem;
    if (p?.kind === 'corrupt')
      throw new LedgerCorruptError(dir, path.join(dir, p.file), p.offset, p.frameIndex, p.reason);
    let meta = scan.meta;
    if (!meta) {
      meta = {
        version: LEDGER_FORMAT_VERSION,
        genesisHash: crypto.randomBytes(32).toString('hex'),
        identity: crypto.randomBytes(32).toString('hex'),
        createdAt: new Date().toISOString(),
      };
      const metaPath = path.join(dir, 'meta.json');
      const tmp = `${metaPath}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(meta, null, 2));
      fsyncFile(tmp);
      fs.renameSync(tmp, metaPath);
      fsyncDir(dir);
      scan.head = { seq: 0, hash: seeds(meta).wal };
    }
    let tornTail: TornTail | null = null;
    let truncatedBytes = 0;
    if (p?.kind === 'tornTail') {
      // A crash in the middle of a write that was never acknowledged: cut it (and any later
      // segment, which holds no valid frame either).
      const at = scan.segments.findIndex((s) => s.name === p.file);
      for (const s of scan.segments.slice(at + 1)) {
        truncatedBytes += s.bytes;
        fs.rmSync(path.join(dir, s.name));
      }
      fs.truncateSync(path.join(dir, p.file), p.offset);
      fsyncFile(path.join(dir, p.file));
      fsyncDir(dir);
      truncatedBytes += p.bytes;
      tornTail = {
        file: path.join(dir, p.file),
        offset: p.offset,
        frameIndex: p.frameIndex,
        bytes: truncatedBytes,
        reason: p.reason,
      };
    }
    const ledger = new Ledger<R, S>(dir, meta, scan.head.seq, scan.head.hash);
    const snapshot = scan.snapshot && { seq: scan.snapshot.seq, state: scan.snapshot.state };
    return { ledger, restored: { meta, snapshot, records: scan.records, truncatedBytes, tornTail } };
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

  /** The chain head: seq and hash (hex) of the last frame appended. */
  get head() {
    return { seq: this.headSeq, hash: this.headHash.toString('hex') };
  }

  /** Frames `record`, which must be the next in sequence, onto the chain. */
  private chain(record: R): Buffer {
    if (record.seq !== this.headSeq + 1) {
      throw new Error(
        `ledger ${this.dir}: record seq ${record.seq} appended after seq ${this.headSeq}; records are appended in sequence order`,
      );
    }
    const { bytes, hash } = frame(this.headHash, Buffer.from(JSON.stringify(record)));
    this.headSeq = record.seq;
    this.headHash = hash;
    return bytes;
  }

  private usable() {
    if (this.closed) throw new Error('ledger is closed');
    if (this.failed)
      throw new Error(`ledger ${this.dir}: an earlier write failed (${this.failed.message}); restart the node`);
  }

  /** Appends a record; resolves once it is fsynced (group commit). */
  append(record: R): Promise<void> {
    try {
      this.usable();
      this.pending.push(this.chain(record));
    } catch (e) {
      return Promise.reject(e);
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.kick();
    return done;
  }

  /**
   * Appends a record and fsyncs before returning (for callers that cannot wait: the embedded
   * Runtime's synchronous methods). The records queued before it are written with it, and a
   * batch still being fsynced (possibly in the previous segment) is synced first, so the disk
   * never holds this record without its predecessors.
   */
  appendSync(record: R) {
    this.usable();
    const data = Buffer.concat([...this.pending, this.chain(record)]);
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    try {
      writeAll(this.fd, data);
      if (this.inflightFd !== null && this.inflightFd !== this.fd) fs.fdatasyncSync(this.inflightFd);
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      this.failed = e as Error;
      for (const w of waiters) w.reject(e);
      throw e;
    }
    this.fsyncs += 1;
    for (const w of waiters) w.resolve();
  }

  private kick() {
    if (this.inflight || this.pending.length === 0) return;
    const bufs = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    const fd = this.fd;
    // Written at once, in append order (a later appendSync writes after it); only the fsync is
    // left to the thread pool.
    try {
      if (this.failed) throw this.failed;
      writeAll(fd, bufs.length === 1 ? bufs[0] : Buffer.concat(bufs));
    } catch (e) {
      this.failed = e as Error;
      for (const w of waiters) w.reject(e);
      return;
    }
    this.inflightFd = fd;
    this.inflight = (async () => {
      try {
        await new Promise<void>((res, rej) => fs.fdatasync(fd, (e) => (e ? rej(e) : res())));
        this.fsyncs += 1;
        for (const w of waiters) w.resolve();
      } catch (e) {
        this.failed = e as Error;
        for (const w of waiters) w.reject(e);
      } finally {
        this.inflight = null;
        this.inflightFd = null;
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
   * caller just before) with the chain head, and starts a new WAL segment; older segments are
   * deleted once the snapshot is on disk.
   */
  snapshot(header: Record<string, unknown>, chunks: unknown[]): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    const seq = this.lastSeq;
    if (this.headSeq !== seq) {
      return Promise.reject(
        new Error(`ledger ${this.dir}: snapshot at seq ${seq} but the WAL ends at seq ${this.headSeq}`),
      );
    }
    this.recordsSinceSnapshot = 0;
    const oldFd = this.fd;
    const oldSegments = fs
      .readdirSync(this.dir)
      .filter((f) => SEGMENT.test(f))
      .map((f) => path.join(this.dir, f));
    this.segment = path.join(this.dir, segmentName(seq + 1));
    this.fd = fs.openSync(this.segment, 'a');
    // The segment exists on disk before any snapshot that points at it.
    fsyncDir(this.dir);
    let prev = this.snapshotSeed;
    const framed = (v: unknown) => {
      const f = frame(prev, Buffer.from(JSON.stringify(v)));
      prev = f.hash;
      return f.bytes;
    };
    const body = Buffer.concat([
      framed({ ...header, seq, head: this.headHash.toString('hex') }),
      ...chunks.map(framed),
      framed({ end: true }),
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
        await fs.promises.rename(tmp, path.join(this.dir, SNAPSHOT));
        fsyncDir(this.dir);
        // Wait for a batch still being synced in an old segment before closing it.
        while (this.inflight) await this.inflight;
        if (oldFd !== this.fd) fs.closeSync(oldFd);
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
