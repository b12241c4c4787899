// IEEE 2030.5 server probe: mutual TLS with the caller's client certificate, `GET /dcap` must be a
// DeviceCapability in the 2030.5 namespace, then its EndDeviceListLink is followed. Reports the
// server certificate's LFDI/SFDI (the same function the registry uses for devices).
import { SEP2_NAMESPACE, certificateLfdi, rootElement, sep2Links } from '../protocols/ieee2030_5';
import { tlsChecks } from '../tls';
import { type ProbeResponse, httpOnce, openProbeConnection, probeTls } from './connection';
import type { ProbeContext, ProbeOutcome } from './report';
import { type ProbeTarget } from './safety';

const isSepXml = (r: ProbeResponse) => /application\/sep\+xml|xml/i.test(String(r.headers['content-type'] ?? ''));

export async function probeIeee2030_5(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  const { checks, timeoutMs } = ctx;
  if (!target.secure) {
    checks.add('tls.required', false, 'IEEE 2030.5 runs over https with mutual TLS');
    return { tls: null };
  }
  const hostnameNote =
    'host name not checked: IEEE 2030.5 identifies the server by its certificate chain (and the route pins), not DNS names';
  const tlsOpts = { ...ctx.tlsOptions, timeoutMs, checkHostname: false };
  const conn = await checks.run('connect', async () => {
    const c = await openProbeConnection(target, tlsOpts);
    c.socket.destroy();
    return { ok: true, detail: `connected to ${target.ip}:${target.port} (${c.session?.version})`, value: c };
  });
  if (!conn) return { tls: null };
  const tls = probeTls(conn);
  if (!tlsChecks(checks, conn, { host: target.host, pins: ctx.tlsOptions.pins, hostnameNote })) return { tls };
  const leaf = conn.session?.chain[0];
  if (leaf) {
    const id = certificateLfdi(leaf.raw);
    checks.add('ieee2030_5.serverIdentity', true, `server certificate LFDI ${id.lfdi} SFDI ${id.sfdi}`);
  }
  const clientId = ctx.tlsOptions.cert ? certificateLfdi(ctx.tlsOptions.cert) : undefined;
  checks.add(
    'ieee2030_5.clientCertificate',
    clientId !== undefined,
    clientId
      ? `presenting a client certificate: LFDI ${clientId.lfdi} SFDI ${clientId.sfdi}`
      : 'no client certificate supplied: IEEE 2030.5 requires mutual TLS (pass cert and key)',
  );
  // The route's endpoint is the DeviceCapability URL (as connectRoute reads it); a bare host
  // means the conventional `/dcap`.
  const dcapPath = ['', '/'].includes(target.url.pathname) ? '/dcap' : target.url.pathname + target.url.search;
  const get = (path: string) =>
    httpOnce(target, { method: 'GET', path, headers: { accept: 'application/sep+xml' } }, tlsOpts);

  const dcap = await checks.run('ieee2030_5.dcap', async () => {
    const r = await get(dcapPath);
    if (r.status !== 200) {
      return {
        ok: false,
        detail: `GET ${dcapPath}: HTTP ${r.status}${clientId ? '' : ' (no client certificate was presented)'}`,
      };
    }
    const root = rootElement(r.text);
    if (!root || root.name !== 'DeviceCapability')
      return { ok: false, detail: `GET /dcap: root element is ${root?.name ?? 'not XML'}, not DeviceCapability` };
    if (root.ns !== SEP2_NAMESPACE)
      return {
        ok: false,
        detail: `GET /dcap: DeviceCapability in namespace ${root.ns ?? '(none)'}, not ${SEP2_NAMESPACE}`,
      };
    return {
      ok: true,
      detail: `GET /dcap: DeviceCapability in ${SEP2_NAMESPACE} (${String(r.headers['content-type'])}${isSepXml(r) ? '' : ', unexpected media type'})`,
      value: r.text,
    };
  });
  if (!dcap) return { tls };
  await checks.run('ieee2030_5.endDeviceList', async () => {
    const href = sep2Links(dcap).EndDeviceListLink;
    if (!href) return { ok: false, detail: 'DeviceCapability has no EndDeviceListLink' };
    const u = new URL(href, target.url);
    if (u.origin !== target.url.origin)
      return { ok: false, detail: `EndDeviceListLink ${u.origin} is not on the endpoint under validation` };
    const r = await get(u.pathname + u.search);
    if (r.status !== 200) return { ok: false, detail: `GET ${u.pathname}: HTTP ${r.status}` };
    const root = rootElement(r.text);
    if (root?.name !== 'EndDeviceList' || root.ns !== SEP2_NAMESPACE) {
      return {
        ok: false,
        detail: `GET ${u.pathname}: root element ${root?.name ?? 'not XML'}, not a 2030.5 EndDeviceList`,
      };
    }
    const lfdis = [...r.text.matchAll(/<lFDI>([0-9A-Fa-f]+)<\/lFDI>/g)].map((m) => m[1].toLowerCase());
    const known = clientId && lfdis.includes(clientId.lfdi);
    return {
      ok: true,
      detail: `GET ${u.pathname}: EndDeviceList with ${lfdis.length} device(s)${clientId ? (known ? "; lists this client certificate's LFDI" : "; does not list this client certificate's LFDI") : ''}`,
    };
  });
  return { version: '2030.5', tls };
}
