#!/usr/bin/env bash
# Makes todo-service's JDK 25 AOT cache (JEP 514/515) with a training run: starts the release in HOME against a real
# PostgreSQL, drives every route a few hundred times, stops it with SIGTERM, and leaves HOME/app/todo-service.aot.
#
#   packaging/aot-train.sh HOME
#
# HOME is a release directory (bin/, runtime/, app/). The cache only works with the runtime and jars it was trained
# with. The training database is TRAIN_DATABASE_URL with TRAIN_DATABASE_PASSWORD (an empty database: the run creates
# the schema, users and todos) or, by default, a
# throw-away cluster made with the newest /usr/lib/postgresql/*/bin (Debian's packages, or the official postgres image)
# and removed afterwards. The service runs with a clean environment in an empty directory, so neither the caller's
# DATABASE_URL nor a .env can point the training at a real database.
# Pure bash for HTTP (/dev/tcp), so it also runs in images without curl.
set -euo pipefail

home=$(cd "${1:?usage: aot-train.sh RELEASE_HOME}" && pwd)
port=${TRAIN_PORT:-18090}
admin_port=${TRAIN_ADMIN_PORT:-18091}
rounds=${TRAIN_ROUNDS:-150}
aot=$home/app/todo-service.aot
export LC_ALL=C # byte lengths for Content-Length

pg_dir="" app_pid="" train_password=""
run_dir=$(mktemp -d /tmp/aot-train.XXXXXX)
app_log=$run_dir/app.log
cleanup() {
    rm -rf "$run_dir"
    if [[ -n $app_pid ]]; then kill -KILL "$app_pid" 2>/dev/null || true; fi
    if [[ -n $pg_dir ]]; then
        as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$pg_dir"
    fi
}
trap cleanup EXIT

as_postgres() {
    if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    pg_bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
    [[ -x $pg_bin/initdb ]] || { echo "aot-train: no DATABASE_URL and no PostgreSQL under /usr/lib/postgresql" >&2; exit 1; }
    local pg_port=${TRAIN_PG_PORT:-25429}
    pg_dir=$(mktemp -d /tmp/aot-train-pg.XXXXXX)
    chmod 755 "$pg_dir"
    if ((EUID == 0)); then chown postgres: "$pg_dir"; fi
    # Password authentication as in production (SCRAM), so its classes and profiles are in the cache too.
    train_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$train_password" >"$pg_dir/pwfile"
    if ((EUID == 0)); then chown postgres: "$pg_dir/pwfile"; fi
    as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U todo -A scram-sha-256 --pwfile="$pg_dir/pwfile" -E UTF8 \
        >/dev/null
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null
    TRAIN_DATABASE_URL="postgresql://todo@127.0.0.1:$pg_port/postgres"
}

# call METHOD PATH [BODY [CONTENT_TYPE]]: sets $status and $response; TOKEN, when set, goes in Authorization.
call() {
    local method=$1 path=$2 body=${3:-} type=${4:-application/json}
    local request="$method $path HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
    if [[ -n ${TOKEN:-} ]]; then request+="Authorization: Bearer $TOKEN\r\n"; fi
    if [[ -n $body ]]; then request+="Content-Type: $type\r\nContent-Length: ${#body}\r\n"; fi
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf "%b%s" "$request\r\n" "$body" >&3
    # Read by Content-Length: the server may keep its end open after answering.
    local line length=0
    IFS= read -r -t 10 line <&3
    status=${line:9:3} response=$line
    while IFS= read -r -t 10 line <&3 && [[ $line != $'\r' ]]; do
        if [[ ${line,,} =~ ^content-length:\ *([0-9]+) ]]; then length=${BASH_REMATCH[1]}; fi
    done
    if ((length > 0)); then IFS= read -r -t 10 -N "$length" line <&3; response+=$'\n'$line; fi
    exec 3>&-
}

expect() {
    if [[ $status != "$1" ]]; then
        echo "aot-train: expected $1 from $2, got: ${response:0:300}" >&2
        tail -n 20 "$app_log" >&2
        exit 1
    fi
}

workload() {
    local round=$1 email="train$1@example.com" id
    TOKEN=""
    call GET /hello; expect 200 /hello
    call POST /users/ "{\"username\":\"train$round\",\"email\":\"$email\",\"password\":\"training-password\"}"
    expect 201 "POST /users/"
    id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$response")
    call POST /users/ "{\"username\":\"train$round\",\"email\":\"$email\",\"password\":\"x\"}"; expect 422 "POST /users/ (short password)"
    call GET "/users/?offset=0&limit=5"; expect 401 "GET /users/ (no token)"
    call POST /auth/token "username=$email&password=training-password" application/x-www-form-urlencoded
    expect 200 "POST /auth/token"
    TOKEN=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$response")
    call GET "/users/?offset=0&limit=5"; expect 200 "GET /users/"
    call GET "/users/$id"; expect 200 "GET /users/{id}"
    call POST /auth/refresh_token; expect 200 "POST /auth/refresh_token"
    TOKEN=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$response")
    for state in draft todo doing "done"; do
        call POST /todos/ "{\"title\":\"Train $state\",\"description\":\"round $round\",\"state\":\"$state\"}"
        expect 201 "POST /todos/"
    done
    call GET "/todos/?limit=10"; expect 200 "GET /todos/"
    call GET "/todos/?title=Train&state=doing&offset=0&limit=5"; expect 200 "GET /todos/ (filters)"
    id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$response")
    call PATCH "/todos/$id" '{"state":"done"}'; expect 200 "PATCH /todos/{id}"
    call DELETE "/todos/$id"; expect 200 "DELETE /todos/{id}"
    call DELETE "/todos/$id"; expect 404 "DELETE /todos/{id} (gone)"
    call GET "/todos/?limit=0"; expect 422 "GET /todos/?limit=0"
    call POST /auth/logout; expect 200 "POST /auth/logout"
    call GET /todos/; expect 401 "GET /todos/ (logged out)"
    TOKEN=not-a-token
    call GET /todos/; expect 401 "GET /todos/ (bad token)"
    TOKEN=""
    call GET /nowhere; expect 404 /nowhere
}

if [[ -z ${TRAIN_DATABASE_URL:-} ]]; then start_postgres; fi
rm -f "$aot"
echo "aot-train: training $home with $rounds rounds"
# The service as it runs in production: through its launcher, with the shipped JVM settings (the cache records the
# collector and heap it was made with), the schema already current (Flyway's classes stay out of the cache, so a
# start that needs no migration does not load them), password authentication to PostgreSQL. The workload signs up
# and logs in every round's account from one address: the login throttle would stop it.
train_env=(env -i PATH=/usr/bin:/bin ENV=production DATABASE_URL="$TRAIN_DATABASE_URL"
    DATABASE_PASSWORD="${TRAIN_DATABASE_PASSWORD:-$train_password}"
    SECRET_KEY=aot-training-only-key-not-used-anywhere-else PORT="$port" ADMIN_PORT="$admin_port"
    SERVER_HOST=127.0.0.1 LOG_LEVEL=INFO THROTTLE_IP_PER_MINUTE=1000000 THROTTLE_ACCOUNT_PER_MINUTE=1000000)
(cd "$run_dir" && exec "${train_env[@]}" "$home/bin/todo-service" migrate) >"$app_log" 2>&1 \
    || { tail -n 20 "$app_log" >&2; exit 1; }
# No machine code in the cache (adapters, stubs): it would be for this CPU, and the image or tarball runs on others.
(cd "$run_dir" && exec "${train_env[@]}" \
    JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching -XX:-AOTStubCaching -XX:AOTCacheOutput=$aot" \
    "$home/bin/todo-service") >"$app_log" 2>&1 &
app_pid=$!
MAINPID=$app_pid ADMIN_PORT=$admin_port "$home/bin/todo-service-ready" --wait 120 \
    || { tail -n 20 "$app_log" >&2; exit 1; }
for ((round = 1; round <= rounds; round++)); do workload "$round"; done
call GET /docs; expect 200 /docs
call GET /openapi.json; expect 200 /openapi.json

kill -TERM "$app_pid"
# The JVM assembles the cache as it exits (143 is its answer to SIGTERM).
wait "$app_pid" || [[ $? == 143 ]]
app_pid=""
[[ -s $aot ]] || { tail -n 20 "$app_log" >&2; echo "aot-train: no AOT cache was written" >&2; exit 1; }
echo "aot-train: $(du -h "$aot" | cut -f1) AOT cache in $aot"
