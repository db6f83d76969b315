#!/usr/bin/env bash
# Operability checks, after `mvn verify` built target/todo-service.jar (builds it when missing):
# 1. monitoring/ with promtool (Debian's Prometheus 2.42): `check config`, `check rules`, `test rules` (every alert
#    fires and stays quiet when it should); the Grafana dashboard is valid JSON with well-formed panels, and every
#    panel query parses (`check rules` on a generated rule file); compose's `monitoring` profile parses.
# 2. A real Prometheus scrapes two instances of the jar (throw-away PostgreSQL) with the repository's prometheus.yml
#    (file_sd, as on a VM fleet) and alerts.yml: both targets UP, http_server_requests_seconds series, every
#    dashboard query answers with data, the rules loaded and nothing firing while healthy; then PostgreSQL stops
#    (TodoServiceNotReady turns pending) and an instance stops (TodoServiceDown).
# 3. Headless Chromium driven by playwright-core (e2e/): Swagger UI at /docs on the app and at /api/docs through the
#    repository's Caddyfile (Debian's Caddy, its local CA trusted by the browser), and CORS from an allowed and a
#    refused origin. Screenshots: target/ci-artifacts/docs.png, docs-via-caddy.png.
# Uses ports 18910-18999, PostgreSQL 25470, Prometheus 127.0.0.1:19090, Caddy admin 127.0.0.1:12030.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=packaging/lib.sh
source packaging/lib.sh

JAVA="${JAVA_HOME:?JAVA_HOME must point at a JDK 21+}/bin/java"
JAR=$root/target/todo-service.jar
ARTIFACTS=$root/target/ci-artifacts
PG_PORT=25470
# Instance A serves /docs directly (no ROOT_PATH); instance B sits behind Caddy (ROOT_PATH=/api) and lets scripts
# from A's origin call it (CORS).
A_PORT=18910
A_ADMIN=18911
B_PORT=18920
B_ADMIN=18921
HTTP_PORT=18980
HTTPS_PORT=18943
CADDY_ADMIN=127.0.0.1:12030
PROM=127.0.0.1:19090
WORK=$(mktemp -d /tmp/ops-ci.XXXXXX)
chmod 755 "$WORK" # PostgreSQL runs as its own user below it
PROM_PID=""

cleanup() {
    local name
    if [[ -n $PROM_PID ]]; then kill "$PROM_PID" 2>/dev/null || true; fi
    caddy_stop "$WORK/caddy"
    for name in a b; do
        if [[ -s $WORK/$name.pid ]]; then kill "$(cat "$WORK/$name.pid")" 2>/dev/null || true; fi
    done
    pg_throwaway_stop "$WORK/pg"
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in promtool prometheus caddy chromium certutil node npm jq curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (.ci/run installs it)"
done
[[ -f $JAR ]] || mvn -B -ntp -q -DskipTests package
mkdir -p "$ARTIFACTS"

# --- 1. the monitoring files ----------------------------------------------------------------------------------------
promtool check config monitoring/prometheus.yml >"$WORK/promtool.log" 2>&1 \
    || { cat "$WORK/promtool.log"; fail "promtool check config"; }
pass "promtool check config monitoring/prometheus.yml"
promtool check rules monitoring/alerts.yml >"$WORK/promtool.log" 2>&1 \
    || { cat "$WORK/promtool.log"; fail "promtool check rules"; }
pass "promtool check rules: $(grep -o '[0-9]* rules found' "$WORK/promtool.log")"
promtool test rules monitoring/alerts.test.yml || fail "promtool test rules"
pass "promtool test rules monitoring/alerts.test.yml ($(grep -c '^  - name:' monitoring/alerts.test.yml) cases)"

dashboard=monitoring/grafana/todo-service.json
jq empty "$dashboard" || fail "$dashboard is not valid JSON"
problems=$(jq -r '
    (.panels | map(.id) | if length != (unique | length) then "panel ids are not unique" else empty end),
    (if ([.templating.list[] | select(.type == "datasource")] | length) == 0 then "no datasource variable"
     else empty end),
    (.panels[] | select(.type != "row") | . as $p
        | (if (.title // "") == "" then "panel \($p.id) has no title" else empty end),
          (if .datasource.uid != "${datasource}" then "panel \($p.title) does not use the datasource variable"
           else empty end),
          (if (.gridPos.w // 0) == 0 or (.gridPos.h // 0) == 0 then "panel \($p.title) has no size" else empty end),
          (if (.targets // []) == [] then "panel \($p.title) has no query" else empty end),
          (.targets[]? | select((.expr // "") == "" or (.refId // "") == "") | "panel \($p.title): empty target"))
    ' "$dashboard")
[[ -z $problems ]] || fail "dashboard: $problems"
# Grafana's variables as CI sets them: every instance, a 1-minute rate window.
jq -c '[.. | objects | select(has("expr")) | .expr | gsub("\\$__rate_interval"; "1m") | gsub("\\$instance"; ".*")]' \
    "$dashboard" >"$WORK/panel-queries.json"
unresolved=$(jq -r '.[] | select(test("\\$[A-Za-z_]"))' "$WORK/panel-queries.json")
[[ -z $unresolved ]] || fail "dashboard queries use variables CI does not know: $unresolved"
# promtool parses PromQL only inside rule files: one recording rule per query (JSON is YAML).
jq '{groups: [{name: "grafana-panels",
              rules: [to_entries[] | {record: "grafana_panel_query_\(.key)", expr: .value}]}]}' \
    "$WORK/panel-queries.json" >"$WORK/panel-queries.rules.json"
promtool check rules "$WORK/panel-queries.rules.json" >"$WORK/promtool.log" 2>&1 \
    || { cat "$WORK/promtool.log"; fail "a dashboard query does not parse"; }
pass "dashboard: $(jq '[.panels[] | select(.type != "row")] | length' "$dashboard") panels, every one of" \
    "$(jq length "$WORK/panel-queries.json") queries parses"

if command -v docker-compose >/dev/null; then
    mkdir "$WORK/compose"
    cp compose.yaml "$WORK/compose/"
    sed 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=compose-check/' .env.example >"$WORK/compose/.env"
    (cd "$WORK/compose" && docker-compose --profile monitoring config >config.yaml 2>config.log) \
        || fail "docker-compose --profile monitoring config: $(cat "$WORK/compose/config.log")"
    grep -q -- '--config.file=/etc/prometheus/prometheus.yml' "$WORK/compose/config.yaml" \
        || fail "compose's monitoring profile has no Prometheus"
    pass "compose.yaml with --profile monitoring parses (docker-compose $(docker-compose version --short))"
fi

# --- 2. a real Prometheus against the running service ---------------------------------------------------------------
pg_throwaway_start "$WORK/pg" "$PG_PORT"
export DATABASE_URL="postgresql://127.0.0.1:$PG_PORT/todo" DATABASE_USER=todo DATABASE_PASSWORD=todo-password
SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export SECRET_KEY ENV=production SERVER_HOST=127.0.0.1 ADMIN_HOST=127.0.0.1

# app_start NAME PORT ADMIN_PORT [VAR=VALUE...]: the jar from the work directory (no .env of the repository), ready.
app_start() {
    local name=$1 port=$2 admin=$3
    shift 3
    (cd "$WORK" && exec env PORT="$port" ADMIN_PORT="$admin" "$@" "$JAVA" -jar "$JAR") \
        >"$WORK/$name.log" 2>&1 </dev/null &
    echo $! >"$WORK/$name.pid"
    disown # its end (killed on purpose below) is not news
    ADMIN_PORT=$admin packaging/bin/todo-service-ready --wait 60 \
        || FAIL_LOG=$WORK/$name.log fail "instance $name not ready"
}
app_start a "$A_PORT" "$A_ADMIN"
app_start b "$B_PORT" "$B_ADMIN" ROOT_PATH=/api CORS_ALLOWED_ORIGINS="http://127.0.0.1:$A_PORT"
pass "two instances ready (jar, PostgreSQL $(as_postgres "$(pg_bin_dir)/postgres" --version | awk '{print $3}'))"

# Some of every kind of answer, so that every route, status class and statement has series.
for base in "http://127.0.0.1:$A_PORT" "http://127.0.0.1:$B_PORT"; do
    curl -fsS -o /dev/null "$base/hello"
    curl -fsS -o /dev/null "$base/"
    curl -sS -o /dev/null "$base/no-such-path"
    # Sign-up, login, a todo and its read-back (packaging/lib.sh), then a failed login and the filtered reads.
    API_CHECK_USER=ops API_CHECK_TITLE="watch the dashboards" API_CHECK_DESCRIPTION="" api_check "$base"
    curl -sS -o /dev/null --data-urlencode "username=$API_EMAIL" -d password=wrong-password "$base/auth/token"
    curl -fsS -o /dev/null -H "Authorization: Bearer $API_TOKEN" "$base/todos/?state=todo"
    curl -fsS -o /dev/null -H "Authorization: Bearer $API_TOKEN" "$base/users/?limit=5"
done

metrics=$(curl -fsS "http://127.0.0.1:$A_ADMIN/observe/metrics")
set +e
lint=$(promtool check metrics <<<"$metrics" 2>&1)
rc=$?
set -e
((rc != 1)) || fail "promtool cannot parse /observe/metrics: $lint"
own=$(grep -E '^(http_|db_|health_)' <<<"$lint" || true)
[[ -z $own ]] || fail "promtool lint on the service's own meters: $own"
pass "/observe/metrics parses; the service's own meters pass promtool's lint (Helidon's JVM meters do not: camelCase)"

# The repository's configuration as it is, but with the fleet's targets file pointing here and 1 s intervals.
mkdir -p "$WORK/prometheus"
cp -r monitoring/. "$WORK/prometheus/"
cat >"$WORK/prometheus/targets/app-ci.yml" <<TARGETS
- targets: ["127.0.0.1:$A_ADMIN", "127.0.0.1:$B_ADMIN"]
  labels:
    env: ci
TARGETS
sed -i -E 's/^(  (scrape|evaluation)_interval:) 15s$/\1 1s/; s/^(  scrape_timeout:) 10s$/\1 1s/' \
    "$WORK/prometheus/prometheus.yml"
shortened=$(grep -cE '^  (scrape_interval|evaluation_interval|scrape_timeout): 1s$' "$WORK/prometheus/prometheus.yml")
expect "prometheus.yml intervals shortened to 1 s for CI" 3 "$shortened"
prometheus --config.file="$WORK/prometheus/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="$PROM" --log.level=warn >"$WORK/prometheus.log" 2>&1 </dev/null &
PROM_PID=$!
disown
FAIL_LOG=$WORK/prometheus.log
await 30 curl -fsS "http://$PROM/-/ready" || fail "Prometheus not ready"

prom() {
    curl -fsS --max-time 10 "http://$PROM/api/v1/$1"
}
query() {
    curl -fsS --max-time 10 --data-urlencode "query=$1" "http://$PROM/api/v1/query"
}
both_up() {
    [[ $(prom targets | jq '[.data.activeTargets[] | select(.labels.job == "todo-service" and .health == "up")]
        | length') == 2 ]]
}
await 30 both_up || fail "both instances UP: $(prom targets | jq -c '.data.activeTargets')"
prom targets >"$ARTIFACTS/prometheus-targets.json"
pass "Prometheus $(prometheus --version 2>&1 | awk 'NR == 1 {print $3}') scrapes both instances: UP"

has_data() {
    [[ $(query "$1" | jq '.data.result | length') -gt 0 ]]
}
await 30 has_data 'http_server_requests_seconds_count{job="todo-service", route="/hello", status="200"}' \
    || fail "no http_server_requests_seconds series"
series=$(query 'count(http_server_requests_seconds_count{job="todo-service"})' | jq -r '.data.result[0].value[1]')
quantiles=$(query 'count(http_server_requests_seconds{job="todo-service", quantile="0.99"})' \
    | jq -r '.data.result[0].value[1]')
pass "http_server_requests_seconds: $series _count series, $quantiles p99 series"

rules=$(grep -c '^      - alert:' monitoring/alerts.yml)
loaded=$(prom rules | jq '[.data.groups[].rules[] | select(.health == "ok")] | length')
expect "alerting rules loaded and evaluated without error" "$rules" "$loaded"

mapfile -t panel_queries < <(jq -r '.[]' "$WORK/panel-queries.json")
for q in "${panel_queries[@]}"; do
    await 30 has_data "$q" || fail "a dashboard query returns no data: $q"
done
pass "every dashboard query (${#panel_queries[@]}) returns data"

active=$(prom alerts | jq -c '[.data.alerts[] | {alert: .labels.alertname, state}]')
expect "no alert pending or firing while both instances are healthy" "[]" "$active"
unset FAIL_LOG

# --- 3. the docs page and CORS in a real browser --------------------------------------------------------------------
npm ci --prefix e2e --no-audit --no-fund --loglevel=error
caddy_start "$WORK/caddy" "$HTTP_PORT" "$HTTPS_PORT" "$CADDY_ADMIN" "127.0.0.1:$B_PORT" "$B_ADMIN"
# browser_test FILE [VAR=VALUE...]: one test file of e2e/ with node's test runner.
browser_test() {
    local file=$1
    shift
    (cd e2e && env "$@" node --test "$file") || fail "browser test e2e/$file ($*)"
}
browser_test docs.test.mjs DOCS_URL="http://127.0.0.1:$A_PORT/docs" SCREENSHOT="$ARTIFACTS/docs.png"
browser_test docs.test.mjs DOCS_URL="https://localhost:$HTTPS_PORT/api/docs" CA_CERT="$(caddy_ca "$WORK/caddy")" \
    SCREENSHOT="$ARTIFACTS/docs-via-caddy.png"
browser_test cors.test.mjs API_URL="http://127.0.0.1:$B_PORT" ALLOWED_PAGE="http://127.0.0.1:$A_PORT/hello" \
    REFUSED_PAGE="http://localhost:$A_PORT/hello"
pass "docs page at /docs and through Caddy at /api/docs, CORS in Chromium; screenshots in $ARTIFACTS"

# --- 2, continued: alerts turning on for real -----------------------------------------------------------------------
# alert_on NAME INSTANCES: whether exactly these instances (space-separated, sorted) have the alert pending or firing.
alert_on() {
    [[ $(prom alerts | jq -r --arg name "$1" '[.data.alerts[] | select(.labels.alertname == $name)
        | .labels.instance] | sort | join(" ")') == "$2" ]]
}
pg_throwaway_stop "$WORK/pg"
await 30 alert_on TodoServiceNotReady "127.0.0.1:$A_ADMIN 127.0.0.1:$B_ADMIN" \
    || fail "TodoServiceNotReady did not turn on: $(prom alerts | jq -c .data.alerts)"
pass "PostgreSQL stopped: TodoServiceNotReady pending for both instances"
kill "$(cat "$WORK/a.pid")"
await 30 alert_on TodoServiceDown "127.0.0.1:$A_ADMIN" \
    || fail "TodoServiceDown did not turn on: $(prom alerts | jq -c .data.alerts)"
pass "instance A stopped: TodoServiceDown pending for it alone"
