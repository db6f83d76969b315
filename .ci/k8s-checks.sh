#!/usr/bin/env bash
# Kubernetes checks (issue: Kubernetes manifests), as far as a machine without a Kubernetes API server allows:
# 1. every overlay under k8s/overlays renders with `kubectl kustomize` and passes strict offline validation
#    (k8s/validate: kubernetes-models, Gateway API models, the CRD schemas, an unknown-field walk, the restricted Pod
#    Security profile); deliberately broken copies (wrong type, bad enum, unknown field, ...) are rejected;
# 2. the production pod template runs for real under `podman kube play` (overlay k8s/overlays/kube-play, whose every
#    difference from production is listed there), 2 replicas against a PostgreSQL pod played first: migrations
#    applied once, both replicas serve the contract's happy path, a token from one works on the other, uid 10001,
#    read-only root, no capabilities, the launcher's heap within the memory limit;
# 3. Debian's Caddy with the repository's Caddyfile in front of both pods (APP_UPSTREAMS): one pod stopped under
#    steady writes (bench/drills/DrillClient.java) loses no request and no acknowledged write.
# Needs root, podman with catatonit, kubectl, node and npm, PostgreSQL's client, caddy, a JDK 21+ in JAVA_HOME, and
# the image .ci/container-checks.sh builds (localhost/todo-service:ci).
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=packaging/lib.sh
source packaging/lib.sh
export CONTAINERS_CONF=$PWD/.ci/containers.conf
IMAGE=localhost/todo-service:ci
NETWORK=k8s-net
# Fixed: the kube-play manifests' hostPath volumes name it.
PLAY_DIR=/tmp/k8s-kube-play
HTTP_PORT=18880 HTTPS_PORT=18843 CADDY_ADMIN_PORT=18819
PODS=(k8s-todo-service-pod-0 k8s-todo-service-pod-1)
WORK=$(mktemp -d /tmp/k8s-checks.XXXXXX)
FAIL_LOG=$WORK/app.log

cleanup() {
    caddy_stop "$WORK/caddy"
    if [[ -f $WORK/kube-play.yaml ]]; then podman kube play --down "$WORK/kube-play.yaml" >/dev/null 2>&1 || true; fi
    podman kube play --down k8s/overlays/kube-play/postgres-pod.yaml >/dev/null 2>&1 || true
    for pod in "${PODS[@]}" k8s-todo-db-rw; do podman pod rm -f -t 0 "$pod" >/dev/null 2>&1 || true; done
    podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
    rm -rf "$WORK" "$PLAY_DIR"
}
trap cleanup EXIT

# Keeps the pods' logs for `fail` (FAIL_LOG) while they exist.
collect_logs() {
    local pod
    for pod in "${PODS[@]}"; do
        podman logs "$pod-app" 2>&1 | sed "s/^/$pod: /" || true
    done >"$FAIL_LOG"
}
die() {
    collect_logs
    fail "$@"
}

pod_ip() {
    podman inspect "$(podman pod inspect "$1" --format '{{.InfraContainerID}}')" \
        --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'
}

ready() { [[ $(curl -sS -m 2 -o /dev/null -w '%{http_code}' "http://$1:8081/observe/health/ready") == 200 ]]; }

: "${JAVA_HOME:?JAVA_HOME must point at a JDK 21 or newer}"
for tool in kubectl node npm podman caddy psql pg_isready jq bc; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[[ -x /usr/libexec/podman/catatonit ]] || command -v catatonit >/dev/null \
    || fail "podman kube play needs catatonit (apt-get install catatonit)"

echo "-- render and validate every overlay"
start=$(date +%s%N)
npm ci --prefix k8s/validate --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1 \
    || { cat "$WORK/npm.log"; fail "npm ci in k8s/validate"; }
node k8s/validate/validate.mjs k8s || fail "the manifests are not valid (lines above)"
pass "kubectl $(kubectl version --client -o json | jq -r .clientVersion.gitVersion) kustomize + strict validation" \
    "in $(seconds_since "$start") s"

# broken WHAT FILE SED_EXPRESSION EXPECTED_MESSAGE: a copy of k8s/ with one edit must fail validation, saying why.
broken() {
    local what=$1 file=$2 edit=$3 expected=$4 copy=$WORK/broken
    rm -rf "$copy"
    mkdir "$copy"
    cp -r k8s/base k8s/components k8s/overlays "$copy/"
    sed -i "$edit" "$copy/$file"
    cmp -s "k8s/$file" "$copy/$file" && fail "the edit for '$what' changed nothing in $file"
    if node k8s/validate/validate.mjs "$copy" >"$WORK/broken.out" 2>&1; then
        fail "the validator accepted $what"
    fi
    grep -qF -- "$expected" "$WORK/broken.out" || { cat "$WORK/broken.out"; fail "$what: no '$expected'"; }
    pass "rejects $what ($(grep -m 1 -F -- "$expected" "$WORK/broken.out" | sed 's/^FAIL //'))"
}
broken "an unknown field" base/deployment.yaml 's/readinessProbe:/readinesProbe:/' \
    "containers/0/readinesProbe: unknown field"
broken "a wrong type" base/deployment.yaml 's/minReadySeconds: 5/minReadySeconds: "5"/' \
    "/spec/minReadySeconds must be integer"
broken "a bad enum value" base/deployment.yaml 's/imagePullPolicy: IfNotPresent/imagePullPolicy: Sometimes/' \
    "imagePullPolicy must be equal to one of the allowed values"
broken "a bad Gateway API enum value" components/gateway-api/httproute.yaml 's/type: PathPrefix/type: Prefix/' \
    "path/type must be equal to one of the allowed values"
broken "an unknown field in a CloudNativePG Cluster" components/cloudnative-pg/cluster.yaml \
    's/^  instances: 3/  instance: 3/' "/spec/instance: unknown field"
broken "a bad ScheduledBackup method" components/barman-cloud-backup/scheduledbackup.yaml \
    's/method: plugin/method: barman/' "/spec/method: must be equal to one of the allowed values"
broken "a malformed retention policy" components/barman-cloud-backup/objectstore.yaml \
    's/retentionPolicy: "30d"/retentionPolicy: "30 days"/' "/spec/retentionPolicy: must match pattern"
broken "an unknown field in a ServiceMonitor" components/prometheus-operator/servicemonitor.yaml \
    's/^      interval:/      intervall:/' "/spec/endpoints/0/intervall: unknown field"
broken "an unknown field in the recovery patch" overlays/production-recovery/cluster-recovery.yaml \
    's/targetTime:/targetTme:/' "recoveryTarget/targetTme: unknown field"
broken "a writable root filesystem" base/deployment.yaml \
    's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' "readOnlyRootFilesystem must be true"

echo "-- podman kube play: PostgreSQL, then the production pod template, 2 replicas"
podman image exists "$IMAGE" || fail "$IMAGE is missing: .ci/container-checks.sh builds it"
# The credentials the pods read as files: a random JWT key and database password, never in a manifest.
mkdir -p "$PLAY_DIR/credentials" "$PLAY_DIR/postgres"
chmod 755 "$PLAY_DIR/credentials" "$PLAY_DIR/postgres"
secret_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
db_password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf %s "$secret_key" >"$PLAY_DIR/credentials/secret_key"
printf %s "$db_password" >"$PLAY_DIR/credentials/database_password"
printf %s "$db_password" >"$PLAY_DIR/postgres/database_password"
chown root:10001 "$PLAY_DIR"/credentials/*
chmod 440 "$PLAY_DIR"/credentials/*
chown 999:999 "$PLAY_DIR/postgres/database_password"
chmod 400 "$PLAY_DIR/postgres/database_password"

podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
podman network create "$NETWORK" >/dev/null
kubectl kustomize k8s/overlays/kube-play >"$WORK/kube-play.yaml"
podman kube play --network "$NETWORK" k8s/overlays/kube-play/postgres-pod.yaml >"$WORK/play-db.log" 2>&1 \
    || { cat "$WORK/play-db.log"; fail "podman kube play (PostgreSQL)"; }
db_ip=$(pod_ip k8s-todo-db-rw)
await 60 pg_isready -q -h "$db_ip" -p 5432 || fail "PostgreSQL pod not accepting connections within 60 s"
start=$(date +%s%N)
podman kube play --network "$NETWORK" "$WORK/kube-play.yaml" >"$WORK/play.log" 2>&1 \
    || { cat "$WORK/play.log"; die "podman kube play (todo-service)"; }
pass "2 replicas played (init container, then app; Podman starts pods one after another) in $(seconds_since "$start") s"
ips=()
for pod in "${PODS[@]}"; do
    ips+=("$(pod_ip "$pod")")
done
for ip in "${ips[@]}"; do
    await 120 ready "$ip" || die "replica $ip not ready within 120 s"
done
pass "both replicas ready on their admin port $(seconds_since "$start") s after kube play began"

export PGPASSWORD=$db_password
migrations=$(find src/main/resources/db/migration -name 'V*.sql' | wc -l)
expect "each migration applied once (two migrate init containers, one Flyway lock)" "$migrations|$migrations|0" \
    "$(psql -qtAX -h "$db_ip" -U todo -d todo -c \
        "SELECT count(*), count(DISTINCT version), count(*) FILTER (WHERE NOT success) FROM flyway_schema_history")"

for pod in "${PODS[@]}"; do
    container=$pod-app
    expect "$pod runs as uid 10001" "10001" "$(podman exec "$container" id -u)"
    podman exec "$container" touch /opt/todo-service/x 2>/dev/null && die "$pod: the root filesystem is writable"
    pass "$pod: read-only root filesystem"
    status=$(podman exec "$container" grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/1/status | tr -s '\t ' ' ')
    expect "$pod: no capabilities, no new privileges, seccomp filter" \
        "CapEff: 0000000000000000|CapBnd: 0000000000000000|NoNewPrivs: 1|Seccomp: 2" "$(paste -sd '|' <<<"$status")"
done
limit=$(podman inspect "${PODS[0]}-app" --format '{{.HostConfig.Memory}}')
expect "memory limit from the manifest (256Mi)" 268435456 "$limit"
max_heap=$(curl -fsS -m 5 "http://${ips[0]}:8081/observe/metrics" | sed -n 's/^memory_maxHeap_bytes{[^}]*} //p')
max_heap=$(printf '%.0f' "$max_heap") # Helidon writes 6.7E7
# The image's launcher sets the heap (packaging/bin/todo-service); the JVM reports it less one survivor space.
shipped=$(($(sed -n "s/.*'-Xmx\([0-9]*\)m'.*/\1/p" packaging/bin/todo-service) * 1048576))
((max_heap <= shipped && max_heap * 10 >= shipped * 8)) \
    || die "max heap $max_heap is not the launcher's $shipped (less a survivor space)"
pass "heap from the launcher's defaults: max $((max_heap / 1048576)) MiB within the $((limit / 1048576)) MiB limit"

api0=http://${ips[0]}:8080 api1=http://${ips[1]}:8080
echo "-- the contract's happy path on both replicas (replica 0 $api0, replica 1 $api1)"
for api in "$api0" "$api1"; do
    expect "GET /hello on $api" '{"message":"Hello World"}' "$(curl -fsS -m 5 "$api/hello")"
done
# packaging/lib.sh's api_check, its steps spread over the replicas: sign-up on replica 0, login on replica 1, the
# todo on replica 0 with replica 1's token, read back on replica 1 with a token replica 0 refreshed.
FAIL_HOOK=collect_logs
API_CHECK_USER=k8s api_signup "$api0"
api_login "$api1"
API_CHECK_TITLE="Scale out" API_CHECK_DESCRIPTION="two replicas" api_todo "$api0"
pass "POST /todos/ on replica 0 with replica 1's token"
api_call "POST $api0/auth/refresh_token" 200 -X POST -H "Authorization: Bearer $API_TOKEN" "$api0/auth/refresh_token"
API_TOKEN=$(jq -r .access_token <<<"$API_BODY")
api_read_back "$api1"
pass "GET /todos/ on replica 1 with replica 0's refreshed token"
FAIL_HOOK=""

echo "-- Caddy in front of both pods; one pod stopped under steady writes"
caddy_dir=$WORK/caddy
caddy_start "$caddy_dir" "$HTTP_PORT" "$HTTPS_PORT" "127.0.0.1:$CADDY_ADMIN_PORT" "${ips[0]}:8080 ${ips[1]}:8080" 8081 \
    || { tail -n 20 "$caddy_dir/caddy.log"; fail "Caddy not serving within 30 s"; }
pass "Caddy serves /api/hello from the pods"

"$JAVA_HOME/bin/javac" -d "$WORK/drill" bench/drills/DrillClient.java
# Writes for 16 s from 8 clients through Caddy; at 5 s the second pod is deleted the way Kubernetes deletes one:
# removed from the endpoints (here: Caddy reloaded without it), its preStop (5 s; Podman does not run preStop hooks,
# so the script waits), then SIGTERM to its app container, SIGKILL only after terminationGracePeriodSeconds, the
# pod's network kept until the container has exited. Not `podman pod stop`: Podman 4.3.1 stops the infra container in
# parallel with the others, and the pod's network vanishes while the app drains.
{
    echo "set -euo pipefail"
    printf 'source %q\n' "$PWD/packaging/lib.sh"
    printf '%q ' caddy_reload "$caddy_dir" "$HTTP_PORT" "$HTTPS_PORT" "127.0.0.1:$CADDY_ADMIN_PORT" \
        "${ips[0]}:8080" 8081
    printf '\nsleep 5\n'
    printf '%q ' podman stop -t 30 "${PODS[1]}-app"
    echo
} >"$WORK/delete-pod"
stop_pod="bash $WORK/delete-pod"
set +e
STACK_HTTPS=https://localhost:$HTTPS_PORT STACK_CA=$(caddy_ca "$caddy_dir") STACK_APP=$api0 \
    STACK_ADMIN=http://${ips[1]}:8081 \
    timeout 120 "$JAVA_HOME/bin/java" -cp "$WORK/drill" DrillClient writes 16 8 5 "$stop_pod" >"$WORK/drill.out" 2>&1
drill_status=$?
set -e
sed 's/^/   /' "$WORK/drill.out"
value() { sed -n "s/^$1=//p" "$WORK/drill.out"; }
((drill_status == 0)) || die "drill verdict: $(value verdict) (exit $drill_status)"
expect "no failed request while a pod stopped" 0 "$(value failed_requests)"
expect "every acknowledged write stored, once" "0 0" "$(value lost_writes) $(value duplicate_writes)"
pass "$(value acknowledged_writes) acknowledged writes all present (pod stopped $(value event_window_s) s into the run)"
expect "the stopped pod's JVM ended on SIGTERM (143), not SIGKILL" 143 \
    "$(podman inspect "${PODS[1]}-app" --format '{{.State.ExitCode}}')"

collect_logs
if grep -qF -e "$secret_key" -e "$db_password" -e "$API_PASSWORD" "$FAIL_LOG"; then fail "a secret is in a pod log"; fi
pass "no secret in the pods' logs"
