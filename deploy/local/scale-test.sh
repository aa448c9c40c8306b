#!/usr/bin/env bash
# Load through the balancer of deploy/local/cluster.sh while (a) a rule edit rolls out to every replica,
# (b) a replica is killed (SIGKILL, a crash) and started again, (c) a replica is stopped (SIGTERM, a rolling
# update) and started again. Prints, per phase, the requests served and failed (wrk: non-2xx answers and socket
# errors), and for (a) how long until every replica serves the new rulesVersion. Not part of the tests: it
# takes about a minute and a half and wants the machine to itself. Figures in docs/operations.md.
#   bash deploy/local/scale-test.sh                 # 3 replicas, 16 connections, 20 s per phase
#   N=5 CONNECTIONS=32 PHASE_SECONDS=30 bash deploy/local/scale-test.sh
# Needs haproxy and wrk (apt-get install haproxy wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-3}
CONNECTIONS=${CONNECTIONS:-16}
PHASE_SECONDS=${PHASE_SECONDS:-20}
export CLUSTER_DIR=${CLUSTER_DIR:-/tmp/cd-cluster}
LB=http://127.0.0.1:${LB_PORT:-5200}
BASE_PORT=${BASE_PORT:-5200}
bash deploy/local/cluster.sh up "$N"
trap 'bash deploy/local/cluster.sh down' EXIT

cat > "$CLUSTER_DIR/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"ticketId":"scale","receivedAt":"2026-11-28T09:30:00+08:00","complaintType":"voice","networkType":"LTE","service":"voice","timePattern":"sinceDate","location":{"description":"Building 3","area":"urban","indoor":true},"customer":{"tier":"groupLocal"},"source":"store"}'
done = function(summary, latency, requests)
  io.write(string.format("served %d failed %d (non-2xx %d, socket errors %d) p99 %.2f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(99) / 1000))
end
LUA
load() { wrk -t2 -c"$CONNECTIONS" -d"${PHASE_SECONDS}s" -s "$CLUSTER_DIR/post.lua" "$LB/api/v1/diagnose" | grep '^served'; }
version() { curl -fs "127.0.0.1:$((BASE_PORT + $1))/api/v1/rules" 2>/dev/null | head -c 300 | grep -o '"version":"[^"]*"' | cut -d'"' -f4 || true; }
now_ms() { date +%s%3N; }

echo "== (a) a rule edit under load: time until all $N replicas serve it"
load > "$CLUSTER_DIR/a.txt" &
sleep 3
before=$(version 1)
sed -i 's/正在抢修中，修复后我们会及时通知您。/正在全力抢修，修复后我们会第一时间通知您。/' "$CLUSTER_DIR/rules/replies.json"
edited=$(now_ms)
while :; do
  converged=1
  for k in $(seq 1 "$N"); do v=$(version "$k"); if [ -z "$v" ] || [ "$v" = "$before" ]; then converged=0; fi; done
  [ "$converged" = 1 ] && break
  [ $(( $(now_ms) - edited )) -gt 30000 ] && { echo "not converged after 30 s" >&2; break; }
  sleep 0.02
done
echo "rules $before -> $(version 1): every replica serves it $(( $(now_ms) - edited )) ms after the save"
wait
cat "$CLUSTER_DIR/a.txt"

echo "== (b) replica 2 killed (SIGKILL) and started again, under load"
load > "$CLUSTER_DIR/b.txt" &
sleep 4
bash deploy/local/cluster.sh kill 2
killed=$(now_ms)
sleep 4
bash deploy/local/cluster.sh start 2
echo "replica 2 ready again $(( $(now_ms) - killed )) ms after the kill (start, warm-up)"
wait
cat "$CLUSTER_DIR/b.txt"

echo "== (c) replica 3 stopped (SIGTERM: drain, then exit) and started again, under load"
load > "$CLUSTER_DIR/c.txt" &
sleep 4
kill -TERM "$(cat "$CLUSTER_DIR/replica-3.pid")"
sleep 5
bash deploy/local/cluster.sh start 3
wait
cat "$CLUSTER_DIR/c.txt"
bash deploy/local/cluster.sh status
