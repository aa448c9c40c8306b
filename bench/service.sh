# Sourced by the load scripts: a temp copy of rules/, the API built once, the service started on a loopback
# port (stopped, and the temp folder removed, when the script exits), and the wrk script that posts the
# benchmark's complaint: a group customer's voice complaint (diagnosis, three policies, deadlines, actions).
#   source "$(dirname "$0")/service.sh"; start_service PORT [NAME=value ...]   # sets $work, $pid, $port
work=$(mktemp -d)
pid=
bare_pid=
trap 'if [ -n "$bare_pid" ]; then kill "$bare_pid" 2>/dev/null; fi; if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; rm -f "/tmp/perf-$pid.map"; fi; rm -rf "$work"' EXIT

start_service() {
  port=$1
  shift
  cp -r rules "$work/rules"
  dotnet build -c Release src/ComplaintDiagnostics.Api -o "$work/api" >/dev/null
  env Rules__Path="$work/rules" ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__Decisions="Data Source=$work/decisions.db" Decisions__SpoolPath="$work/spool" Rules__LastGoodPath="$work/last-good.json" \
    Logging__LogLevel__Default=Warning "$@" dotnet "$work/api/ComplaintDiagnostics.Api.dll" --contentRoot "$work/api" >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fs "127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
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
}

# The bare ASP.NET Core stack (bench/BareCeiling) on a loopback port, answering once it listens; sets $bare_pid.
#   start_bare PORT
start_bare() {
  dotnet build -c Release bench/BareCeiling -o "$work/bare" >/dev/null
  dotnet "$work/bare/BareCeiling.dll" --urls "http://127.0.0.1:$1" >/dev/null 2>&1 &
  bare_pid=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "127.0.0.1:$1/" && break; sleep 0.1; done
}

# The benchmark's complaint with each request its own ticket id (as a front desk's are): writes $work/unique.lua.
unique_tickets_lua() {
  sed 's/^wrk.body = /body = /' "$work/post.lua" > "$work/unique.lua"
  cat >> "$work/unique.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, nil, (body:gsub('"ticketId":"load"', '"ticketId":"load-' .. math.random(1, 1e9) .. '-' .. counter .. '"')))
end
LUA
}
