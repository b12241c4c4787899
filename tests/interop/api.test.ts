// POST /v1/endpoints/validate and GET /v1/endpoints/reports/{hash} against a real CSMS peer.
import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';

import { Runtime } from '@openvpp/runtime';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';

import { reportHash, type ProbeReport } from '../../service/src/probe';
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
    app = buildApp({ backend: runtimeBackend(rt), apiKey: API_KEY, probeAllow: ['127.0.0.1'] });
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
    const { hash, report } = res.json() as { hash: string; report: ProbeReport };
    expect(report.ok).to.equal(true);
    expect(hash).to.equal(reportHash(report));
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
    const { report } = res.json() as { report: ProbeReport };
    expect(report.ok).to.equal(false);
    expect(report.checks.find((c) => c.name === 'tls.pin')?.ok).to.equal(false);
  });
});
