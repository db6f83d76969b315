#!/usr/bin/env bash
# Fleet deployment checks (issues: scale-out on VMs, data safety): site.yml, restore.yml and failover.yml on six booted
# Debian 12 guests joined by a virtual network, with synchronous replication and the host firewall on:
#   lb 10.77.0.10 (Caddy)   app1 10.77.0.11, app2 10.77.0.12 (todo-service)   db 10.77.0.20 (primary)
#   replica 10.77.0.21 (hot standby)   backup 10.77.0.30 (pgBackRest repository)
# The repository has a guest of its own: on the standby it would sit on the primary after a failover.
# Each guest is a systemd-nspawn container in its own network namespace (tdf-<guest>), joined by a veth pair to the
# bridge tdfbr0 in namespace tdf-br (10.77.0.1), where the clients run: the host itself has no route to the guests,
# and the guests none to a package mirror. Each guest's root is an overlay on the cached Debian 12 guest image (the VM
# checks' one) and a cached layer with PostgreSQL, pgBackRest, Caddy and nftables baked in. Ansible reaches the guests
# through the community.docker.nsenter connection.
# 1. first converge, then a second run with changed=0; the example vault's key and a low-variety key are refused;
# 2. HTTPS + HTTP/2 through the load balancer from the bridge; what listens where; the firewall, the unit's
#    IPAddressAllow= and pg_hba per host; migrations applied once; a token from app1 accepted by app2; the WAL
#    archived and a first full backup in the encrypted repository, the backup timers and the freshness metric;
# 3. the standby streams (pg_stat_replication) and shows a new row within 1 s;
# 4. a new release rolled out host by host under steady load through the load balancer: no failed request, every
#    acknowledged write stored, the old release kept; a broken release: rolled back on the first host, roll stopped;
# 5. an app host powered off under load: no failed request;
# 6. the VM restore drill (bench/drills/vm-restore.sh): writes under load, a full backup, T, everything deleted,
#    restore.yml to T: exactly the writes acknowledged before T back; the standby rebuilt and streaming again;
# 7. the primary's PostgreSQL killed under load, failover.yml: the standby promoted, the old primary fenced, writes
#    served again, no acknowledged write lost; the new primary archives and is backed up; site.yml refuses the stale
#    inventory;
# 8. no secret in a playbook log, a journal, pgBackRest's logs or the process list; every guest powered off, mounts
#    and namespaces removed, also when a step fails.
# Needs root, JAVA_HOME at a JDK 25 (load client; release build when target/ has no release tarball), Ansible with the
# community.postgresql and community.docker collections.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=packaging/lib.sh
source packaging/lib.sh
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
cache=${CI_CACHE:-/var/cache/todo-service-ci}
WORK=/var/tmp/fleet-ci
guests=(lb app1 app2 db replica backup)
declare -A address=([lb]=10.77.0.10 [app1]=10.77.0.11 [app2]=10.77.0.12 [db]=10.77.0.20 [replica]=10.77.0.21
    [backup]=10.77.0.30)
declare -A nspawn_pid=() guest_pid=()
lb_url=https://${address[lb]}
PS_SAMPLER=""

cleanup() {
    local pids=() g mount
    if [[ -n $PS_SAMPLER ]]; then kill "$PS_SAMPLER" 2>/dev/null || true; fi
    for g in "${!nspawn_pid[@]}"; do pids+=("${nspawn_pid[$g]}"); done
    if ((${#pids[@]} > 0)); then nspawn_poweroff "${pids[@]}"; fi
    nspawn_pid=()
    for g in "${guests[@]}"; do nspawn_forget "fleet-$g"; done
    for mount in "$WORK"/*/root; do
        if mountpoint -q "$mount"; then umount "$mount" || umount -l "$mount"; fi
    done
    for g in br "${guests[@]}"; do ip netns del "tdf-$g" 2>/dev/null || true; done
    rm -rf "$WORK"
}
# FLEET_KEEP=1 leaves a failed run's guests up for a look (nsenter --target <PID in $WORK/inventory.ini> --all);
# the next run removes them.
on_exit() {
    local status=$?
    if ((status != 0)) && [[ ${FLEET_KEEP:-} == 1 ]]; then echo "FLEET_KEEP=1: guests left up, see $WORK" >&2; else cleanup; fi
}
trap on_exit EXIT
cleanup  # what a killed earlier run may have left
mkdir -p "$WORK"

in_guest() { local g=$1; shift; nsenter --target "${guest_pid[$g]}" --all -- "$@"; }
# Runs a host command in a guest's network namespace (tdf-br: the clients' side of the bridge).
in_net() { local ns=$1; shift; ip netns exec "tdf-$ns" "$@"; }
sql() { local g=$1; shift; in_guest "$g" runuser -u postgres -- psql -XAtq -d todo -c "$*"; }

echo "-- release tarballs"
start=$SECONDS
shopt -s nullglob
releases=(target/todo-service-*-linux-x64.tar.gz)
if ((${#releases[@]} == 0)); then
    packaging/build-release.sh
    releases=(target/todo-service-*-linux-x64.tar.gz)
fi
shopt -u nullglob
release=$repo/${releases[-1]}
version=$(basename "$release" -linux-x64.tar.gz)
version=${version#todo-service-}
release2=$(release_variant "$release" fleet2 "$WORK/releases")
release3=$(release_variant "$release" fleet3 "$WORK/releases" broken)
pass "release $version, plus fleet2 (same build) and fleet3 (broken) in $((SECONDS - start)) s"

echo "-- guest image: cached Debian 12 guest + a layer with PostgreSQL, pgBackRest, Caddy and nftables"
start=$SECONDS
base_tarball=$(debian_guest_tarball "$cache" "$WORK")
base=$cache/fleet-base
if [[ ! -f $base.done || $base_tarball -nt $base.done ]]; then
    rm -rf "$base" "$base.done"
    mkdir -p "$base"
    tar -C "$base" -xf "$base_tarball"
    touch "$base.done"
fi
packages=(postgresql pgbackrest caddy nftables python3-apt python3-psycopg2 python3-cryptography acl)
layer=$cache/fleet-layer-$(sha256sum <<<"${packages[*]}" | cut -c1-12)
if [[ ! -f $layer.done || $base.done -nt $layer.done ]]; then
    rm -rf "$layer" "$layer.done"
    mkdir -p "$layer" "$WORK/layer/work" "$WORK/layer/root"
    mount -t overlay overlay -o "lowerdir=$base,upperdir=$layer,workdir=$WORK/layer/work" "$WORK/layer/root"
    # Packages only, configured by the playbook later: no service starts here, none is enabled at boot.
    systemd-nspawn --quiet --register=no --keep-unit --directory="$WORK/layer/root" bash -euc '
        printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
        apt-get clean
        rm /usr/sbin/policy-rc.d
        systemctl disable caddy.service postgresql.service nftables.service' layer "${packages[@]}" \
        >"$WORK/layer.log" 2>&1 || { tail -n 20 "$WORK/layer.log"; fail "could not build the package layer"; }
    umount "$WORK/layer/root"
    touch "$layer.done"
fi
pass "image ready in $((SECONDS - start)) s ($(du -sh "$layer" | cut -f1) layer)"

echo "-- network and guests"
start=$SECONDS
ip netns add tdf-br
in_net br ip link set lo up
in_net br ip link add tdfbr0 type bridge
in_net br ip addr add 10.77.0.1/24 dev tdfbr0
in_net br ip link set tdfbr0 up
for g in "${guests[@]}"; do
    ip netns add "tdf-$g"
    in_net "$g" ip link set lo up
    in_net br ip link add "tdf-$g" type veth peer name eth0 netns "tdf-$g"
    in_net br ip link set "tdf-$g" master tdfbr0 up
    in_net "$g" ip addr add "${address[$g]}/24" dev eth0
    in_net "$g" ip link set eth0 up
    in_net "$g" ip route add default via 10.77.0.1
    mkdir -p "$WORK/$g/upper" "$WORK/$g/work" "$WORK/$g/root"
    mount -t overlay overlay -o "lowerdir=$layer:$base,upperdir=$WORK/$g/upper,workdir=$WORK/$g/work" "$WORK/$g/root"
    # Names as a LAN's DNS would give them (sudo looks its host up each time), and no name server: nothing waits on
    # one that cannot be reached.
    {
        printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n'
        for peer in "${guests[@]}"; do echo "${address[$peer]} fleet-$peer"; done
    } >"$WORK/$g/root/etc/hosts"
    echo "# no name server on the CI network" >"$WORK/$g/root/etc/resolv.conf"
done

guest_boot() {
    local g
    for g in "$@"; do
        # As on a VM: CAP_NET_ADMIN in its own network namespace (nftables), and cgroup v2 with BPF for the unit's
        # IPAddressAllow= filter (systemd cannot enforce it in the host's hybrid cgroup layout).
        SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 nspawn_boot "fleet-$g" "$WORK/$g/root" "$WORK/$g/console.log" \
            --network-namespace-path="/run/netns/tdf-$g" --capability=CAP_NET_ADMIN,CAP_BPF \
            --system-call-filter=bpf --resolv-conf=off
        nspawn_pid[$g]=$NSPAWN_PID
    done
    for g in "$@"; do
        guest_pid[$g]=$(nspawn_await "${nspawn_pid[$g]}" 60 "$WORK/$g/console.log") || fail "guest $g did not boot"
    done
    {
        local group members
        for group in todo_lb:lb todo_app:app1,app2 todo_db:db todo_db_replica:replica todo_backup:backup; do
            echo "[${group%%:*}]"
            members=${group#*:}
            for g in ${members//,/ }; do
                echo "$g ansible_nsenter_pid=${guest_pid[$g]} todo_lan_address=${address[$g]}"
            done
        done
        printf '[todo_service:children]\ntodo_lb\ntodo_app\ntodo_db\ntodo_db_replica\ntodo_backup\n'
        printf '[todo_service:vars]\nansible_connection=community.docker.nsenter\n'
        printf 'ansible_python_interpreter=/usr/bin/python3\n'
    } >"$WORK/inventory.ini"
}
guest_boot "${guests[@]}"
pass "${#guests[@]} guests booted in $((SECONDS - start)) s, each in its own network namespace"

# The guests have no package mirror: the packages come from the layer.
cat >"$WORK/ci-vars.yml" <<YAML
todo_apt_update_cache: false
todo_service_domain: ${address[lb]}
todo_db_synchronous_replication: true
todo_firewall: true
# The load runs as long as a rolling deploy does, one user for all of it: on a slow machine more than the default
# quota of one user's todos (10,000).
todo_service_extra_env:
  TODO_QUOTA: 1000000
YAML
(umask 077 && printf 'vault_todo_service_secret_key: "%s"\nvault_todo_backup_cipher_pass: "%s"\n' \
    "$(openssl rand -base64 48 | tr -d '\n')" "$(openssl rand -base64 48 | tr -d '\n')" >"$WORK/secrets.yml")

# play NAME PLAYBOOK [ansible-playbook options...]: runs it from ansible/, keeping the output in $WORK/NAME.log.
play() {
    local name=$1 playbook=$2
    shift 2
    (cd ansible && ansible-playbook -i "$WORK/inventory.ini" -e "@$WORK/ci-vars.yml" -e "@$WORK/secrets.yml" \
        "$playbook" "$@") >"$WORK/$name.log" 2>&1
}
show_failure() {
    grep -E -B2 -A12 'fatal:|FAILED!' "$WORK/$1.log" | tail -n 50 >&2 || tail -n 50 "$WORK/$1.log" >&2
}
# The recap's totals over every host, e.g. "changed=0 failed=0 unreachable=0".
recap() {
    awk '/^PLAY RECAP/ {on = 1; next} on && / : ok=/ {
            for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^(changed|failed|unreachable)$/) sum[kv[1]] += kv[2] }
         } END { printf "changed=%d failed=%d unreachable=%d", sum["changed"], sum["failed"], sum["unreachable"] }' \
        "$WORK/$1.log"
}
# Hosts on which the task NAME reported "changed" in log NAME.
changed_on() {
    awk -v task="$2" 'index($0, "TASK [") == 1 { on = index($0, task) > 0; next }
        on && /^changed: \[/ { gsub(/^changed: \[|\].*$/, ""); print }' "$WORK/$1.log" | sort | tr '\n' ' '
}

echo "-- settings refused before any host is touched"
if (cd ansible && ansible-playbook -i "$WORK/inventory.ini" -e "@$WORK/ci-vars.yml" site.yml \
    -e @group_vars/todo_service/vault.yml.example --vault-password-file <(echo example-vault-password)) \
    >"$WORK/example-key.log" 2>&1; then
    fail "site.yml deployed with the example vault's key"
fi
grep -q "the example vault's key" "$WORK/example-key.log" || { tail -n 20 "$WORK/example-key.log"; fail "no refusal"; }
pass "the example vault's key is refused"
if (cd ansible && ansible-playbook -i "$WORK/inventory.ini" -e "@$WORK/ci-vars.yml" site.yml \
    -e "todo_service_secret_key=$(printf 'xy%.0s' {1..24})") >"$WORK/weak-key.log" 2>&1; then
    fail "site.yml deployed with a 2-character key"
fi
grep -q 'fewer than 16 distinct' "$WORK/weak-key.log" || { tail -n 20 "$WORK/weak-key.log"; fail "no refusal"; }
pass "a key with fewer than 16 distinct values is refused"
(umask 077 && grep '^vault_todo_service_secret_key:' "$WORK/secrets.yml" >"$WORK/key-only.yml")
if (cd ansible && ansible-playbook -i "$WORK/inventory.ini" -e "@$WORK/ci-vars.yml" site.yml \
    -e @group_vars/todo_service/vault.yml.example --vault-password-file <(echo example-vault-password) \
    -e "@$WORK/key-only.yml") >"$WORK/example-passphrase.log" 2>&1; then
    fail "site.yml deployed with the example vault's backup passphrase"
fi
grep -q "passphrase is the example vault's" "$WORK/example-passphrase.log" \
    || { tail -n 20 "$WORK/example-passphrase.log"; fail "no refusal"; }
pass "the example vault's backup passphrase is refused"

echo "-- first converge"
start=$SECONDS
# Samples every process's command line while the passwords are generated and handed out.
while :; do ps -eo args=; sleep 0.05; done >"$WORK/ps.log" &
PS_SAMPLER=$!
play converge site.yml -e "todo_service_release=$release" || { show_failure converge; fail "first converge"; }
kill "$PS_SAMPLER"
PS_SAMPLER=""
pass "first converge in $((SECONDS - start)) s: $(recap converge)"
expect "migrations applied once, by one host" "app1 " "$(changed_on converge 'Apply database migrations')"

echo "-- through the load balancer"
ca=$WORK/lb/root/var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt
api() { in_net br curl -sS --max-time 20 --cacert "$ca" "$@"; }
await 30 api -f "$lb_url/api/hello" || fail "no answer through the load balancer within 30 s"
expect "HTTPS + HTTP/2 through the load balancer, from the bridge" "2 200" \
    "$(api -o /dev/null -w '%{http_version} %{http_code}' "$lb_url/api/hello")"
# Every listening socket of a port, as addresses (IPv4-mapped IPv6 as Java reports it shown as IPv4).
listening() {
    in_net "$1" ss -Htln "sport = :$2" | awk '{print $4}' | sed 's/^\[::ffff:\(.*\)\]/\1/' | LC_ALL=C sort -u | tr '\n' ' '
}
for g in app1 app2; do
    expect "$g: API on its LAN address only" "${address[$g]}:8080 " "$(listening "$g" 8080)"
    expect "$g: admin port on its LAN address only" "${address[$g]}:8081 " "$(listening "$g" 8081)"
done
expect "db: PostgreSQL on loopback and its LAN address" "${address[db]}:5432 127.0.0.1:5432 [::1]:5432 " \
    "$(listening db 5432)"
expect "lb: Caddy's admin endpoint on loopback only" "127.0.0.1:2019 " "$(listening lb 2019)"

# reaches FROM HOST PORT: whether a TCP connection from FROM's namespace succeeds within 2 s.
reaches() { in_net "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }
reaches br "${address[lb]}" 443 || fail "the load balancer's 443 is not reachable"
for target in app1:8080 app1:8081 db:5432; do
    if reaches br "${address[${target%:*}]}" "${target#*:}"; then fail "$target is reachable from outside"; fi
done
if reaches lb "${address[db]}" 5432; then fail "db:5432 is reachable from the load balancer"; fi
pass "firewall: only 80/443 from outside; app ports from the load balancer only; 5432 from app and db hosts only"
# The unit's own IP filter, with app1's firewall lifted for a moment: only the load balancer gets through.
in_guest app1 nft delete table inet todo_service
reaches lb "${address[app1]}" 8081 || fail "the load balancer cannot reach app1's admin port"
if reaches br "${address[app1]}" 8081; then fail "IPAddressAllow= lets the bridge reach app1"; fi
in_guest app1 systemctl reload nftables
pass "IPAddressAllow= drop-in: app1 exchanges packets with the load balancer and the database hosts only"

# pg_hba: the app's role from app hosts, with its password; not from other hosts.
umask 077
printf '*:*:*:todo:%s\n' "$(cat "$WORK/db/root/etc/postgresql-app/password")" >"$WORK/pgpass"
umask 022
pg_as_app() { in_net "$1" env PGPASSFILE="$WORK/pgpass" PGCONNECT_TIMEOUT=3 psql -XAtq -h "${address[db]}" -U todo -d todo -c 'SELECT 1' 2>&1; }
expect "PostgreSQL: the app's role logs in from app2 (scram-sha-256)" 1 "$(pg_as_app app2)"
[[ $(pg_as_app replica || true) == *'no pg_hba.conf entry for host "10.77.0.21", user "todo"'* ]] \
    || fail "pg_hba lets the app's role in from the standby: $(pg_as_app replica || true)"
pass "PostgreSQL: not from a host that is not an app host (pg_hba)"

# The contract's happy path on app1 (packaging/lib.sh's api_check), asked from the load balancer's side; app2 accepts
# app1's token and reads the todo back (same key, same database).
lb_curl() { in_net lb curl "$@"; }
API_CURL=lb_curl API_CHECK_USER=fleet api_check "http://${address[app1]}:8080"
API_CURL=lb_curl api_read_back "http://${address[app2]}:8080"
pass "a token from app1 works on app2"

echo "-- replication"
expect "the standby streams synchronously (pg_stat_replication)" "replica|streaming|quorum" \
    "$(sql db 'SELECT application_name, state, sync_state FROM pg_stat_replication')"
bridge_curl() { in_net br curl "$@"; }
API_CURL=bridge_curl API_CHECK_TITLE=replicated API_CHECK_DESCRIPTION="on the standby" \
    api_todo "$lb_url/api" --cacert "$ca" -m 20
written=$(date +%s%N)
until [[ $(sql replica "SELECT count(*) FROM todos WHERE title = 'replicated'") == 1 ]]; do
    (($(date +%s%N) - written < 1000000000)) || fail "the row is not on the standby after 1 s"
done
pass "the row is on the standby $((($(date +%s%N) - written) / 1000000)) ms after the write was acknowledged"

echo "-- backups"
pgbackrest_as_postgres() { local g=$1; shift; in_guest "$g" runuser -u postgres -- pgbackrest --stanza=todo "$@"; }
repository=$WORK/backup/root/var/lib/pgbackrest
info=$(pgbackrest_as_postgres backup info --output=json)
expect "repository: the stanza's status" ok "$(jq -r '.[0].status.message' <<<"$info")"
expect "repository: encrypted" aes-256-cbc "$(jq -r '.[0].cipher' <<<"$info")"
expect "repository: the full backup the converge took" full "$(jq -r '[.[0].backup[].type] | join(",")' <<<"$info")"
wal=$(find "$repository/archive/todo" -name '0000000100000000000000*.zst' | head -n 1)
[[ -n $wal ]] || fail "no archived WAL segment in the repository"
for file in "$repository/backup/todo/backup.info" "$wal"; do
    [[ $(head -c 8 "$file") == Salted__ ]] || fail "${file#"$repository"/} is not encrypted"
done
cipher_pass=$(sed -n 's/^vault_todo_backup_cipher_pass: "\(.*\)"$/\1/p' "$WORK/secrets.yml")
if grep -rqF -e "$cipher_pass" "$repository"; then fail "the passphrase is in the repository"; fi
pass "repository on the backup host: WAL and backups encrypted (aes-256-cbc), the passphrase not in it"
for g in db replica backup; do
    expect "$g: /etc/pgbackrest.conf readable by postgres only" "640 postgres postgres" \
        "$(in_guest "$g" stat -c '%a %U %G' /etc/pgbackrest.conf)"
done
expect "the primary archives its WAL (pg_stat_archiver)" t \
    "$(sql db 'SELECT archived_count > 0 AND coalesce(last_failed_time < last_archived_time, true) FROM pg_stat_archiver')"
expect "backup timers: enabled, waiting" "enabled enabled active active" \
    "$(in_guest backup systemctl is-enabled todo-backup-full.timer todo-backup-diff.timer | tr '\n' ' ')$(
        in_guest backup systemctl is-active todo-backup-full.timer todo-backup-diff.timer | paste -sd' ')"
metrics=$WORK/backup/root/var/lib/prometheus/node-exporter/todo_backup.prom
last_full=$(sed -n 's/^todo_backup_last_success_timestamp_seconds{kind="full"} //p' "$metrics")
(($(date +%s) - ${last_full:-0} < 600)) || fail "no recent kind=\"full\" in $metrics: $(cat "$metrics")"
pass "freshness metric on the backup host: todo_backup_last_success_timestamp_seconds{kind=\"full\"} $last_full"
reaches backup "${address[db]}" 8432 || fail "the backup host cannot reach db's pgBackRest server"
reaches replica "${address[backup]}" 8432 || fail "the standby cannot reach the backup host's pgBackRest server"
for target in br:db app1:db lb:backup app2:backup; do
    if reaches "${target%:*}" "${address[${target#*:}]}" 8432; then fail "${target#*:}:8432 is reachable from ${target%:*}"; fi
done
pass "firewall: pgBackRest's TLS servers take the backup host (on database hosts) and database hosts (on it) only"

echo "-- idempotence"
start=$SECONDS
play again site.yml -e "todo_service_release=$release" || { show_failure again; fail "second run"; }
[[ $(recap again) == "changed=0 failed=0 unreachable=0" ]] \
    || { grep -E '^changed:' "$WORK/again.log" >&2; fail "second run changed something: $(recap again)"; }
pass "second run in $((SECONDS - start)) s: $(recap again)"

# load NAME SECONDS EVENT_AT EVENT: steady writes through the load balancer from the bridge (4 clients, each write
# with its own Idempotency-Key), EVENT (a shell command) after EVENT_AT s; the client's results in $WORK/NAME.out.
"$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/drills/DrillClient.java
load() {
    in_net br env STACK_HTTPS="$lb_url" STACK_CA="$ca" STACK_IDEMPOTENCY_KEYS=true \
        "$JAVA_HOME/bin/java" -cp "$WORK/classes" DrillClient writes "$2" 4 "$3" "$4" >"$WORK/$1.out" 2>&1 || true
}
value() { sed -n "s/^$2=//p" "$WORK/$1.out"; }
# no_write_lost NAME [any-failures]: no failed request (unless any-failures), every acknowledged write stored, and
# none twice once the service honours Idempotency-Key.
no_write_lost() {
    local name=$1
    [[ -n $(value "$name" acknowledged_writes) ]] || { cat "$WORK/$name.out" >&2; fail "$name: the load client broke"; }
    if [[ ${2:-} != any-failures ]]; then
        [[ $(value "$name" failed_requests) == 0 ]] || fail "$name: $(value "$name" failed_requests) failed requests:" \
            "$(value "$name" failures_by_kind), $(value "$name" failures_window_s) s into the load"
        pass "$name: no failed request"
    fi
    expect "$name: acknowledged writes lost" 0 "$(value "$name" lost_writes)"
    if [[ $(value "$name" idempotency_keys_honoured) == true ]]; then
        expect "$name: writes stored twice" 0 "$(value "$name" duplicate_writes)"
    fi
    pass "$name: $(value "$name" acknowledged_writes) writes acknowledged, duplicates $(value "$name" duplicate_writes)" \
        "(Idempotency-Key honoured: $(value "$name" idempotency_keys_honoured)), longest gap between writes" \
        "$(value "$name" longest_write_gap_s) s, max latency $(value "$name" max_latency_ms) ms"
}
ansible_cmd="cd $repo/ansible && ansible-playbook -i $WORK/inventory.ini -e @$WORK/ci-vars.yml -e @$WORK/secrets.yml"

echo "-- rolling deploy under load"
start=$SECONDS
load roll 10 3 "$ansible_cmd site.yml -e todo_service_release=$release2 >$WORK/roll.log 2>&1"
[[ $(recap roll) == *" failed=0 unreachable=0" ]] || { show_failure roll; fail "rolling deploy"; }
pass "rolled out fleet2 in $((SECONDS - start)) s (load included): $(recap roll)"
no_write_lost roll
expect "roll: migrations applied once, by one host" "app1 " "$(changed_on roll 'Apply database migrations')"
for g in app1 app2; do
    expect "$g: fleet2 active" /opt/todo-service/releases/fleet2 "$(in_guest "$g" readlink /opt/todo-service/current)"
    in_guest "$g" test -x "/opt/todo-service/releases/$version/bin/todo-service" || fail "$g: old release gone"
done
pass "each app host keeps release $version for rollback"

echo "-- broken release: rolled back on the first host, roll stopped"
load broken 6 2 "$ansible_cmd site.yml -e todo_service_release=$release3 >$WORK/broken.log 2>&1"
grep -q "did not become ready on app1.*rolled back to /opt/todo-service/releases/fleet2" "$WORK/broken.log" \
    || { show_failure broken; fail "no rollback on app1"; }
for g in app1 app2; do
    expect "$g: fleet2 still active" /opt/todo-service/releases/fleet2 "$(in_guest "$g" readlink /opt/todo-service/current)"
done
[[ -z $(changed_on broken 'Restart the service') ]] || fail "the roll went on after app1 failed"
pass "the roll stopped at app1; app2 was never restarted"
no_write_lost broken

echo "-- an app host powered off under load"
load host-down 8 3 "kill -TERM ${nspawn_pid[app1]}; while kill -0 ${nspawn_pid[app1]} 2>/dev/null; do sleep 0.2; done"
no_write_lost host-down
unset 'nspawn_pid[app1]'
nspawn_forget fleet-app1
guest_boot app1
await 60 in_net lb curl -sf "http://${address[app1]}:8081/observe/health/ready" || fail "app1 not ready after its reboot"
pass "app1 back after a reboot"

echo "-- VM restore drill: point-in-time recovery under load (bench/drills/vm-restore.sh)"
start=$SECONDS
DRILL_NETNS=tdf-br DRILL_WORK=$WORK/drill bench/drills/vm-restore.sh "$WORK/inventory.ini" "$lb_url" "$ca" 12 \
    -e "@$WORK/ci-vars.yml" -e "@$WORK/secrets.yml" || fail "VM restore drill"
pass "drill in $((SECONDS - start)) s"
expect "the rebuilt standby streams synchronously again" "replica|streaming|quorum" \
    "$(sql db 'SELECT application_name, state, sync_state FROM pg_stat_replication')"
# It replayed the drill's write after the restore: a restore target copied along would have promoted it there.
expect "the rebuilt standby is still a standby" t "$(sql replica 'SELECT pg_is_in_recovery()')"

echo "-- failover under load, synchronous replication"
start=$SECONDS
failover_started=$(date +%s)
load failover 10 3 "nsenter --target ${guest_pid[db]} --all -- systemctl kill --signal=KILL postgresql@15-main \
    && $ansible_cmd failover.yml >$WORK/failover.log 2>&1"
[[ $(recap failover) == *" failed=0 unreachable=0" ]] || { show_failure failover; fail "failover.yml"; }
no_write_lost failover any-failures
pass "failover: $(value failover failed_requests) requests failed ($(value failover failures_by_kind)), in" \
    "$(value failover failures_window_s) s after the load started; writes stopped for $(value failover longest_write_gap_s) s;" \
    "total with the load $((SECONDS - start)) s"
expect "the standby is the primary now" f "$(sql replica 'SELECT pg_is_in_recovery()')"
expect "the old primary is masked" masked "$(in_guest db systemctl is-enabled postgresql@15-main || true)"
in_guest db test -f /etc/postgresql-app/fenced || fail "the old primary is not marked as fenced"
if in_guest db pgrep -x postgres >/dev/null; then fail "PostgreSQL runs on the fenced primary"; fi
for g in app1 app2; do
    grep -qx "DATABASE_URL=postgresql://${address[replica]}:5432/todo" "$WORK/$g/root/etc/todo-service/todo-service.env" \
        || fail "$g does not point at the new primary"
done
# Writes served again, through the load balancer.
API_CURL=bridge_curl API_CHECK_TITLE="after failover" API_CHECK_DESCRIPTION="new primary" \
    api_todo "$lb_url/api" --cacert "$ca" -m 20
expect "the row written before the failover" 1 "$(sql replica "SELECT count(*) FROM todos WHERE title = 'replicated'")"
if play stale site.yml -e "todo_service_release=$release2"; then fail "site.yml ran with the pre-failover inventory"; fi
grep -q 'was fenced by failover.yml' "$WORK/stale.log" || { show_failure stale; fail "no fence refusal"; }
[[ -z $(changed_on stale 'Write the settings') ]] || fail "site.yml touched an app host with the stale inventory"
pass "site.yml refuses the pre-failover inventory (fenced primary) before touching an app host"

echo "-- backups after the failover"
# failover.yml started a differential backup on the backup host: of whichever database host is the primary now.
diff_recorded() {
    local line
    line=$(grep '^todo_backup_last_success_timestamp_seconds{kind="diff"}' "$metrics") && ((${line##* } >= failover_started))
}
await 180 diff_recorded || { in_guest backup journalctl -u todo-backup-diff --no-pager -n 30 -o cat; fail "no backup after the failover"; }
timeline=$(sql replica 'SELECT timeline_id FROM pg_control_checkpoint()')
last=$(pgbackrest_as_postgres backup info --output=json | jq -r '.[0].backup[-1] | .type + " " + .archive.start[0:8]')
expect "the last backup: differential, on the new primary's timeline" "diff $(printf '%08X' "$timeline")" "$last"
pgbackrest_as_postgres replica check >/dev/null || fail "pgbackrest check on the new primary"
pass "the new primary archives into the repository (pgbackrest check on it)"

echo "-- secrets"
for g in app1 app2 db replica backup; do in_guest "$g" journalctl --no-pager -o cat >"$WORK/$g-journal.log"; done
for secret in "$WORK/db/root/etc/postgresql-app/password" "$WORK/db/root/etc/postgresql-app/replication_password"; do
    if grep -rqF -f "$secret" "$WORK"/*.log "$WORK"/drill/*.log; then
        fail "a database password is in a log or the process list"
    fi
done
secret_key=$(sed -n 's/^vault_todo_service_secret_key: "\(.*\)"$/\1/p' "$WORK/secrets.yml")
if grep -rqF -e "$secret_key" "$WORK"/*.log; then fail "the secret key is in a log or the process list"; fi
pgbackrest_logs=("$WORK"/*/root/var/log/pgbackrest/*.log)
if grep -qF -e "$cipher_pass" "$WORK"/*.log "$WORK"/drill/*.log "${pgbackrest_logs[@]}"; then
    fail "the repository's passphrase is in a log or the process list"
fi
pass "no password, key or passphrase in the playbook logs (the drill's too), the guests' journals, pgBackRest's" \
    "${#pgbackrest_logs[@]} logs or $(sort -u "$WORK/ps.log" | wc -l) sampled command lines"

echo "-- power off"
start=$SECONDS
cleanup
if grep -q "$WORK" /proc/mounts || ip netns list | grep -q '^tdf-'; then fail "mounts or namespaces left behind"; fi
pass "every guest powered off, overlays unmounted, namespaces removed in $((SECONDS - start)) s"
