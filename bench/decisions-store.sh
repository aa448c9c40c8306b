#!/usr/bin/env bash
# The decision store's figures (issue 32), each against a real engine:
#  - PostgreSQL (a throwaway cluster from Debian's postgresql in a temporary folder): decisions/s written in the
#    recorder's batches (binary COPY), and a spool of the same drained into it; SQLite the same, for reference;
#  - replay --from-store of COUNT recorded decisions (SQLite, populated over 180 days with confirmed causes): tickets/s
#    on both cores and peak memory (/usr/bin/time);
#  - the area look-up at COUNT recorded decisions: p50/p99 over 2,000 random places, on each engine from memory once its
#    window is read (the time and memory that takes are printed).
#   bash bench/decisions-store.sh            # COUNT=1000000 WRITES=200000
#   PARTS=lookup bash bench/decisions-store.sh   # only some parts: writes, lookup, replay (default all three)
# Needs: apt-get install postgresql time
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-1000000}
PARTS=${PARTS:-writes lookup replay}
part() { [[ " $PARTS " == *" $1 "* ]]; }
WRITES=${WRITES:-200000}
work=$(mktemp -d)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chown postgres "$work"
stop() { runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap stop EXIT
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
pg() { echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$1"; }
for db in write drain populated; do runuser -u postgres -- "$pg_bin/psql" -h 127.0.0.1 -p "$port" -q -c "CREATE DATABASE $db" postgres; done

dotnet build -c Release bench/ComplaintDiagnostics.Benchmarks -o "$work/bench" >/dev/null
dotnet build -c Release src/ComplaintDiagnostics.Cli -o "$work/cli" >/dev/null
b() { dotnet "$work/bench/ComplaintDiagnostics.Benchmarks.dll" "$@" | grep RESULT; }

if part writes; then
  echo "== writes ($WRITES decisions)"
  b --store-write postgresql "$(pg write)" "$WRITES"
  b --spool-drain postgresql "$(pg drain)" "$WRITES"
  b --store-write sqlite "Data Source=$work/write.db" "$WRITES"
  b --spool-drain sqlite "Data Source=$work/drain.db" "$WRITES"
fi

echo "== $COUNT recorded decisions"
b --populate sqlite "Data Source=$work/record.db" "$COUNT"
echo "SQLite file: $(du -cb "$work"/record.db* | tail -1 | cut -f1) bytes"
if part lookup; then
  b --lookup sqlite "Data Source=$work/record.db" 2000
  b --populate postgresql "$(pg populated)" "$COUNT"
  runuser -u postgres -- "$pg_bin/psql" -h 127.0.0.1 -p "$port" -q -t -c "SELECT 'PostgreSQL database: ' || pg_database_size('populated') || ' bytes'" postgres
  b --lookup postgresql "$(pg populated)" 2000
fi
part replay || exit 0

echo "== replay --from-store"
/usr/bin/time -v dotnet "$work/cli/complaint-diagnostics.dll" replay --from-store "$work/record.db" --rules rules --json "$work/report.json" \
  > "$work/replay.out" 2> "$work/replay.time" || true
grep -E "Decision record|Agreement|tickets/s|Replayed" "$work/replay.out" | head -5
grep -E "Elapsed|Maximum resident" "$work/replay.time"
python3 - "$work/report.json" "$work/replay.time" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
timing = open(sys.argv[2]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", timing)
seconds = (int(m.group(1) or 0) * 3600) + int(m.group(2)) * 60 + float(m.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1)) / 1024
print(f"RESULT replay --from-store: {report['evaluated']:,} tickets in {seconds:.1f} s: {report['evaluated'] / seconds:,.0f} tickets/s, peak {rss:.0f} MB")
PY
