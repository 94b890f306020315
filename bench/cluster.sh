#!/usr/bin/env bash
# Several nodes on one PostgreSQL, measured in one run, written as a markdown section to paste into docs/performance.md:
#   bash bench/cluster.sh --quick   # a few minutes: one round, 60 latency samples, catch-up after 100,000 events
#   bash bench/cluster.sh           # full: two alternating rounds, 400 samples, catch-up after 1,000,000 events
# Starts a private PostgreSQL (the highest version installed; temp folder, free loopback port, fsync on; removed at the end), then NowOnline.Load's
# cluster mode starts the nodes (Release build, `dotnet NowOnline.Web.dll`, one process each) and measures: durable
# events/s through two nodes next to one node on SQLite (wrk, bench/wrk/batches.lua), cross-node latency p50/p99, and
# the catch-up time of a node restarted after N events. Writes bench/results/cluster.md and, when every part was
# measured, bench/cluster-figures.md, which bench/run.sh puts into docs/performance.md.
# Exit status 3: the nodes do not share one online list in this build, so the cross-node figures were not measured
# (each phase is bounded; nothing waits for ever).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=""
if [ "${1:-}" = "--quick" ]; then quick="--quick"; fi
results="$PWD/bench/results"
mkdir -p "$results"
rm -f "$results/cluster.md" "$results/cluster-servers.log"

command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null; }
# The highest PostgreSQL installed (any from 15 up); Debian's default when there is none.
ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -t/ -k4 -n | tail -n 1)

echo "== build (Release)"
dotnet build NowOnline.Web/NowOnline.Web.csproj -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/NowOnline.Load/NowOnline.Load.csproj -c Release -nologo -v q -clp:ErrorsOnly

echo "== private PostgreSQL"
pgdata=$(mktemp -d /tmp/nowonline-cluster-pg-XXXXXX)
# A free loopback port: nothing answers on it.
port=$((20000 + RANDOM % 30000))
while (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do port=$((20000 + RANDOM % 30000)); done
# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
  as_owner "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$pgdata"
}
trap stop_postgres EXIT
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdata"
as_owner "$pgbin/initdb" -D "$pgdata" -A trust -U postgres > /dev/null
as_owner "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" \
  -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c max_connections=300" start > /dev/null
echo "PostgreSQL on 127.0.0.1:$port"

echo "== nodes and load (NowOnline.Load cluster ${quick})"
status=0
dotnet bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Load.dll cluster $quick \
  --postgres "Host=127.0.0.1;Port=$port;Username=postgres;Maximum Pool Size=100" \
  --app "$PWD/NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll" --wrk-script "$PWD/bench/wrk/batches.lua" \
  --out "$results/cluster.md" --log "$results/cluster-servers.log" || status=$?

if [ -f "$results/cluster.md" ]; then
  echo; cat "$results/cluster.md"; echo
  echo "Section written to bench/results/cluster.md; node output in bench/results/cluster-servers.log."
  if [ "$status" -eq 0 ]; then
    # Kept beside the performance notes: bench/run.sh's report (docs/performance.md) includes it.
    cp "$results/cluster.md" bench/cluster-figures.md
    echo "Copied to bench/cluster-figures.md, which docs/performance.md includes when bench/run.sh writes it."
  fi
fi
if [ "$status" -eq 3 ]; then
  echo "cluster.sh: FAILED - the nodes do not share one online list; cross-node latency and catch-up were not measured." >&2
elif [ "$status" -ne 0 ]; then
  echo "cluster.sh: FAILED with status $status (see above and bench/results/cluster-servers.log)." >&2
fi
exit "$status"
