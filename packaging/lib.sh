# Shell helpers shared by the CI stages, the packaging scripts and the drills. Source it:
#   source "$(dirname "${BASH_SOURCE[0]}")/../packaging/lib.sh"
# Callers keep `set -euo pipefail`. Set FAIL_LOG to a file whose last lines `fail` prints (e.g. the service log), and
# FAIL_HOOK to a command that `fail` runs first (e.g. one that writes a container's log to FAIL_LOG).
# shellcheck shell=bash

# Stops the script with a message (and the tail of $FAIL_LOG, when set and present).
fail() {
    echo "FAIL: $*" >&2
    if [[ -n ${FAIL_HOOK:-} ]]; then "$FAIL_HOOK" || true; fi
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

# debian_guest_tarball CACHE_DIR WORK_DIR: prints the path of the cached Debian 12 root file system that the VM and
# fleet checks boot with systemd-nspawn (systemd, dbus, python3 for Ansible, sudo, CA certificates), debootstrapping it
# into WORK_DIR first when CACHE_DIR has none.
debian_guest_tarball() {
    local cache=$1 work=$2 tarball=$1/debian-bookworm-guest.tar
    if [[ ! -s $tarball ]]; then
        mkdir -p "$cache"
        debootstrap --include=systemd,systemd-sysv,dbus,python3,sudo,ca-certificates bookworm "$work/rootfs" \
            http://deb.debian.org/debian >"$work/debootstrap.log" || { tail -n 20 "$work/debootstrap.log" >&2; return 1; }
        rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb
        tar -C "$work/rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
        rm -rf "$work/rootfs"
    fi
    echo "$tarball"
}

# nspawn_boot NAME ROOT LOG [systemd-nspawn options...]: boots ROOT as machine NAME with systemd as its PID 1, in the
# background and unregistered (the host has no systemd to register with); sets NSPAWN_PID to systemd-nspawn's
# process. Each guest gets a cgroup of its own, named NAME: guests started from one shell would otherwise share one,
# and their systemds would kill and filter each other's services.
nspawn_boot() {
    local name=$1 root=$2 log=$3 cgroups=() dir
    shift 3
    mapfile -t cgroups < <(nspawn_cgroups "$name")
    for dir in "${cgroups[@]}"; do mkdir -p "$dir"; done
    # shellcheck disable=SC2016 # the child shell expands them
    setsid bash -c 'for dir in "${@:2:$1}"; do echo $$ >"$dir/cgroup.procs"; done; shift $(($1 + 1)); exec "$@"' \
        nspawn "${#cgroups[@]}" "${cgroups[@]}" systemd-nspawn --quiet --directory="$root" --machine="$name" --boot \
        --register=no --keep-unit "$@" </dev/null >"$log" 2>&1 &
    # shellcheck disable=SC2034 # read by the caller
    NSPAWN_PID=$!
}

# nspawn_cgroups NAME: the guest's cgroup directories, one per mounted hierarchy that systemd-nspawn uses.
nspawn_cgroups() {
    if [[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]]; then
        echo "/sys/fs/cgroup/$1"
    else
        local hierarchy
        for hierarchy in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do
            if [[ -d $hierarchy ]]; then echo "$hierarchy/$1"; fi
        done
    fi
}

# nspawn_forget NAME: powers off a guest still running in NAME's cgroup (e.g. left by a killed run), then removes
# the cgroups.
nspawn_forget() {
    local dir procs pids
    while read -r dir; do
        [[ -d $dir ]] || continue
        # systemd-nspawn moves itself into a child cgroup ("supervisor"), beside the guest's ("payload").
        procs=$(find "$dir" -name cgroup.procs -exec cat {} + | paste -sd, -)
        if [[ -n $procs ]]; then
            mapfile -t pids < <(ps -o pid= -o comm= -p "$procs" | awk '$2 == "systemd-nspawn" {print $1}')
            if ((${#pids[@]} > 0)); then nspawn_poweroff "${pids[@]}"; fi
        fi
        find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done < <(nspawn_cgroups "$1")
}

# nspawn_await NSPAWN_PID SECONDS LOG: waits until the guest's systemd is up (running or degraded) and prints its PID
# as the host sees it (the target of nsenter); after SECONDS, prints the tail of the console LOG and returns 1.
nspawn_await() {
    local nspawn=$1 seconds=$2 log=$3 pid="" deadline
    deadline=$((SECONDS + seconds))
    until pid=$(pgrep --parent "$nspawn" systemd) \
        && [[ $(nsenter --target "$pid" --all -- systemctl is-system-running 2>/dev/null) =~ ^(running|degraded)$ ]]; do
        if ((SECONDS >= deadline)); then
            tail -n 20 "$log" >&2
            echo "guest did not boot within $seconds s" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "$pid"
}

# nspawn_poweroff NSPAWN_PID...: asks every guest for a clean poweroff (SIGTERM makes systemd-nspawn tell the guest's
# systemd), waits up to 30 s for all of them, then kills what is left, guest processes first.
nspawn_poweroff() {
    local pid alive deadline=$((SECONDS + 30))
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    while ((SECONDS < deadline)); do
        alive=0
        for pid in "$@"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
        ((alive)) || return 0
        sleep 0.2
    done
    for pid in "$@"; do
        pkill -KILL --parent "$pid" 2>/dev/null || true
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# release_variant TARBALL VERSION DIR [broken]: repacks a release tarball as DIR/todo-service-VERSION-linux-x64.tar.gz
# (the same build as a new release to deploy) and prints its path. "broken" makes the service exit at start-up while
# `migrate` still works, so a deploy fails where a real one would: after the switch, before readiness.
release_variant() {
    local tarball=$1 version=$2 dir=$3 broken=${4:-} name launcher
    name=$(basename "$tarball" -linux-x64.tar.gz)
    mkdir -p "$dir/unpack"
    tar -C "$dir/unpack" -xzf "$tarball"
    mv "$dir/unpack/$name" "$dir/unpack/todo-service-$version"
    if [[ $broken == broken ]]; then
        launcher=$dir/unpack/todo-service-$version/bin/todo-service
        sed -i 's|^exec "$home/runtime/bin/java"|[[ ${1:-} == migrate ]] \|\| { echo "broken build" >\&2; exit 1; }\n&|' \
            "$launcher"
        grep -q 'broken build' "$launcher" || { echo "release_variant: could not break $launcher" >&2; return 1; }
    fi
    tar -C "$dir/unpack" --use-compress-program='gzip -1' -cf "$dir/todo-service-$version-linux-x64.tar.gz" \
        "todo-service-$version"
    rm -rf "$dir/unpack"
    echo "$dir/todo-service-$version-linux-x64.tar.gz"
}

# api_check BASE [curl options...]: the contract's happy path against the API at BASE (its root: http://HOST:PORT
# directly, https://HOST/api through Caddy): a new user signs up (POST /users/ with a mixed-case email, which must
# come back lower-cased), logs in (POST /auth/token, the form), creates a todo (POST /todos/) and reads it back
# (GET /todos/?limit=1000: the same id, title, description and state). An `ok:` line a step; any other answer fails,
# naming the request, its status and its body. The curl options (--cacert, --resolve, --interface, -m SECONDS, ...)
# go to every request. Each step is a function of its own with the same arguments (api_signup, api_login, api_todo,
# api_read_back), for checks that spread the steps over instances.
# Optional inputs: API_CHECK_USER (the user name's prefix, default apicheck; a random suffix makes each sign-up's user
# unique), API_CHECK_TITLE, API_CHECK_DESCRIPTION (may be empty), API_CHECK_STATE (the todo), API_CURL (a command run
# instead of curl, e.g. a function running curl in another network namespace). Left for callers that go on:
# API_USERNAME, API_EMAIL, API_PASSWORD, API_USER_ID, API_TOKEN, API_TODO_ID, API_TODO (the todo as sent), and
# API_STATUS and API_BODY of the last request. Needs curl and jq.
api_check() {
    api_signup "$@"
    api_login "$@"
    api_todo "$@"
    api_read_back "$@"
}

# api_call WHAT EXPECTED_STATUS CURL_ARGUMENTS...: one request, 10 s at most unless the arguments give -m; sets
# API_STATUS and API_BODY and fails unless the status is EXPECTED_STATUS. Not inside $(...): the variables would stay
# in the subshell.
api_call() {
    local what=$1 expected=$2 out
    shift 2
    out=$("${API_CURL:-curl}" -sS -m 10 -w '\n%{http_code}' "$@") || fail "$what: no answer (curl exit $?)"
    API_STATUS=${out##*$'\n'} API_BODY=${out%$'\n'*}
    [[ $API_STATUS == "$expected" ]] || fail "$what answered $API_STATUS, expected $expected: ${API_BODY:0:500}"
}

# api_signup BASE [curl options...]: api_check's sign-up, of a new user.
api_signup() {
    local base=${1%/} suffix
    shift
    suffix=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    API_USERNAME=${API_CHECK_USER:-apicheck}-$suffix
    API_EMAIL=${API_USERNAME,,}@example.com
    API_PASSWORD=api-check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
    api_call "POST $base/users/" 201 "$@" -H 'Content-Type: application/json' \
        -d "$(jq -nc --arg username "$API_USERNAME" --arg email "${API_USERNAME^^}@Example.COM" \
            --arg password "$API_PASSWORD" '{$username, $email, $password}')" "$base/users/"
    API_USER_ID=$(jq -e --arg username "$API_USERNAME" --arg email "$API_EMAIL" \
        'select(.username == $username and .email == $email) | .id | numbers' <<<"$API_BODY") \
        || fail "POST $base/users/: expected user $API_USERNAME with email $API_EMAIL (lower-cased), got: $API_BODY"
    pass "POST $base/users/: 201, user $API_USER_ID ($API_USERNAME), the email lower-cased"
}

# api_login BASE [curl options...]: api_check's login, as the user of the last api_signup.
api_login() {
    local base=${1%/}
    shift
    api_call "POST $base/auth/token" 200 "$@" --data-urlencode "username=$API_EMAIL" \
        --data-urlencode "password=$API_PASSWORD" "$base/auth/token"
    API_TOKEN=$(jq -er 'select(.token_type == "bearer") | .access_token | strings | select(split(".") | length == 3)' \
        <<<"$API_BODY") || fail "POST $base/auth/token: no bearer JWT in: $API_BODY"
    pass "POST $base/auth/token: 200, a bearer token for $API_EMAIL"
}

# api_todo BASE [curl options...]: api_check's todo, created with API_TOKEN.
api_todo() {
    local base=${1%/}
    shift
    API_TODO=$(jq -nc --arg title "${API_CHECK_TITLE:-API check}" \
        --arg description "${API_CHECK_DESCRIPTION-written by api_check}" --arg state "${API_CHECK_STATE:-todo}" \
        '{$title, $description, $state}')
    api_call "POST $base/todos/" 201 "$@" -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' \
        -d "$API_TODO" "$base/todos/"
    API_TODO_ID=$(jq -e --argjson todo "$API_TODO" 'select({title, description, state} == $todo) | .id | numbers' \
        <<<"$API_BODY") || fail "POST $base/todos/: expected $API_TODO with an id, got: $API_BODY"
    pass "POST $base/todos/: 201, todo $API_TODO_ID"
}

# api_read_back BASE [curl options...]: api_check's read-back, with API_TOKEN, of the todo of the last api_todo.
api_read_back() {
    local base=${1%/}
    shift
    api_call "GET $base/todos/?limit=1000" 200 "$@" -H "Authorization: Bearer $API_TOKEN" "$base/todos/?limit=1000"
    jq -e --argjson id "$API_TODO_ID" --argjson todo "$API_TODO" \
        '[.todos[] | select(.id == $id) | {title, description, state}] == [$todo]' <<<"$API_BODY" >/dev/null \
        || fail "GET $base/todos/?limit=1000: todo $API_TODO_ID not there as created ($API_TODO): ${API_BODY:0:500}"
    pass "GET $base/todos/?limit=1000: 200, todo $API_TODO_ID read back as created"
}
