// IEEE 2030.5 server probe: mutual TLS with the caller's client certificate, `GET /dcap` must be a
// DeviceCapability in the 2030.5 namespace, then its EndDeviceListLink is followed. Reports the
// server certificate's LFDI/SFDI (the same function the registry uses for devices).
import { X509Certificate, createHash } from 'node:crypto';

import { lfdiFromFingerprint, sfdiFromLfdi } from '@openvpp/sdk/web3';

import type { ProbeContext, ProbeOutcome } from './report';
import { type ProbeTarget } from './safety';
import { httpOnce, openConnection, type HttpResponse } from './tls';
import { tlsChecks } from './ocpp';

export const SEP2_NAMESPACE = 'urn:ieee:std:2030.5:ns';

/** LFDI (hex, 40 digits) and SFDI of a certificate (DER or PEM). */
export function certificateLfdi(cert: Buffer | string): { lfdi: string; sfdi: string } {
  const der = typeof cert === 'string' ? new X509Certificate(cert).raw : cert;
  const lfdi = lfdiFromFingerprint(new Uint8Array(createHash('sha256').update(der).digest()));
  return { lfdi: Buffer.from(lfdi).toString('hex'), sfdi: sfdiFromLfdi(lfdi).toString() };
}

/** The root element's name and attributes and its default namespace, from an XML body (no DTDs, no entities). */
export function rootElement(xml: string): { name: string; ns: string | null; body: string } | null {
  const m = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.-]*)(\s[^>]*)?>/.exec(xml);
  if (!m) return null;
  const ns = /\sxmlns\s*=\s*"([^"]*)"/.exec(m[2] ?? '')?.[1] ?? null;
  return { name: m[1], ns, body: xml };
}

const linkHref = (xml: string, link: string) => new RegExp(`<${link}\\b[^>]*\\bhref\\s*=\\s*"([^"]+)"`).exec(xml)?.[1];

const isSepXml = (r: HttpResponse) => /application\/sep\+xml|xml/i.test(String(r.headers['content-type'] ?? ''));

export async function probeIeee2030_5(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  const { checks, timeoutMs } = ctx;
  if (!target.secure) {
    checks.add('tls.required', false, 'IEEE 2030.5 runs over https with mutual TLS');
    return { tls: null };
  }
  const hostnameNote =
    'host name not checked: IEEE 2030.5 identifies the server by its certificate chain (and the route pins), not DNS names';
  const tlsOpts = { ...ctx.tlsOptions, timeoutMs, skipHostname: true };
  const conn = await checks.run('connect', async () => {
    const c = await openConnection(target, tlsOpts);
    c.socket.destroy();
    return { ok: true, detail: `connected to ${target.ip}:${target.port} (${c.tls?.version})`, value: c };
  });
  if (!conn) return { tls: null };
  if (!tlsChecks(ctx, target, conn, hostnameNote)) return { tls: conn.tls };
  if (conn.leafDer) {
    const id = certificateLfdi(conn.leafDer);
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
    const root = rootElement(r.body);
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
      value: r.body,
    };
  });
  if (!dcap) return { tls: conn.tls };
  await checks.run('ieee2030_5.endDeviceList', async () => {
    const href = linkHref(dcap, 'EndDeviceListLink');
    if (!href) return { ok: false, detail: 'DeviceCapability has no EndDeviceListLink' };
    const u = new URL(href, target.url);
    if (u.origin !== target.url.origin)
      return { ok: false, detail: `EndDeviceListLink ${u.origin} is not on the endpoint under validation` };
    const r = await get(u.pathname + u.search);
    if (r.status !== 200) return { ok: false, detail: `GET ${u.pathname}: HTTP ${r.status}` };
    const root = rootElement(r.body);
    if (root?.name !== 'EndDeviceList' || root.ns !== SEP2_NAMESPACE) {
      return {
        ok: false,
        detail: `GET ${u.pathname}: root element ${root?.name ?? 'not XML'}, not a 2030.5 EndDeviceList`,
      };
    }
    const lfdis = [...r.body.matchAll(/<lFDI>([0-9A-Fa-f]+)<\/lFDI>/g)].map((m) => m[1].toLowerCase());
    const known = clientId && lfdis.includes(clientId.lfdi);
    return {
      ok: true,
      detail: `GET ${u.pathname}: EndDeviceList with ${lfdis.length} device(s)${clientId ? (known ? "; lists this client certificate's LFDI" : "; does not list this client certificate's LFDI") : ''}`,
    };
  });
  return { version: '2030.5', tls: conn.tls };
}
