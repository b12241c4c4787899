// Endpoint probes: validate a utility's OpenADR 3 VTN, IEEE 2030.5 server or OCPP 2.0.1 CSMS
// against what a device on its route will need, and return a capability report (hashable, so an
// endpoint attestation can commit to it).
import { isIP } from 'node:net';

import type { Protocol } from '@openvpp/sdk/web3';

import { probeIeee2030_5 } from './ieee2030_5';
import { probeOcpp } from './ocpp';
import { probeOpenAdr } from './openadr';
import { CheckList, type ProbeContext, type ProbeCredentials, type ProbeOutcome, type ProbeReport } from './report';
import { ProbeRefusedError, clampTimeout, redact, redactUrl, resolveTarget, type ProbeTarget } from './safety';

export * from './report';
export {
  DEFAULT_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  MAX_TIMEOUT_MS,
  ProbeRefusedError,
  buildAllowList,
  classifyAddress,
  describeAddressClass,
  ipv6Bytes,
  isRestrictedAddress,
  redact,
  redactUrl,
  resolveTarget,
  type AddressClass,
  type AddressRange,
  type Ipv4Embedding,
} from './safety';
export { certificateLfdi, SEP2_NAMESPACE } from './ieee2030_5';
export { OCPP_SUBPROTOCOL } from './ocpp';
export { normalizePin, spkiSha256 } from './tls';

export interface ProbeRequest {
  protocol: Protocol;
  endpoint: string;
  /** SPKI SHA-256 pins (hex) the server's leaf must match (the route's pins). */
  pins?: string[];
  /** Lent for this probe only; never stored, logged or reported. */
  credentials?: ProbeCredentials;
  /** Client certificate and key, PEM (IEEE 2030.5, OCPP security profile 3). */
  clientCert?: { cert: string; key: string };
  /** Extra trust anchors, PEM (a private utility CA / SERCA). */
  ca?: string;
  /** IPs/CIDRs exempt from the private/loopback/link-local refusal (e.g. `127.0.0.1` in tests). */
  allow?: string[];
  /** Per-step connect/read deadline, ms (default 10 s, at most 60 s). */
  timeoutMs?: number;
  /** OCPP only: subprotocols to offer (default `ocpp2.0.1`); for negative tests. */
  ocppSubprotocols?: string[];
}

const SCHEMES: Record<Protocol, string[]> = {
  ocpp201Csms: ['ws', 'wss'],
  openAdr3Vtn: ['https', 'http'],
  ieee2030Dot5: ['https', 'http'],
};

/**
 * Probes one endpoint. Throws `ProbeRefusedError` (nothing was sent) when the endpoint is malformed
 * or resolves to an address the policy refuses; every other failure is a failed check in the report.
 */
export async function probeEndpoint(req: ProbeRequest): Promise<ProbeReport> {
  const started = Date.now();
  const t0 = performance.now();
  if (!SCHEMES[req.protocol])
    throw new ProbeRefusedError('InvalidEndpoint', `unknown protocol ${String(req.protocol)}`);
  const secrets = [req.credentials?.clientSecret, req.clientCert?.key];
  const checks = new CheckList();
  const ctx: ProbeContext = {
    checks,
    timeoutMs: clampTimeout(req.timeoutMs),
    credentials: req.credentials,
    tlsOptions: { ca: req.ca, cert: req.clientCert?.cert, key: req.clientCert?.key, pins: req.pins },
    redact: (t) => redact(t, secrets),
  };
  let outcome: ProbeOutcome = { tls: null };
  let target: ProbeTarget;
  if (!URL.canParse(req.endpoint)) {
    // e.g. a host whose last label is numeric (WHATWG reads it as a malformed IPv4 address)
    checks.add('endpoint', false, `not a URL a client can connect to: ${redactUrl(req.endpoint)}`);
    return finish();
  }
  try {
    target = await resolveTarget(req.endpoint, SCHEMES[req.protocol], req.allow);
  } catch (e) {
    // An unresolvable name is a finding about the endpoint (like one that is down), not bad input.
    if (!(e instanceof ProbeRefusedError) || e.reason !== 'ResolveFailed') throw e;
    checks.add('resolve', false, e.message, performance.now() - t0);
    return finish();
  }
  try {
    if (req.protocol === 'ocpp201Csms') outcome = await probeOcpp(target, ctx, { subprotocols: req.ocppSubprotocols });
    else if (req.protocol === 'openAdr3Vtn') outcome = await probeOpenAdr(target, ctx);
    else outcome = await probeIeee2030_5(target, ctx);
  } catch (e) {
    checks.add('probe', false, (e as Error).message);
  }
  return finish();

  function finish(): ProbeReport {
    for (const c of checks.checks) c.detail = ctx.redact(c.detail);
    return {
      protocol: req.protocol,
      endpoint: redactUrl(req.endpoint),
      ...(outcome.version !== undefined && { version: outcome.version }),
      ok: checks.ok,
      tls: outcome.tls,
      checks: checks.checks,
      startedAt: new Date(started).toISOString(),
      durationMs: Math.round(performance.now() - t0),
    };
  }
}

/**
 * A probe that sends nothing: the same input checks and address policy (IP literals only, no DNS),
 * then a report whose single check says no connection was made. For contract tests and dry runs.
 */
export async function offlineProbe(req: ProbeRequest): Promise<ProbeReport> {
  if (!SCHEMES[req.protocol])
    throw new ProbeRefusedError('InvalidEndpoint', `unknown protocol ${String(req.protocol)}`);
  const report = (name: string, detail: string): ProbeReport => ({
    protocol: req.protocol,
    endpoint: redactUrl(req.endpoint),
    ok: false,
    tls: null,
    checks: [{ name, ok: false, detail, ms: 0 }],
    startedAt: new Date().toISOString(),
    durationMs: 0,
  });
  if (!URL.canParse(req.endpoint))
    return report('endpoint', `not a URL a client can connect to: ${redactUrl(req.endpoint)}`);
  const url = new URL(req.endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) await resolveTarget(req.endpoint, SCHEMES[req.protocol], req.allow);
  else if (!SCHEMES[req.protocol].includes(url.protocol.replace(/:$/, ''))) {
    throw new ProbeRefusedError(
      'InvalidEndpoint',
      `scheme ${url.protocol} is not one of ${SCHEMES[req.protocol].join(', ')}`,
    );
  }
  return report('offline', 'offline probe: no connection was made');
}
