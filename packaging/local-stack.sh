#!/usr/bin/env bash
# The production topology on loopback, without containers: a throw-away PostgreSQL cluster (Debian's packages), the
# jlink release (packaging/build-release.sh) and Caddy with the repository's Caddyfile (HTTPS from its local CA,
# HTTP/2 to clients, HTTP/1.1 to the app). Used by the benchmarks and drills under bench/.
#
#   packaging/local-stack.sh up                 build the release if there is none, start all three, wait until ready
#   packaging/local-stack.sh down               stop all three and delete the state (database included)
#   packaging/local-stack.sh env                print the stack's addresses as shell variables (eval "$(... env)")
#   packaging/local-stack.sh app-stop [SIGNAL]  stop the app (TERM by default, KILL for a crash) and wait for its exit
#   packaging/local-stack.sh app-start          start the app again and wait until it is ready
#   packaging/local-stack.sh pg-stop MODE       stop PostgreSQL with shutdown mode fast or immediate
#   packaging/local-stack.sh pg-start           start PostgreSQL again
#
# State and logs live in LOCAL_STACK_DIR (default target/local-stack). Runs as root (PostgreSQL as user postgres) or
# as an ordinary user. APP_JAVA_OPTS and APP_ENV_* (e.g. APP_ENV_DB_POOL_SIZE=20) reach the app.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${LOCAL_STACK_DIR:-$root/target/local-stack}
# Every port is below Linux's ephemeral range (32768+): a client socket's TIME-WAIT there can block a server's bind.
PG_PORT=${LOCAL_PG_PORT:-25440}
APP_PORT=${LOCAL_APP_PORT:-18480}
ADMIN_PORT=${LOCAL_ADMIN_PORT:-18481}
HTTPS_PORT=${LOCAL_HTTPS_PORT:-18643}
HTTP_PORT=${LOCAL_HTTP_PORT:-18680}
CADDY_ADMIN=127.0.0.1:${LOCAL_CADDY_ADMIN_PORT:-12022}
pg_bins=(/usr/lib/postgresql/*/bin)
PG_BIN=${pg_bins[-1]}

as_postgres() {
    if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# Polls until the command succeeds, for at most $1 seconds.
await() {
    local seconds=$1 deadline
    shift
    deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then echo "local-stack: timed out waiting for: $*" >&2; return 1; fi
        sleep 0.1
    done
}

release_home() {
    local homes=("$root"/target/release/todo-service-*)
    [[ -x ${homes[-1]}/bin/todo-service ]] || return 1
    echo "${homes[-1]}"
}

start_postgres() {
    mkdir -p "$dir/pg"
    if ((EUID == 0)); then chown postgres: "$dir/pg"; fi
    if [[ ! -f $dir/pg/data/PG_VERSION ]]; then
        echo "local-stack-admin" >"$dir/pg/pwfile"
        if ((EUID == 0)); then chown postgres: "$dir/pg/pwfile"; fi
        as_postgres "$PG_BIN/initdb" -D "$dir/pg/data" -U postgres -A scram-sha-256 --pwfile="$dir/pg/pwfile" \
            -E UTF8 >/dev/null
        # pg_stat_statements lets the benchmarks count database round trips per request.
        cat >>"$dir/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir/pg'
max_connections = 200
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
CONF
    fi
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w start >/dev/null
    export PGPASSWORD=local-stack-admin
    if ! psql -qtAX -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'todo'" | grep -q 1
    then
        psql -qX -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE ROLE todo LOGIN PASSWORD 'local-stack-todo'" \
            -c "CREATE DATABASE todo OWNER todo" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
        psql -qX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d todo -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    fi
}

app_start() {
    local home
    home=$(release_home)
    [[ -s $dir/secret_key ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/secret_key"
    local extra=()
    while IFS='=' read -r name value; do
        extra+=("${name#APP_ENV_}=$value")
    done < <(env | grep '^APP_ENV_' || true)
    # From the state directory, so a developer's .env in the repository does not reach this app.
    (cd "$dir" && exec env "${extra[@]}" ENV=production SERVER_HOST=127.0.0.1 PORT="$APP_PORT" \
        ADMIN_PORT="$ADMIN_PORT" ROOT_PATH=/api DATABASE_URL="postgresql://127.0.0.1:$PG_PORT/todo" DATABASE_USER=todo \
        DATABASE_PASSWORD=local-stack-todo SECRET_KEY="$(cat "$dir/secret_key")" JAVA_OPTS="${APP_JAVA_OPTS:-}" \
        setsid "$home/bin/todo-service") >>"$dir/app.log" 2>&1 </dev/null &
    echo $! >"$dir/app.pid"
    # MAINPID: the probe gives up as soon as the app has exited (a bad setting, an OutOfMemoryError).
    MAINPID=$! ADMIN_PORT=$ADMIN_PORT "$root/packaging/bin/todo-service-ready" --wait 60 \
        || { tail -n 20 "$dir/app.log" >&2; return 1; }
}

app_stop() {
    local signal=${1:-TERM} pid
    [[ -s $dir/app.pid ]] || return 0
    pid=$(cat "$dir/app.pid")
    kill -"$signal" "$pid" 2>/dev/null || true
    await 30 bash -c "! kill -0 $pid"
    rm -f "$dir/app.pid"
}

start_caddy() {
    mkdir -p "$dir/caddy"
    HOME=$dir/caddy XDG_DATA_HOME=$dir/caddy/data XDG_CONFIG_HOME=$dir/caddy/config DOMAIN=localhost \
        APP_UPSTREAMS=127.0.0.1:$APP_PORT APP_ADMIN_PORT=$ADMIN_PORT HTTP_PORT=$HTTP_PORT HTTPS_PORT=$HTTPS_PORT \
        CADDY_ADMIN=$CADDY_ADMIN setsid caddy run --config "$root/Caddyfile" --adapter caddyfile \
        >>"$dir/caddy.log" 2>&1 </dev/null &
    echo $! >"$dir/caddy.pid"
    await 30 curl -fsS --cacert "$dir/caddy/data/caddy/pki/authorities/local/root.crt" \
        "https://localhost:$HTTPS_PORT/api/hello"
}

print_env() {
    cat <<ENV
STACK_DIR=$dir
STACK_CA=$dir/caddy/data/caddy/pki/authorities/local/root.crt
STACK_HTTPS=https://localhost:$HTTPS_PORT
STACK_APP=http://127.0.0.1:$APP_PORT
STACK_ADMIN=http://127.0.0.1:$ADMIN_PORT
STACK_PG_PORT=$PG_PORT
STACK_PG_BIN=$PG_BIN
STACK_DATABASE_URL=postgresql://postgres:local-stack-admin@127.0.0.1:$PG_PORT/todo
STACK_APP_PID=$(cat "$dir/app.pid" 2>/dev/null || true)
ENV
}

case ${1:-} in
    up)
        mkdir -p "$dir"
        chmod 755 "$dir"
        if ! release_home >/dev/null; then "$root/packaging/build-release.sh"; fi
        start_postgres
        app_start
        start_caddy
        echo "local-stack: up; $(print_env | tr '\n' ' ')"
        ;;
    down)
        if [[ -s $dir/caddy.pid ]]; then kill "$(cat "$dir/caddy.pid")" 2>/dev/null || true; fi
        app_stop TERM
        if [[ -f $dir/pg/data/PG_VERSION ]]; then
            as_postgres "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast stop >/dev/null 2>&1 || true
        fi
        rm -rf "$dir"
        ;;
    env) print_env ;;
    app-stop) app_stop "${2:-TERM}" ;;
    app-start) app_start ;;
    pg-stop) as_postgres "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m "${2:?fast or immediate}" -w stop >/dev/null ;;
    pg-start) as_postgres "$PG_BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w start >/dev/null ;;
    *)
        sed -n '2,14p' "$0" >&2
        exit 2
        ;;
esac
