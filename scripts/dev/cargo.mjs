#!/usr/bin/env node
// Runs cargo with the project's shared target dir (outside the clone, so CI and later
// sessions reuse compiled crates): CARGO_TARGET_DIR or ~/.cache/openvpp/target.
//
// One build serves clippy, the tests, the addon and the IDL (see also crates/ovpp-idl): the
// workspace's own crates are
// always compiled by clippy-driver (RUSTC_WORKSPACE_WRAPPER, exactly what `cargo clippy` uses)
// in the same dev profile, so `node scripts/dev/cargo.mjs clippy <args> -- -D warnings` is a normal
// `cargo build <args>` that fails on any warning, instead of a separate `cargo check` pass whose
// metadata-only dependencies a test build cannot reuse. Dependencies are unaffected by the
// wrapper.
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
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  try {
    if (fs.statSync(path.join(root, '.git')).isFile()) return `${base}-${path.basename(root)}`;
  } catch {
    // not a git checkout: use the shared dir
  }
  return base;
}

export const targetDir = process.env.CARGO_TARGET_DIR || defaultTargetDir();
const toolchain = process.env.RUSTUP_TOOLCHAIN || '1.95.0';

function clippyDriver() {
  if (process.env.OVPP_NO_CLIPPY) return undefined;
  const r = spawnSync('rustup', ['which', '--toolchain', toolchain, 'clippy-driver'], { encoding: 'utf8' });
  const driver = r.status === 0 ? r.stdout.trim() : '';
  return driver && fs.existsSync(driver) ? driver : undefined;
}

// anchor-syn reads these at compile time (`option_env!`), so they are part of its fingerprint:
// give every build the values the IDL build (crates/ovpp-idl) runs with, or each IDL check
// and each test build would recompile the anchor crates and everything above them.
// RESOLUTION=TRUE puts PDA seeds, relations and constant addresses in the IDLs (what lets
// Anchor's `Program` resolve accounts); crates/ovpp-idl builds with `.resolution(true)` to match.
const ANCHOR_IDL_ENV = {
  ANCHOR_IDL_BUILD_NO_DOCS: 'FALSE',
  ANCHOR_IDL_BUILD_RESOLUTION: 'TRUE',
  ANCHOR_IDL_BUILD_SKIP_LINT: 'FALSE',
};

function env(extra = {}) {
  const driver = clippyDriver();
  return {
    ...process.env,
    ...ANCHOR_IDL_ENV,
    CARGO_TARGET_DIR: targetDir,
    RUSTUP_TOOLCHAIN: toolchain,
    ...(driver ? { RUSTC_WORKSPACE_WRAPPER: driver } : {}),
    ...extra,
  };
}

export function cargo(args, opts = {}) {
  if (args[0] === 'clippy') return clippy(args.slice(1), opts);
  const r = spawnSync('cargo', args, { stdio: 'inherit', env: env(opts.env) });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * `cargo clippy <args> [-- <lint flags>]` as a build: prints every diagnostic (cargo replays the
 * cached ones of crates that are up to date) and fails when there is an error, or any warning
 * when the lint flags include `-D warnings`.
 */
function clippy(args, opts = {}) {
  const sep = args.indexOf('--');
  const cargoArgs = sep < 0 ? args : args.slice(0, sep);
  const lintArgs = sep < 0 ? [] : args.slice(sep + 1);
  // `-D warnings` is applied here, from the diagnostics; other lint flags go to clippy-driver
  // (they change the workspace crates' fingerprints, so those are rebuilt).
  const flags = lintArgs.join(' ').replace(/\s+/g, ' ').trim();
  const denyWarnings = /(^| )(-D warnings|--deny warnings|-Dwarnings)( |$)/.test(flags);
  const rest = flags.replace(/(^| )(-D warnings|--deny warnings|-Dwarnings)(?= |$)/g, '').trim();
  const extra = rest ? { CLIPPY_ARGS: rest.split(' ').join('__CLIPPY_HACKERY__'), ...opts.env } : opts.env;
  const driver = clippyDriver();
  if (!driver) {
    console.error('cargo.mjs: clippy-driver not found (rustup component add clippy)');
    process.exit(1);
  }
  const r = spawnSync('cargo', ['build', '--message-format=json', ...cargoArgs], {
    stdio: ['inherit', 'pipe', 'inherit'],
    env: env(extra),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  let warnings = 0;
  let errors = 0;
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason !== 'compiler-message') continue;
    const { level, rendered, message } = msg.message;
    // Skip the compiler's summaries ("2 warnings emitted", "aborting due to ...").
    if (/^(\d+ warnings? emitted|aborting due to)/.test(message)) continue;
    if (level === 'warning') warnings++;
    if (level === 'error') errors++;
    if (rendered) process.stderr.write(rendered);
  }
  if (r.status !== 0 || errors > 0) process.exit(r.status || 1);
  if (denyWarnings && warnings > 0) {
    console.error(`clippy: ${warnings} warning(s), denied by -D warnings`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) cargo(process.argv.slice(2));
