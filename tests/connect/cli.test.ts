// `openvpp connect`: the command run in-process against a local OCPP CSMS and VTN, the route read
// on-chain (the runtime as reader) or through a running service (`/v1/resolve` of buildApp).
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';

import { buildCli } from '../../service/src/cli';
import { connectDevice } from '../../service/src/commands/connect';
import { makeTestPki, type TestPki } from './pki';
import { type Running, startCsms, startVtn } from './servers';
import { type ConnectWorld, connectWorld, publishRoute } from './world';

async function runCli(args: string[]): Promise<{ out: unknown; exitCode: number }> {
  const lines: string[] = [];
  const log = console.log;
  const prev = process.exitCode;
  process.exitCode = 0;
  console.log = (s: unknown) => lines.push(String(s));
  try {
    await buildCli()
      .exitOverride()
      .parseAsync(['node', 'openvpp', ...args]);
  } finally {
    console.log = log;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = prev;
  return { out: JSON.parse(lines.join('\n')), exitCode };
}

describe('cli: openvpp connect', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let w: ConnectWorld;
  const servers: Running[] = [];
  let service: { url: string; close(): Promise<unknown> };

  before(async () => {
    pki = makeTestPki();
    for (const [n, v] of Object.entries({ 'ca.pem': pki.ca, 'cp.crt': pki.client.cert, 'cp.key': pki.client.key })) {
      fs.writeFileSync(path.join(pki.dir, n), v);
    }
    fs.writeFileSync(path.join(pki.dir, 'secret'), 'ven-secret\n');
    w = connectWorld();
    const app = buildApp({ backend: runtimeBackend(w.rt), apiKey: generateApiKey() });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    service = { url, close: () => app.close() };
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await service?.close();
    pki?.cleanup();
  });

  it('through a running service, by device key: OCPP profile 3 with --cert/--key, JSON result', async () => {
    const csms = await startCsms({ ...pki.server, ca: pki.ca }, { passwords: {} });
    servers.push(csms);
    publishRoute(w, {
      protocol: 'ocpp201Csms',
      endpoint: `wss://127.0.0.1:${csms.port}/CP001`,
      pins: [pki.server.spki],
    });
    const { out, exitCode } = await runCli([
      'connect',
      '--device',
      w.deviceKey.toBase58(),
      '--program',
      w.program.toBase58(),
      '--service',
      service.url,
      '--ca',
      path.join(pki.dir, 'ca.pem'),
      '--cert',
      path.join(pki.dir, 'cp.crt'),
      '--key',
      path.join(pki.dir, 'cp.key'),
    ]);
    expect(exitCode).to.equal(0);
    expect(out).to.deep.include({ protocol: 'ocpp201Csms', spkiSha256: pki.server.spki });
    expect((out as { first: object }).first).to.deep.include({ status: 'Accepted', securityProfile: 3 });
  });

  it('a pin mismatch is a JSON error with exit code 1; the client secret (from a file) is never printed', async () => {
    const vtn = await startVtn(pki.other);
    servers.push(vtn);
    publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
    const args = [
      'connect',
      '--device',
      w.device.toBase58(),
      '--program',
      w.program.toBase58(),
      '--service',
      service.url,
      '--ca',
      path.join(pki.dir, 'ca.pem'),
      '--client-id',
      'ven-client',
      '--client-secret-file',
      path.join(pki.dir, 'secret'),
    ];
    const { out, exitCode } = await runCli(args);
    expect(exitCode).to.equal(1);
    expect(out).to.deep.include({ error: 'PinMismatch' });
    expect(JSON.stringify(out)).not.to.contain('ven-secret');
  });

  it('on-chain source (reader) with the device account; NoRoute names the resolve failure', async () => {
    const vtn = await startVtn(pki.server);
    servers.push(vtn);
    publishRoute(w, { protocol: 'openAdr3Vtn', endpoint: `https://127.0.0.1:${vtn.port}`, pins: [pki.server.spki] });
    const r = await connectDevice({
      source: { reader: w.rt },
      device: w.device,
      program: w.program,
      ca: pki.ca,
      credentials: { clientId: 'ven-client', clientSecret: 'ven-secret' },
    });
    expect(r.first).to.deep.include({ kind: 'openadr3', version: '3.1' });
    const { out, exitCode } = await runCli([
      'connect',
      '--device',
      w.program.toBase58(),
      '--program',
      w.program.toBase58(),
      '--service',
      service.url,
    ]);
    expect(exitCode).to.equal(1);
    expect(out).to.deep.include({ error: 'NoRoute', resolveFailure: 'notEnrolled' });
  });
});
