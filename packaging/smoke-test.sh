#!/usr/bin/env bash
# Smoke test of the compose stack, as a developer runs it: build, start, and check through Caddy over HTTPS.
#
#   packaging/smoke-test.sh
#
# Runs as its own compose project (todo-smoke, own volumes) on HTTPS_PORT (default 8443) and HTTP_PORT (8088), so it
# leaves a developer's stack and data alone; always tears its stack down, volumes included. Uses `docker compose`,
# `podman compose` or `podman-compose`, whichever works first (or COMPOSE="..."). Without a .env it makes a temporary
# one with random secrets. Needs curl and jq.
set -euo pipefail

cd "$(dirname "$0")/.."
export HTTPS_PORT=${HTTPS_PORT:-8443} HTTP_PORT=${HTTP_PORT:-8088}
deadline_seconds=${SMOKE_DEADLINE:-180}
work=$(mktemp -d)
made_env=false

if [[ -z ${COMPOSE:-} ]]; then
    for candidate in "docker compose" "podman compose" "podman-compose"; do
        # shellcheck disable=SC2086 # candidate is a command and its subcommand
        if $candidate version >/dev/null 2>&1; then COMPOSE=$candidate; break; fi
    done
fi
[[ -n ${COMPOSE:-} ]] || { echo "smoke-test: no docker compose, podman compose or podman-compose found" >&2; exit 1; }
# shellcheck disable=SC2206 # split the command into words
compose=($COMPOSE -p todo-smoke -f compose.yaml)

cleanup() {
    status=$?
    if ((status != 0)); then
        echo "--- last log lines ---" >&2
        "${compose[@]}" logs --tail 20 >&2 2>&1 || true
    fi
    "${compose[@]}" down -v >/dev/null 2>&1 || true
    if $made_env; then rm -f .env; fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

if [[ ! -f .env ]]; then
    sed -e "s/^SECRET_KEY=$/SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')/" \
        -e "s/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')/" \
        .env.example >.env
    made_env=true
fi

echo "-- build and start ($COMPOSE)"
"${compose[@]}" build
"${compose[@]}" up -d
deadline=$((SECONDS + deadline_seconds))
https=https://localhost:$HTTPS_PORT
ca=$work/caddy-root.crt

# Polls until the command succeeds or the deadline passes.
await() {
    local what=$1
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "$what not within $deadline_seconds s"
        sleep 0.5
    done
}
fetch_ca() { "${compose[@]}" exec -T caddy cat /data/caddy/pki/authorities/local/root.crt >"$ca" && [[ -s $ca ]]; }
await "Caddy's local CA" fetch_ca
await "the API through Caddy" curl -fsS --cacert "$ca" "$https/api/hello"
pass "stack up; /api/hello answers through Caddy"

version=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_version}' "$https/api/hello")
[[ $version == 2 ]] || fail "expected HTTP/2 from Caddy, got $version"
pass "HTTP/2 with a certificate from Caddy's local CA"
redirect=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code} %{redirect_url}' "$https/")
[[ $redirect == "302 $https/api/docs" ]] || fail "/ should redirect to /api/docs, got $redirect"
pass "/ redirects to /api/docs"
curl -fsS --cacert "$ca" "$https/api/docs" | grep -qi swagger || fail "/api/docs is not the Swagger UI"
[[ $(curl -fsS --cacert "$ca" "$https/api/openapi.json" | jq -r '.servers[0].url') == /api ]] \
    || fail "the OpenAPI document does not point at /api"
pass "Swagger UI and its OpenAPI document load"

email="smoke-$RANDOM@example.com"
status=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"username\":\"smoke$RANDOM\",\"email\":\"$email\",\"password\":\"smoke-test-password\"}" "$https/api/users/")
[[ $status == 201 ]] || fail "POST /api/users/ answered $status"
token=$(curl -fsS --cacert "$ca" --data-urlencode "username=$email" --data-urlencode password=smoke-test-password \
    "$https/api/auth/token" | jq -r .access_token)
status=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"title":"Smoke","description":"survives restarts","state":"todo"}' \
    "$https/api/todos/")
[[ $status == 201 ]] || fail "POST /api/todos/ answered $status"
pass "user and todo created through the proxy"

"${compose[@]}" restart app
deadline=$((SECONDS + deadline_seconds))
await "the API after restarting the app" curl -fsS --cacert "$ca" -H "Authorization: Bearer $token" "$https/api/todos/"
title=$(curl -fsS --cacert "$ca" -H "Authorization: Bearer $token" "$https/api/todos/" | jq -r '.todos[0].title')
[[ $title == Smoke ]] || fail "the todo is gone after restarting the app (got $title)"
pass "data still there after restarting the app container"
echo "smoke test passed"
