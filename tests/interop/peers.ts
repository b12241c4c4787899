// Where the interop suite finds the real peers (installed and started by scripts/peers.sh, which
// `npm run test:interop` runs; layout and ports documented at the top of scripts/peers.sh).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { ProbeReport } from '../../integration/src/probe';

export const PEERS = process.env.OVPP_PEERS ?? path.join(os.homedir(), '.cache', 'openvpp', 'peers');
export const pki = (f: string) => fs.readFileSync(path.join(PEERS, 'pki', f), 'utf8');
export const sep2 = (f: string) => fs.readFileSync(path.join(PEERS, 'sep2', 'tls', f), 'utf8');
export const LOCAL = ['127.0.0.1'];
export const OCPP_PASSWORD = 's3cret-password-16';

/** Files whose presence means the peer is installed. */
const INSTALLED: Record<string, string> = {
  'ocpp-rpc': 'node-ocpp/node_modules/ocpp-rpc/package.json',
  mobilityhouse: 'venv-ocpp/bin/python',
  'openleadr-vtn': 'cargo30/bin/openleadr-vtn',
  'gridappsd-2030-5': 'venv-2030/bin/2030_5_server',
};

/** True when something accepts TCP on 127.0.0.1:`port` within 2 s. */
export const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(2000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });

/**
 * `before` hook body: skips the suite (with the reason) only when the peer is not installed and
 * OVPP_REQUIRE_PEERS is unset. An installed peer that is not running fails: start it with
 * `bash scripts/peers.sh start` (npm run test:interop does).
 */
export async function requirePeer(ctx: Mocha.Context, peer: string, port: number) {
  if (!fs.existsSync(path.join(PEERS, INSTALLED[peer]))) {
    const msg = `${peer} is not installed in ${PEERS}: run bash scripts/peers.sh install`;
    if (process.env.OVPP_REQUIRE_PEERS) throw new Error(`${msg} (OVPP_REQUIRE_PEERS is set)`);
    console.log(`      skipped: ${msg}`);
    ctx.skip();
  }
  if (!(await listening(port))) {
    throw new Error(`${peer} is installed but nothing listens on 127.0.0.1:${port}: run bash scripts/peers.sh start`);
  }
}

export const check = (r: ProbeReport, name: string) => {
  const c = r.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check ${name} in ${JSON.stringify(r.checks, null, 1)}`);
  return c;
};

/** The failing checks of a report, for assertion messages. */
export const failing = (r: ProbeReport) => JSON.stringify(r.checks.filter((c) => !c.ok));
