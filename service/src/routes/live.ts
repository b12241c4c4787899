// GET /v1/live: server-sent events scoped to the session (`?token=`, since EventSource sends no
// headers; or `Authorization`): `reading`, `dr_reward` and `enrollment` messages for the owner's
// devices, or a utility's customers; everything for the operator. A `: ready` comment first, a
// `: ping` comment every 15 s. `?maxSecs=` closes the stream after that many seconds.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';

import { appReadErrors, documented } from '../components';
import { LIVE_EVENTS, type AppQueries, type LiveEvent, type LiveSource } from '../queries';

const maxSecs = {
  type: 'string',
  pattern: '^([1-9][0-9]{0,4})$',
  description: 'close after this many seconds (1..99999)',
} as const;
const token = {
  type: 'string',
  maxLength: 2000,
  description: 'session token (EventSource cannot send headers)',
} as const;
const errors = appReadErrors();

export const livePaths = {
  '/v1/live': {
    get: {
      summary: 'live events for the session (server-sent events): reading, dr_reward, enrollment',
      tags: ['app'],
      security: [{ bearer: [] }, { apiKey: [] }, { tokenQuery: [] }],
      parameters: [
        { name: 'token', in: 'query', required: false, schema: token },
        { name: 'maxSecs', in: 'query', required: false, schema: maxSecs },
      ],
      responses: {
        '200': {
          description: 'an event stream: `: ready`, then `event: <kind>` / `data: <json>` messages',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...Object.fromEntries(
          Object.entries(documented(errors)).filter(([status]) => ['400', '401', '405', '500', '503'].includes(status)),
        ),
        '431': {
          description: "the request's URL and headers are larger than the server reads (16 KiB)",
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  },
};

export interface LiveOptions {
  queries: AppQueries;
  /** The indexer (an emitter of reading / dr_reward / enrollment); none: the stream stays quiet. */
  source?: LiveSource;
  /** Keep-alive comment interval, ms (default 15 s). */
  pingMs?: number;
}

export const live: FastifyPluginAsync<LiveOptions> = async (app, { queries, source, pingMs = 15_000 }) => {
  /** Whether the viewer of `req` may see `e`. */
  const visible = async (req: FastifyRequest, e: LiveEvent): Promise<boolean> => {
    const v = req.viewer;
    if (!v) return false;
    if (v.kind === 'operator') return true;
    const { sub, utilities } = v.claims;
    if (e.owner === sub) return true;
    if (e.utility && utilities.includes(e.utility)) return true;
    if (utilities.length && e.device) {
      for (const u of utilities) {
        if ((await queries.utilityCustomers(u)).some((c) => c.device === e.device)) return true;
      }
    }
    return false;
  };

  app.get<{ Querystring: { token?: string; maxSecs?: string } }>(
    '/v1/live',
    {
      onRequest: app.requireViewer,
      schema: {
        querystring: { type: 'object', properties: { token, maxSecs }, additionalProperties: false },
      },
    },
    async (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': ready\n\n');
      let id = 0;
      const listener = (e: LiveEvent) => {
        void visible(req, e).then(
          (ok) => {
            if (ok && !res.writableEnded) res.write(`id: ${++id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
          },
          () => undefined,
        );
      };
      for (const kind of LIVE_EVENTS) source?.on(kind, listener);
      const unsubscribe = () => {
        for (const kind of LIVE_EVENTS) source?.off(kind, listener);
      };
      const ping = setInterval(() => res.write(': ping\n\n'), pingMs);
      const close = () => {
        clearInterval(ping);
        clearTimeout(timer);
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      const timer = req.query.maxSecs ? setTimeout(close, Number(req.query.maxSecs) * 1000) : undefined;
      req.raw.on('close', close);
    },
  );
};
