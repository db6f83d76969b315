#!/usr/bin/env bash
# Smoke test of the compose stack, as a developer runs it: build, start, and check through Caddy over HTTPS.
#
#   packaging/smoke-test.sh
#
# Runs from a temporary copy of the project with its own .env (random secrets, DOMAIN=localhost, HTTPS_PORT 8443 and
# HTTP_PORT 8088 unless set), as compose project todo-smoke with its own volumes and image tag, so a developer's .env,
# stack, image and data are left alone; always tears its stack down, volumes included. Uses `docker compose`,
# `podman compose` or `podman-compose`, whichever works first (or COMPOSE="..."). Needs curl and jq.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=packaging/lib.sh
source "$repo/packaging/lib.sh"
https_port=${HTTPS_PORT:-8443}
deadline_seconds=${SMOKE_DEADLINE:-180}
work=$(mktemp -d)

if [[ -z ${COMPOSE:-} ]]; then
    for candidate in "docker compose" "podman compose" "podman-compose"; do
        # shellcheck disable=SC2086 # candidate is a command and its subcommand
        if $candidate version >/dev/null 2>&1; then COMPOSE=$candidate; break; fi
    done
fi
[[ -n ${COMPOSE:-} ]] || { echo "smoke-test: no docker compose, podman compose or podman-compose found" >&2; exit 1; }

mkdir "$work/project"
cp -r "$repo"/{Containerfile,.containerignore,.dockerignore,compose.yaml,Caddyfile,pom.xml,src,packaging} "$work/project/"
random() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
cat >"$work/project/.env" <<ENV
DOMAIN=localhost
HTTP_PORT=${HTTP_PORT:-8088}
HTTPS_PORT=$https_port
POSTGRES_DB=todo
POSTGRES_USER=todo
POSTGRES_PASSWORD=$(random 16)
SECRET_KEY=$(random 32)
APP_IMAGE=localhost/todo-service:smoke
ENV
cd "$work/project"
# shellcheck disable=SC2206 # split the command into words
compose=($COMPOSE -p todo-smoke -f compose.yaml)

cleanup() {
    status=$?
    if ((status != 0)); then
        echo "--- last log lines ---" >&2
        "${compose[@]}" logs --tail 20 >&2 2>&1 || true
    fi
    "${compose[@]}" down -v >/dev/null 2>&1 || true
    cd /
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

echo "-- build and start ($COMPOSE)"
"${compose[@]}" build
# podman-compose 1.0 exits 0 even when a step failed: check the result, not the exit status.
podman image exists localhost/todo-service:smoke 2>/dev/null || docker image inspect localhost/todo-service:smoke \
    >/dev/null 2>&1 || fail "the image was not built"
"${compose[@]}" up -d
deadline=$((SECONDS + deadline_seconds))
https=https://localhost:$https_port
ca=$work/caddy-root.crt

# Only the certificate: podman-compose adds lines of its own to the output.
fetch_ca() {
    "${compose[@]}" exec -T caddy cat /data/caddy/pki/authorities/local/root.crt 2>/dev/null \
        | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' >"$ca"
    grep -q 'END CERTIFICATE' "$ca"
}
await $((deadline - SECONDS)) fetch_ca || fail "Caddy's local CA not within $deadline_seconds s"
await $((deadline - SECONDS)) curl -fsS -m 10 --cacert "$ca" "$https/api/hello" \
    || fail "the API through Caddy not within $deadline_seconds s"
pass "stack up; /api/hello answers through Caddy"

version=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_version}' "$https/api/hello")
[[ $version == 2 ]] || fail "expected HTTP/2 from Caddy, got $version"
pass "HTTP/2 with a certificate from Caddy's local CA"
redirect=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code} %{redirect_url}' "$https/")
[[ $redirect == "302 $https/api/docs" ]] || fail "/ should redirect to /api/docs, got $redirect"
pass "/ redirects to /api/docs"
grep -qi swagger <<<"$(curl -fsS --cacert "$ca" "$https/api/docs")" || fail "/api/docs is not the Swagger UI"
[[ $(curl -fsS --cacert "$ca" "$https/api/openapi.json" | jq -r '.servers[0].url') == /api ]] \
    || fail "the OpenAPI document does not point at /api"
pass "Swagger UI and its OpenAPI document load"

# Sign-up, login, a todo and its read-back through the proxy (api_check, packaging/lib.sh).
API_CHECK_USER=smoke API_CHECK_TITLE=Smoke API_CHECK_DESCRIPTION="survives restarts" \
    api_check "$https/api" --cacert "$ca"
token=$API_TOKEN

"${compose[@]}" restart app
await "$deadline_seconds" curl -fsS -m 10 --cacert "$ca" -H "Authorization: Bearer $token" "$https/api/todos/" \
    || fail "the API after restarting the app not within $deadline_seconds s"
title=$(curl -fsS --cacert "$ca" -H "Authorization: Bearer $token" "$https/api/todos/" | jq -r '.todos[0].title')
[[ $title == Smoke ]] || fail "the todo is gone after restarting the app (got $title)"
pass "data still there after restarting the app container"
echo "smoke test passed"
