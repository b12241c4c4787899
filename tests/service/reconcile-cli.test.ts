// `openvpp reconcile` as the built CLI (service/bin/openvpp) against a local node with settled
// history: a true index exits 0 with an ok report, a tampered index row exits 1 naming the
// difference, and usage problems exit 2.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { expect } from 'chai';

import type { Localnet } from '@openvpp/localnet';

import { settledHistory } from '../indexer/history';
import { CLI, inProcessNode } from '../localnet/node';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (the node answers its RPC from here). */
const openvpp = (args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });

describe('cli: openvpp reconcile', function () {
  this.timeout(180_000);
  let net: Localnet;
  let dir: string;
  let db: string;

  before(async () => {
    net = await inProcessNode();
    settledHistory(net.node.rt);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-reconcile-cli-'));
    db = path.join(dir, 'index.sqlite');
  });
  after(async () => {
    await net?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the index, then finds it equal to the chain: exit 0 and an ok report', async () => {
    const run = await openvpp(['reconcile', '--rpc', net.rpcUrl, '--ws', net.wsUrl, '--index-db', db]);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).to.equal(true);
    expect(report.meters).to.deep.equal({ checked: 1, differences: [] });
    expect(report.owners.checked).to.equal(1);
    expect(report.owners.transactions).to.be.greaterThan(0);
  });

  it('names a tampered row of the index: exit 1', async () => {
    const raw = new DatabaseSync(db);
    raw.exec(
      `UPDATE readings SET amount = '1' WHERE signature = (SELECT signature FROM readings WHERE amount != '0' LIMIT 1)`,
    );
    raw.close();
    const run = await openvpp(['reconcile', '--rpc', net.rpcUrl, '--index-db', db]);
    expect(run.code, run.stderr).to.equal(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).to.equal(false);
    expect(report.meters.differences.map((d: { field: string }) => d.field)).to.include('totalPaid');
    expect(run.stderr).to.match(/difference\(s\) between the index and the chain/);
  });

  it('usage problems exit 2: no --index-db, an empty one, a bad --rpc', async () => {
    for (const args of [
      ['reconcile', '--rpc', net.rpcUrl],
      ['reconcile', '--rpc', net.rpcUrl, '--index-db', ''],
      ['reconcile', '--rpc', 'not a url', '--index-db', db],
    ]) {
      const run = await openvpp(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).to.equal(2);
    }
  });
});
