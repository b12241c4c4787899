#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with Rust (rustup) and root access: installs the
# Debian packages, Rust components and npm packages the project needs. Sourced by test.sh and
# demo.sh; safe to run repeatedly.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Shared, persistent Rust build cache outside the clone (re-used by later runs and CI).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/openvpp/target}"
export RUSTUP_TOOLCHAIN="${RUSTUP_TOOLCHAIN:-1.95.0}"

# Debian packages: a C toolchain for the -sys crates (bzip2/lz4/zstd build from source),
# OpenSSL headers + pkg-config for openssl-sys (solana-runtime's precompiles), Node.js (engines.node).
need=()
command -v cc >/dev/null || need+=(build-essential)
command -v pkg-config >/dev/null || need+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
# The certificate tests compare the service's verdicts with the openssl command's.
command -v openssl >/dev/null || need+=(openssl)
# Node.js: the one line every package.json declares (engines.node, e.g. ">=20.18.0").
node_ok() {
  node -e '
    const need = require("./package.json").engines.node.replace(/^>=\s*/, "").split(".").map(Number);
    const have = process.versions.node.split(".").map(Number);
    for (let i = 0; i < 3; i++) if ((have[i] || 0) !== (need[i] || 0)) process.exit(have[i] > need[i] ? 0 : 1);
  ' 2>/dev/null
}
node_ok || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

if ! node_ok; then
  echo "setup: Node.js $(node -v 2>/dev/null || echo 'is not installed') does not satisfy engines.node $(sed -n 's/.*"node": *"\(.*\)".*/\1/p' package.json | head -1) of package.json; install a newer Node.js (e.g. from NodeSource or nvm) and run again" >&2
  return 1 2>/dev/null || exit 1
fi

# Rust: the toolchain pinned in rust-toolchain.toml, with rustfmt and clippy.
rustup component add --toolchain "$RUSTUP_TOOLCHAIN" rustfmt clippy >/dev/null 2>&1 || true

# npm packages, exactly as locked; skipped when node_modules already matches the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The reference runtimes of the bench and of the bankrun compatibility suite (solana-bankrun,
# litesvm). `npm install`, not `npm ci`: litesvm's optional per-platform packages are not all
# published to every registry, and `npm ci` refuses a lockfile without them.
# (They lived in bench/node_modules before bench/bench.ts moved there: a stale copy would shadow the
# project's own @solana/web3.js for the bench, so it goes.)
[ -f bench/package.json ] || rm -rf bench/node_modules
if [ ! -f bench/runtimes/node_modules/.package-lock.json ] || [ bench/runtimes/package-lock.json -nt bench/runtimes/node_modules/.package-lock.json ]; then
  npm install --prefix bench/runtimes --no-audit --no-fund
fi
