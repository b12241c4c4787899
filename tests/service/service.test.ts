import fs from 'node:fs';
import path from 'node:path';

import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import { attestDemoEndpoint } from '@openvpp/testing';

import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import {
  certificateFingerprint,
  deviceIdentity,
  deviceStatusSetInstructions,
  enrollmentRequestInstructions,
  fetchAttestation,
  findDevicePda,
  findPartnerPda,
  findUtilityProgramPda,
  partnerCaAddInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';

import { fakeFingerprint, registerDevice, world } from '../utils/harness';
import { PKI } from '../utils/pki';

const API_KEY = generateApiKey();
const PIN = 'ab'.repeat(32);

function serviceWorld() {
  const w = world();
  const owner = Keypair.generate();
  const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(950) });
  const device = findDevicePda({ deviceKey: dk.publicKey })[0];
  const utility = findPartnerPda({ authority: w.utility.publicKey })[0];
  w.rt.processInstructions(
    utilityProgramCreateInstructions({
      utility,
      authority: w.utility.publicKey,
      payer: w.rt.payer.publicKey,
      utilityProgramId: 1,
      kind: 'demandResponse',
      name: 'DR',
    }),
    [w.utility],
  );
  const program = findUtilityProgramPda({ utility, utilityProgramId: 1 })[0];
  // The vendor also trusts the conforming test root (testing/fixtures/pki).
  w.rt.processInstructions(
    partnerCaAddInstructions({
      authority: w.admin.publicKey,
      partnerAuthority: w.vendor.publicKey,
      payer: w.rt.payer.publicKey,
      fingerprint: certificateFingerprint(PKI.root),
    }),
    [w.admin, w.vendor],
  );
  w.rt.processInstructions(
    enrollmentRequestInstructions({
      program,
      device,
      vendor: findPartnerPda({ authority: w.vendor.publicKey })[0],
      requester: owner.publicKey,
      payer: w.rt.payer.publicKey,
    }),
    [owner],
  );
  const app = buildApp({ backend: runtimeBackend(w.rt), apiKey: API_KEY, utilityKey: w.utility, protocolKey: w.admin });
  return { ...w, app, dk, device, program };
}

describe('service: routing & integration HTTP API', () => {
  it('refuses values of the wrong JSON type instead of coercing them', async () => {
    const s = serviceWorld();
    const headers = { 'x-api-key': API_KEY };
    const probe = await s.app.inject({
      method: 'POST',
      url: '/v1/endpoints/validate',
      headers,
      payload: { protocol: 'ieee2030Dot5', endpoint: 'https://c/', ca: false },
    });
    expect(probe.statusCode).to.equal(400);
    const route = await s.app.inject({
      method: 'POST',
      url: '/v1/routes',
      headers,
      payload: {
        program: s.program.toBase58(),
        device: s.device.toBase58(),
        protocol: 'openAdr3Vtn',
        endpoint: 'https://vtn.gridco.example/openadr3',
        certPins: [PIN],
        expiresAt: '4102444800',
      },
    });
    expect(route.statusCode).to.equal(400);
  });

  it("describes route endpoints exactly as the routing program's grammar (shared vectors)", async () => {
    const s = serviceWorld();
    const spec = (await s.app.inject({ url: '/openapi.json' })).json();
    const body = spec.paths['/v1/routes'].post.requestBody.content['application/json'].schema;
    const variants: { properties: { protocol: { const: string }; endpoint: { pattern: string } } }[] =
      body.oneOf ?? body.anyOf;
    const patterns = new Map(
      variants.map((v) => [v.properties.protocol.const, new RegExp(v.properties.endpoint.pattern)]),
    );
    const file = fs.readFileSync(path.join(__dirname, '../../testing/fixtures/vectors/endpoint-vectors.txt'), 'utf8');
    const rows = file.split('\n').filter((l) => l && !l.startsWith('#'));
    for (const row of rows) {
      const [protocol, expected, url] = row.split('\t');
      // Length and printable-byte limits are the schema's maxLength and the pattern's path class.
      const accepted = patterns.get(protocol)!.test(url) && url.length <= 200;
      expect(accepted, `${protocol} ${JSON.stringify(url)}`).to.equal(expected === 'ok');
    }
  });

  it('serves health, the OpenAPI document and device lookups', async () => {
    const s = serviceWorld();
    expect((await s.app.inject({ url: '/health' })).json()).to.deep.equal({ ok: true });
    const spec = (await s.app.inject({ url: '/openapi.json' })).json();
    expect(spec.openapi).to.equal('3.1.0');
    expect(Object.keys(spec.paths)).to.include.members(['/v1/resolve', '/v1/routes', '/v1/enrollments/decision']);

    const byKey = await s.app.inject({ url: `/v1/devices/${s.dk.publicKey.toBase58()}` });
    expect(byKey.statusCode).to.equal(200);
    const device = byKey.json();
    expect(device).to.include({ status: 'active', deviceType: 'battery' });
    const byLfdi = await s.app.inject({ url: `/v1/lfdi/${device.lfdi}` });
    expect(byLfdi.json().address).to.equal(s.device.toBase58());

    expect((await s.app.inject({ url: '/v1/devices/not-a-key' })).statusCode).to.equal(400);
    // No full device has this key, and without an indexer compressed devices cannot be looked up.
    const unknown = await s.app.inject({ url: `/v1/devices/${Keypair.generate().publicKey.toBase58()}` });
    expect([unknown.statusCode, unknown.json().error]).to.deep.equal([503, 'NotConfigured']);
    expect((await s.app.inject({ url: '/v1/lfdi/xyz' })).statusCode).to.equal(400);
    expect((await s.app.inject({ url: '/v1/names/Bad_Name' })).statusCode).to.equal(400);
  });

  it('takes enrollment decisions and routes only with the API key, then resolves', async () => {
    const s = serviceWorld();
    const decision = { program: s.program.toBase58(), device: s.device.toBase58(), approve: true };
    const post = (url: string, payload: object, key: string | null = API_KEY) =>
      s.app.inject({ method: 'POST', url, payload, headers: key ? { 'x-api-key': key } : {} });

    expect((await post('/v1/enrollments/decision', decision, null)).statusCode).to.equal(401);
    expect((await post('/v1/enrollments/decision', decision, 'wrong')).statusCode).to.equal(401);
    expect((await post('/v1/enrollments/decision', { ...decision, approve: 'yes' })).statusCode).to.equal(400);
    const typo = await post('/v1/enrollments/decision', { ...decision, aprove: true });
    expect(typo.statusCode).to.equal(400);
    expect(typo.json().error).to.equal('InvalidInput');
    const resolveUrl = `/v1/resolve?device=${decision.device}&program=${decision.program}`;
    const before = await s.app.inject({ url: resolveUrl });
    expect(before.statusCode).to.equal(404);
    expect(before.json().error).to.equal('enrollmentNotApproved');

    expect((await post('/v1/enrollments/decision', decision)).statusCode).to.equal(200);
    const again = await post('/v1/enrollments/decision', decision);
    expect(again.statusCode).to.equal(422);
    expect(again.json()).to.include({ error: 'InvalidEnrollmentStatus', code: 6005 });

    const route = {
      program: decision.program,
      device: decision.device,
      protocol: 'openAdr3Vtn',
      endpoint: 'https://vtn.gridco.example/oadr3',
      certPins: [PIN],
      expiresAt: 4_102_444_800,
    };
    expect((await post('/v1/routes', { ...route, certPins: ['zz'] })).statusCode).to.equal(400);
    expect((await post('/v1/routes', { ...route, endpoint: 'http://vtn.gridco.example' })).json().error).to.equal(
      'InvalidEndpoint',
    );
    const ocpp = await post('/v1/routes', {
      ...route,
      protocol: 'ocpp201Csms',
      endpoint: 'wss://csms.gridco.example/x',
    });
    expect(ocpp.statusCode).to.equal(422);
    expect(ocpp.json().error).to.equal('ProtocolNotSupported');
    // Only once the endpoint is attested (the integration service probed it).
    const unattested = await post('/v1/routes', route);
    expect(unattested.statusCode).to.equal(422);
    expect(unattested.json().error).to.equal('EndpointNotAttested');
    attestDemoEndpoint(s.rt, { admin: s.admin, endpoint: route.endpoint, spkiSha256: Buffer.from(PIN, 'hex') });
    expect((await post('/v1/routes', route)).statusCode).to.equal(200);

    const resolved = await s.app.inject({ url: resolveUrl });
    expect(resolved.statusCode).to.equal(200);
    expect(resolved.json()).to.deep.equal({
      protocol: 'openAdr3Vtn',
      endpoint: 'https://vtn.gridco.example/oadr3',
      certPins: [PIN],
      version: 1,
      expiresAt: '4102444800',
    });
    expect((await s.app.inject({ url: `/v1/resolve?device=${decision.device}` })).statusCode).to.equal(400);
  });

  it('validates certificate chains against the vendor roots and writes attestations', async () => {
    const s = serviceWorld();
    const vendor = s.vendor.publicKey.toBase58();
    const post = (url: string, payload: object) =>
      s.app.inject({ method: 'POST', url, payload, headers: { 'x-api-key': API_KEY } });

    const ok = await post('/v1/certificates/validate', { certificate: PKI.device, chain: [PKI.root], vendor });
    expect(ok.statusCode).to.equal(200);
    const report = ok.json();
    expect(report.valid, JSON.stringify(report.problems)).to.equal(true);
    expect(report.lfdiHex).to.equal(deviceIdentity(PKI.device).lfdiHex);
    expect(report.sfdi).to.equal('310668639206');

    expect(report.registeredDevice).to.equal(null);
    // Issuer CRLs: an empty one changes nothing, one listing the serial revokes.
    const withEmpty = (
      await post('/v1/certificates/validate', {
        certificate: PKI.device,
        chain: [PKI.root],
        crls: [PKI.crlEmpty],
        vendor,
      })
    ).json();
    expect(withEmpty.valid).to.equal(true);
    const revoked = (
      await post('/v1/certificates/validate', {
        certificate: PKI.revokedDevice,
        chain: [PKI.root],
        crls: [PKI.crlRevoked],
        vendor,
      })
    ).json();
    expect(revoked.valid).to.equal(false);
    expect(revoked.problems).to.deep.equal(['certificate is revoked (listed in the issuer CRL)']);

    const noChain = (await post('/v1/certificates/validate', { certificate: PKI.device, vendor })).json();
    expect(noChain.valid).to.equal(false);
    expect(noChain.problems[0]).to.match(/not found in the chain/);
    // A chain that ends at a root this vendor did not register (the utility has none).
    const foreign = await post('/v1/certificates/validate', {
      certificate: PKI.device,
      chain: [PKI.root],
      vendor: s.utility.publicKey.toBase58(),
    });
    expect(foreign.statusCode).to.equal(404);
    const garbage = await post('/v1/certificates/validate', { certificate: 'not a certificate', vendor });
    expect(garbage.statusCode).to.equal(400);

    const attest = {
      subject: s.device.toBase58(),
      kind: 'certificateChain',
      evidenceHash: report.fingerprintHex,
      expiresAt: report.notAfterUnix,
    };
    expect((await post('/v1/attestations', attest)).statusCode).to.equal(200);
    const onChain = await fetchAttestation(s.rt, { subject: s.device, kind: 'certificateChain' });
    expect(onChain?.expiresAt).to.equal(BigInt(report.notAfterUnix));
    const twice = await post('/v1/attestations', attest);
    expect(twice.statusCode).to.equal(422);
  });

  it('flags certificates of devices revoked in the registry', async () => {
    const s = serviceWorld();
    const id = deviceIdentity(PKI.device);
    const owner = Keypair.generate();
    const dk = registerDevice(s, { owner: owner.publicKey, certFingerprint: id.fingerprint });
    const vendor = s.vendor.publicKey.toBase58();
    const validate = async () =>
      (
        await s.app.inject({
          method: 'POST',
          url: '/v1/certificates/validate',
          payload: { certificate: PKI.device, chain: [PKI.root], vendor },
        })
      ).json();
    const live = await validate();
    expect(live.valid).to.equal(true);
    expect(live.registeredDevice.status).to.equal('active');
    s.rt.processInstructions(
      deviceStatusSetInstructions({
        authority: s.admin.publicKey,
        vendor: findPartnerPda({ authority: s.vendor.publicKey })[0],
        deviceKey: dk.publicKey,
        status: 'revoked',
      }),
      [s.admin],
    );
    const dead = await validate();
    expect(dead.valid).to.equal(false);
    expect(dead.problems).to.deep.equal(['the device holding this certificate is revoked in the registry']);
  });
});
