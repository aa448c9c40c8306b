#!/usr/bin/env bash
# Where a diagnose request's time goes: samples the service's CPU with Linux perf while wrk drives
# POST /api/v1/diagnose on loopback, and prints each layer's share of the process's CPU (inclusive: a layer
# includes what it calls). Loopback only; stops the service it started.
#   bash bench/profile.sh
# Needs wrk and perf (apt-get install wrk linux-perf); perf_event_paranoid <= 2 lets it sample its own child.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
# A perf map names the JIT-compiled methods; W^X off keeps their addresses stable for it. The shipped log level
# (LOG_LEVEL=Warning profiles without the audit line).
start_service 5095 DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 Logging__LogLevel__Default="${LOG_LEVEL:-Information}"
wrk -t2 -c32 -d8s -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/diagnose" >/dev/null
wrk -t2 -c32 -d20s -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/diagnose" > "$work/wrk.txt" &
load=$!
sleep 3
perf record -F 999 -g -p "$pid" -o "$work/perf.data" -- sleep 12 >/dev/null 2>&1
wait $load
perf report -i "$work/perf.data" --children --sort sym -g none 2>/dev/null | grep -v '^#' > "$work/children.txt"
perf report -i "$work/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' > "$work/dso.txt"
# A layer not found (renamed, or inlined away) prints as such instead of ending the script.
share() { { grep -F -- "$2" "$work/children.txt" || echo "  n/a"; } | head -1 | awk -v l="$1" '{ printf "%7s  %s\n", $1, l }'; }
echo "share of the service's CPU while serving diagnose at 32 connections (inclusive):"
share "Kestrel request processing (everything below, plus HTTP parsing and writing)" "HttpProtocol+<ProcessRequests>"
share "  creating the request's context (hosting, activity, metrics)" "HostingApplication::CreateContext"
share "  middleware from request id inwards" "<UseRequestId>b__"
share "    exception handler inwards" "ExceptionHandlerMiddlewareImpl::Invoke"
share "    status code pages inwards" "StatusCodePagesMiddleware+<Invoke>"
share "    rate limiter inwards (n/a: with no policy on the endpoint and no global limiter it returns the next middleware's task, off the stack)" "RateLimitingMiddleware"
share "    Swagger and Swagger UI (path checks) inwards" "SwaggerMiddleware+<Invoke>"
share "    routing: the endpoint middleware inwards" "EndpointMiddleware::Invoke"
share "    diagnose handler (read body, parse, diagnose)" "DiagnoseEndpoints+<DiagnoseAsync>"
share "      request body to DiagnoseRequest (contract JSON)" "ComplaintDiagnostics.Api.Infrastructure.ContractBody::Parse"
share "      time budget and audit line (AuditedDiagnoser)" "Infrastructure.AuditedDiagnoser+<DiagnoseAsync>"
share "        the audit line, formatted and queued on the request thread" "ConsoleLogger::Log"
share "        core diagnose path (Diagnoser)" "Core.Diagnosis.Diagnoser+<DiagnoseAsync>"
share "          RulesEngine (ExecuteAllRulesAsync)" "RulesEngine+<ExecuteAllRulesAsync>"
share "    response to JSON (WriteAsJsonAsync)" "Microsoft.AspNetCore.Http.HttpResponseJsonExtensions+<<WriteAsJsonAsync>"
share "the console logger's own thread writing lines" "ConsoleLoggerProcessor::WriteMessage"
echo "by binary (exclusive):"
grep -E 'kernel|libcoreclr|JIT|libc\.so|libclrjit' "$work/dso.txt" | head -5 | awk '{ printf "%7s  %s %s\n", $1, $2, $3 }'
