#!/usr/bin/env bash
# npm run test:interop: starts the installed peers on 127.0.0.1 (scripts/peers-start.sh), runs
# tests/interop/*.test.ts against them, and stops them again, whatever the outcome. A peer that is
# not installed makes its suite skip with a message, unless OVPP_REQUIRE_PEERS is set (CI sets it).
# Install the peers first with scripts/peers.sh (idempotent; the OpenADR VTN is a long cold build).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
trap 'bash scripts/peers-stop.sh >/dev/null' EXIT
bash scripts/peers-start.sh all || { [ -n "${OVPP_REQUIRE_PEERS:-}" ] && exit 1; }
npx ts-mocha -p tsconfig.json --paths --timeout 60000 --require tests/utils/harness.ts 'tests/interop/**/*.test.ts'
