#!/usr/bin/env bash
# The performance suite in one command. Builds the bench tools in Release, measures every target, and WRITES
# docs/performance.md (machine, command, each figure next to its target, the baseline ratios).
#   bash bench/run.sh --quick   # under two minutes: smaller rounds, BenchmarkDotNet dry job for the tracker only
#   bash bench/run.sh           # full: longer rounds, BenchmarkDotNet short runs of every class
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
dotnet run --project bench/NowOnline.Load -c Release --no-build -- $quick --app "$PWD/NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll" \
  --wrk-script "$PWD/bench/wrk/batches.lua" --out "$results/load.json"

echo "== report"
bench report --results "$results" --out "$PWD/docs/performance.md" --command "$command" --notes "$PWD/bench/performance-notes.md"
echo "docs/performance.md written in $(( $(date +%s) - started )) s"
