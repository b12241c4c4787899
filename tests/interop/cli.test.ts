// `openvpp probe` against a real CSMS peer: prints { hash, report }, exit code 0 / 1 / 2.
import { expect } from 'chai';
import path from 'node:path';

import { buildCli } from '../../service/src/cli';
import { reportHash, type ProbeReport } from '../../integration/src/probe';
import { OCPP_PASSWORD, PEERS, requirePeer } from './peers';

async function run(args: string[]): Promise<{ out: string; code: number }> {
  const lines: string[] = [];
  const [log, err] = [console.log, console.error];
  console.log = (s: string) => lines.push(String(s));
  console.error = (s: string) => lines.push(String(s));
  process.exitCode = 0;
  try {
    await buildCli()
      .exitOverride()
      .parseAsync(['node', 'openvpp', ...args]);
  } finally {
    [console.log, console.error] = [log, err];
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: lines.join('\n'), code };
}

describe('interop: openvpp probe (CLI) vs ocpp-rpc', function () {
  this.timeout(30_000);
  before(async function () {
    await requirePeer(this, 'ocpp-rpc', 9102);
  });
  const pkiFile = (f: string) => path.join(PEERS, 'pki', f);

  it('passing probe: prints the report and its hash, exit code 0, no secret in the output', async () => {
    const { out, code } = await run([
      'probe',
      '--protocol',
      'ocpp',
      '--endpoint',
      'wss://127.0.0.1:9102/',
      '--client-id',
      'CP001',
      '--client-secret',
      OCPP_PASSWORD,
      '--ca',
      pkiFile('ca.crt'),
      '--allow',
      '127.0.0.1',
    ]);
    expect(code, out).to.equal(0);
    const { hash, report } = JSON.parse(out) as { hash: string; report: ProbeReport };
    expect(report.ok).to.equal(true);
    expect(hash).to.equal(reportHash(report));
    expect(out).not.to.contain(OCPP_PASSWORD);
  });

  it('failing probe (mTLS endpoint without --cert): exit code 1', async () => {
    const { code } = await run([
      'probe',
      '--protocol',
      'ocpp',
      '--endpoint',
      'wss://127.0.0.1:9103/',
      '--ca',
      pkiFile('ca.crt'),
      '--allow',
      '127.0.0.1',
    ]);
    expect(code).to.equal(1);
  });

  it('loopback without --allow: refused, exit code 2', async () => {
    const { out, code } = await run(['probe', '--protocol', 'ocpp', '--endpoint', 'wss://127.0.0.1:9102/']);
    expect(code).to.equal(2);
    expect(out).to.contain('AddressNotAllowed');
  });
});
