// OpenADR 3 (a VEN's view of a VTN): 3.1 discovery (`GET /auth/server` names the token URL; 3.0
// has none, 404), the OAuth2 client-credentials grant, `GET /programs`.
import { ConnectError } from '../errors';
import { type HttpResponse, jsonBody, problemOf } from '../http';
import { type ExchangeContext, type ExchangeResult, pinnedRequest, refuse } from './exchange';

/** OpenADR 3 VEN: token by client credentials, then `GET /programs`. */
export interface OpenAdrFirst {
  kind: 'openadr3';
  /** `3.1` when the VTN answers `GET /auth/server` (discovery), else `3.0`. */
  version: '3.0' | '3.1';
  tokenUrl: string;
  /** The VTN's programs as it returned them. */
  programs: unknown[];
}

/** The VTN's answer to `GET /auth/server`. */
export type Discovery = { version: '3.1'; tokenUrl: string } | { version: '3.0' };

/**
 * Reads the answer to `GET /auth/server` (token URL as the VTN wrote it, maybe relative): 200 with
 * a `tokenURL` is 3.1, 404 is 3.0; anything else throws a `ConnectError`.
 */
export function readDiscovery(res: HttpResponse, what = 'GET /auth/server'): Discovery {
  if (res.status === 404) return { version: '3.0' };
  if (res.status !== 200) refuse(res, what);
  const d = jsonBody(res, what) as { tokenURL?: unknown };
  if (typeof d?.tokenURL !== 'string') throw new ConnectError('BadResponse', `${what}: 200 without tokenURL`);
  return { version: '3.1', tokenUrl: d.tokenURL };
}

const base = (url: URL) => `${url.origin}${url.pathname.replace(/\/+$/, '')}`;

/** OpenADR 3 as a VEN. The token URL must be on the VTN's origin (so it is pinned too) unless given. */
export async function openAdrFirst(
  ctx: ExchangeContext,
  { tokenUrl: givenTokenUrl }: { tokenUrl?: string } = {},
): Promise<ExchangeResult<OpenAdrFirst>> {
  const { clientId, clientSecret } = ctx.credentials;
  if (!clientId || !clientSecret) {
    throw new ConnectError('MissingCredentials', 'OpenADR 3 needs an OAuth client id and secret');
  }
  const vtn = base(ctx.url);
  const discovery = readDiscovery(
    await pinnedRequest(new URL(`${vtn}/auth/server`), ctx, {
      headers: { accept: 'application/json' },
      what: 'GET /auth/server',
    }),
  );
  const version = discovery.version;
  const tokenUrl = givenTokenUrl ?? (discovery.version === '3.1' ? discovery.tokenUrl : `${vtn}/auth/token`);
  const token = new URL(tokenUrl);
  if (token.origin !== ctx.url.origin && givenTokenUrl === undefined) {
    throw new ConnectError(
      'BadResponse',
      `the VTN advertises a token URL on another origin (${token.origin}); pass it explicitly to trust it`,
    );
  }
  const tokenRes = await pinnedRequest(token, ctx, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
    what: 'POST token',
  });
  if (tokenRes.status === 400 || tokenRes.status === 401) {
    throw new ConnectError('Unauthorized', `POST token: HTTP ${tokenRes.status} ${problemOf(tokenRes)}`, {
      status: tokenRes.status,
    });
  }
  if (tokenRes.status !== 200) refuse(tokenRes, 'POST token');
  const t = jsonBody(tokenRes, 'POST token') as { access_token?: unknown };
  if (typeof t?.access_token !== 'string') throw new ConnectError('BadResponse', 'POST token: no access_token');
  const programs = await pinnedRequest(new URL(`${vtn}/programs`), ctx, {
    headers: { authorization: `Bearer ${t.access_token}`, accept: 'application/json' },
    what: 'GET /programs',
  });
  if (programs.status !== 200) refuse(programs, 'GET /programs');
  const list = jsonBody(programs, 'GET /programs');
  if (!Array.isArray(list)) throw new ConnectError('BadResponse', 'GET /programs: not a JSON array');
  return {
    first: { kind: 'openadr3', version, tokenUrl: token.toString(), programs: list },
    tls: programs.tls,
    spki: programs.spki,
  };
}
