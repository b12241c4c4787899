// 405 Method Not Allowed, with `Allow`, for every method a path does not answer.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

import { HttpError } from '../errors';

const OTHER_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'QUERY'];

/** The methods each OpenAPI path answers, keyed by its Fastify URL (`{name}` becomes `:name`). */
export const pathMethods = (paths: Record<string, object>): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path.replace(/\{(\w+)\}/g, ':$1'),
      Object.keys(item).map((m) => m.toUpperCase()),
    ]),
  );

/**
 * For each URL, a route answering every other method with 405 and `Allow` (GET paths also allow
 * HEAD). Answered in onRequest, before any body parsing (a QUERY without Content-Type is still a 405).
 */
export const methodNotAllowed: FastifyPluginAsync<{ methods: Record<string, string[]> }> = async (
  app,
  { methods: table },
) => {
  for (const [url, methods] of Object.entries(table)) {
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    const notAllowed = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.header('allow', allow);
      throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not supported here: use ${allow}`);
    };
    app.route({
      method: OTHER_METHODS.filter((m) => !methods.includes(m)),
      url,
      onRequest: notAllowed,
      handler: notAllowed,
    });
  }
};
