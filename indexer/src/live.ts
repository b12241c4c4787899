// Live mode's trigger: one WebSocket to the node's PubSub with a `logsSubscribe`
// ({ mentions: [program] }) per program. Every notification (and every periodic tick, and every
// reconnect) asks for a catch-up; the data itself always comes from getSignaturesForAddress /
// getTransaction, so a missed notification costs latency, never an event. Reconnects back off
// exponentially. Uses the WebSocket built into Node >= 22.
import type { Commitment } from './rpc';

export interface LiveOptions {
  /** Periodic catch-up interval in ms (default 5,000; 0 disables it). */
  pollMs?: number;
  /** First reconnect delay in ms (default 250), doubled per failed attempt up to `maxBackoffMs`. */
  minBackoffMs?: number;
  /** Longest reconnect delay in ms (default 10,000). */
  maxBackoffMs?: number;
}

interface Handlers {
  trigger: () => void;
  connected: () => void;
  disconnected: () => void;
  error: (e: Error) => void;
}

/** The part of the WHATWG WebSocket (Node's global) used here. */
interface Socket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', fn: () => void): void;
  addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
}

type SocketCtor = new (url: string) => Socket;

export class LiveFeed {
  private socket: Socket | null = null;
  private stopped = false;
  private backoff: number;
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly pollMs: number;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;

  constructor(
    private readonly url: string,
    private readonly programs: string[],
    private readonly commitment: Commitment,
    opts: LiveOptions,
    private readonly on: Handlers,
  ) {
    this.pollMs = opts.pollMs ?? 5_000;
    this.minBackoff = opts.minBackoffMs ?? 250;
    this.maxBackoff = opts.maxBackoffMs ?? 10_000;
    this.backoff = this.minBackoff;
  }

  start(): void {
    this.connect();
    if (this.pollMs > 0) {
      this.poll = setInterval(() => this.on.trigger(), this.pollMs);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    this.socket?.close();
    this.socket = null;
  }

  private connect(): void {
    if (this.stopped) return;
    const Ctor = (globalThis as unknown as { WebSocket?: SocketCtor }).WebSocket;
    if (!Ctor) {
      this.on.error(new Error('live mode needs the WebSocket built into Node >= 22'));
      return;
    }
    let socket: Socket;
    try {
      socket = new Ctor(this.url);
    } catch (e) {
      this.on.error(e as Error);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.backoff = this.minBackoff;
      this.programs.forEach((program, i) =>
        socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: i + 1,
            method: 'logsSubscribe',
            params: [{ mentions: [program] }, { commitment: this.commitment }],
          }),
        ),
      );
      this.on.connected();
      // Whatever happened while disconnected.
      this.on.trigger();
    });
    socket.addEventListener('message', (ev) => {
      let msg: { method?: string; error?: { message?: string } };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (msg.method === 'logsNotification') this.on.trigger();
      else if (msg.error) this.on.error(new Error(`logsSubscribe: ${msg.error.message ?? 'refused'}`));
    });
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      if (this.socket === socket) this.socket = null;
      if (opened) this.on.disconnected();
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, delay);
  }
}
