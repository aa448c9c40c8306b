#!/usr/bin/env bash
# Every benchmark of docs/performance.md in one go, then the ratios it is judged by. About 15 minutes with
# the defaults; each part can be run on its own with the command named in docs/performance.md.
#   bash bench/run-all.sh
#   JOB=medium bash bench/run-all.sh     # longer BenchmarkDotNet runs (tighter error bars, ~10 more minutes)
#   SKIP=replay bash bench/run-all.sh    # leave out parts: any of dotnet http cpu startup reload replay
# Needs wrk and GNU time (apt-get install wrk time); nothing here is part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
JOB=${JOB:-short}
SKIP=${SKIP:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wanted() { [[ " $SKIP " != *" $1 "* ]]; }

if wanted dotnet; then
  echo "== per diagnosis and per reload (BenchmarkDotNet, --job $JOB)"
  dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --filter '*' --job "$JOB" > "$out/dotnet.txt" 2>&1
  grep -E '^\|' "$out/dotnet.txt" | grep -vE '^\|[- |]+\|$'
  echo "== per diagnosis, paired against the raw engine (drift-proof ratios)"
  dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --paired 1000 | tee "$out/paired.txt"
fi
if wanted http; then
  echo "== HTTP on loopback (bench/http-load.sh)"
  bash bench/http-load.sh | tee "$out/http.txt"
fi
if wanted cpu; then
  echo "== server CPU per request (bench/cpu-per-request.sh)"
  bash bench/cpu-per-request.sh | tee "$out/cpu.txt"
fi
if wanted startup; then
  echo "== cold start and first request (bench/startup.sh)"
  bash bench/startup.sh 7 | tee "$out/startup.txt"
  # The first request as a Deployment sends it: its readiness probe runs every 2 s.
  IDLE=2 FLOOR=0 bash bench/startup.sh 7 | tee "$out/startup-idle.txt"
fi
if wanted reload; then
  echo "== edit to served (bench/reload-latency.sh)"
  bash bench/reload-latency.sh 10 | tee "$out/reload.txt"
fi
if wanted replay; then
  echo "== replay (bench/replay.sh)"
  bash bench/replay.sh | tee "$out/replay.txt"
fi

echo
echo "== the ratios"
if [ -f "$out/dotnet.txt" ]; then
  # Read the columns by their headers: GC columns come and go with the run.
  grep -E '^\|' "$out/dotnet.txt" | awk -F'|' '
    /^\| Method/ { for (i = 2; i < NF; i++) { h = $i; gsub(/^ +| +$/, "", h); col[h] = i } }
    /\(b\) service core path/ { r = $col["Ratio"]; a = $col["Alloc Ratio"]; gsub(/ /, "", r); gsub(/ /, "", a);
      printf "(b)/(a) time %s, allocated %s (BenchmarkDotNet, one run each; target <= 1.0 for both)\n", r, a }'
  grep -F '| (b) service core path |' "$out/paired.txt" | awk -F'|' '{ gsub(/ /, "", $3); gsub(/ /, "", $4); gsub(/ /, "", $6);
    printf "(b)/(a) time %s (middle half %s), allocated %s (paired medians; target <= 1.0 for both)\n", $3, $4, $6 }'
fi
[ -f "$out/http.txt" ] && grep '^median' "$out/http.txt"
if [ -f "$out/cpu.txt" ]; then
  # Medians over the rounds: "round N: bare R req/s, C us CPU per request; diagnose R req/s, C us CPU per request, ..."
  grep '^round' "$out/cpu.txt" | sed -E 's/.*bare [0-9]+ req\/s, ([0-9.]+) us.*diagnose [0-9]+ req\/s, ([0-9.]+) us.*, ([0-9]+) bytes.*/\1 \2 \3/' \
    | sort -k2 -n | awk '{ b[NR] = $1; d[NR] = $2; a[NR] = $3 } END { m = int((NR + 1) / 2);
      printf "server CPU per request: diagnose %s us, bare stack %s us (middle round by diagnose), %s bytes allocated per diagnose request\n", d[m], b[m], a[m] }'
fi
[ -f "$out/startup.txt" ] && grep -h -e '^median' -e '^floor' "$out/startup.txt" "$out/startup-idle.txt"
if [ -f "$out/reload.txt" ]; then
  grep -o 'after [0-9]* ms' "$out/reload.txt" | awk '{ print $2 }' | sort -n \
    | awk '{ a[NR] = $1 } END { printf "edit to served: median %d ms of %d edits (target 2000 ms)\n", a[int((NR + 1) / 2)], NR }'
fi
[ -f "$out/replay.txt" ] && cat "$out/replay.txt"   # target: 100,000 tickets/s on every core, reports identical
exit 0
