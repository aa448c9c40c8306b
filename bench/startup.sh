#!/usr/bin/env bash
# Cold start: time from process start to /readyz 200 (the rules are compiled and warmed before ready),
# then the latency of the first diagnose after ready next to warm ones. Loopback only; stops by itself.
#   bash bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=5099
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/ComplaintDiagnostics.Api -o "$work/api" >/dev/null
body='{"complaintType":"voice","networkType":"LTE","service":"voice","timePattern":"longTerm","location":{"description":"x","area":"urban"}}'
post() { curl -s -o /dev/null -w '%{time_total}' "127.0.0.1:$port/api/v1/diagnose" -H 'content-type: application/json' -d "$body"; }
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  Rules__Path="$PWD/rules" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning \
    dotnet "$work/api/ComplaintDiagnostics.Api.dll" >/dev/null 2>&1 &
  pid=$!
  until curl -fs "127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.01; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  first=$(post); second=$(post); for _ in $(seq 1 20); do post >/dev/null; done; warm=$(post)
  kill $pid; wait $pid 2>/dev/null || true
  awk -v r="$ready" -v f="$first" -v s="$second" -v w="$warm" \
    'BEGIN { printf "run: ready after %d ms; first diagnose %.1f ms, second %.1f ms, warm %.1f ms\n", r, f*1000, s*1000, w*1000 }'
done
