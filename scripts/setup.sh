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
# OpenSSL headers + pkg-config for openssl-sys (solana-runtime's precompiles), Node.js >= 20.
need=()
command -v cc >/dev/null || need+=(build-essential)
command -v pkg-config >/dev/null || need+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
# The certificate tests compare the service's verdicts with the openssl command's.
command -v openssl >/dev/null || need+=(openssl)
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

# Rust: the toolchain pinned in rust-toolchain.toml, with rustfmt and clippy.
rustup component add --toolchain "$RUSTUP_TOOLCHAIN" rustfmt clippy >/dev/null 2>&1 || true

# npm packages, exactly as locked; skipped when node_modules already matches the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
