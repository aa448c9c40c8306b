#!/usr/bin/env bash
# What recording every decision costs a front desk: POST /api/v1/diagnose throughput with the decision record on
# (SQLite, the embedded default: every answer written off the request path, and the area look-up in the record for
# the benchmark's voice complaint, which leaves network.similarUnresolvedComplaints unknown), the same build with
# Decisions__Enabled=false, and the bare ASP.NET Core stack (bench/BareCeiling). wrk on loopback, rounds alternated
# (bare, off, on) and each ratio taken within its round; after each round with recording on the script waits for the
# record to catch up (queue and spool empty) and says how long that took, so a figure that left work for later shows it
# and the next round starts clean. The summary gives the median round. Issue 32's targets:
# on/off >= 0.90 and on/bare >= 0.60.
#   bash bench/decisions-http.sh        # 32 connections, 3 rounds of 10 s runs
# Needs Debian's wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-10}
source bench/service.sh
start_service 5096 Decisions__Enabled=false
off_pid=$pid
off_port=$port
# The second service: its own data folder, recording on.
mkdir -p "$work/on"
env Rules__Path="$work/rules" ASPNETCORE_URLS="http://127.0.0.1:5095" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  ConnectionStrings__Decisions="Data Source=$work/on/decisions.db" Decisions__SpoolPath="$work/on/spool" Rules__LastGoodPath="$work/on/last-good.json" \
  dotnet "$work/api/ComplaintDiagnostics.Api.dll" --contentRoot "$work/api" >"$work/on.log" 2>&1 &
on_pid=$!
trap 'kill $on_pid $off_pid ${bare_pid:-} 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do curl -fs 127.0.0.1:5095/readyz >/dev/null && break; sleep 0.1; done
start_bare 5097

# Each request its own ticket id (as a front desk's are), so the look-up reads other tickets' complaints at the place.
unique_tickets_lua
run() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/unique.lua" "$1" | grep RESULT; }
# Seconds until the recording service's queue and spool are empty: a writer that fell behind in a round has not yet
# done the work that round's figure counts (the spool takes a batch that outlasts the write timeout, to be written later).
caught_up() {
  local start=$SECONDS
  until python3 -c 'import json,sys; d=json.load(sys.stdin)["decisions"]; sys.exit(0 if d["queued"] == 0 and d["spoolBytes"] == 0 else 1)' \
      < <(curl -fs 127.0.0.1:5095/api/v1/rules/status); do
    if (( SECONDS - start > 300 )); then echo "over 300"; return; fi
    sleep 0.5
  done
  echo $(( SECONDS - start ))
}
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
for url in http://127.0.0.1:5097/ "http://127.0.0.1:$off_port/api/v1/diagnose" http://127.0.0.1:5095/api/v1/diagnose; do
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/unique.lua" "$url" >/dev/null
done

: > "$work/rounds"
for round in $(seq 1 "$ROUNDS"); do
  bare=$(run http://127.0.0.1:5097/)
  off=$(run "http://127.0.0.1:$off_port/api/v1/diagnose")
  on=$(run http://127.0.0.1:5095/api/v1/diagnose)
  behind=$(caught_up)
  onoff=$(awk -v a="$(field rps "$on")" -v b="$(field rps "$off")" 'BEGIN { printf "%.3f", a / b }')
  onbare=$(awk -v a="$(field rps "$on")" -v b="$(field rps "$bare")" 'BEGIN { printf "%.3f", a / b }')
  echo "round $round: bare $(field rps "$bare") req/s; off $(field rps "$off") req/s p99 $(field p99_ms "$off") ms;" \
    "on $(field rps "$on") req/s p99 $(field p99_ms "$on") ms errors $(field errors "$on"), record caught up ${behind} s after; on/off $onoff, on/bare $onbare"
  echo "$onoff $onbare" >> "$work/rounds"
done
status=$(curl -fs 127.0.0.1:5095/api/v1/rules/status)
echo "recorded: $(python3 -c 'import json,sys; d=json.load(sys.stdin)["decisions"]; print(d["stored"], "stored,", d["lost"], "lost,", d["spoolBytes"], "spool bytes")' <<<"$status");" \
  "database $(du -cb "$work/on"/decisions.db* | tail -1 | cut -f1) bytes"
sort -n "$work/rounds" | awk '{ a[NR] = $0 } END { split(a[int((NR + 1) / 2)], m, " "); printf "median round: on/off %s (target >= 0.90), on/bare %s (target >= 0.60)\n", m[1], m[2] }'
