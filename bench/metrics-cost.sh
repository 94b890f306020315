#!/usr/bin/env bash
# Metrics cost: the same wrk load against the app with Metrics:Enabled off and on, alternating, fresh SQLite file each.
root="$(cd "$(dirname "$0")/.." && pwd)"; work=$(mktemp -d); cd "$work"; dotnet build "$root/bench/NowOnline.Load" -c Release -nologo -v q -clp:ErrorsOnly > /dev/null; dotnet "$root/bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Load.dll" write-bodies bodies.jsonl
app=$root/bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Web.dll
port=5191
trap "rm -rf $work" EXIT
for round in 1 2 3; do for mode in false true; do
  rm -rf db; mkdir db
  ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__NowOnline="Data Source=$PWD/db/n.db" Ingestion__ApiKeys__0=k \
  Ingestion__RateLimitPermits=10000000 Simulator__Enabled=false Logging__LogLevel__Default=Warning \
  Admin__Email=a@example.com Admin__Password=Bench-Only-Password-1 Metrics__Enabled=$mode \
  dotnet $app --urls http://127.0.0.1:$port > app.log 2>&1 &
  pid=$!
  for i in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:$port/healthz && break; sleep 0.5; done
  wrk -t2 -c16 -d4s -s $root/bench/wrk/batches.lua http://127.0.0.1:$port -- bodies.jsonl k $RANDOM 100000 > /dev/null 2>&1 # warm-up
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$(wrk -t2 -c16 -d10s -s $root/bench/wrk/batches.lua http://127.0.0.1:$port -- bodies.jsonl k $RANDOM 100000 2>&1)
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  rps=$(echo "$out" | grep "Requests/sec" | awk '{print $2}')
  scraped=$( [ $mode = true ] && curl -s http://127.0.0.1:$port/metrics | grep -c '^nowonline_events_accepted_total' || echo -)
  echo "round $round metrics=$mode requests/s=$rps events/s=$(echo "$rps*100" | bc) app_cpu_ticks=$((t1-t0)) scrape_has_accepted=$scraped"
  kill $pid; wait $pid 2>/dev/null
done; done
