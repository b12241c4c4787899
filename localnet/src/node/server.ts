// `openvpp localnet`'s servers: Solana JSON-RPC 2.0 over HTTP (single and batch requests, the
// validator's 50 KiB request limit, -32700/-32600/-32601/-32602 for bad input) and PubSub
// over WebSocket, both bound to 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

import { LocalnetNode, type NodeOptions } from './node';
import { startPubsub } from './pubsub';
import { call } from './rpc';
import { RpcCode, RpcError, stringify } from './rpc-error';

/** Agave's `MAX_REQUEST_BODY_SIZE`. */
export const MAX_REQUEST_BYTES = 50 * 1024;
const MAX_BATCH = 1_000;

type Id = string | number | null;
const errorResponse = (id: Id, code: number, message: string, data?: unknown) => ({
  jsonrpc: '2.0',
  error: data === undefined ? { code, message } : { code, message, data },
  id,
});

/** Answers one request object; undefined for a notification (no `id`). */
async function answer(node: LocalnetNode, req: unknown): Promise<unknown | undefined> {
  if (!req || typeof req !== 'object' || Array.isArray(req)) {
    return errorResponse(null, RpcCode.InvalidRequest, 'Invalid request');
  }
  const r = req as { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
  const idOk = r.id === undefined || r.id === null || typeof r.id === 'string' || typeof r.id === 'number';
  const id: Id = idOk && r.id !== undefined ? (r.id as Id) : null;
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || !idOk) {
    return errorResponse(id, RpcCode.InvalidRequest, 'Invalid request');
  }
  const notification = r.id === undefined;
  try {
    const result = await call(node, r.method, r.params);
    return notification ? undefined : { jsonrpc: '2.0', result, id };
  } catch (e) {
    if (notification) return undefined;
    if (e instanceof RpcError) return errorResponse(id, e.code, e.message, e.data);
    node.emit('internal-error', e);
    return errorResponse(id, RpcCode.InternalError, 'Internal error');
  }
}

export async function handleBody(node: LocalnetNode, body: string): Promise<unknown | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return errorResponse(null, RpcCode.ParseError, 'Parse error');
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return errorResponse(null, RpcCode.InvalidRequest, 'Invalid request');
    if (parsed.length > MAX_BATCH)
      return errorResponse(null, RpcCode.InvalidRequest, `Invalid request: batch of more than ${MAX_BATCH}`);
    const out: unknown[] = [];
    for (const req of parsed) {
      const a = await answer(node, req);
      if (a !== undefined) out.push(a);
    }
    return out.length ? out : undefined;
  }
  return answer(node, parsed);
}

function rpcHandler(node: LocalnetNode) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    if (req.method !== 'POST') return reply(405, '', { allow: 'POST' });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) {
      reply(413, '', { connection: 'close' });
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        refused = true;
        reply(413, '', { connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (refused) return;
      handleBody(node, Buffer.concat(chunks).toString('utf8'))
        .then((out) => reply(200, out === undefined ? '' : stringify(out)))
        .catch(() => reply(500, stringify(errorResponse(null, RpcCode.InternalError, 'Internal error'))));
    });
  };
}

export interface LocalnetOptions extends NodeOptions {
  host?: string;
  /** JSON-RPC port (8899; 0 for any free port). */
  port?: number;
  /** PubSub port (default: `port + 1`, as clients assume; 0 for any free port). */
  wsPort?: number;
}

export interface Localnet {
  node: LocalnetNode;
  rpcUrl: string;
  wsUrl: string;
  close(opts?: { snapshot?: boolean }): Promise<void>;
}

/** Starts the node, the JSON-RPC server and the PubSub server. */
export async function startLocalnet(opts: LocalnetOptions = {}): Promise<Localnet> {
  const host = opts.host ?? '127.0.0.1';
  const node = new LocalnetNode(opts);
  node.on('error', (e) => console.error('localnet:', e));
  await node.ready;
  // Clients derive the PubSub URL as the RPC port + 1 (web3.js, the Solana CLI), so with
  // `port: 0` and no `wsPort` a free pair of adjacent ports is searched for.
  const pair = opts.wsPort === undefined;
  let server: http.Server | undefined;
  let wss: WebSocketServer | undefined;
  for (let attempt = 0; !wss; attempt++) {
    server = http.createServer(rpcHandler(node));
    server.keepAliveTimeout = 30_000;
    try {
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(opts.port ?? 8899, host, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      wss = await startPubsub(node, host, pair ? port + 1 : opts.wsPort!);
    } catch (e) {
      server.close();
      const retry = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' && opts.port === 0 && pair && attempt < 20;
      if (!retry) {
        await node.close({ snapshot: false });
        throw e;
      }
    }
  }
  const port = (server!.address() as AddressInfo).port;
  const actualWs = (wss.address() as AddressInfo).port;
  return {
    node,
    rpcUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${actualWs}`,
    async close(closeOpts) {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server!.closeAllConnections();
      await new Promise<void>((r) => server!.close(() => r()));
      await node.close(closeOpts);
    },
  };
}
