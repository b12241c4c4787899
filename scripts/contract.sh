#!/usr/bin/env bash
# API contract test: schemathesis (PyPI) against /openapi.json of a seeded embedded service on
# 127.0.0.1. All checks, a fixed hypothesis seed and a bounded number of examples, so the run is
# reproducible; about 30 s on 2 cores (server start included). Zero failures expected.
#
#   bash scripts/contract.sh            (MAX_EXAMPLES=100 SEED=20261126)
#
# Schemathesis is installed once into a cached venv under ~/.cache/openvpp/ (pinned version).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV="${OPENVPP_CONTRACT_VENV:-$HOME/.cache/openvpp/schemathesis-$SCHEMATHESIS_VERSION}"
if [ ! -x "$VENV/bin/st" ]; then
  # Debian ships venv's pip bootstrap separately.
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# Start the seeded service; it prints one JSON line with its URL and API key.
coproc SERVER { exec node node_modules/ts-node/dist/bin.js -r tsconfig-paths/register -P tsconfig.json scripts/contract/server.ts; }
server_pid=$SERVER_PID
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
read -r -t 180 line <&"${SERVER[0]}"
field() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$line" "$1"; }
url=$(field url)
api_key=$(field apiKey)

# Schemathesis keeps a crash cache in its working directory: run it in a fresh one, so every
# run is the same (seeded) run and the clone stays clean.
work=$(mktemp -d)
config="$work/schemathesis.toml"
hooks="$PWD/scripts/contract"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# Half of the read requests use the seeded world's real keys, so the 200 responses (and their
# schemas) are exercised too, not only 400/404. Writes keep random keys: a real enrollment
# could legitimately be refused by the program (422) for schema-valid input.
cat >"$config" <<TOML
[dictionaries.devices]
values = ["$(field device)"]
[dictionaries.programs]
values = ["$(field program)"]
[dictionaries.deviceKeys]
values = ["$(field deviceKey)"]
[dictionaries.lfdis]
values = ["$(field lfdi)"]

[parameters]
"query.device" = { dictionary = "devices", probability = 0.5 }
"query.program" = { dictionary = "programs", probability = 0.5 }
"path.deviceKey" = { dictionary = "deviceKeys", probability = 0.5 }
"path.lfdi" = { dictionary = "lfdis", probability = 0.5 }

# Per-day reads take at most 366 days: a cross-field rule JSON Schema cannot state, so a
# schema-valid from..to range may be refused with 400 InvalidRange.
[[operations]]
include-path-regex = "/(energy|revenue)$"
[operations.checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404"]

# History cursors are the indexer's opaque keys: a schema-valid string that is not one the API
# returned is refused with 400 InvalidCursor.
[[operations]]
include-path-regex = "/history$"
[operations.checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404"]
TOML

cd "$work"
SCHEMATHESIS_HOOKS=api_contract_hooks PYTHONPATH="$hooks" \
  timeout 170 "$VENV/bin/st" --config-file "$config" run "$url/openapi.json" \
  --checks all \
  --max-examples "${MAX_EXAMPLES:-100}" \
  --seed "${SEED:-20261126}" \
  --header "x-api-key: $api_key" \
  --request-timeout 10 \
  --workers 1 \
  --no-color
