#!/usr/bin/env bash
# Container checks (issue: Containerfile, compose, Caddy), with Podman as root and local stand-ins for the base images
# (no registry can be pulled from here, see .ci/standin-images.sh):
# 1. `caddy validate` on the Caddyfile with Debian's Caddy 2.6, and compose.yaml (+ the dev override) parse;
# 2. the real Containerfile builds with `podman build --format docker` (HEALTHCHECK kept);
# 3. the image runs read-only, as its non-root user, with every capability dropped, against a real PostgreSQL:
#    AOT cache accepted (-XX:AOTMode=on), migrations applied, the contract's happy path, readiness on the admin port,
#    the HEALTHCHECK command, Debian's Caddy in front of it (HTTPS + HTTP/2, /api stripped, redirect, headers),
#    SIGTERM stops it within 10 s;
# 4. reports image size, runtime size and container start to ready.
set -euo pipefail

cd "$(dirname "$0")/.."
source packaging/lib.sh
export CONTAINERS_CONF=$PWD/.ci/containers.conf
IMAGE=localhost/todo-service:ci
# The launcher's default maximum heap (packaging/bin/todo-service).
SHIPPED_HEAP_MIB=$(sed -n "s/.*'-Xmx\([0-9]*\)m'.*/\1/p" packaging/bin/todo-service)
NAME=todo-service-ci
pg_bins=(/usr/lib/postgresql/*/bin)
PG_BIN=${pg_bins[-1]}
PG_PORT=25434 API_PORT=18280 ADMIN_PORT=18281 HTTP_PORT=18288 HTTPS_PORT=18443 CADDY_ADMIN_PORT=12019
WORK=$(mktemp -d /tmp/todo-containers.XXXXXX)
CADDY_PID=""

FAIL_LOG=$WORK/container.log

cleanup() {
    podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
    if [[ -n $CADDY_PID ]]; then kill "$CADDY_PID" 2>/dev/null || true; fi
    pg_throwaway_stop "$WORK/pg" "$PG_BIN"
    rm -rf "$WORK"
}
trap cleanup EXIT

# `fail` shows the container's last log lines while it exists.
container_log() {
    if podman container exists "$NAME"; then podman logs --tail 30 "$NAME" >"$FAIL_LOG" 2>&1; fi
}
FAIL_HOOK=container_log

echo "-- Caddyfile and compose files"
caddy_out=$(DOMAIN=todo.example.com caddy validate --config Caddyfile --adapter caddyfile 2>&1) \
    || fail "caddy validate: $caddy_out"
pass "caddy validate ($(caddy version | cut -d' ' -f1))"
[[ -z $(caddy fmt Caddyfile | diff - Caddyfile) ]] || fail "Caddyfile is not in caddy fmt form"
pass "Caddyfile formatted as caddy fmt has it"
# Compose reads .env for interpolation; a copy of the example stands in for the developer's own.
mkdir "$WORK/compose"
cp compose.yaml compose.dev.yaml Caddyfile Containerfile "$WORK/compose/"
sed 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=compose-check/' .env.example >"$WORK/compose/.env"
# podman-compose 1.0.3 (Debian 12) has no `config`; Debian's docker-compose validates against the Compose schema.
(cd "$WORK/compose" && docker-compose -f compose.yaml -f compose.dev.yaml config >"$WORK/compose.out" 2>&1) \
    || fail "docker-compose config: $(cat "$WORK/compose.out")"
grep -q 'condition: service_healthy' "$WORK/compose.out" || fail "compose config lost the depends_on condition"
pass "compose.yaml + compose.dev.yaml valid (docker-compose $(docker-compose version --short) config)"

echo "-- stand-in base images"
bash .ci/standin-images.sh

echo "-- podman build --format docker"
start=$(date +%s%N)
podman build --format docker -t "$IMAGE" . >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; fail "image build"; }
echo "image built in $(seconds_since "$start") s"
healthcheck=$(podman image inspect "$IMAGE" --format '{{json .HealthCheck.Test}}')
expect "HEALTHCHECK kept in the image" '["CMD","/opt/todo-service/bin/todo-service-ready"]' "$healthcheck"
expect "image runs as a fixed numeric user" "10001:10001" "$(podman image inspect "$IMAGE" --format '{{.Config.User}}')"
entrypoint=$(podman image inspect "$IMAGE" --format '{{json .Config.Entrypoint}}')
[[ $entrypoint == '["/opt/todo-service/bin/todo-service"]' ]] || fail "ENTRYPOINT not the launcher in exec form: $entrypoint"
pass "ENTRYPOINT in exec form: the launcher"

# The launcher's JVM defaults give way to the operator's options of the same kind, from either variable. The JVM
# prints its flags, then the service stops at once (no DATABASE_URL).
flag() {
    local name=$1
    shift
    podman run --rm --network=none --memory=256m "$@" -e JAVA_OPTS="${JAVA_OPTS_EXTRA:-} -XX:+PrintFlagsFinal" \
        "$IMAGE" 2>/dev/null | sed -n "s/^ *[a-z_]* *$name *= *\([^ ]*\) .*/\1/p"
}
expect "default maximum heap: the launcher's -Xmx${SHIPPED_HEAP_MIB}m" $((SHIPPED_HEAP_MIB * 1048576)) \
    "$(flag MaxHeapSize)"
expect "JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=50 replaces it: half the 256 MiB limit" $((128 * 1048576)) \
    "$(flag MaxHeapSize -e JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=50)"
expect "JAVA_OPTS=-Xmx200m replaces it" $((200 * 1048576)) "$(JAVA_OPTS_EXTRA=-Xmx200m flag MaxHeapSize)"
expect "JDK_JAVA_OPTIONS=-XX:+UseG1GC replaces the default collector" true \
    "$(flag UseG1GC -e JDK_JAVA_OPTIONS=-XX:+UseG1GC)"

echo "-- PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
chmod 711 "$WORK"
pg_throwaway_start "$WORK/pg" "$PG_PORT" "$PG_BIN"
export PGPASSWORD=postgres-admin

echo "-- the image: read-only, non-root, no capabilities"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Host networking: the stand-in-free part of the check is the image, not Podman's bridge (which needs more setup here).
# Healthcheck timers need systemd, which is not PID 1 here: `podman healthcheck run` below runs the same command.
start=$(date +%s%N)
podman run -d --name "$NAME" --read-only --cap-drop=ALL --security-opt=no-new-privileges --network=host \
    --health-interval=disable \
    -e PORT=$API_PORT -e ADMIN_PORT=$ADMIN_PORT -e SERVER_HOST=127.0.0.1 -e ROOT_PATH=/api \
    -e DATABASE_URL="postgresql://127.0.0.1:$PG_PORT/todo" -e DATABASE_USER=todo -e DATABASE_PASSWORD=todo-password \
    -e SECRET_KEY="$secret" -e JDK_JAVA_OPTIONS=-XX:AOTMode=on "$IMAGE" >/dev/null 2>"$WORK/run.err" \
    || fail "podman run: $(cat "$WORK/run.err")"
ADMIN_PORT=$ADMIN_PORT packaging/bin/todo-service-ready --wait 90 || fail "container not ready within 90 s"
ready_after=$(seconds_since "$start")
pass "ready $ready_after s after podman run (AOT cache required by -XX:AOTMode=on)"
expect "process runs as uid 10001" "10001" "$(podman exec "$NAME" id -u)"
podman exec "$NAME" touch /opt/todo-service/x 2>/dev/null && fail "root filesystem is writable"
pass "root filesystem is read-only"
caps=$(podman exec "$NAME" grep CapEff /proc/1/status | awk '{print $2}')
expect "no effective capabilities" "0000000000000000" "$caps"
podman healthcheck run "$NAME" >/dev/null 2>&1 || fail "HEALTHCHECK command failed on a ready app"
pass "HEALTHCHECK command passes"
migrations=$(psql -qtAX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d todo \
    -c "SELECT count(*) FROM flyway_schema_history WHERE success")
expect "migrations applied at start-up" "$(find src/main/resources/db/migration -name 'V*.sql' | wc -l)" "$migrations"

api="http://127.0.0.1:$API_PORT"
expect "GET /hello" '{"message":"Hello World"}' "$(curl -fsS "$api/hello")"
API_CHECK_USER=ci API_CHECK_TITLE="Ship it" API_CHECK_DESCRIPTION="in a container" api_check "$api"
expect "readiness UP on the admin port" 200 \
    "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN_PORT/observe/health/ready")"

echo "-- Debian's Caddy in front of the container"
mkdir -p "$WORK/caddy"
HOME=$WORK/caddy XDG_DATA_HOME=$WORK/caddy/data XDG_CONFIG_HOME=$WORK/caddy/config \
    DOMAIN=localhost APP_UPSTREAMS=127.0.0.1:$API_PORT APP_ADMIN_PORT=$ADMIN_PORT \
    HTTP_PORT=$HTTP_PORT HTTPS_PORT=$HTTPS_PORT CADDY_ADMIN=127.0.0.1:$CADDY_ADMIN_PORT \
    caddy run --config Caddyfile --adapter caddyfile >"$WORK/caddy.log" 2>&1 &
CADDY_PID=$!
ca=$WORK/caddy/data/caddy/pki/authorities/local/root.crt
https="https://localhost:$HTTPS_PORT"
deadline=$((SECONDS + 30))
until [[ -s $ca ]] && curl -fsS --cacert "$ca" -o /dev/null "$https/api/hello" 2>/dev/null; do
    ((SECONDS < deadline)) || { tail -n 20 "$WORK/caddy.log"; fail "Caddy not serving within 30 s"; }
    sleep 0.2
done
expect "GET /api/hello through Caddy over HTTP/2" "2 200" \
    "$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_version} %{http_code}' "$https/api/hello")"
expect "/ redirects to /api/docs" "302 $https/api/docs" \
    "$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code} %{redirect_url}' "$https/")"
expect "Swagger UI at /api/docs" 200 "$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' "$https/api/docs")"
expect "OpenAPI servers point at /api" "/api" \
    "$(curl -fsS --cacert "$ca" "$https/api/openapi.json" | jq -r '.servers[0].url')"
headers=$(curl -sS --cacert "$ca" -D - -o /dev/null "$https/api/hello")
for header in strict-transport-security x-content-type-options content-security-policy referrer-policy; do
    grep -qi "^$header:" <<<"$headers" || fail "security header $header missing"
done
pass "security headers set"
expect "responses compressed" "gzip" "$(curl -sS --cacert "$ca" -H 'Accept-Encoding: gzip' -D - -o /dev/null \
    "$https/api/openapi.json" | tr -d '\r' | sed -n 's/^content-encoding: //Ip')"
expect "admin endpoints not reachable through Caddy" 404 \
    "$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' "$https/api/observe/health")"

echo "-- SIGTERM"
start=$(date +%s%N)
podman stop -t 10 "$NAME" >/dev/null 2>&1
stop_took=$(seconds_since "$start")
exit_code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
expect "SIGTERM ends the JVM itself (exit 143, not a SIGKILL 137)" 143 "$exit_code"
(($(echo "$stop_took < 10" | bc))) || fail "stop took $stop_took s"
pass "stopped in $stop_took s"
podman logs "$NAME" >"$WORK/app.log" 2>&1
if grep -qF -e "$secret" -e todo-password -e "$API_PASSWORD" "$WORK/app.log"; then fail "a secret is in the log"; fi
pass "no secret in the container log"
# The service falls back to pure-Java Argon2 (three times the CPU per login) when JNA cannot load libargon2.
if grep -F 'Native Argon2' "$WORK/app.log"; then fail "the image hashes passwords without libargon2"; fi
pass "passwords hashed by libargon2 in the image (no pure-Java fallback logged)"

image_size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
runtime_size=$(podman run --rm --network=none --entrypoint du "$IMAGE" -sm /opt/todo-service/runtime 2>/dev/null | cut -f1)
aot_size=$(podman run --rm --network=none --entrypoint du "$IMAGE" -sm /opt/todo-service/app/todo-service.aot 2>/dev/null | cut -f1)
echo "image $((image_size / 1000000)) MB (stand-in debian base $(($(podman image inspect \
    docker.io/library/debian:bookworm-slim --format '{{.Size}}') / 1000000)) MB), jlink runtime $runtime_size MiB," \
    "AOT cache $aot_size MiB, container start to ready $ready_after s"

echo "-- compose restore drill: packaging/backup.sh dump, drop, restore (bench/drills/compose-restore.sh)"
start=$(date +%s%N)
APP_IMAGE=$IMAGE bash bench/drills/compose-restore.sh
echo "compose restore drill took $(seconds_since "$start") s"
