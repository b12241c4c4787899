// POST /v1/endpoints/validate and GET /v1/endpoints/reports/{hash} against a real CSMS peer.
import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';

import { Runtime } from '@openvpp/runtime';
import { fetchEndpointAttestation } from '@openvpp/sdk/web3';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { onboardPartners } from '@openvpp/testing';

import { reportHash, type ProbeReport } from '../../integration/src/probe';
import { OCPP_PASSWORD, pki, requirePeer } from './peers';

const API_KEY = generateApiKey();

describe('interop: endpoint validation API (ocpp-rpc peer)', function () {
  this.timeout(60_000);
  let rt: Runtime;
  let app: FastifyInstance;
  let strict: FastifyInstance;
  before(async function () {
    await requirePeer(this, 'ocpp-rpc', 9102);
    rt = Runtime.start();
    // The protocol authority's key lets the service attest the endpoints that pass.
    const { admin } = onboardPartners(rt, { caFingerprints: [new Uint8Array(32).fill(7)] });
    app = buildApp({ backend: runtimeBackend(rt), apiKey: API_KEY, probeAllow: ['127.0.0.1'], protocolKey: admin });
    strict = buildApp({ backend: runtimeBackend(rt), apiKey: API_KEY });
  });
  after(() => rt?.close());

  const body = {
    protocol: 'ocpp201Csms',
    endpoint: 'wss://127.0.0.1:9102/',
    credentials: { clientId: 'CP001', clientSecret: OCPP_PASSWORD },
    timeoutMs: 5000,
  };
  const validate = (a: FastifyInstance, payload: object, key: string | null = API_KEY) =>
    a.inject({ method: 'POST', url: '/v1/endpoints/validate', headers: key ? { 'x-api-key': key } : {}, payload });

  it('returns the passing report and its hash, and serves the report by hash', async () => {
    const res = await validate(app, { ...body, ca: pki('ca.crt') });
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.body).not.to.contain(OCPP_PASSWORD);
    const { hash, report, attestation } = res.json() as {
      hash: string;
      report: ProbeReport;
      attestation: { address: string; spkiSha256: string; expiresAt: number };
    };
    expect(report.ok).to.equal(true);
    expect(hash).to.equal(reportHash(report));
    // Attested on-chain: the report's hash and the server key it saw, for this exact URL.
    const onChain = (await fetchEndpointAttestation(rt, { endpoint: body.endpoint }))!;
    expect(onChain.address.toBase58()).to.equal(attestation.address);
    expect(onChain.kind).to.equal('ocpp201Conformance');
    expect(Buffer.from(onChain.evidenceHash).toString('hex')).to.equal(hash);
    expect(Buffer.from(onChain.spkiSha256).toString('hex'))
      .to.equal(report.tls!.spkiSha256)
      .and.to.equal(attestation.spkiSha256);
    const leafNotAfter = Date.parse(report.tls!.chain[0].notAfter) / 1000;
    expect(Number(onChain.expiresAt)).to.equal(attestation.expiresAt).and.be.at.most(leafNotAfter);
    const got = await app.inject({ method: 'GET', url: `/v1/endpoints/reports/${hash}` });
    expect(got.statusCode).to.equal(200);
    expect(reportHash(got.json() as ProbeReport)).to.equal(hash);
    const missing = await app.inject({ method: 'GET', url: `/v1/endpoints/reports/${'0'.repeat(64)}` });
    expect(missing.statusCode).to.equal(404);
  });

  it('needs the x-api-key (a probe makes outbound connections)', async () => {
    const res = await validate(app, { ...body, ca: pki('ca.crt') }, null);
    expect(res.statusCode).to.equal(401);
  });

  it('the allow-list is operator configuration: a request cannot carry one, and loopback is refused without it', async () => {
    const widened = await validate(strict, { ...body, ca: pki('ca.crt'), allow: ['127.0.0.1'] });
    expect(widened.statusCode).to.equal(400);
    const refused = await validate(strict, { ...body, ca: pki('ca.crt') });
    expect(refused.statusCode).to.equal(403);
    expect(refused.json().error).to.equal('AddressNotAllowed');
  });

  it('a failing probe is still a 200 report (ok: false) naming the failed check', async () => {
    const res = await validate(app, { ...body, ca: pki('ca.crt'), pins: ['ab'.repeat(32)] });
    expect(res.statusCode).to.equal(200);
    const before = await fetchEndpointAttestation(rt, { endpoint: body.endpoint });
    const { report, attestation } = res.json() as { report: ProbeReport; attestation?: object };
    expect(report.ok).to.equal(false);
    expect(report.checks.find((c) => c.name === 'tls.pin')?.ok).to.equal(false);
    // Nothing is attested for a failing report: the endpoint's attestation is untouched.
    expect(attestation).to.equal(undefined);
    expect(await fetchEndpointAttestation(rt, { endpoint: body.endpoint })).to.deep.equal(before);
  });
});
