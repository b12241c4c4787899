#!/usr/bin/env bash
# The test command: set-up, static checks (rustfmt, clippy -D warnings, prettier, tsc, IDL
# drift), then the Rust suites (solana-program-test, including the invariant fuzzing), the
# TypeScript suites (napi runtime, openssl differential certificates, packaging) and the
# schemathesis API contract.
#
# One Rust build serves every step: `npm run lint`'s clippy is a `cargo build --workspace
# --all-targets` whose workspace crates go through clippy-driver (scripts/cargo.mjs), so the
# addon, the Rust tests and the IDL build (crates/ovpp-idl) reuse its dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# The bankrun compatibility suite compares with solana-bankrun itself (installed by setup.sh).
export OVPP_REQUIRE_BANKRUN=1
step() {
  local start=$SECONDS
  "$@"
  echo "test.sh: '$*' took $((SECONDS - start)) s"
}
step npm run lint
step npm run typecheck
step node scripts/idl.mjs --check
step node scripts/codegen.mjs --check
step npm run build
# The HTTP API against its own OpenAPI document: schemathesis, every check, fixed seed.
step bash scripts/contract.sh
step npm run test:rust
# The demo end to end on a small fleet (the README's `npm run demo` runs 1,000 devices).
step env DEVICES=25 npx ts-node -r tsconfig-paths/register -P tsconfig.json scripts/demo.ts
# Last, so its closing 'N passed, N failed' line ends the output.
step npm run test:ts
echo "test.sh: total $SECONDS s"
