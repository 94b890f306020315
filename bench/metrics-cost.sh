#!/usr/bin/env bash
# Metrics cost: the same wrk load against the app with Metrics:Enabled off and on, in alternating order (off/on, then
# on/off, ...), a fresh app and SQLite file each time. Per start: a warm-up, then a measured window in which the app's
# own CPU time (user + system from /proc/<pid>/stat) is divided by the requests wrk completed. The summary pairs the two
# modes of each round (same machine state) and gives the mean change in CPU per request with a 95 % interval.
#   bash bench/metrics-cost.sh [ROUNDS=10] [SECONDS=10]
#   bash bench/metrics-cost.sh profile [SECONDS=30] [true|false]
# The second form profiles one app (metrics on by default) under the same load with perf (call stacks, managed names
# through DOTNET_PerfMapEnabled, see measure) while /metrics is scraped every 15 s, and prints the share of the app's CPU samples
# inside metric recording and export (bench/metrics-profile.py).
# `perf stat -e instructions` would count instructions instead of time; on this machine's VM the counter is
# "<not supported>", so CPU time is what is measured.
set -euo pipefail
profile=false; if [ "${1:-}" = profile ]; then profile=true; shift; fi
if [ $profile = true ]; then seconds=${1:-30}; profile_mode=${2:-true}; else rounds=${1:-10}; seconds=${2:-10}; fi
root="$(cd "$(dirname "$0")/.." && pwd)"; work=$(mktemp -d); cd "$work"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/NowOnline.Load" -c Release -nologo -v q -clp:ErrorsOnly > /dev/null
dotnet "$root/bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Load.dll" write-bodies bodies.jsonl > /dev/null
app=${METRICS_COST_APP:-$root/bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Web.dll}
# METRICS_COST_REFERENCE_APP=<another build's NowOnline.Web.dll> adds a third mode, "ref": that build with metrics on.
ref_app=${METRICS_COST_REFERENCE_APP:-}
port=${METRICS_COST_PORT:-5191}
tick_ms=$(echo "1000 / $(getconf CLK_TCK)" | bc -l)
[ $profile = true ] || echo "# $(date -u '+%F %T') UTC, $(nproc) cores, $rounds rounds of metrics off, on${ref_app:+ and ref (on, $ref_app)}, ${seconds} s measured each, git $(git -C "$root" rev-parse --short HEAD)"

measure() { # mode (false, true, ref) -> prints "requests ticks load1"
  local mode=$1 dll=$app
  if [ "$mode" = ref ]; then mode=true; dll=$ref_app; fi
  rm -rf db; mkdir db
  local profiling=()
  # Profiles name every managed frame: perf map on, no W^X double mapping, no precompiled (R2R) code, and fully
  # optimized JIT code from the start, so the short warm-up reaches steady state.
  [ $profile = true ] && profiling=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 DOTNET_TieredCompilation=0)
  env "${profiling[@]}" ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__NowOnline="Data Source=$PWD/db/n.db" Ingestion__ApiKeys__0=k \
  Ingestion__RateLimitPermits=10000000 Simulator__Enabled=false Logging__LogLevel__Default=Warning \
  Admin__Email=a@example.com Admin__Password=Bench-Only-Password-1 Metrics__Enabled=$mode \
  dotnet "$dll" --urls http://127.0.0.1:$port > app.log 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:$port/healthz/ready && break; sleep 0.5; done
  wrk -t2 -c16 -d5s -s "$root/bench/wrk/batches.lua" http://127.0.0.1:$port -- bodies.jsonl k $RANDOM 10000000 > /dev/null 2>&1
  [ "$mode" = true ] && curl -s -o /dev/null http://127.0.0.1:$port/metrics # the scrape's code is compiled before the window
  local t0 t1 out
  if [ $profile = true ]; then
    perf record -F 499 -g -p $pid -o perf.data -- sleep "$seconds" > /dev/null 2>&1 &
    local perf=$!
    (for _ in $(seq 1 $((seconds / 15 + 1))); do curl -s -o /dev/null http://127.0.0.1:$port/metrics; sleep 15; done) &
    local scraper=$!
  fi
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$(wrk -t2 -c16 -d${seconds}s -s "$root/bench/wrk/batches.lua" http://127.0.0.1:$port -- bodies.jsonl k $RANDOM 10000000 2>&1)
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  if [ $profile = true ]; then
    wait $perf || true; kill $scraper 2>/dev/null || true
    perf script -i perf.data 2> /dev/null > perf.txt
    python3 "$root/bench/metrics-profile.py" < perf.txt >&2
    [ -n "${METRICS_COST_KEEP:-}" ] && cp perf.txt "$METRICS_COST_KEEP"
    rm -f /tmp/perf-$pid.map /tmp/perfinfo-$pid.map
  fi
  local scrape; scrape=$(curl -s http://127.0.0.1:$port/metrics || true)
  kill $pid; wait $pid 2>/dev/null || true
  if [ "$mode" = true ] && ! grep -q '^nowonline_events_accepted_total' <<< "$scrape"; then
    echo "metrics on but /metrics has no nowonline_events_accepted_total" >&2; exit 1
  fi
  echo "$(echo "$out" | awk '/requests in/ {print $1}') $((t1 - t0)) $(cut -d' ' -f1 /proc/loadavg)"
}

if [ $profile = true ]; then
  echo "# $(date -u '+%F %T') UTC, profile: metrics=$profile_mode, ${seconds} s, git $(git -C "$root" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
  read -r q c l <<< "$(measure $profile_mode)"
  echo "requests $q, app CPU $(echo "$c * $tick_ms" | bc) ms, load after $l"
  exit 0
fi

results=()
modes="false true"; [ -n "$ref_app" ] && modes="false true ref"
for round in $(seq 1 "$rounds"); do
  read -ra all <<< "$modes"; k=$(( (round - 1) % ${#all[@]} )); order="${all[*]:k} ${all[*]:0:k}"
  declare -A r=()
  line="round $(printf %2d $round)"
  for mode in $order; do r[$mode]=$(measure $mode); done
  row=""
  for mode in $modes; do
    read -r q c l <<< "${r[$mode]}"
    us=$(echo "$c * $tick_ms * 1000 / $q" | bc -l)
    line+=$(printf '  %s: %6d req %6.0f us CPU/req (load %s)' "$mode" "$q" "$us" "$l")
    row+="$us $q "
  done
  echo "$line"
  results+=("$row")
  unset r
done

printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics as s
modes = sys.argv[1].split()
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
cpu = {m: [r[2 * i] for r in rows] for i, m in enumerate(modes)}
req = {m: [r[2 * i + 1] for r in rows] for i, m in enumerate(modes)}
t95 = {2: 12.71, 3: 4.30, 4: 3.18, 5: 2.78, 6: 2.57, 7: 2.45, 8: 2.36, 9: 2.31, 10: 2.26, 11: 2.23, 12: 2.20, 13: 2.18,
       14: 2.16, 15: 2.14, 16: 2.13, 17: 2.12, 18: 2.11, 19: 2.10, 20: 2.09}.get(len(rows), 2.0)
def ci(xs):
    m = s.mean(xs); h = t95 * s.stdev(xs) / len(xs) ** 0.5
    return f"{m:+.1f} % (95 % interval {m - h:+.1f} to {m + h:+.1f} %, sd {s.stdev(xs):.1f}, median {s.median(xs):+.1f} %)"
print("CPU per request: " + ", ".join(f"{m} {s.mean(cpu[m]):.0f} us (sd {s.stdev(cpu[m]):.0f})" for m in modes))
for m in modes[1:]:
    dcpu = ci([(b / a - 1) * 100 for a, b in zip(cpu["false"], cpu[m])])
    dreq = ci([(b / a - 1) * 100 for a, b in zip(req["false"], req[m])])
    print(f"{m} vs off, paired by round: CPU per request {dcpu}")
    print(f"{m} vs off, paired by round: requests completed {dreq}")
' "$modes"
