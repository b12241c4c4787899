// Shared set-up of the localnet suites: a node on free ports with a fresh ledger directory,
// in-process (startLocalnet) or as a child process (`openvpp localnet`).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startLocalnet, type Localnet, type LocalnetOptions } from '@openvpp/localnet';

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory (removed when the test process exits). */
export const tempLedger = (tag: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ovpp-localnet-${tag}-`));
  created.push(dir);
  return dir;
};

/** An in-process node on free ports (slots every 100 ms unless told otherwise). */
export function inProcessNode(opts: LocalnetOptions = {}): Promise<Localnet> {
  return startLocalnet({ port: 0, slotMs: 100, ledgerDir: tempLedger('inproc'), ...opts });
}

export const CLI = path.join(__dirname, '..', '..', 'service', 'bin', 'openvpp');

export interface ChildNode {
  proc: ChildProcess;
  rpc: string;
  ws: string;
  info: Record<string, unknown>;
  stderr: () => string;
}

/** `openvpp localnet` as a child process on free ports; resolves with its first stdout line. */
export function childNode(ledger: string, extra: string[] = []): Promise<ChildNode> {
  const proc = spawn(process.execPath, [CLI, 'localnet', '--port', '0', '--ledger', ledger, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`localnet did not start in 30 s: ${err}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const info = JSON.parse(out.slice(0, nl));
      resolve({ proc, rpc: info.rpc, ws: info.ws, info, stderr: () => err });
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`localnet exited with ${code}: ${err}`));
    });
  });
}

export function stopChild(child: ChildNode, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return resolve();
    child.proc.once('exit', () => resolve());
    child.proc.kill(signal);
  });
}
