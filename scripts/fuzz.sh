#!/usr/bin/env bash
# Long stateful invariant fuzzing of the real programs (CI runs a bounded 2,400-step version in
# `cargo test --test invariants`). Usage: bash scripts/fuzz.sh [steps per run] [first seed] [runs]
# Prints steps/s per run and the seed of any failure; replay one with
#   OVPP_FUZZ_SEED=<seed> node scripts/dev/cargo.mjs test -p ovpp-test-utils --test invariants
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
# Program logs (msg!) go to stdout natively; keep only the fuzzer's own lines.
node scripts/dev/cargo.mjs run --quiet -p ovpp-test-utils --bin fuzz -- "${1:-20000}" "${2:-$(date +%s)}" "${3:-1}" \
  | grep -E "^(seed |FAILED |  [a-z_]+ +[0-9]+ tried)"
