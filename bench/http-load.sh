#!/usr/bin/env bash
# HTTP throughput and latency of POST /api/v1/diagnose against the ceiling of the same process's HTTP stack
# (POST /bench/baseline: parse a JSON body, answer a fixed JSON object), with wrk on loopback.
# Bounded: each run lasts DURATION seconds; the script stops the service it started.
#   bash bench/http-load.sh            # 32 connections, 2 threads, 20 s per endpoint
# Needs Debian's wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20}
port=5098
work=$(mktemp -d)
cp -r rules "$work/rules"
dotnet build -c Release src/ComplaintDiagnostics.Api -o "$work/api" >/dev/null
Rules__Path="$work/rules" ASPNETCORE_URLS="http://127.0.0.1:$port" Benchmarks__BaselineEndpoint=true \
  Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$work/api/ComplaintDiagnostics.Api.dll" >"$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"ticketId":"load","receivedAt":"2026-11-28T09:30:00+08:00","complaintType":"voice","networkType":"LTE","service":"voice","timePattern":"sinceDate","location":{"description":"Building 3","area":"urban","indoor":true},"customer":{"tier":"groupLocal"},"source":"store"}'
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

run() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port$1" | grep RESULT; }
# Warm both paths first (JIT, tiered compilation), then measure.
wrk -t2 -c8 -d3s -s "$work/post.lua" "http://127.0.0.1:$port/bench/baseline" >/dev/null
wrk -t2 -c8 -d3s -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/diagnose" >/dev/null
baseline=$(run /bench/baseline); echo "baseline  $baseline"
diagnose=$(run /api/v1/diagnose); echo "diagnose  $diagnose"
b=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$baseline"); d=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$diagnose")
echo "diagnose / baseline throughput: $(awk -v d="$d" -v b="$b" 'BEGIN { printf "%.0f%%", 100 * d / b }')"

# The same load while the rules change: a valid edit of the replies every second (each one a full
# compile, validate, warm and swap beside the traffic).
(
  end=$(( $(date +%s) + DURATION ))
  i=0
  while [ "$(date +%s)" -lt "$end" ]; do
    i=$((i + 1))
    sed -i "s/建议用户再关注[^\"]*\"/建议用户再关注。r$i\"/" "$work/rules/replies.json"
    sleep 1
  done
) &
editor=$!
reloading=$(run /api/v1/diagnose); echo "reloading $reloading"
wait $editor
p99() { sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$1"; }
echo "p99 during reloads / steady: $(awk -v r="$(p99 "$reloading")" -v s="$(p99 "$diagnose")" 'BEGIN { printf "%.2f", r / s }')"
