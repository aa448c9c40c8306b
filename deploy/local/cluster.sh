#!/usr/bin/env bash
# N replicas of the published service on loopback ports behind HAProxy, all serving the active release of one rules
# repository (release mode: a change reaches them through a proposal, a second person's approval and an activation).
#   bash deploy/local/cluster.sh up [N]     # default 3; prints the balancer's address and the replicas'
#   bash deploy/local/cluster.sh status     # each replica's port, pid, readiness and rules version
#   bash deploy/local/cluster.sh kill K     # SIGKILL replica K (1-based): a crash
#   bash deploy/local/cluster.sh start K    # start replica K again (it warms up, then HAProxy adds it)
#   bash deploy/local/cluster.sh down
# State lives in $CLUSTER_DIR (default /tmp/cd-cluster): the published service, the rules repository
# ($CLUSTER_DIR/rules-repo, the repository's rules/ committed at the first start: release 1), each replica's decision
# record (data-K/, SQLite: point ConnectionStrings__Decisions at one PostgreSQL for a shared record), the named keys of
# an author, an approver and an operator (keys.env), logs, pids, haproxy.cfg.
# Needs Debian's haproxy (apt-get install haproxy) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${CLUSTER_DIR:-/tmp/cd-cluster}
LB_PORT=${LB_PORT:-5200}
STATS_PORT=${STATS_PORT:-5299}
BASE_PORT=${BASE_PORT:-5200}

replica_port() { echo $((BASE_PORT + $1)); }
count() { cat "$DIR/replicas"; }

start_replica() {
  local k=$1 port
  port=$(replica_port "$k")
  # shellcheck disable=SC1091
  source "$DIR/keys.env"
  env Rules__Source=release Rules__Repository="$DIR/rules-repo" Rules__LastGoodPath="$DIR/data-$k/last-good-rules.json" \
    ConnectionStrings__Decisions="Data Source=$DIR/data-$k/decisions.db" Decisions__SpoolPath="$DIR/data-$k/spool" \
    Security__Users__0__Name=author Security__Users__0__Key="$AUTHOR_KEY" Security__Users__0__Roles=author \
    Security__Users__1__Name=approver Security__Users__1__Key="$APPROVER_KEY" Security__Users__1__Roles=approver \
    Security__Users__2__Name=operator Security__Users__2__Key="$OPERATOR_KEY" Security__Users__2__Roles=operator \
    ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production \
    Shutdown__DrainSeconds="${DRAIN_SECONDS:-2}" \
    dotnet "$DIR/api/ComplaintDiagnostics.Api.dll" --contentRoot "$DIR/api" >>"$DIR/replica-$k.log" 2>&1 &
  echo $! > "$DIR/replica-$k.pid"
}

wait_ready() {
  local url=$1
  for _ in $(seq 1 600); do curl -fs "$url/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "not ready after 60 s: $url" >&2
  return 1
}

case "${1:-}" in
  up)
    n=${2:-3}
    command -v haproxy >/dev/null || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 2; }
    mkdir -p "$DIR"
    echo "$n" > "$DIR/replicas"
    if [ ! -d "$DIR/rules-repo" ]; then
      git init -q -b main "$DIR/rules-repo"
      cp -r rules "$DIR/rules-repo/rules"
      git -C "$DIR/rules-repo" add -A
      git -C "$DIR/rules-repo" -c user.name=deploy-local -c user.email=deploy@local -c commit.gpgsign=false commit -q -m "The shipped rules"
    fi
    [ -f "$DIR/keys.env" ] || printf 'AUTHOR_KEY=%s\nAPPROVER_KEY=%s\nOPERATOR_KEY=%s\n' \
      "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" > "$DIR/keys.env"
    for k in $(seq 1 "$n"); do mkdir -p "$DIR/data-$k"; done
    dotnet publish -c Release src/ComplaintDiagnostics.Api -o "$DIR/api" >/dev/null
    servers=""
    for k in $(seq 1 "$n"); do
      start_replica "$k"
      servers+="    server r$k 127.0.0.1:$(replica_port "$k") check"$'\n'
    done
    sed -e "s/@LB_PORT@/$LB_PORT/" -e "s/@STATS_PORT@/$STATS_PORT/" deploy/local/haproxy.cfg.template \
      | awk -v servers="$servers" '{ if ($0 == "@SERVERS@") printf "%s", servers; else print }' > "$DIR/haproxy.cfg"
    haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid"
    for k in $(seq 1 "$n"); do wait_ready "http://127.0.0.1:$(replica_port "$k")"; done
    # HAProxy marks a server up after two good checks (rise 2, every 500 ms).
    sleep 1.5
    echo "balancer http://127.0.0.1:$LB_PORT (stats http://127.0.0.1:$STATS_PORT); $n replicas on ports $(replica_port 1)-$(replica_port "$n");"
    echo "rules repository $DIR/rules-repo (release mode); keys of author, approver and operator in $DIR/keys.env"
    ;;
  status)
    for k in $(seq 1 "$(count)"); do
      port=$(replica_port "$k")
      version=$(curl -fs "127.0.0.1:$port/api/v1/rules" 2>/dev/null | sed -E 's/^\{"version":"([^"]+)".*/\1/' || true)
      ready=$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/readyz" 2>/dev/null || true)
      echo "replica $k port $port pid $(cat "$DIR/replica-$k.pid" 2>/dev/null) readyz ${ready:-down} rules ${version:-none}"
    done
    ;;
  kill)
    kill -9 "$(cat "$DIR/replica-$2.pid")"
    ;;
  start)
    start_replica "$2"
    wait_ready "http://127.0.0.1:$(replica_port "$2")"
    ;;
  down)
    [ -f "$DIR/haproxy.pid" ] && kill "$(cat "$DIR/haproxy.pid")" 2>/dev/null || true
    for f in "$DIR"/replica-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ;;
  *)
    sed -n '2,12p' "$0"
    exit 2
    ;;
esac
