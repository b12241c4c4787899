// IEEE 2030.5 (a client's view of a server): mutual TLS with the device certificate, `GET /dcap`
// must be a DeviceCapability in the 2030.5 namespace; certificates are named by LFDI/SFDI.
import { X509Certificate } from 'node:crypto';

import { ConnectError } from '../errors';
import { certificateIdentity } from '../identity';
import { type ExchangeContext, type ExchangeResult, pinnedRequest, refuse } from './exchange';

export const SEP2_NAMESPACE = 'urn:ieee:std:2030.5:ns';

/** IEEE 2030.5: `GET /dcap` with the device certificate. */
export interface Sep2First {
  kind: 'ieee2030.5';
  url: string;
  contentType: string;
  /** `*Link` elements of the DeviceCapability by name -> href (e.g. EndDeviceListLink -> /edev). */
  links: Record<string, string>;
  pollRate?: number;
  /** The device certificate's LFDI (hex, upper case) and SFDI, as the server should know it. */
  lfdi: string;
  sfdi: string;
}

/** LFDI (hex, 40 digits, lower case) and SFDI of a certificate (DER or PEM). */
export function certificateLfdi(cert: Buffer | string): { lfdi: string; sfdi: string } {
  const der = typeof cert === 'string' ? new X509Certificate(cert).raw : cert;
  const id = certificateIdentity(new Uint8Array(der));
  return { lfdi: id.lfdiHex.toLowerCase(), sfdi: id.sfdi.toString() };
}

/**
 * The root element of an XML body (no DTDs, no entities): its local name, the namespace its prefix
 * (or the default namespace) is bound to on it, and its attributes text.
 */
export function rootElement(xml: string): { name: string; ns: string | null; attrs: string } | null {
  const m =
    /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)(\s[^>]*)?>/.exec(xml);
  if (!m) return null;
  const attrs = m[3] ?? '';
  const nsAttr = m[1] ? `xmlns:${m[1]}` : 'xmlns';
  const ns = new RegExp(`\\s${nsAttr}\\s*=\\s*"([^"]*)"`).exec(attrs)?.[1] ?? null;
  return { name: m[2], ns, attrs };
}

/** The `*Link` elements of a 2030.5 resource by name -> href. */
export function sep2Links(xml: string): Record<string, string> {
  const links: Record<string, string> = {};
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?(\w+Link)\b[^>]*\bhref\s*=\s*"([^"]*)"/g)) links[m[1]] ??= m[2];
  return links;
}

/** IEEE 2030.5: `GET /dcap` (or the route's path) with the device certificate. */
export async function sep2First(ctx: ExchangeContext): Promise<ExchangeResult<Sep2First>> {
  const { cert, key } = ctx.credentials;
  if (!cert || !key) throw new ConnectError('MissingCredentials', 'IEEE 2030.5 needs the device certificate and key');
  const url = new URL(ctx.url.toString());
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/dcap';
  const res = await pinnedRequest(url, ctx, {
    headers: { accept: 'application/sep+xml' },
    what: `GET ${url.pathname}`,
  });
  if (res.status === 401 || res.status === 403) {
    throw new ConnectError('Unauthorized', `GET ${url.pathname}: HTTP ${res.status} (device certificate refused)`, {
      status: res.status,
    });
  }
  if (res.status !== 200) refuse(res, `GET ${url.pathname}`);
  const xml = res.body.toString('utf8');
  const root = rootElement(xml);
  if (root?.name !== 'DeviceCapability' || root.ns !== SEP2_NAMESPACE) {
    throw new ConnectError('BadResponse', `GET ${url.pathname}: not a DeviceCapability in the 2030.5 namespace`);
  }
  const pollRate = /\bpollRate="(\d+)"/.exec(root.attrs)?.[1];
  const id = certificateIdentity(new Uint8Array(new X509Certificate(cert).raw));
  return {
    first: {
      kind: 'ieee2030.5',
      url: url.toString(),
      contentType: String(res.headers['content-type'] ?? ''),
      links: sep2Links(xml),
      ...(pollRate ? { pollRate: Number(pollRate) } : {}),
      lfdi: id.lfdiHex,
      sfdi: id.sfdi.toString(),
    },
    tls: res.tls,
    spki: res.spki,
  };
}
