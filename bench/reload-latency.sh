#!/usr/bin/env bash
# Measures how long an edit to a rule file takes to be served: starts the service on a copy of rules/,
# edits a reply, and polls /api/v1/diagnose until the new text answers. Loopback only; stops by itself.
#   bash bench/reload-latency.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
source bench/service.sh
start_service 5097
# A data complaint whose every check is stated and clear, not reproduced in the field: its work-order text is the
# reply the loop edits. (Since domain v2 the front desk's checks must be stated, else the answer is needs-info.)
body='{"complaintType":"data","billing":"postpaid","inArrears":false,"dataFeatureEnabled":true,"roaming":"local","scope":"allTimesAllPlaces","frontDeskChecks":{"restarted":true,"settingsOk":true,"terminalOk":true},"network":{"reproduced":false}}'
for i in $(seq 1 "$runs"); do
  marker="edit-$i-$RANDOM"
  sed -i "s/建议用户再关注[^\"]*\"/建议用户再关注。$marker\"/" "$work/rules/replies.json"
  start=$(date +%s%N)
  until curl -fs "127.0.0.1:$port/api/v1/diagnose" -H 'content-type: application/json' -d "$body" | grep -q "$marker"; do
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 10000 ] || { echo "run $i: not served within 10 s"; exit 1; }
    sleep 0.02
  done
  echo "run $i: served after $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
