#!/usr/bin/env bash
# The performance suite in one command. Builds the bench tools in Release, measures every target, and WRITES
# docs/performance.md (machine, command, each figure next to its target, the baseline ratios).
#   bash bench/run.sh --quick   # a few minutes: smaller rounds, BenchmarkDotNet dry job for the tracker only, a short soak
#   bash bench/run.sh           # full: longer rounds, BenchmarkDotNet short runs of every class, the soak to 10,000,000 events
# Everything runs on 127.0.0.1 with temporary SQLite files; every phase is bounded in requests and time.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
quick=""
if [ "${1:-}" = "--quick" ]; then mode=quick; quick="--quick"; fi
command="bash bench/run.sh${quick:+ --quick}"
results="$PWD/bench/results"
started=$(date +%s)

rm -rf "$results"
mkdir -p "$results"
echo "== build (Release)"
dotnet build bench/NowOnline.Bench/NowOnline.Bench.csproj -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/NowOnline.Load/NowOnline.Load.csproj -c Release -nologo -v q -clp:ErrorsOnly
dotnet build NowOnline.Web/NowOnline.Web.csproj -c Release -nologo -v q -clp:ErrorsOnly
command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null; }
# dotnet-counters reads the app's allocations and GC heap from outside (metrics-cost and soak phases); kept in a cache folder.
tools="${XDG_CACHE_HOME:-$HOME/.cache}/nowonline-bench-tools"
[ -x "$tools/dotnet-counters" ] || dotnet tool install dotnet-counters --version 10.0.750501 --tool-path "$tools" > /dev/null \
  || echo "dotnet-counters not installed: allocations and heap sizes are left out"
export DOTNET_COUNTERS="$tools/dotnet-counters"
app="$PWD/NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll"
load() { dotnet run --project bench/NowOnline.Load -c Release --no-build -- "$@"; }

bench() { dotnet run --project bench/NowOnline.Bench -c Release --no-build -- "$@"; }

echo "== in-process scenarios ($mode)"
bench suite $quick --out "$results/bench.json"

echo "== BenchmarkDotNet ($mode)"
if [ "$mode" = quick ]; then
  bench micro --quick --artifacts "$results/bdn" --filter '*ApplyBenchmarks*' > "$results/bdn.log" 2>&1 || { tail -30 "$results/bdn.log"; exit 1; }
else
  bench micro --artifacts "$results/bdn" > "$results/bdn.log" 2>&1 || { tail -30 "$results/bdn.log"; exit 1; }
fi

echo "== HTTP load from a separate process: NowOnline, its floor, the baseline, paced latency, browser ($mode)"
# Each server runs in a process of its own (NowOnline as `dotnet NowOnline.Web.dll`), loaded by wrk (bench/wrk/batches.lua).
# Absolute paths: `dotnet run` starts the tool in its project folder.
load $quick --app "$app" --wrk-script "$PWD/bench/wrk/batches.lua" --out "$results/load.json"

echo "== metrics cost: Metrics:Enabled off and on side by side, alternating wrk rounds, perf share ($mode)"
load metrics-cost $quick --app "$app" --wrk-script "$PWD/bench/wrk/batches.lua" --out "$results/metrics.json"

echo "== soak: resident memory against events accepted, 50,000 sessions ($mode: ${quick:+1,000,000 events or 60 s}${quick:-10,000,000 events or 1,800 s})"
load soak $quick --app "$app" --wrk-script "$PWD/bench/wrk/batches.lua" --out "$results/soak.json"

echo "== report"
bench report --results "$results" --out "$PWD/docs/performance.md" --command "$command" --notes "$PWD/bench/performance-notes.md"
echo "docs/performance.md written in $(( $(date +%s) - started )) s"
