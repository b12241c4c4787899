// OpenADR 3.0 / 3.1 VTN probe: TLS (and the route's pins), 3.1 discovery (`GET /auth/server` ->
// token URL; 3.0 has none), OAuth2 client credentials (lent for this probe only), `GET /programs`
// (a JSON array), `GET /notifiers`. RFC 7807 problems are reported in words.
import { ConnectError } from '../errors';
import { problemOf } from '../http';
import { readDiscovery } from '../protocols/openadr3';
import { tlsChecks } from '../tls';
import { type ProbeResponse, httpOnce, openProbeConnection, probeTls } from './connection';
import type { ProbeContext, ProbeOutcome } from './report';
import { type ProbeTarget } from './safety';

/** An RFC 7807 body (or an OAuth error body) in one line. */
export const problemText = (res: ProbeResponse) => problemOf(res) || `HTTP ${res.status}`;

export async function probeOpenAdr(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  const { checks, timeoutMs } = ctx;
  const base = target.url.pathname.replace(/\/+$/, '');
  const http = (method: string, path: string, headers?: Record<string, string>, body?: string) =>
    httpOnce(target, { method, path: base + path, headers, body }, { ...ctx.tlsOptions, timeoutMs });

  const conn = await checks.run('connect', async () => {
    const c = await openProbeConnection(target, { ...ctx.tlsOptions, timeoutMs });
    c.socket.destroy();
    return {
      ok: true,
      detail: `connected to ${target.ip}:${target.port}${c.session ? ` (${c.session.version})` : ' (no TLS)'}`,
      value: c,
    };
  });
  if (!conn) return { tls: null };
  if (!target.secure) {
    checks.add(
      'tls.required',
      false,
      'OpenADR 3 VTNs must be reached over https (plain http sends the OAuth secret in clear)',
    );
    return { tls: null };
  }
  const tls = probeTls(conn);
  if (!tlsChecks(checks, conn, { host: target.host, pins: ctx.tlsOptions.pins })) return { tls };

  // 3.1 discovery: unauthenticated. 3.0 has no such resource (404).
  let version: '3.0' | '3.1' | undefined;
  let tokenPath = `${base}/auth/token`;
  await checks.run('openadr.discovery', async () => {
    const r = await http('GET', '/auth/server', { accept: 'application/json' });
    let discovery;
    try {
      discovery = readDiscovery(r);
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      return {
        ok: false,
        detail: r.status === 200 ? e.message : `GET /auth/server: HTTP ${r.status} ${problemText(r)}`,
      };
    }
    if (discovery.version === '3.1') {
      const u = new URL(discovery.tokenUrl, target.url);
      // Probes reach only the endpoint under validation: a token URL elsewhere is reported, not followed.
      if (u.host !== target.url.host || u.protocol !== target.url.protocol) {
        return {
          ok: false,
          detail: `tokenURL ${u.origin}${u.pathname} is not on the endpoint under validation (${target.url.origin})`,
        };
      }
      version = '3.1';
      tokenPath = u.pathname;
      return { ok: true, detail: `OpenADR 3.1 discovery: tokenURL ${u.origin}${u.pathname}` };
    }
    version = '3.0';
    return {
      ok: true,
      detail: 'GET /auth/server 404: no 3.1 discovery, treating the VTN as OpenADR 3.0 (token URL /auth/token)',
    };
  });
  if (!version) return { tls };

  const id = ctx.credentials?.clientId;
  const secret = ctx.credentials?.clientSecret;
  const token = await checks.run('openadr.token', async () => {
    if (!id || secret === undefined)
      return { ok: false, detail: 'no client credentials supplied for the OAuth2 client-credentials grant' };
    // HTTP Basic only (RFC 6749 2.3.1: every server supports it; a client uses ONE method, and
    // openleadr-vtn answers 400 invalid_request when both header and body carry credentials).
    const form = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
    const r = await httpOnce(
      target,
      {
        method: 'POST',
        path: tokenPath,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        },
        body: form,
      },
      { ...ctx.tlsOptions, timeoutMs },
    );
    if (r.status === 200) {
      const j = JSON.parse(r.text) as { access_token?: string; token_type?: string; expires_in?: number };
      if (typeof j.access_token !== 'string')
        return { ok: false, detail: 'token endpoint answered 200 without access_token' };
      return {
        ok: true,
        detail: `client-credentials grant accepted (${j.token_type ?? 'token'}${j.expires_in ? `, expires_in ${j.expires_in} s` : ''})`,
        value: j.access_token,
      };
    }
    if (r.status === 401 || r.status === 400) {
      return { ok: false, detail: `HTTP ${r.status}: client credentials rejected (${problemText(r)})` };
    }
    return { ok: false, detail: `token endpoint: HTTP ${r.status} ${problemText(r)}` };
  });
  if (!token) return { version, tls };
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const scopeProblem = (what: string, r: ProbeResponse) =>
    r.status === 403
      ? `HTTP 403 on ${what}: credentials valid but lacking the scope/role it needs (${problemText(r)})`
      : `HTTP ${r.status} on ${what}: ${problemText(r)}`;

  await checks.run('openadr.programs', async () => {
    const r = await http('GET', '/programs', auth);
    if (r.status !== 200) return { ok: false, detail: scopeProblem('GET /programs', r) };
    const j: unknown = JSON.parse(r.text);
    if (!Array.isArray(j)) return { ok: false, detail: 'GET /programs: 200 but the body is not a JSON array' };
    return { ok: true, detail: `GET /programs: JSON array of ${j.length} program(s)` };
  });
  await checks.run('openadr.vens', async () => {
    const r = await http('GET', '/vens', auth);
    if (r.status !== 200) return { ok: false, detail: scopeProblem('GET /vens', r) };
    const j: unknown = JSON.parse(r.text);
    if (!Array.isArray(j)) return { ok: false, detail: 'GET /vens: 200 but the body is not a JSON array' };
    return { ok: true, detail: `GET /vens: JSON array of ${j.length} ven(s)` };
  });
  await checks.run('openadr.notifiers', async () => {
    const r = await http('GET', '/notifiers', auth);
    if (r.status === 200) return { ok: true, detail: `GET /notifiers: ${r.text.slice(0, 200)}` };
    if (r.status === 404 && version === '3.0') {
      return { ok: true, detail: 'GET /notifiers 404: not part of OpenADR 3.0 (subscriptions only)' };
    }
    return { ok: false, detail: scopeProblem('GET /notifiers', r) };
  });
  return { version, tls };
}
