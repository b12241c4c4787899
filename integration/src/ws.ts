// The one WebSocket client (RFC 6455, text frames, ping/pong, close), enough for OCPP-J, over a
// connection opened by ./tls: the upgrade (status, Sec-WebSocket-Accept, selected subprotocol) and
// size-limited frames. Failures are `ConnectError`s.
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

import { ConnectError } from './errors';
import { MAX_HEADER_BYTES } from './http';
import { classify } from './tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One masked client frame (RFC 6455 section 5.2: a client masks every frame it sends). */
export function wsClientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, 0x80 | len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
        : (() => {
            const b = Buffer.alloc(10);
            b[0] = 0x80 | opcode;
            b[1] = 0x80 | 127;
            b.writeBigUInt64BE(BigInt(len), 2);
            return b;
          })();
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i] ^ mask[i & 3];
  return Buffer.concat([head, mask, body]);
}

/** An upgraded WebSocket: text messages in order; pings are answered. */
export class WsClient {
  private buf = Buffer.alloc(0);
  private messages: string[] = [];
  private waiters: { resolve: (m: string) => void; reject: (e: unknown) => void }[] = [];
  private failure: ConnectError | null = null;
  private fragments: Buffer[] = [];

  constructor(
    private readonly socket: Socket,
    head: Buffer,
    private readonly maxMessageBytes: number,
    private readonly what: string,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.fail(new ConnectError('BadResponse', `${what}: connection closed`)));
    socket.on('error', (e) => this.fail(classify(e, what)));
    if (head.length) this.onData(head);
  }

  private fail(e: ConnectError) {
    this.failure ??= e;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    this.socket.destroy();
  }

  private onData(d: Buffer) {
    this.buf = Buffer.concat([this.buf, d]);
    const { what, maxMessageBytes: max } = this;
    for (;;) {
      const buf = this.buf;
      if (buf.length < 2) return;
      const fin = (buf[0] & 0x80) !== 0;
      const opcode = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        const big = buf.readBigUInt64BE(2);
        if (big > BigInt(max)) return this.fail(new ConnectError('TooLarge', `${what}: frame of ${big} bytes`));
        len = Number(big);
        off = 10;
      }
      if (len > max) return this.fail(new ConnectError('TooLarge', `${what}: frame of ${len} bytes`));
      const maskLen = masked ? 4 : 0;
      if (buf.length < off + maskLen + len) return;
      let payload = buf.subarray(off + maskLen, off + maskLen + len);
      if (masked) {
        const m = buf.subarray(off, off + 4);
        payload = Buffer.from(payload.map((b, i) => b ^ m[i & 3]));
      }
      this.buf = buf.subarray(off + maskLen + len);
      if (opcode === 0x8) {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.length > 2 ? ` ${payload.subarray(2)}` : '';
        return this.fail(new ConnectError('BadResponse', `${what}: server closed the WebSocket (${code}${reason})`));
      }
      if (opcode === 0x9) this.socket.write(wsClientFrame(0xa, payload));
      else if (opcode === 0x1 || opcode === 0x0 || opcode === 0x2) {
        this.fragments.push(payload);
        const total = this.fragments.reduce((s, f) => s + f.length, 0);
        if (total > max) return this.fail(new ConnectError('TooLarge', `${what}: message over ${max} bytes`));
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          const w = this.waiters.shift();
          if (w) w.resolve(text);
          else this.messages.push(text);
        }
      }
    }
  }

  send(text: string) {
    this.socket.write(wsClientFrame(0x1, Buffer.from(text, 'utf8')));
  }

  /** The next text message; rejects on close, on a failure or after `timeoutMs` (`Timeout`). */
  next(timeoutMs: number): Promise<string> {
    if (this.messages.length) return Promise.resolve(this.messages.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (m: string) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ConnectError('Timeout', `${this.what}: no message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  close() {
    this.failure ??= new ConnectError('BadResponse', `${this.what}: closed`);
    if (!this.socket.destroyed) this.socket.end(wsClientFrame(0x8, Buffer.from([0x03, 0xe8])));
    this.socket.destroy();
  }
}

/** The server's answer to the upgrade request. */
export interface WsUpgrade {
  status: number;
  /** The status line after the version, e.g. `401 Unauthorized`. */
  statusText: string;
  /** The subprotocol the server selected (null: none). */
  subprotocol: string | null;
  /** Whether the answer carried the right `Sec-WebSocket-Accept`. */
  acceptOk: boolean;
  /** Present when the server switched protocols with the right accept value. */
  client?: WsClient;
}

/**
 * Sends the upgrade request over `socket` (offering `subprotocols`) and reads the answer head
 * (bounded). Rejects with `Timeout`, `TooLarge`, `BadResponse` (closed before the answer) or the
 * socket's failure classified; every HTTP answer resolves, for the caller to judge.
 */
export function wsUpgrade(
  socket: Socket,
  {
    path,
    host,
    subprotocols,
    headers = {},
    timeoutMs,
    maxMessageBytes,
    what,
  }: {
    path: string;
    host: string;
    subprotocols: string[];
    headers?: Record<string, string>;
    timeoutMs: number;
    maxMessageBytes: number;
    what: string;
  },
): Promise<WsUpgrade> {
  const key = randomBytes(16).toString('base64');
  const expectAccept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const settle = (err: unknown, res?: WsUpgrade) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onError);
      if (err) {
        socket.destroy();
        reject(classify(err, what));
      } else resolve(res!);
    };
    const timer = setTimeout(
      () => settle(new ConnectError('Timeout', `${what}: no WebSocket handshake response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onError = (e: Error) => settle(e);
    const onClose = () =>
      settle(
        new ConnectError(
          'BadResponse',
          `${what}: connection closed before the upgrade answer (under TLS 1.3 a server refusing the client certificate may just close)`,
        ),
      );
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEADER_BYTES) {
          settle(new ConnectError('TooLarge', `${what}: handshake response header exceeds ${MAX_HEADER_BYTES} bytes`));
        }
        return;
      }
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
      const h = new Map<string, string>();
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) h.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
      }
      const acceptOk = h.get('sec-websocket-accept') === expectAccept;
      const upgraded = status === 101 && acceptOk;
      if (!upgraded) socket.destroy();
      settle(undefined, {
        status,
        statusText: lines[0].slice(9),
        subprotocol: h.get('sec-websocket-protocol') ?? null,
        acceptOk,
        ...(upgraded && { client: new WsClient(socket, head.subarray(end + 4), maxMessageBytes, what) }),
      });
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${subprotocols.join(', ')}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
