#!/usr/bin/env bash
# Checks against Debian's PostgreSQL 15 (the oldest version supported), after `mvn verify` built the jar:
# 1. the whole test suite again, with TEST_DATABASE_URL pointing at PostgreSQL 15 instead of the embedded 17;
# 2. the packaged service (target/todo-service.jar) end to end: start-up errors, the migrate command, the
#    contract's happy path over HTTP/1.1 (HTTP/2 prior knowledge refused), the admin port, graceful SIGTERM with a request in flight, and
#    data surviving a restart.
set -euo pipefail

cd "$(dirname "$0")/.."
source packaging/lib.sh
JAVA="${JAVA_HOME:?JAVA_HOME must point at a JDK 21+}/bin/java"
JAR=target/todo-service.jar
pg_bins=(/usr/lib/postgresql/*/bin)
PG_BIN=${pg_bins[-1]}
PG_PORT=25433
API_PORT=18080
ADMIN_PORT=18081
API="http://127.0.0.1:${API_PORT}"
ADMIN="http://127.0.0.1:${ADMIN_PORT}"
WORK=$(mktemp -d /tmp/todo-e2e.XXXXXX)
FAIL_LOG=$WORK/app.log
APP_PID=""

cleanup() {
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -KILL "$APP_PID" || true
    fi
    pg_throwaway_stop "$WORK/pg" "$PG_BIN"
    rm -rf "$WORK"
}
trap cleanup EXIT

# Waits until a URL answers 200, polling without a fixed sleep budget: up to $2 seconds.
await_ok() {
    local url=$1 deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do
        if ((SECONDS > deadline)); then
            fail "$url not ready within $2 s"
        fi
        if [[ -n "$APP_PID" ]] && ! kill -0 "$APP_PID" 2>/dev/null; then
            fail "service exited during start-up"
        fi
        sleep 0.2
    done
}

# --- a throw-away PostgreSQL 15 cluster on loopback -------------------------------------------------------------
chmod 711 "$WORK"
pg_throwaway_start "$WORK/pg" "$PG_PORT" "$PG_BIN"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

# --- the test suite against PostgreSQL 15 (the tests create and drop their own databases) ---------------------------
TEST_DATABASE_URL="postgresql://postgres:postgres-admin@127.0.0.1:${PG_PORT}/postgres" \
    mvn -B -ntp -q surefire:test || fail "test suite failed against PostgreSQL 15"
pass "test suite passes against PostgreSQL 15"

export DATABASE_URL="postgresql://todo:todo-password@127.0.0.1:${PG_PORT}/todo"
export SECRET_KEY
SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PORT=$API_PORT ADMIN_PORT SERVER_HOST=127.0.0.1 LOG_FORMAT=json

# --- start-up errors -------------------------------------------------------------------------------------------------
set +e
out=$(env -u SECRET_KEY "$JAVA" -jar "$JAR" 2>&1)
rc=$?
set -e
expect "missing SECRET_KEY in production exits 2" 2 "$rc"
[[ "$out" == *"SECRET_KEY is required in production"* ]] || fail "no clear message for missing SECRET_KEY: $out"

start=$SECONDS
set +e
out=$(DATABASE_URL="postgresql://todo:x@127.0.0.1:9/todo" DB_WAIT_SECONDS=2 "$JAVA" -jar "$JAR" 2>&1)
rc=$?
set -e
expect "unreachable database exits 1" 1 "$rc"
((SECONDS - start < 15)) || fail "gave up only after $((SECONDS - start)) s"
[[ "$(tail -n 1 <<<"$out")" == *"not reachable after 2 s"* ]] || fail "last line does not give the reason: $out"
[[ "$out" != *"todo-password"* && "$out" != *"$SECRET_KEY"* ]] || fail "a secret reached the log"
pass "start-up gives up with a one-line reason and no secrets"

# --- migrate command -------------------------------------------------------------------------------------------------
env -u SECRET_KEY "$JAVA" -jar "$JAR" migrate >"$WORK/migrate.log" 2>&1 || fail "migrate exited $?"
tables=$(PGPASSWORD=todo-password psql -qtAX -h 127.0.0.1 -p "$PG_PORT" -U todo -d todo \
    -c "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('users', 'todos')")
expect "migrate creates users and todos" 2 "$tables"

# --- the service -----------------------------------------------------------------------------------------------------
"$JAVA" -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!
await_ok "$ADMIN/observe/health/ready" 60
pass "ready on the admin port"

expect "GET /hello over HTTP/1.1" '{"message":"Hello World"}' "$(curl -fsS "$API/hello")"
# HTTP/1.1 only: an HTTP/2 connection preface gets an HTTP/1.1 400 with the JSON body (curl cannot read that answer).
exec 3<>"/dev/tcp/127.0.0.1/$API_PORT"
printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' >&3
IFS= read -r -t 10 status_line <&3 || true
exec 3<&-
expect "HTTP/2 prior knowledge refused with an answer (HTTP/1.1 only)" "HTTP/1.1 400 Bad Request" "${status_line%$'\r'}"
expect "public port has no /observe" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$API/observe/health")"
expect "unknown route" '{"detail":"Not Found"}' "$(curl -sS "$API/nope")"

# Sign-up (the email lower-cased), login, a todo with a non-ASCII title, read back: packaging/lib.sh's api_check.
API_CHECK_USER=e2e API_CHECK_TITLE="Ship it ✓" api_check "$API"
auth=(-H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json')
expect "PATCH /todos/{id}" "done" \
    "$(curl -fsS -X PATCH "$API/todos/$API_TODO_ID" "${auth[@]}" -d '{"state":"done"}' | jq -r .state)"
expect "GET /todos/?state=done" "Ship it ✓" \
    "$(curl -fsS "$API/todos/?state=done" "${auth[@]}" | jq -r '.todos[0].title')"
expect "GET /todos without a token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$API/todos")"
expect "docs are served" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$API/docs")"
# Read the whole page before grepping: grep -q exiting early would fail curl (and the pipeline) with SIGPIPE.
metrics=$(curl -fsS "$ADMIN/observe/metrics")
grep -q 'http_server_requests_seconds_count{method="POST",route="/todos"' <<<"$metrics" || fail "per-route metrics missing"
pass "per-route metrics on the admin port"

# --- graceful SIGTERM with a request in flight -----------------------------------------------------------------------
# A slow upload (about 3 s) is in flight when SIGTERM arrives: it must still get its answer.
head -c 300000 /dev/zero | tr '\0' 'a' | sed 's/^/{"title":"/; s/$/","description":"","state":"todo"}/' >"$WORK/body.json"
curl -s -o /dev/null -w '%{http_code}' --limit-rate 100k -X POST "$API/todos/" "${auth[@]}" \
    --data-binary @"$WORK/body.json" >"$WORK/slow.status" &
slow_pid=$!
# In flight means counted by the service: wait for its active-requests gauge instead of guessing with a sleep.
deadline=$((SECONDS + 10))
until grep -Eq '^http_server_active_requests[^ ]* [1-9]' <<<"$(curl -fsS "$ADMIN/observe/metrics")"; do
    ((SECONDS < deadline)) || fail "the slow request never became active"
    sleep 0.05
done
stop_start=$(date +%s.%N)
kill -TERM "$APP_PID"
# The JVM starts its shutdown hook a moment after the signal: poll (while the upload keeps it draining).
deadline=$((SECONDS + 5))
draining=""
until [[ $draining == 503 ]] || ((SECONDS >= deadline)); do
    draining=$(curl -s -o /dev/null -w '%{http_code}' "$ADMIN/observe/health/ready" || true)
done
wait "$APP_PID" && rc=0 || rc=$?
stop_end=$(date +%s.%N)
APP_PID=""
wait "$slow_pid" || true
expect "SIGTERM exit status (143 = terminated by the signal, counted as success)" 143 "$rc"
expect "the in-flight request got its answer (422: title too long)" 422 "$(cat "$WORK/slow.status")"
expect "readiness is DOWN while draining" 503 "$draining"
elapsed=$(echo "$stop_end - $stop_start" | bc)
(($(echo "$elapsed < 10" | bc))) || fail "stop took ${elapsed} s"
pass "stopped in ${elapsed} s"
grep -q '"Stopped; database pool closed"' "$WORK/app.log" || fail "no clean-stop log line"
if grep -qF -e "$API_TOKEN" -e "$API_PASSWORD" -e "$SECRET_KEY" -e "todo-password" "$WORK/app.log"; then
    fail "a token, password or secret reached the log"
fi
pass "no secret in the log"

# --- data survives a restart -----------------------------------------------------------------------------------------
"$JAVA" -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!
await_ok "$ADMIN/observe/health/ready" 60
expect "the todo is still there after a restart" 1 \
    "$(curl -fsS "$API/todos/" "${auth[@]}" | jq '.todos | length')"
kill -TERM "$APP_PID"
wait "$APP_PID" || true
APP_PID=""
echo "jar end-to-end: all checks passed"
