#!/usr/bin/env bash
# The test command: set-up, static checks (rustfmt, clippy -D warnings, prettier, tsc, IDL
# drift), then the Rust suites (solana-program-test) and the TypeScript suites (napi runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npm run lint
npm run typecheck
node scripts/idl.mjs --check
npm test
