#!/usr/bin/env bash
# What one request costs the server, where req/s alone swings too much to compare builds: the service's own CPU
# time (utime + stime from /proc/PID/stat) over a wrk run, divided by the requests answered; with the young
# collections and the bytes allocated per request (from the service's /metrics). The bare stack (bench/BareCeiling)
# is measured the same way beside it, in alternated rounds. Loopback only; stops what it started.
#   bash bench/cpu-per-request.sh              # 3 rounds of 6 s at 32 connections, the shipped log level
#   ROUNDS=5 LOG_LEVEL=Warning bash bench/cpu-per-request.sh
# Any DOTNET_* / Logging__* variable passed as NAME=value after the script reaches the service, e.g.
#   bash bench/cpu-per-request.sh DOTNET_gcServer=0
# Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-6}
LOG_LEVEL=${LOG_LEVEL:-Information}
source bench/service.sh
start_service 5096 Logging__LogLevel__Default="$LOG_LEVEL" "$@"
start_bare 5094

cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# (The scrape is read whole before awk looks at it: awk leaving early would end curl with SIGPIPE, and the script with it.)
metric() { local text; text=$(curl -s "127.0.0.1:$port/metrics"); awk -v m="$1" 'index($0, m) == 1 && !found { print $2; found = 1 }' <<<"$text"; }
# One run: req/s and server CPU in microseconds per request (clock ticks are 10 ms).
measure() {
  local target=$1 url=$2 before after result requests
  before=$(cpu "$target")
  result=$(wrk -t2 -c32 -d"${DURATION}s" -s "$work/post.lua" "$url")
  after=$(cpu "$target")
  requests=$(awk '/requests in/ { print $1 }' <<<"$result")
  awk -v r="$requests" -v d="$DURATION" -v b="$before" -v a="$after" 'BEGIN { printf "%.0f req/s, %.1f us CPU per request", r / d, (a - b) * 10000 / r }'
}
# Warm both (tiered compilation), then measure.
wrk -t2 -c32 -d5s -s "$work/post.lua" "http://127.0.0.1:5094/" >/dev/null
wrk -t2 -c32 -d5s -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/diagnose" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  bare=$(measure "$bare_pid" "http://127.0.0.1:5094/")
  gc0=$(metric 'dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"}')
  bytes0=$(metric 'dotnet_gc_heap_total_allocated_bytes_total')
  diagnose=$(measure "$pid" "http://127.0.0.1:$port/api/v1/diagnose")
  gc1=$(metric 'dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"}')
  bytes1=$(metric 'dotnet_gc_heap_total_allocated_bytes_total')
  requests=$(awk -v s="$diagnose" 'BEGIN { split(s, a, " "); print a[1] }')
  awk -v g="$((gc1 - gc0))" -v b0="$bytes0" -v b1="$bytes1" -v n="$requests" -v d="$DURATION" \
    -v bare="$bare" -v diag="$diagnose" -v round="$round" \
    'BEGIN { printf "round %d: bare %s; diagnose %s, %.2f gen-0 collections per 1,000 requests, %.0f bytes allocated per request\n",
      round, bare, diag, g * 1000 / (n * d), (b1 - b0) / (n * d) }'
done
echo "resident set of the service after the rounds: $(awk '/VmRSS/ { print $2 / 1024 " MB" }' "/proc/$pid/status")"
