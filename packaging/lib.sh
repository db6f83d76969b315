# Shell helpers shared by the CI stages, the packaging scripts and the drills. Source it:
#   source "$(dirname "${BASH_SOURCE[0]}")/../packaging/lib.sh"
# Callers keep `set -euo pipefail`. Set FAIL_LOG to a file whose last lines `fail` prints (e.g. the service log).
# shellcheck shell=bash

# Stops the script with a message (and the tail of $FAIL_LOG, when set and present).
fail() {
    echo "FAIL: $*" >&2
    if [[ -n ${FAIL_LOG:-} && -f $FAIL_LOG ]]; then
        echo "--- last lines of $FAIL_LOG ---" >&2
        tail -n 30 "$FAIL_LOG" >&2
    fi
    exit 1
}

pass() { echo "ok: $*"; }

# expect WHAT EXPECTED ACTUAL: passes when equal, fails naming both values otherwise.
expect() {
    local what=$1 expected=$2 actual=$3
    [[ $actual == "$expected" ]] || fail "$what: expected $expected, got $actual"
    pass "$what"
}

# await SECONDS COMMAND...: polls the command until it succeeds; returns 1 after SECONDS.
await() {
    local seconds=$1 deadline
    shift
    deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            echo "timed out after $seconds s waiting for: $*" >&2
            return 1
        fi
        sleep 0.1
    done
}

# Runs a command as the postgres user when root (PostgreSQL refuses to run as root).
as_postgres() {
    if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# The newest PostgreSQL server binaries installed under /usr/lib/postgresql.
pg_bin_dir() {
    local dirs=(/usr/lib/postgresql/*/bin)
    [[ -x ${dirs[-1]}/initdb ]] || { echo "no PostgreSQL server under /usr/lib/postgresql" >&2; return 1; }
    echo "${dirs[-1]}"
}

# pg_throwaway_start DIR PORT [BIN]: a fresh cluster in DIR on 127.0.0.1:PORT (socket in DIR), superuser postgres
# with password auth (password "postgres-admin"), plus role todo / password todo-password owning database todo.
pg_throwaway_start() {
    local dir=$1 port=$2 bin=${3:-}
    [[ -n $bin ]] || bin=$(pg_bin_dir)
    mkdir -p "$dir"
    chmod 755 "$dir"
    if ((EUID == 0)); then chown postgres: "$dir"; fi
    printf 'postgres-admin\n' >"$dir/pwfile"
    if ((EUID == 0)); then chown postgres: "$dir/pwfile"; fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A scram-sha-256 --pwfile="$dir/pwfile" -E UTF8 >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir" start >/dev/null
    PGPASSWORD=postgres-admin psql -qX -h 127.0.0.1 -p "$port" -U postgres \
        -c "CREATE ROLE todo LOGIN PASSWORD 'todo-password'" -c "CREATE DATABASE todo OWNER todo" >/dev/null
}

# pg_throwaway_stop DIR [BIN]: stops the cluster at once (it is thrown away) if it runs.
pg_throwaway_stop() {
    local dir=$1 bin=${2:-}
    [[ -n $bin ]] || bin=$(pg_bin_dir) || return 0
    if [[ -f $dir/data/postmaster.pid ]]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
}

# seconds_since START: seconds, with two decimals, since START (a `date +%s%N` value).
seconds_since() {
    local start=$1 now
    now=$(date +%s%N)
    printf '%d.%02d\n' $(((now - start) / 1000000000)) $(((now - start) % 1000000000 / 10000000))
}

# caddy_start DIR HTTP_PORT HTTPS_PORT CADDY_ADMIN APP_UPSTREAMS APP_ADMIN_PORT: Debian's Caddy with the repository's
# Caddyfile for DOMAIN=localhost (certificate from Caddy's local CA), state and log in DIR, returning once
# https://localhost:HTTPS_PORT/api/hello answers through it. Its CA certificate is then `caddy_ca DIR`.
caddy_start() {
    local dir=$1 http_port=$2 https_port=$3 admin=$4 upstreams=$5 app_admin_port=$6 caddyfile
    caddyfile="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Caddyfile"
    mkdir -p "$dir"
    HOME=$dir XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config DOMAIN=localhost APP_UPSTREAMS=$upstreams \
        APP_ADMIN_PORT=$app_admin_port HTTP_PORT=$http_port HTTPS_PORT=$https_port CADDY_ADMIN=$admin \
        setsid caddy run --config "$caddyfile" --adapter caddyfile >>"$dir/caddy.log" 2>&1 </dev/null &
    echo $! >"$dir/caddy.pid"
    await 30 curl -fsS --max-time 5 --cacert "$(caddy_ca "$dir")" "https://localhost:$https_port/api/hello"
}

# caddy_ca DIR: the root certificate of the local CA of the Caddy started in DIR.
caddy_ca() {
    echo "$1/data/caddy/pki/authorities/local/root.crt"
}

# caddy_stop DIR: stops the Caddy started in DIR, if it runs.
caddy_stop() {
    if [[ -s $1/caddy.pid ]]; then
        kill "$(cat "$1/caddy.pid")" 2>/dev/null || true
        rm -f "$1/caddy.pid"
    fi
}

# caddy_reload DIR HTTP_PORT HTTPS_PORT CADDY_ADMIN APP_UPSTREAMS APP_ADMIN_PORT: the Caddy started in DIR by
# caddy_start takes the Caddyfile again with these settings (e.g. fewer upstreams), finishing requests in flight.
caddy_reload() {
    local dir=$1 http_port=$2 https_port=$3 admin=$4 upstreams=$5 app_admin_port=$6 caddyfile
    caddyfile="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Caddyfile"
    HOME=$dir XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config DOMAIN=localhost APP_UPSTREAMS=$upstreams \
        APP_ADMIN_PORT=$app_admin_port HTTP_PORT=$http_port HTTPS_PORT=$https_port CADDY_ADMIN=$admin \
        caddy reload --config "$caddyfile" --adapter caddyfile --address "$admin" >>"$dir/caddy.log" 2>&1
}
