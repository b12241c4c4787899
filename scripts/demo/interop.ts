// The integration demo against real protocol servers on 127.0.0.1 (`npm run demo:interop`
// installs the peers if missing, starts them, runs this and stops them: `bash scripts/peers.sh
// run -- …`; run directly, it expects `bash scripts/peers.sh start`). For each protocol — an
// OCPP 2.0.1 CSMS (ocpp-rpc), an OpenADR 3 VTN (openleadr-vtn) and an IEEE 2030.5 server
// (gridappsd-2030-5) — it:
//   1. shows that a route to the endpoint is refused before validation (EndpointNotAttested),
//   2. validates the endpoint through the HTTP API (POST /v1/endpoints/validate): the probe's
//      report is hashed and attested on-chain with the server key it saw,
//   3. publishes the device's route through the API, pinned to that key, and
//   4. connects the device through its route with connectRoute() (pinned TLS, first exchange).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Runtime } from '@openvpp/runtime';
import {
  PROTOCOL_IEEE2030_5,
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  type Protocol,
  certificateFingerprint,
  deviceIdentity,
  fetchEndpointAttestation,
} from '@openvpp/sdk/web3';
import { type DeviceCredentials, connectRoute } from '@openvpp/sdk/connect';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { createDrProgram, onboardPartners, registerEnrolledDevice } from '@openvpp/testing';

const PEERS = process.env.OVPP_PEERS ?? path.join(os.homedir(), '.cache', 'openvpp', 'peers');
const read = (...p: string[]) => {
  const file = path.join(PEERS, ...p);
  if (!fs.existsSync(file))
    throw new PeerError(`the peers are not installed (no ${file}): run bash scripts/peers.sh install`);
  return fs.readFileSync(file, 'utf8');
};

/** A peer missing or not answering: reported on one line, without a stack or a report dump. */
class PeerError extends Error {}

interface Peer {
  protocol: Protocol;
  peer: string;
  endpoint: string;
  ca: string;
  /** What the probe borrows (never stored) and what the device connects with. */
  probe: { credentials?: { clientId: string; clientSecret: string }; clientCert?: { cert: string; key: string } };
  device: DeviceCredentials;
  capability: number;
  /** gridappsd's server certificate has no SAN: chain and pin are checked, not the host name. */
  checkHostname?: boolean;
  /** The device's certificate when the server identifies devices by it (2030.5 LFDI). */
  deviceCert?: string;
}

function peers(): Peer[] {
  const sep2 = { cert: read('sep2', 'tls', 'certs', 'dev1.crt'), key: read('sep2', 'tls', 'private', 'dev1.pem') };
  return [
    {
      protocol: 'ocpp201Csms',
      peer: 'ocpp-rpc 2.2.1 CSMS, security profile 2',
      endpoint: 'wss://127.0.0.1:9102/CP001',
      ca: read('pki', 'ca.crt'),
      probe: { credentials: { clientId: 'CP001', clientSecret: 's3cret-password-16' } },
      device: { password: 's3cret-password-16' },
      capability: PROTOCOL_OCPP201,
    },
    {
      protocol: 'openAdr3Vtn',
      peer: 'openleadr-vtn 0.1.4 (OpenADR 3.0)',
      endpoint: 'https://127.0.0.1:3443',
      ca: read('pki', 'ca.crt'),
      probe: { credentials: { clientId: 'admin', clientSecret: 'admin' } },
      device: { clientId: 'admin', clientSecret: 'admin' },
      capability: PROTOCOL_OPENADR3,
    },
    {
      protocol: 'ieee2030Dot5',
      peer: 'gridappsd-2030-5 0.0.2a37',
      endpoint: 'https://127.0.0.1:8443/dcap',
      ca: read('sep2', 'tls', 'certs', 'ca.crt'),
      probe: { clientCert: sep2 },
      device: sep2,
      capability: PROTOCOL_IEEE2030_5,
      checkHostname: false,
      deviceCert: sep2.cert,
    },
  ];
}

export interface InteropRow {
  protocol: Protocol;
  peer: string;
  endpoint: string;
  refusedBeforeValidation: string;
  checks: string;
  attestation: string;
  route: number;
  connected: string;
  ms: number;
}

export async function runInteropDemo(): Promise<InteropRow[]> {
  const rt = Runtime.start();
  try {
    const all = peers();
    // The vendor's CA roots: the 2030.5 server's device CA (so the device registers with its real
    // certificate and LFDI) and a fleet CA.
    const sep2Ca = certificateFingerprint(read('sep2', 'tls', 'certs', 'ca.crt'));
    const fleetCa = new Uint8Array(32).fill(7);
    const partners = onboardPartners(rt, { caFingerprints: [sep2Ca, fleetCa] });
    const { admin, utility } = partners;
    const program = createDrProgram(rt, partners, 'Interop');
    const apiKey = generateApiKey();
    const app = buildApp({
      backend: runtimeBackend(rt),
      apiKey,
      utilityKey: utility,
      protocolKey: admin,
      probeAllow: ['127.0.0.1'],
    });
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, headers: { 'x-api-key': apiKey }, payload });
    const rows: InteropRow[] = [];
    for (const [i, p] of all.entries()) {
      const t0 = performance.now();
      // One device per protocol, enrollment requested by its vendor.
      const { device } = registerEnrolledDevice(rt, {
        partners,
        program,
        certFingerprint: p.deviceCert ? deviceIdentity(p.deviceCert).fingerprint : new Uint8Array(32).fill(0x40 + i),
        issuerCa: p.deviceCert ? sep2Ca : fleetCa,
        deviceType: 'other',
        protocols: p.capability,
      });
      const ids = { program: program.toBase58(), device: device.toBase58() };
      await expectOk(post('/v1/enrollments/decision', { ...ids, approve: true }));
      const route = (pins: string[]) => ({
        ...ids,
        protocol: p.protocol,
        endpoint: p.endpoint,
        certPins: pins,
        expiresAt: 4_102_444_800,
      });

      // 1. Not yet validated: no route.
      const before = await post('/v1/routes', route(['ab'.repeat(32)]));
      const refused =
        before.statusCode === 422 ? (before.json() as { error: string }).error : `HTTP ${before.statusCode}`;

      // 2. Validate: probe, report, on-chain attestation of the server key it saw.
      const res = await post('/v1/endpoints/validate', {
        protocol: p.protocol,
        endpoint: p.endpoint,
        ca: p.ca,
        timeoutMs: 10_000,
        ...p.probe,
      });
      const validated = res.json() as {
        hash: string;
        report?: { ok: boolean; checks: { name: string; ok: boolean; detail: string }[]; version?: string };
        attestation?: { spkiSha256: string };
      };
      if (res.statusCode !== 200 || !validated.report?.ok || !validated.attestation) {
        const failed = validated.report?.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
        throw new PeerError(
          `${p.peer} at ${p.endpoint} did not validate (${failed?.join('; ') || `HTTP ${res.statusCode}`}); ` +
            'is it running? bash scripts/peers.sh status',
        );
      }
      const onChain = await fetchEndpointAttestation(rt, { endpoint: p.endpoint });
      if (!onChain || Buffer.from(onChain.evidenceHash).toString('hex') !== validated.hash) {
        throw new Error(`${p.protocol}: no attestation of report ${validated.hash}`);
      }

      // 3. The route, pinned to the attested server key.
      const published = await expectOk(post('/v1/routes', route([validated.attestation.spkiSha256])));

      // 4. The device connects through its route (pinned TLS, the protocol's first exchange).
      const connected = await connectRoute({
        reader: rt,
        program,
        device,
        ca: p.ca,
        credentials: p.device,
        timeoutMs: 10_000,
        ...(p.checkHostname === false && { checkHostname: false }),
      });
      rows.push({
        protocol: p.protocol,
        peer: p.peer,
        endpoint: p.endpoint,
        refusedBeforeValidation: refused,
        checks: `${validated.report.checks.filter((c) => c.ok).length}/${validated.report.checks.length} passed${validated.report.version ? ` (v${validated.report.version})` : ''}`,
        attestation: `${validated.hash.slice(0, 12)}… spki ${validated.attestation.spkiSha256.slice(0, 12)}…`,
        route: (published as { version: number }).version ?? 1,
        connected: firstExchange(connected.first),
        ms: Math.round(performance.now() - t0),
      });
    }
    return rows;
  } finally {
    rt.close();
  }
}

async function expectOk(res: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await res;
  if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}: ${r.body}`);
  return r.json();
}

function firstExchange(first: unknown): string {
  const f = first as {
    kind: string;
    status?: string;
    subprotocol?: string;
    securityProfile?: number;
    programs?: unknown[];
    version?: string;
    lfdi?: string;
  };
  if (f.kind === 'ocpp2.0.1') {
    return `BootNotification ${f.status} (${f.subprotocol}, security profile ${f.securityProfile})`;
  }
  if (f.kind === 'openadr3') return `GET /programs: ${f.programs?.length ?? 0} program(s), OpenADR ${f.version}`;
  if (f.kind === 'ieee2030.5') return `GET /dcap: DeviceCapability, device LFDI ${f.lfdi?.slice(0, 12)}…`;
  throw new Error(`unexpected first exchange ${JSON.stringify(first)}`);
}

async function main() {
  const rows = await runInteropDemo();
  console.log('\nOpenVPP integration demo (real protocol servers on 127.0.0.1)\n');
  for (const r of rows) {
    console.log(`  ${r.protocol}  ${r.peer}  ${r.endpoint}`);
    console.log(`    before validation          route refused: ${r.refusedBeforeValidation}`);
    console.log(`    POST /v1/endpoints/validate ${r.checks}; attested ${r.attestation}`);
    console.log(`    POST /v1/routes            route v${r.route}, pinned to the attested key`);
    console.log(`    connectRoute()             ${r.connected} (${r.ms} ms for the whole flow)`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof PeerError ? `demo:interop: ${e.message}` : e);
    process.exit(1);
  });
}
