#!/usr/bin/env bash
# The test command: set-up, static checks (rustfmt, clippy -D warnings, prettier, tsc, IDL
# drift), then the Rust suites (solana-program-test, including the invariant fuzzing), the
# TypeScript suites (napi runtime, openssl differential certificates, packaging) and the
# schemathesis API contract.
#
# One Rust build serves every step: `npm run lint`'s clippy is a `cargo build --workspace
# --all-targets` whose workspace crates go through clippy-driver (scripts/dev/cargo.mjs), so the
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
# The real protocol peers of the interop suite, in a cache outside the clone (scripts/peers.sh
# skips what is present). The OpenADR VTN is a long cold `cargo install` (16 min measured): it
# builds in the background while the rest of the suite runs, and the interop step waits for it.
PEERS_DIR=${OVPP_PEERS:-$HOME/.cache/openvpp/peers}
mkdir -p "$PEERS_DIR"
step bash scripts/peers.sh install pki
step bash scripts/peers.sh install ocpp
step bash scripts/peers.sh install 2030
(nice -n 5 bash scripts/peers.sh install vtn >"$PEERS_DIR/vtn-install.log" 2>&1; echo $? >"$PEERS_DIR/vtn-install.rc") &
VTN_INSTALL=$!
step npm run lint
step npm run typecheck
step node scripts/dev/idl.mjs --check
step node scripts/dev/codegen.mjs --check
step npm run build
# The HTTP API against its own OpenAPI document: schemathesis, every check, fixed seed.
step bash scripts/contract.sh
step npm run test:rust
# The demo end to end on a small fleet (the README's `npm run demo` runs 1,000 devices).
step env DEVICES=25 npx ts-node -r tsconfig-paths/register -P tsconfig.json scripts/demo/demo.ts
# Against the real OCPP, OpenADR 3 and IEEE 2030.5 peers (127.0.0.1 only), every suite required.
wait_vtn() {
  wait "$VTN_INSTALL" || true
  if [ "$(cat "$PEERS_DIR/vtn-install.rc" 2>/dev/null)" != 0 ]; then
    tail -20 "$PEERS_DIR/vtn-install.log"
    echo "test.sh: installing the OpenADR VTN failed (log: $PEERS_DIR/vtn-install.log)"
    return 1
  fi
}
step wait_vtn
OVPP_REQUIRE_PEERS=1 step npm run test:interop
# Last, so its closing 'N passed, N failed' line ends the output.
step npm run test:ts
echo "test.sh: total $SECONDS s"
