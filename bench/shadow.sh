#!/usr/bin/env bash
# What shadow evaluation costs the live path (issue 33): one service in release mode on a temporary rules repository,
# a proposal (the outage reply reworded), and POST /api/v1/diagnose measured with the proposal in shadow at 100% and
# with shadow off, rounds alternated on the same service (shadow switched by the API between runs). Every request its
# own ticket id. Targets: with shadow at 100%, p99 at most 1.2x and throughput at least 80% of shadow off.
#   bash bench/shadow.sh        # 32 connections, 4 rounds of 10 s runs
# Needs Debian's wrk (apt-get install wrk) and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-4}
source bench/service.sh
git init -q -b main "$work/repo"
cp -r rules "$work/repo/rules"
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@local -c commit.gpgsign=false commit -q -m "The shipped rules"
author=bench-author-key-0123456789ab
start_service 5098 Rules__Source=release Rules__Repository="$work/repo" \
  Security__Users__0__Name=author Security__Users__0__Key=$author Security__Users__0__Roles=author
replies=$(sed 's/正在抢修中，修复后我们会及时通知您。/正在全力抢修，修复后我们会第一时间通知您。/' rules/replies.json)
id=$(curl -fs "127.0.0.1:$port/api/v1/proposals" -H "X-Api-Key: $author" -H 'content-type: application/json' \
  -d "$(jq -n --arg r "$replies" '{title: "Outage reply", files: {"replies.json": $r}}')" | jq -r .id)
shadow() { curl -fs "127.0.0.1:$port/api/v1/proposals/$id/shadow" -H "X-Api-Key: $author" -H 'content-type: application/json' \
  -d "{\"percent\":$1,\"until\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\"}" >/dev/null; }

unique_tickets_lua
run() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/unique.lua" "http://127.0.0.1:$port/api/v1/diagnose" | grep RESULT; }
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
run >/dev/null # warm-up
for round in $(seq 1 "$ROUNDS"); do
  shadow 0; off=$(run)
  shadow 100; on=$(run)
  awk -v r="$round" -v a="$(field rps "$off")" -v b="$(field rps "$on")" -v p="$(field p99_ms "$off")" -v q="$(field p99_ms "$on")" \
    'BEGIN { printf "round %d: off %.0f req/s p99 %.2f ms; shadow 100%% %.0f req/s p99 %.2f ms; throughput %.2f, p99 %.2fx\n", r, a, p, b, q, b / a, q / p }'
done
shadow 0
echo "shadow decisions recorded: $(curl -fs "127.0.0.1:$port/api/v1/proposals/$id/shadow" -H "X-Api-Key: $author" | jq '.evaluated')," \
  "dropped here: $(curl -fs "127.0.0.1:$port/api/v1/proposals/$id/shadow" -H "X-Api-Key: $author" | jq '.droppedHere')"
sleep 3
echo "recorder: $(curl -fs "127.0.0.1:$port/api/v1/rules/status" | jq -c '.decisions | {stored, queued, spoolBytes, lost}')"
echo "shadow decisions on record after 3 s: $(curl -fs "127.0.0.1:$port/api/v1/proposals/$id/shadow" -H "X-Api-Key: $author" | jq '.evaluated')"
