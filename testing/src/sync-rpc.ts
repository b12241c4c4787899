// Synchronous JSON-RPC over HTTP for the Runtime-shaped RPC adapter: a worker thread does the
// fetch and the caller blocks on a SharedArrayBuffer (Atomics.wait) until it answers, then takes
// the reply off a MessagePort with receiveMessageOnPort. Contained here; nothing else blocks.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { url, flag, port } = workerData;
const signal = new Int32Array(flag);
parentPort.on('message', async (body) => {
  let reply;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    reply = { status: res.status, text: await res.text() };
  } catch (e) {
    reply = { error: String(e && e.message ? e.message : e) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`JSON-RPC ${code}: ${message}`);
    this.name = 'JsonRpcError';
  }
}

export class SyncRpc {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private id = 0;

  constructor(readonly url: string) {
    const flag = new SharedArrayBuffer(4);
    this.signal = new Int32Array(flag);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { eval: true, workerData: { url, flag, port: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  /** Calls `method` and returns its `result`; throws JsonRpcError on an error response. */
  call<T = unknown>(method: string, params: unknown[] = []): T {
    Atomics.store(this.signal, 0, 0);
    this.worker.postMessage(JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }));
    if (Atomics.wait(this.signal, 0, 0, 120_000) === 'timed-out') throw new Error(`${method}: no answer in 120 s`);
    const msg = receiveMessageOnPort(this.port)?.message as
      { status: number; text: string; error?: undefined } | { error: string } | undefined;
    if (!msg) throw new Error(`${method}: no reply`);
    if (msg.error !== undefined) throw new Error(`${method} to ${this.url}: ${msg.error}`);
    const { status, text } = msg as { status: number; text: string };
    let body: { result?: T; error?: { code: number; message: string; data?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${method}: HTTP ${status}: ${text.slice(0, 200)}`);
    }
    if (body.error) throw new JsonRpcError(body.error.code, body.error.message, body.error.data);
    return body.result as T;
  }

  close() {
    this.port.close();
    void this.worker.terminate();
  }
}
