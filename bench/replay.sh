#!/usr/bin/env bash
# Replay throughput and memory: generates a synthetic history of LINES tickets (JSONL, streamed to disk) and
# replays it in process against the shipped rules, reporting tickets per second and the peak resident set.
#   bash bench/replay.sh                 # 1,000,000 lines (about 660 MB of JSONL in a temp folder)
#   LINES=100000 bash bench/replay.sh    # memory should stay flat: compare the peak with the larger run
# Needs GNU time (apt-get install time) for the peak resident set.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Published and run as the CLI image builds and runs it (ReadyToRun; the tiering setting is in the CLI's
# runtimeconfig, see its project file); R2R=0 uses the plain build output, DOTNET_TC_CallCountingDelayMs=100 the
# runtime's default (the environment variable overrides the runtimeconfig).
if [ "${R2R:-1}" = 1 ]; then
  dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true src/ComplaintDiagnostics.Cli -o "$work/cli" >/dev/null
else
  dotnet build -c Release src/ComplaintDiagnostics.Cli -o "$work/cli" >/dev/null
fi
"$work/cli/complaint-diagnostics" generate-history --count "$LINES" --out "$work/history.jsonl" >/dev/null
# The 660 MB just written are still being flushed to disk; let that finish before the clock starts.
sync
start=$(date +%s%N)
/usr/bin/time -v -o "$work/time.txt" "$work/cli/complaint-diagnostics" replay --tickets "$work/history.jsonl" --rules rules \
  --json "$work/report.json" >/dev/null 2>&1 || true
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
evaluated=$(grep -o '"evaluated": *[0-9]*' "$work/report.json" | head -1 | tr -dc '0-9')
peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
awk -v n="$evaluated" -v ms="$elapsed" -v kb="$peak" -v l="$LINES" \
  'BEGIN { printf "replay on every core: %d lines, %d tickets in %.1f s = %.0f tickets/s, peak resident set %.0f MB\n", l, n, ms / 1000, n / (ms / 1000), kb / 1024 }'
# The same on one thread: the report must be the same, byte for byte.
start=$(date +%s%N)
"$work/cli/complaint-diagnostics" replay --tickets "$work/history.jsonl" --rules rules --workers 1 --json "$work/single.json" >/dev/null 2>&1 || true
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
awk -v n="$evaluated" -v ms="$elapsed" 'BEGIN { printf "replay on one thread: %.1f s = %.0f tickets/s\n", ms / 1000, n / (ms / 1000) }'
cmp -s "$work/report.json" "$work/single.json" && echo "reports: identical" || echo "reports: DIFFERENT"
