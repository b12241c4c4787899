// Who may read what in the app API. A request carries a session token (`Authorization: Bearer`,
// or `?token=` on the live feed, which EventSource cannot send headers to) or the operator's
// `x-api-key`. Owners read their own data and the devices they hold; a utility reads its own
// partner's views and the owners and devices enrolled in its programs; the operator reads
// everything. Anything else: 401 (no or bad credentials) or 403 `NotYourData`.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';

import { HttpError } from '../errors';
import type { AppQueries } from '../queries';
import type { SessionClaims, Sessions } from '../sessions';

export type Viewer = { kind: 'operator' } | { kind: 'session'; claims: SessionClaims };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking (set by `requireViewer`). */
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    /** `onRequest` hook: 401 unless the request carries a valid session token or the API key. */
    requireViewer: (req: FastifyRequest) => Promise<void>;
    /** The read checks (403 `NotYourData`). */
    access: Access;
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export const notYourData = (what: string) =>
  new HttpError(403, 'NotYourData', `${what} belongs to someone else: sign in as its owner or its utility`);

export interface Access {
  /** Throws unless the viewer may read `owner`'s data. */
  owner(req: FastifyRequest, owner: string): Promise<void>;
  /** Throws unless the viewer may read device `device` (held now by `holder`, if known). */
  device(req: FastifyRequest, device: string, holder: string | null): Promise<void>;
  /** Throws unless the viewer is the operator or `utility`'s authority. */
  utility(req: FastifyRequest, utility: string): Promise<void>;
  /** The session address, or null for the operator. */
  address(req: FastifyRequest): string | null;
}

export const sessionAuth = fp<{ sessions: Sessions; apiKey: string; queries: AppQueries }>(
  async (app, { sessions, apiKey, queries }) => {
    const expected = digest(apiKey);
    app.decorateRequest('viewer', null);
    // Every credential a request presents must be valid: a bad token next to a good API key is
    // refused (401), never silently read as the operator.
    app.decorate('requireViewer', async function requireViewer(req: FastifyRequest) {
      const key = req.headers['x-api-key'];
      if (key !== undefined && (typeof key !== 'string' || !timingSafeEqual(digest(key), expected))) {
        throw new HttpError(401, 'Unauthorized', 'wrong x-api-key: send the key this service was started with');
      }
      const auth = req.headers.authorization;
      const q = (req.query as { token?: unknown } | undefined)?.token;
      let token: string | undefined;
      if (auth !== undefined) {
        const m = typeof auth === 'string' ? /^Bearer ([A-Za-z0-9_.-]+)$/.exec(auth) : null;
        if (!m) throw new HttpError(401, 'InvalidToken', 'send the session token as `Authorization: Bearer <token>`');
        token = m[1];
      } else if (typeof q === 'string' && req.routeOptions.url === '/v1/live') {
        token = q;
      }
      if (token !== undefined) {
        req.viewer = { kind: 'session', claims: sessions.verify(token) };
        return;
      }
      if (key !== undefined) {
        req.viewer = { kind: 'operator' };
        return;
      }
      throw new HttpError(
        401,
        'Unauthorized',
        'sign in first: GET /v1/auth/challenge, sign it, POST /v1/auth/session, then send `Authorization: Bearer <token>`',
      );
    });

    const viewerOf = (req: FastifyRequest): Viewer => {
      if (!req.viewer) throw new HttpError(401, 'Unauthorized', 'sign in first');
      return req.viewer;
    };
    /** Customers of the viewer's utilities (owners and devices enrolled in their programs). */
    const customers = async (claims: SessionClaims) => {
      const owners = new Set<string>();
      const devices = new Set<string>();
      for (const u of claims.utilities) {
        for (const c of await queries.utilityCustomers(u)) {
          if (c.owner) owners.add(c.owner);
          devices.add(c.device);
        }
      }
      return { owners, devices };
    };

    app.decorate('access', {
      async owner(req, owner) {
        const v = viewerOf(req);
        if (v.kind === 'operator' || v.claims.sub === owner) return;
        if (v.claims.role === 'utility' && (await customers(v.claims)).owners.has(owner)) return;
        throw notYourData("this owner's data");
      },
      async device(req, device, holder) {
        const v = viewerOf(req);
        if (v.kind === 'operator' || (holder !== null && v.claims.sub === holder)) return;
        if (v.claims.role === 'utility' && (await customers(v.claims)).devices.has(device)) return;
        throw notYourData('this device');
      },
      async utility(req, utility) {
        const v = viewerOf(req);
        if (v.kind === 'operator' || v.claims.utilities.includes(utility)) return;
        throw notYourData("this utility's data");
      },
      address(req) {
        const v = viewerOf(req);
        return v.kind === 'operator' ? null : v.claims.sub;
      },
    } satisfies Access);
  },
  { name: 'openvpp-session-auth' },
);
