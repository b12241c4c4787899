import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import {
  PROTOCOL_OCPP201,
  PROTOCOL_OPENADR3,
  ClientError,
  deviceStatusSetInstructions,
  endsInANumber,
  isValidEndpoint,
  partnerStatusSetInstructions,
  validateRoute,
  type Protocol,
  enrollmentDecideInstructions,
  enrollmentRequestInstructions,
  enrollmentRevokeInstructions,
  fetchEnrollment,
  fetchUtilityProgram,
  findDevicePda,
  findPartnerPda,
  findUtilityProgramPda,
  parseRoutingError,
  resolveRoute,
  routeRevokeInstructions,
  routeSetInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';

import { attestDemoEndpoint } from '@openvpp/testing';

import { CAPS, fakeFingerprint, registerDevice, world } from '../utils/harness';

const PIN = new Uint8Array(32).fill(5);
const FAR = 4_102_444_800n;

function routingWorld() {
  const w = world();
  const owner = Keypair.generate();
  // CAPS declares OpenADR 3 and IEEE 2030.5.
  expect(CAPS.protocols & PROTOCOL_OPENADR3).to.not.equal(0);
  expect(CAPS.protocols & PROTOCOL_OCPP201).to.equal(0);
  const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(700) });
  const device = findDevicePda({ deviceKey: dk.publicKey })[0];
  const utilityPda = findPartnerPda({ authority: w.utility.publicKey })[0];
  const vendorPda = findPartnerPda({ authority: w.vendor.publicKey })[0];
  w.rt.processInstructions(
    utilityProgramCreateInstructions({
      utility: utilityPda,
      authority: w.utility.publicKey,
      payer: w.rt.payer.publicKey,
      utilityProgramId: 1,
      kind: 'demandResponse',
      name: 'Winter peak DR',
    }),
    [w.utility],
  );
  const program = findUtilityProgramPda({ utility: utilityPda, utilityProgramId: 1 })[0];
  return { ...w, owner, dk, device, program, vendorPda, utilityPda };
}

describe('routing: programs, enrollments, routes', () => {
  it('enrolls a device, publishes its OpenADR 3 route and resolves it', async () => {
    const r = routingWorld();
    const now = BigInt(r.rt.getClock().unixTimestamp);
    expect(await resolveRoute(r.rt, { program: r.program, device: r.device, now })).to.deep.equal({
      ok: false,
      reason: 'notEnrolled',
    });
    r.rt.processInstructions(
      enrollmentRequestInstructions({
        program: r.program,
        device: r.device,
        vendor: r.vendorPda,
        requester: r.owner.publicKey,
        payer: r.rt.payer.publicKey,
      }),
      [r.owner],
    );
    expect((await fetchEnrollment(r.rt, { program: r.program, device: r.device }))?.status).to.equal('requested');
    expect(await resolveRoute(r.rt, { program: r.program, device: r.device, now })).to.deep.equal({
      ok: false,
      reason: 'enrollmentNotApproved',
    });
    r.rt.processInstructions(
      enrollmentDecideInstructions({
        program: r.program,
        authority: r.utility.publicKey,
        device: r.device,
        approve: true,
      }),
      [r.utility],
    );
    expect((await fetchUtilityProgram(r.rt, { address: r.program }))?.enrolled).to.equal(1);

    const set = (endpoint: string) =>
      routeSetInstructions({
        program: r.program,
        authority: r.utility.publicKey,
        device: r.device,
        payer: r.rt.payer.publicKey,
        protocol: 'openAdr3Vtn',
        endpoint,
        certPins: [PIN],
        expiresAt: FAR,
      });
    // Only to an endpoint the integration service attested (with a pinned server key).
    expect(
      parseRoutingError(r.rt.tryInstructions(set('https://vtn.gridco.example/openadr3'), [r.utility]))?.errorName,
    ).to.equal('EndpointNotAttested');
    for (const endpoint of ['https://vtn.gridco.example/openadr3', 'https://vtn2.gridco.example/openadr3']) {
      attestDemoEndpoint(r.rt, { admin: r.admin, endpoint, spkiSha256: PIN });
    }
    r.rt.processInstructions(set('https://vtn.gridco.example/openadr3'), [r.utility]);
    const resolved = await resolveRoute(r.rt, { program: r.program, device: r.device, now });
    expect(resolved.ok).to.equal(true);
    if (resolved.ok) {
      expect(resolved.params).to.deep.include({
        protocol: 'openAdr3Vtn',
        endpoint: 'https://vtn.gridco.example/openadr3',
        version: 1,
      });
      expect(resolved.params.certPins).to.deep.equal([Buffer.from(PIN).toString('hex')]);
    }
    r.rt.processInstructions(set('https://vtn2.gridco.example/openadr3'), [r.utility]);
    const v2 = await resolveRoute(r.rt, { program: r.program, device: r.device, now });
    expect(v2.ok && v2.params.version).to.equal(2);
    expect(await resolveRoute(r.rt, { program: r.program, device: r.device, now: FAR })).to.deep.equal({
      ok: false,
      reason: 'routeExpired',
    });

    r.rt.processInstructions(
      routeRevokeInstructions({ program: r.program, authority: r.utility.publicKey, device: r.device }),
      [r.utility],
    );
    expect(await resolveRoute(r.rt, { program: r.program, device: r.device, now })).to.deep.equal({
      ok: false,
      reason: 'routeRevoked',
    });
  });

  it('rejects bad routes client-side and unsupported protocols on-chain', () => {
    const r = routingWorld();
    r.rt.processInstructions(
      enrollmentRequestInstructions({
        program: r.program,
        device: r.device,
        vendor: r.vendorPda,
        requester: r.owner.publicKey,
        payer: r.rt.payer.publicKey,
      }),
      [r.owner],
    );
    r.rt.processInstructions(
      enrollmentDecideInstructions({
        program: r.program,
        authority: r.utility.publicKey,
        device: r.device,
        approve: true,
      }),
      [r.utility],
    );
    const base = {
      program: r.program,
      authority: r.utility.publicKey,
      device: r.device,
      payer: r.rt.payer.publicKey,
      expiresAt: FAR,
    };
    expect(() =>
      routeSetInstructions({ ...base, protocol: 'ocpp201Csms', endpoint: 'https://csms.example', certPins: [PIN] }),
    ).to.throw(ClientError, /InvalidEndpoint/);
    expect(() =>
      routeSetInstructions({ ...base, protocol: 'openAdr3Vtn', endpoint: 'https://vtn.example', certPins: [] }),
    ).to.throw(ClientError, /InvalidCertPins/);
    // The device does not declare OCPP 2.0.1.
    const ocpp = routeSetInstructions({
      ...base,
      protocol: 'ocpp201Csms',
      endpoint: 'wss://csms.gridco.example/ocpp',
      certPins: [PIN],
    });
    expect(parseRoutingError(r.rt.tryInstructions(ocpp, [r.utility]))?.errorName).to.equal('ProtocolNotSupported');
    // Expired on arrival.
    const stale = routeSetInstructions({
      ...base,
      protocol: 'openAdr3Vtn',
      endpoint: 'https://vtn.example',
      certPins: [PIN],
      expiresAt: 1n,
    });
    expect(parseRoutingError(r.rt.tryInstructions(stale, [r.utility]))?.errorName).to.equal('InvalidExpiry');
    // Duplicate pins are refused client-side and on-chain (finding 18).
    const dup = { ...base, protocol: 'openAdr3Vtn' as const, endpoint: 'https://vtn.example', certPins: [PIN, PIN] };
    expect(() => routeSetInstructions(dup)).to.throw(ClientError, /InvalidCertPins/);
    const forged = routeSetInstructions({ ...dup, certPins: [PIN, new Uint8Array(32).fill(6)] });
    const data = Buffer.from(forged[0].data);
    data.set(PIN, data.length - 8 - 32); // second pin := first pin (bypassing the client check)
    forged[0].data = data;
    expect(parseRoutingError(r.rt.tryInstructions(forged, [r.utility]))?.errorName).to.equal('InvalidCertPins');
  });

  it('parses endpoints with the same vectors as the program (finding 18)', () => {
    const file = fs.readFileSync(path.join(__dirname, '../../testing/fixtures/vectors/endpoint-vectors.txt'), 'utf8');
    const rows = file.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rows.length).to.be.greaterThan(40);
    for (const row of rows) {
      const [protocol, expected, url] = row.split('\t');
      expect(isValidEndpoint(protocol as Protocol, url), `${protocol} ${JSON.stringify(url)}`).to.equal(
        expected === 'ok',
      );
      const check = () => validateRoute(protocol as Protocol, url, [PIN]);
      if (expected === 'ok') expect(check).to.not.throw();
      else expect(check).to.throw(ClientError, /InvalidEndpoint/);
    }
  });

  it('refuses hosts WHATWG reads as IPv4, except canonical dotted quads (round 3, finding 1)', () => {
    const file = fs.readFileSync(path.join(__dirname, '../../testing/fixtures/vectors/endpoint-vectors.txt'), 'utf8');
    const rows = file.split('\n').filter((l) => l && !l.startsWith('#'));
    const dottedQuad = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
    const hostOf = (url: string) =>
      url
        .replace(/^[a-z]+:\/\//, '')
        .split('/')[0]
        .split(':')[0];
    let numeric = 0;
    for (const row of rows) {
      const [protocol, expected, url] = row.split('\t');
      const host = hostOf(url);
      if (!endsInANumber(host)) continue;
      numeric += 1;
      // The reference parser: an IPv4 host, or no URL at all.
      let parsed: string | null = null;
      try {
        parsed = new URL(url).hostname;
      } catch {
        parsed = null;
      }
      expect(parsed === null || dottedQuad.test(parsed), url).to.equal(true);
      // Accepted only when WHATWG reads the host as exactly what the route stores.
      expect(expected === 'ok', url).to.equal(parsed === host);
      expect(isValidEndpoint(protocol as Protocol, url), url).to.equal(expected === 'ok');
    }
    expect(numeric).to.be.greaterThan(20);
    // Every accepted vector's host reads as itself, and is IPv4 only as a canonical dotted quad.
    for (const row of rows.filter((r) => r.split('\t')[1] === 'ok')) {
      const url = row.split('\t')[2];
      expect(new URL(url).hostname, url).to.equal(hostOf(url));
    }
    for (const host of ['2130706433', '0x7f000001', '0X7F.1', '0177.0.0.1', 'vtn.0x', 'a.1.', '09']) {
      expect(endsInANumber(host), host).to.equal(true);
    }
    for (const host of ['vtn.example', '1a', '0xg', '123.a', '', '.', 'a..']) {
      expect(endsInANumber(host), host).to.equal(false);
    }
  });

  it('resolves only for an active device and an active utility (finding 17)', async () => {
    const r = routingWorld();
    const payer = r.rt.payer.publicKey;
    r.rt.processInstructions(
      enrollmentRequestInstructions({
        program: r.program,
        device: r.device,
        vendor: r.vendorPda,
        requester: r.owner.publicKey,
        payer,
      }),
      [r.owner],
    );
    r.rt.processInstructions(
      enrollmentDecideInstructions({
        program: r.program,
        authority: r.utility.publicKey,
        device: r.device,
        approve: true,
      }),
      [r.utility],
    );
    const route = routeSetInstructions({
      program: r.program,
      authority: r.utility.publicKey,
      device: r.device,
      payer,
      protocol: 'openAdr3Vtn',
      endpoint: 'https://vtn.gridco.example/openadr3',
      certPins: [PIN],
      expiresAt: FAR,
    });
    attestDemoEndpoint(r.rt, { admin: r.admin, endpoint: 'https://vtn.gridco.example/openadr3', spkiSha256: PIN });
    r.rt.processInstructions(route, [r.utility]);
    const now = BigInt(r.rt.getClock().unixTimestamp);
    const resolve = () => resolveRoute(r.rt, { program: r.program, device: r.device, now });
    expect((await resolve()).ok).to.equal(true);
    const deviceStatus = (status: 'active' | 'suspended') =>
      deviceStatusSetInstructions({
        authority: r.admin.publicKey,
        vendor: r.vendorPda,
        deviceKey: r.dk.publicKey,
        status,
      });
    r.rt.processInstructions(deviceStatus('suspended'), [r.admin]);
    expect(await resolve()).to.deep.equal({ ok: false, reason: 'deviceNotActive' });
    expect(parseRoutingError(r.rt.tryInstructions(route, [r.utility]))?.errorName).to.equal('DeviceNotActive');
    r.rt.processInstructions(deviceStatus('active'), [r.admin]);
    r.rt.processInstructions(
      partnerStatusSetInstructions({ authority: r.admin.publicKey, partner: r.utilityPda, status: 'revoked' }),
      [r.admin],
    );
    expect(await resolve()).to.deep.equal({ ok: false, reason: 'utilityNotActive' });
    expect(parseRoutingError(r.rt.tryInstructions(route, [r.utility]))?.errorName).to.equal('NotActiveUtility');
  });

  it('only owners/vendors request, only the utility decides, and opt-out ends it', async () => {
    const r = routingWorld();
    const stranger = Keypair.generate();
    const request = (requester: Keypair) =>
      enrollmentRequestInstructions({
        program: r.program,
        device: r.device,
        vendor: r.vendorPda,
        requester: requester.publicKey,
        payer: r.rt.payer.publicKey,
      });
    expect(parseRoutingError(r.rt.tryInstructions(request(stranger), [stranger]))?.errorName).to.equal('Unauthorized');
    r.rt.processInstructions(request(r.vendor), [r.vendor]);
    const decide = (who: Keypair) =>
      enrollmentDecideInstructions({
        program: r.program,
        authority: who.publicKey,
        device: r.device,
        approve: true,
        utility: r.utilityPda,
      });
    expect(parseRoutingError(r.rt.tryInstructions(decide(stranger), [stranger]))?.errorName).to.equal('Unauthorized');
    r.rt.processInstructions(decide(r.utility), [r.utility]);
    r.rt.processInstructions(
      enrollmentRevokeInstructions({
        program: r.program,
        device: r.device,
        authority: r.owner.publicKey,
        utility: r.utilityPda,
      }),
      [r.owner],
    );
    expect((await fetchEnrollment(r.rt, { program: r.program, device: r.device }))?.status).to.equal('revoked');
    expect((await fetchUtilityProgram(r.rt, { address: r.program }))?.enrolled).to.equal(0);
  });
});
