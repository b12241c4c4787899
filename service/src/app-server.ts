// The whole OpenVPP World stack on one port: the event indexer (live, over the node's JSON-RPC and
// PubSub) feeding the app API, and the app itself at `/`. `openvpp serve` runs it over a cluster
// (--rpc) or over the embedded runtime behind an in-process local node; the demo runs it over its
// own world (`npm run demo -- --serve`).
import type { AddressInfo } from 'node:net';

import type { FastifyInstance } from 'fastify';

import { Indexer, type StoreConfig } from '@openvpp/indexer';

import { buildApp, type ServiceOptions } from './app';

export interface AppServerOptions extends Omit<ServiceOptions, 'queries' | 'live'> {
  /** The node the indexer follows (JSON-RPC, and PubSub for live updates). */
  rpcUrl: string;
  wsUrl?: string;
  /** Where the index lives (SQLite file or PostgreSQL URL). */
  index: StoreConfig;
  host?: string;
  port?: number;
  /** Reports a failed catch-up (the indexer retries on the next trigger). */
  onSyncError?: (e: Error) => void;
}

export interface AppServer {
  app: FastifyInstance;
  indexer: Indexer;
  /** `http://host:port` the app and API answer on. */
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the index, catches it up with the node (the first sync completes before the port opens,
 * so the first page has the history), goes live and starts listening.
 */
export async function startAppServer(opts: AppServerOptions): Promise<AppServer> {
  const { rpcUrl, wsUrl, index, host = '127.0.0.1', port = 0, onSyncError, ...service } = opts;
  const indexer = await Indexer.open({ rpcUrl, wsUrl, store: index });
  let app: FastifyInstance | undefined;
  try {
    if (onSyncError) indexer.on('syncError', onSyncError);
    await indexer.syncOnce();
    await indexer.start();
    app = buildApp({ ...service, queries: indexer.queries, live: indexer });
    await app.listen({ host, port });
  } catch (e) {
    await app?.close().catch(() => undefined);
    await indexer.stop().catch(() => undefined);
    await indexer.close().catch(() => undefined);
    throw e;
  }
  const { address, port: bound } = app.server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  const server = app;
  return {
    app: server,
    indexer,
    url: `http://${shown}:${bound}`,
    async close() {
      await server.close();
      await indexer.stop();
      await indexer.close();
    },
  };
}
