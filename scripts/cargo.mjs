#!/usr/bin/env node
// Runs cargo with the project's shared target dir (outside the clone, so CI and later
// sessions reuse compiled crates): CARGO_TARGET_DIR or ~/.cache/openvpp/target.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A linked git worktree (where `.git` is a file) gets its own target dir: cargo hashes the
// workspace's own crates relative to the workspace root, so two checkouts of this workspace
// sharing one target dir would overwrite each other's artifacts and reuse stale ones.
function defaultTargetDir() {
  const base = path.join(os.homedir(), '.cache', 'openvpp', 'target');
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    if (fs.statSync(path.join(root, '.git')).isFile()) return `${base}-${path.basename(root)}`;
  } catch {
    // not a git checkout: use the shared dir
  }
  return base;
}

export const targetDir = process.env.CARGO_TARGET_DIR || defaultTargetDir();

export function cargo(args, opts = {}) {
  const r = spawnSync('cargo', args, {
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: targetDir, RUSTUP_TOOLCHAIN: process.env.RUSTUP_TOOLCHAIN || '1.95.0', ...opts.env },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) cargo(process.argv.slice(2));
