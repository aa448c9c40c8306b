#!/usr/bin/env bash
# Load through the balancer of deploy/local/cluster.sh while (a) a new release is proposed, approved and activated,
# then rolled back, on every replica,
# (b) a replica is killed (SIGKILL, a crash) and started again, (c) a replica is stopped (SIGTERM, a rolling
# update) and started again. Prints, per phase, the requests served and failed (wrk: non-2xx answers and socket
# errors), and for (a) how long after the activation (and after the rollback) every replica serves that release. Not part of the tests: it
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

# shellcheck disable=SC1091
source "$CLUSTER_DIR/keys.env"
release() { curl -fs "127.0.0.1:$((BASE_PORT + $1))/api/v1/rules" 2>/dev/null | head -c 300 | grep -o '"release":[0-9]*' | cut -d: -f2 || true; }
lifecycle() { curl -fs -X POST "$LB$1" -H "X-Api-Key: $2" -H 'content-type: application/json' -d "$3"; }
# Waits until every replica serves release $1; prints how long after $2 (ms since the epoch) that was.
converge() {
  while :; do
    converged=1
    for k in $(seq 1 "$N"); do [ "$(release "$k")" = "$1" ] || converged=0; done
    [ "$converged" = 1 ] && break
    [ $(( $(now_ms) - $2 )) -gt 30000 ] && { echo "not converged after 30 s" >&2; break; }
    sleep 0.02
  done
  echo $(( $(now_ms) - $2 ))
}

echo "== (a) a release proposed, approved and activated under load, then rolled back: time until all $N replicas serve it"
before=$(release 1)
replies=$(sed 's/正在抢修中，修复后我们会及时通知您。/正在全力抢修，修复后我们会第一时间通知您。/' "$CLUSTER_DIR/rules-repo/rules/replies.json")
id=$(lifecycle /api/v1/proposals "$AUTHOR_KEY" "$(jq -n --arg r "$replies" '{title: "Outage reply: first notice", files: {"replies.json": $r}}')" | jq -r .id)
number=$(lifecycle "/api/v1/proposals/$id/approve" "$APPROVER_KEY" '{}' | jq -r .release.number)
load > "$CLUSTER_DIR/a.txt" &
sleep 3
activated=$(now_ms)
lifecycle "/api/v1/releases/$number/activate" "$OPERATOR_KEY" '{"reason":"scale test"}' >/dev/null
answered=$(( $(now_ms) - activated ))
echo "release $before -> $number: every replica serves it $(converge "$number" "$activated") ms after the activation call (which took $answered ms)"
sleep 5
rolled=$(now_ms)
lifecycle "/api/v1/releases/$before/activate" "$OPERATOR_KEY" '{"reason":"scale test: roll back"}' >/dev/null
answered=$(( $(now_ms) - rolled ))
echo "rollback $number -> $before: every replica serves it $(converge "$before" "$rolled") ms after the rollback call (which took $answered ms)"
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
