// Solana PubSub (the validator's WebSocket API) over a LocalnetNode: account, program,
// signature, logs and slot subscriptions with their unsubscribe methods. Notifications go out
// once a transaction's ledger record is fsynced.
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import bs58 from 'bs58';

import {
  encodeAccount,
  matches,
  parseDataSlice,
  parseEncoding,
  parseFilters,
  type AccountFilter,
  type Encoding,
} from './accounts';
import type { LocalnetNode, TxEvent } from './node';
import { RpcCode, RpcError, invalidParams, stringify } from './rpc-error';

type Sub =
  | { kind: 'account'; address: string; encoding: Encoding }
  | { kind: 'program'; program: string; encoding: Encoding; filters: AccountFilter[] }
  | { kind: 'signature'; signature: string }
  | { kind: 'logs'; mentions: string | null }
  | { kind: 'slot' };

const UNSUBSCRIBE: Record<string, Sub['kind']> = {
  accountUnsubscribe: 'account',
  programUnsubscribe: 'program',
  signatureUnsubscribe: 'signature',
  logsUnsubscribe: 'logs',
  slotUnsubscribe: 'slot',
};

const MAX_MESSAGE = 64 * 1024;

function key(v: unknown): string {
  if (typeof v !== 'string') throw invalidParams('Invalid params: expected a base-58 string');
  let n = 0;
  try {
    n = bs58.decode(v).length;
  } catch {
    throw invalidParams('Invalid param: Invalid');
  }
  if (n !== 32) throw invalidParams('Invalid param: WrongSize');
  return v;
}

function cfg(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParams('Invalid params: config must be an object');
  return v as Record<string, unknown>;
}

let nextId = 0;

/** One client connection's subscriptions. */
class Connection {
  readonly subs = new Map<number, Sub>();
  constructor(
    readonly ws: WebSocket,
    readonly node: LocalnetNode,
  ) {}

  send(value: unknown) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(stringify(value));
  }

  notify(method: string, subscription: number, result: unknown) {
    this.send({ jsonrpc: '2.0', method, params: { result, subscription } });
  }

  handle(raw: string) {
    let msg: { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(raw);
    } catch {
      return this.send({ jsonrpc: '2.0', error: { code: RpcCode.ParseError, message: 'Parse error' }, id: null });
    }
    if (
      !msg ||
      typeof msg !== 'object' ||
      Array.isArray(msg) ||
      typeof msg.method !== 'string' ||
      msg.jsonrpc !== '2.0'
    ) {
      return this.send({
        jsonrpc: '2.0',
        error: { code: RpcCode.InvalidRequest, message: 'Invalid request' },
        id: null,
      });
    }
    const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
    // @solana/kit pings idle connections with a bare notification; nothing to answer.
    if (msg.method === 'ping' && msg.id === undefined) return;
    try {
      const params = msg.params === undefined ? [] : msg.params;
      if (!Array.isArray(params)) throw invalidParams('Invalid params: expected an array');
      const result = this.dispatch(msg.method, params);
      this.send({ jsonrpc: '2.0', result, id });
    } catch (e) {
      const err = e instanceof RpcError ? e : new RpcError(RpcCode.InternalError, 'Internal error');
      this.send({ jsonrpc: '2.0', error: { code: err.code, message: err.message }, id });
    }
  }

  private dispatch(method: string, p: unknown[]): unknown {
    if (method in UNSUBSCRIBE) {
      const id = p[0];
      const sub = typeof id === 'number' ? this.subs.get(id) : undefined;
      if (!sub || sub.kind !== UNSUBSCRIBE[method]) throw invalidParams('Invalid subscription id.');
      this.subs.delete(id as number);
      return true;
    }
    const id = ++nextId;
    switch (method) {
      case 'accountSubscribe': {
        const c = cfg(p[1]);
        this.subs.set(id, { kind: 'account', address: key(p[0]), encoding: parseEncoding(c.encoding, 'binary') });
        break;
      }
      case 'programSubscribe': {
        const c = cfg(p[1]);
        parseDataSlice(c.dataSlice);
        this.subs.set(id, {
          kind: 'program',
          program: key(p[0]),
          encoding: parseEncoding(c.encoding, 'binary'),
          filters: parseFilters(c.filters),
        });
        break;
      }
      case 'signatureSubscribe': {
        if (typeof p[0] !== 'string') throw invalidParams('Invalid params: expected a signature');
        let n = 0;
        try {
          n = bs58.decode(p[0]).length;
        } catch {
          throw invalidParams('Invalid param: Invalid');
        }
        if (n !== 64) throw invalidParams('Invalid param: WrongSize');
        cfg(p[1]);
        const signature = p[0];
        this.subs.set(id, { kind: 'signature', signature });
        const done = this.node.status(signature);
        // Already durable: notify right after the subscription id goes out.
        if (done) setImmediate(() => this.signatureDone(id, done.err, done.slot));
        break;
      }
      case 'logsSubscribe': {
        const f = p[0];
        let mentions: string | null = null;
        if (f === 'all' || f === 'allWithVotes') mentions = null;
        else if (f && typeof f === 'object' && Array.isArray((f as { mentions?: unknown }).mentions)) {
          const m = (f as { mentions: unknown[] }).mentions;
          if (m.length !== 1) throw invalidParams('Invalid Request: Only 1 address supported');
          mentions = key(m[0]);
        } else throw invalidParams('Invalid params: expected "all", "allWithVotes" or { mentions: [address] }');
        cfg(p[1]);
        this.subs.set(id, { kind: 'logs', mentions });
        break;
      }
      case 'slotSubscribe':
        this.subs.set(id, { kind: 'slot' });
        break;
      default:
        throw new RpcError(RpcCode.MethodNotFound, 'Method not found');
    }
    return id;
  }

  private signatureDone(id: number, err: unknown, slot: number) {
    if (!this.subs.has(id)) return;
    this.subs.delete(id);
    this.notify('signatureNotification', id, { context: { slot }, value: { err } });
  }

  onTransaction(ev: TxEvent) {
    const tx = ev.tx;
    const slot = tx?.slot ?? this.node.slot;
    const context = { slot };
    for (const [id, sub] of this.subs) {
      if (sub.kind === 'signature') {
        if (tx && sub.signature === tx.signature) this.signatureDone(id, tx.err, slot);
      } else if (sub.kind === 'logs') {
        if (tx && (sub.mentions === null || tx.accountKeys.includes(sub.mentions))) {
          this.notify('logsNotification', id, {
            context,
            value: { signature: tx.signature, err: tx.err, logs: tx.logs },
          });
        }
      } else if (sub.kind === 'account' || sub.kind === 'program') {
        for (const [address, a] of ev.accounts) {
          const exists = a.lamports > 0n || a.data.length > 0;
          if (sub.kind === 'account' && address === sub.address) {
            const value = exists
              ? encodeAccount(a, sub.encoding, undefined, this.node.mintDecimals)
              : encodeAccount(
                  {
                    lamports: 0n,
                    data: Buffer.alloc(0),
                    owner: '11111111111111111111111111111111',
                    executable: false,
                    rentEpoch: 0n,
                  },
                  sub.encoding,
                  undefined,
                  this.node.mintDecimals,
                );
            this.notify('accountNotification', id, { context, value });
          } else if (sub.kind === 'program' && exists && a.owner === sub.program && matches(a, sub.filters)) {
            this.notify('programNotification', id, {
              context,
              value: { pubkey: address, account: encodeAccount(a, sub.encoding, undefined, this.node.mintDecimals) },
            });
          }
        }
      }
    }
  }

  onSlot(slot: number) {
    for (const [id, sub] of this.subs) {
      if (sub.kind === 'slot') this.notify('slotNotification', id, { parent: slot - 1, root: slot, slot });
    }
  }
}

/** Serves PubSub for `node` on 127.0.0.1:`port` (0: any free port). */
export function startPubsub(node: LocalnetNode, host: string, port: number): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ host, port, maxPayload: MAX_MESSAGE });
  const conns = new Set<Connection>();
  wss.on('connection', (ws: WebSocket, _req: IncomingMessage) => {
    const conn = new Connection(ws, node);
    conns.add(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        return conn.send({ jsonrpc: '2.0', error: { code: RpcCode.ParseError, message: 'Parse error' }, id: null });
      conn.handle(data.toString());
    });
    ws.on('close', () => conns.delete(conn));
    ws.on('error', () => conns.delete(conn));
  });
  const onTx = (ev: TxEvent) => conns.forEach((c) => c.onTransaction(ev));
  const onSlot = (slot: number) => conns.forEach((c) => c.onSlot(slot));
  node.on('transaction', onTx);
  node.on('slot', onSlot);
  wss.on('close', () => {
    node.off('transaction', onTx);
    node.off('slot', onSlot);
  });
  return new Promise((resolve, reject) => {
    wss.once('listening', () => resolve(wss));
    wss.once('error', reject);
  });
}
