#!/usr/bin/env bash
# Stops what scripts/peers-start.sh started (by the PIDs it recorded; each peer runs in its own process group).
set -uo pipefail
PEERS=${OVPP_PEERS:-$HOME/.cache/openvpp/peers}
RUN=$PEERS/run
for f in "$RUN"/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null
  rm -f "$f"
done
if [ -f "$RUN/pg.dir" ]; then
  PGD=$(cat "$RUN/pg.dir")
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGD/pginstall/bin/pg_ctl" -D "$PGD/data" -m fast stop >/dev/null 2>&1
  else "$PGD/pginstall/bin/pg_ctl" -D "$PGD/data" -m fast stop >/dev/null 2>&1; fi
  rm -f "$RUN/pg.dir"
fi
echo "peers stopped"
