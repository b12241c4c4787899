// A minimal pinned WebSocket client (RFC 6455, text frames only), enough for one OCPP-J exchange:
// the handshake's selected subprotocol and status are checked, frames are size-limited.
import { createHash, randomBytes } from 'node:crypto';
import tls, { type TLSSocket } from 'node:tls';

import { ConnectError } from './errors';
import { type Limits, remaining } from './http';
import { type PinState, type PinnedTlsOptions, type TlsInfo, classify, pinnedTlsOptions, tlsInfo } from './tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WsConnection {
  tls: TlsInfo;
  spki: string;
  /** The subprotocol the server selected. */
  subprotocol: string;
  send(text: string): void;
  /** Next text message (pings are answered; a close frame or socket end rejects). */
  next(): Promise<string>;
  close(): void;
}

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

/**
 * Opens `wss://` with the pinned TLS options, offering exactly `subprotocol`; resolves once the
 * server answered `101` with a valid `Sec-WebSocket-Accept` and selected that subprotocol.
 */
export function openPinnedWebSocket(
  url: URL,
  {
    subprotocol,
    headers = {},
    tlsOpts,
    limits,
    what,
  }: { subprotocol: string; headers?: Record<string, string>; tlsOpts: PinnedTlsOptions; limits: Limits; what: string },
): Promise<WsConnection> {
  if (url.protocol !== 'wss:') {
    return Promise.reject(new ConnectError('InvalidEndpoint', `${what}: ${url.protocol} is not wss`));
  }
  const left = remaining(limits, what);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const state: PinState = {};
  const key = randomBytes(16).toString('base64');
  const expectAccept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');

  return new Promise<WsConnection>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let settled = false;
    const messages: string[] = [];
    const waiters: Array<{ resolve: (s: string) => void; reject: (e: unknown) => void }> = [];
    let failure: ConnectError | undefined;
    let fragments: Buffer[] = [];

    const fail = (e: unknown) => {
      const err = classify(e, what);
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        reject(err);
      }
      failure ??= err;
      for (const w of waiters.splice(0)) w.reject(failure);
      socket.destroy();
    };
    const timer = setTimeout(() => fail(new ConnectError('Timeout', `${what}: no answer within the deadline`)), left);
    const socket: TLSSocket = tls.connect({ ...pinnedTlsOptions(host, tlsOpts, state), port: Number(url.port || 443) });
    socket.on('error', fail);
    socket.on('close', () =>
      fail(
        new ConnectError(
          'BadResponse',
          upgraded
            ? `${what}: connection closed`
            : `${what}: connection closed before the upgrade answer (under TLS 1.3 a server refusing the client certificate may just close)`,
        ),
      ),
    );
    socket.on('secureConnect', () => {
      const lines = [
        `GET ${url.pathname || '/'}${url.search} HTTP/1.1`,
        `Host: ${url.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: ${subprotocol}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });

    const deliver = (text: string) => {
      const w = waiters.shift();
      if (w) w.resolve(text);
      else messages.push(text);
    };

    const onHandshake = () => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 16_384) fail(new ConnectError('TooLarge', `${what}: handshake response headers too large`));
        return;
      }
      const head = buf.subarray(0, end).toString('latin1').split('\r\n');
      buf = buf.subarray(end + 4);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0])?.[1] ?? 0);
      const h = new Map(
        head.slice(1).map((l) => {
          const i = l.indexOf(':');
          return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as const;
        }),
      );
      if (status === 401 || status === 403) {
        return fail(new ConnectError('Unauthorized', `${what}: HTTP ${status} on the WebSocket upgrade`, { status }));
      }
      if (status !== 101) {
        const reason = status === 400 && !h.get('sec-websocket-protocol') ? 'SubprotocolRejected' : 'BadResponse';
        return fail(
          new ConnectError(reason, `${what}: HTTP ${status || '?'} instead of 101 Switching Protocols`, { status }),
        );
      }
      if (h.get('sec-websocket-accept') !== expectAccept) {
        return fail(new ConnectError('BadResponse', `${what}: wrong Sec-WebSocket-Accept`));
      }
      const selected = h.get('sec-websocket-protocol') ?? '';
      if (selected !== subprotocol) {
        return fail(
          new ConnectError('SubprotocolRejected', `${what}: server selected "${selected}" instead of "${subprotocol}"`),
        );
      }
      upgraded = true;
      settled = true;
      resolve({
        tls: tlsInfo(socket, state, Boolean(tlsOpts.cert)),
        spki: state.spki!,
        subprotocol: selected,
        send: (text) => socket.write(wsClientFrame(0x1, Buffer.from(text, 'utf8'))),
        next: () =>
          messages.length
            ? Promise.resolve(messages.shift()!)
            : failure
              ? Promise.reject(failure)
              : new Promise((res, rej) => waiters.push({ resolve: res, reject: rej })),
        close: () => {
          clearTimeout(timer);
          failure ??= new ConnectError('BadResponse', `${what}: closed`);
          if (!socket.destroyed) socket.end(wsClientFrame(0x8, Buffer.from([0x03, 0xe8])));
          socket.destroy();
        },
      });
      onFrames();
    };

    const onFrames = () => {
      for (;;) {
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
          if (big > BigInt(limits.maxResponseBytes)) {
            return fail(new ConnectError('TooLarge', `${what}: frame of ${big} bytes`));
          }
          len = Number(big);
          off = 10;
        }
        if (len > limits.maxResponseBytes) return fail(new ConnectError('TooLarge', `${what}: frame of ${len} bytes`));
        const maskLen = masked ? 4 : 0;
        if (buf.length < off + maskLen + len) return;
        let payload = buf.subarray(off + maskLen, off + maskLen + len);
        if (masked) {
          const m = buf.subarray(off, off + 4);
          payload = Buffer.from(payload.map((b, i) => b ^ m[i & 3]));
        }
        buf = buf.subarray(off + maskLen + len);
        if (opcode === 0x8) return fail(new ConnectError('BadResponse', `${what}: server closed the WebSocket`));
        if (opcode === 0x9) {
          socket.write(wsClientFrame(0xa, payload));
          continue;
        }
        if (opcode === 0xa) continue;
        if (opcode === 0x1 || opcode === 0x0 || opcode === 0x2) {
          fragments.push(payload);
          const total = fragments.reduce((s, f) => s + f.length, 0);
          if (total > limits.maxResponseBytes) return fail(new ConnectError('TooLarge', `${what}: message too large`));
          if (fin) {
            deliver(Buffer.concat(fragments).toString('utf8'));
            fragments = [];
          }
        }
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) onHandshake();
      else onFrames();
    });
  });
}
