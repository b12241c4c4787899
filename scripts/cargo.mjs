#!/usr/bin/env node
// Runs cargo with the project's shared target dir (outside the clone, so CI and later
// sessions reuse compiled crates): CARGO_TARGET_DIR or ~/.cache/openvpp/target.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export const targetDir = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'openvpp', 'target');

export function cargo(args, opts = {}) {
  const r = spawnSync('cargo', args, {
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: targetDir, RUSTUP_TOOLCHAIN: process.env.RUSTUP_TOOLCHAIN || '1.95.0', ...opts.env },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) cargo(process.argv.slice(2));
