#!/usr/bin/env bash
# HTTP throughput and latency of POST /api/v1/diagnose against two ceilings, with wrk on loopback: the bare
# ASP.NET Core stack (bench/BareCeiling: a minimal API in its own process, no middleware, no logging, that parses
# the same JSON body and answers a small fixed object) and the service's own pipeline (POST /bench/baseline: the
# same parse and answer behind every middleware of the service); and diagnose while the rules reload every
# second. The machine is shared and its speed drifts, so the endpoints are measured in interleaved rounds (bare,
# baseline, diagnose, diagnose while reloading) and each ratio is taken within a round; the summary gives the
# median round. Bounded: three warm-ups of WARMUP and ROUNDS x 4 runs of DURATION seconds; the script stops the
# processes it started.
#   bash bench/http-load.sh            # 32 connections, 2 threads, 3 rounds of 10 s runs, the shipped log level
#   LOG_LEVEL=Warning bash bench/http-load.sh       # without the audit line of every diagnosis
# Needs Debian's wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
LOG_LEVEL=${LOG_LEVEL:-Information}
source bench/service.sh
start_service 5098 Benchmarks__BaselineEndpoint=true Logging__LogLevel__Default="$LOG_LEVEL"
start_bare 5097

run() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "${2:-http://127.0.0.1:$port}$1" | grep RESULT; }
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
# Warm every path first (JIT, tiered compilation), then measure. Under this load the runtime goes on promoting
# methods for about ten seconds (the service's perf map grows from 13,700 to 18,000 methods over the first ten seconds
# of wrk at 32 connections, then by a few dozen: docs/performance.md, session 10), so each path is warmed that long, at
# the connections it is measured with; three seconds at 8 connections had measured the first round partly unoptimized.
WARMUP=${WARMUP:-10}
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" "http://127.0.0.1:5097/" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" "http://127.0.0.1:$port/bench/baseline" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/diagnose" >/dev/null

: > "$work/rounds"
for round in $(seq 1 "$ROUNDS"); do
  bare=$(run / http://127.0.0.1:5097)
  baseline=$(run /bench/baseline)
  diagnose=$(run /api/v1/diagnose)
  # A valid edit of the replies every second beside the traffic: each one a full compile, validate,
  # warm and swap.
  (
    end=$(( $(date +%s) + DURATION ))
    i=0
    while [ "$(date +%s)" -lt "$end" ]; do
      i=$((i + 1))
      sed -i "s/建议用户再关注[^\"]*\"/建议用户再关注。r$round-$i\"/" "$work/rules/replies.json"
      sleep 1
    done
  ) &
  editor=$!
  reloading=$(run /api/v1/diagnose)
  wait $editor
  ratio=$(awk -v d="$(field rps "$diagnose")" -v b="$(field rps "$baseline")" 'BEGIN { printf "%.3f", d / b }')
  bareratio=$(awk -v d="$(field rps "$diagnose")" -v b="$(field rps "$bare")" 'BEGIN { printf "%.3f", d / b }')
  p99ratio=$(awk -v r="$(field p99_ms "$reloading")" -v s="$(field p99_ms "$diagnose")" 'BEGIN { printf "%.2f", r / s }')
  pct() { awk -v r="$1" 'BEGIN { printf "%.0f%%", 100 * r }'; }
  echo "round $round: bare $(field rps "$bare") req/s p99 $(field p99_ms "$bare") ms;" \
    "baseline $(field rps "$baseline") req/s p99 $(field p99_ms "$baseline") ms;" \
    "diagnose $(field rps "$diagnose") req/s p50 $(field p50_ms "$diagnose") p99 $(field p99_ms "$diagnose") ms;" \
    "reloading $(field rps "$reloading") req/s p99 $(field p99_ms "$reloading") ms;" \
    "diagnose/bare $(pct "$bareratio"); diagnose/baseline $(pct "$ratio"); p99 reloading/steady $p99ratio"
  echo "$ratio $(field p99_ms "$diagnose") $p99ratio $bareratio" >> "$work/rounds"
done
median() { cut -d' ' -f"$1" "$work/rounds" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "median of $ROUNDS rounds: diagnose/bare $(awk -v r="$(median 4)" 'BEGIN { printf "%.0f%%", 100 * r }') (target >= 60%)," \
  "diagnose/baseline $(awk -v r="$(median 1)" 'BEGIN { printf "%.0f%%", 100 * r }')," \
  "diagnose p99 $(median 2) ms (target < 10 ms), p99 reloading/steady $(median 3) (target <= 2)"
