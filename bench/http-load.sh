#!/usr/bin/env bash
# HTTP throughput and latency of POST /api/v1/diagnose against the ceiling of the same process's HTTP stack
# (POST /bench/baseline: parse a JSON body, answer a fixed JSON object), with wrk on loopback, and the same
# load while the rules reload every second. The machine is shared and its speed drifts, so the endpoints are
# measured in interleaved rounds (baseline, diagnose, diagnose while reloading) and each ratio is taken
# within a round; the summary gives the median round.
# Bounded: ROUNDS x 3 runs of DURATION seconds; the script stops the service it started.
#   bash bench/http-load.sh            # 32 connections, 2 threads, 3 rounds of 10 s runs
#   LOG_LEVEL=Information bash bench/http-load.sh   # with the audit line of every diagnosis on the console
# Needs Debian's wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
LOG_LEVEL=${LOG_LEVEL:-Warning}
source bench/service.sh
start_service 5098 Benchmarks__BaselineEndpoint=true Logging__LogLevel__Default="$LOG_LEVEL"

run() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port$1" | grep RESULT; }
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
# Warm both paths first (JIT, tiered compilation), then measure.
wrk -t2 -c8 -d3s -s "$work/post.lua" "http://127.0.0.1:$port/bench/baseline" >/dev/null
wrk -t2 -c8 -d3s -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/diagnose" >/dev/null

: > "$work/rounds"
for round in $(seq 1 "$ROUNDS"); do
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
  p99ratio=$(awk -v r="$(field p99_ms "$reloading")" -v s="$(field p99_ms "$diagnose")" 'BEGIN { printf "%.2f", r / s }')
  echo "round $round: baseline $(field rps "$baseline") req/s p99 $(field p99_ms "$baseline") ms;" \
    "diagnose $(field rps "$diagnose") req/s p50 $(field p50_ms "$diagnose") p99 $(field p99_ms "$diagnose") ms;" \
    "reloading $(field rps "$reloading") req/s p99 $(field p99_ms "$reloading") ms;" \
    "diagnose/baseline $(awk -v r="$ratio" 'BEGIN { printf "%.0f%%", 100 * r }'); p99 reloading/steady $p99ratio"
  echo "$ratio $(field p99_ms "$diagnose") $p99ratio" >> "$work/rounds"
done
median() { cut -d' ' -f"$1" "$work/rounds" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "median of $ROUNDS rounds: diagnose/baseline $(awk -v r="$(median 1)" 'BEGIN { printf "%.0f%%", 100 * r }')" \
  "(target >= 60%), diagnose p99 $(median 2) ms (target < 10 ms), p99 reloading/steady $(median 3) (target <= 2)"
