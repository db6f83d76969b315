#!/usr/bin/env bash
# VM deployment checks (issue: jlink release, hardened systemd unit, Ansible), on a booted Debian 12 guest:
# systemd-nspawn boots a debootstrapped rootfs with systemd as its PID 1 (it is not PID 1 on this machine), and
# Ansible reaches it with the community.docker.nsenter connection. The guest shares the host's network, so every
# port below is an unusual loopback one.
# 1. lints the Ansible code (ansible-lint production profile, yamllint) and scores the unit offline;
# 2. builds the release tarball and runs site.yml: PostgreSQL, Caddy and the app come up; HTTPS + HTTP/2 through the
#    guest's Caddy creates a user and a todo and reads it back; the WAL is archived into an encrypted local pgBackRest
#    repository with a first full backup, the backup timers wait, a differential backup on demand updates the
#    freshness metric; restore.yml refuses without its confirmation, and with it brings back the latest state (a
#    write made after the last backup included);
# 3. runs it again (changed=0, failed=0), and with --check --diff (changed=0);
# 4. deploys a second build (new release active, data kept), then a broken one (play fails, previous release serves,
#    data kept);
# 5. `systemd-analyze security` on the installed unit (<= 1.5) and a clean `systemctl stop` (143 counts as success);
# 6. powers the guest off and removes it, also when a step fails.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=packaging/lib.sh
source packaging/lib.sh
cache=${CI_CACHE:-/var/cache/todo-service-ci}
guest_root=/var/lib/todo-ci-guest
PG_PORT=25435 API_PORT=18380 ADMIN_PORT=18381 HTTP_PORT=18580 HTTPS_PORT=18543 CADDY_ADMIN_PORT=12021
WORK=$(mktemp -d /tmp/todo-vm.XXXXXX)
NSPAWN_PID="" GUEST_PID=""

cleanup() {
    if [[ -n $NSPAWN_PID ]]; then nspawn_poweroff "$NSPAWN_PID"; fi
    nspawn_forget todo-ci-guest
    rm -rf "$guest_root" "$WORK"
}
trap cleanup EXIT

in_guest() { nsenter --target "$GUEST_PID" --all -- "$@"; }

echo "-- lint"
(cd ansible && yamllint -s . && ansible-lint -q) || fail "Ansible lint"
pass "ansible-lint (production profile) and yamllint clean"
systemd-analyze security --offline=yes --threshold=15 packaging/systemd/todo-service.service >"$WORK/score" 2>&1 \
    || { tail -n 3 "$WORK/score"; fail "unit exposure above 1.5"; }
pass "unit file: $(tail -n 1 "$WORK/score" | sed 's/^→ //')"

echo "-- release tarballs"
start=$SECONDS
packaging/build-release.sh
echo "built in $((SECONDS - start)) s"
release=$(ls target/todo-service-*-linux-x64.tar.gz)
version=$(basename "$release" -linux-x64.tar.gz)
version=${version#todo-service-}
# A second build (same code, new version) and a broken one whose service exits at start-up.
release2=$(release_variant "$release" ci2 "$WORK")
release3=$(release_variant "$release" ci3 "$WORK" broken)

echo "-- guest"
guest_tar=$(debian_guest_tarball "$cache" "$WORK")
rm -rf "$guest_root"
mkdir -p "$guest_root"
tar -C "$guest_root" -xf "$guest_tar"
nspawn_boot todo-ci-guest "$guest_root" "$WORK/guest-console.log"
GUEST_PID=$(nspawn_await "$NSPAWN_PID" 60 "$WORK/guest-console.log") || fail "the guest did not boot"
pass "guest booted (systemd $(in_guest systemctl --version | head -n 1 | cut -d' ' -f2), PID $GUEST_PID)"

# One VM: the same host in every group.
cat >"$WORK/inventory.ini" <<INI
[todo_lb]
guest ansible_connection=community.docker.nsenter ansible_nsenter_pid=$GUEST_PID ansible_python_interpreter=/usr/bin/python3
[todo_app]
guest
[todo_db]
guest
[todo_service:children]
todo_lb
todo_app
todo_db
INI
cat >"$WORK/ci-vars.yml" <<YAML
todo_service_domain: localhost
postgresql_port: $PG_PORT
todo_service_port: $API_PORT
todo_service_admin_port: $ADMIN_PORT
caddy_http_port: $HTTP_PORT
caddy_https_port: $HTTPS_PORT
caddy_admin: 127.0.0.1:$CADDY_ADMIN_PORT
YAML
# A key of its own: the example vault's key is public, and the playbook refuses it.
(umask 077 && printf 'vault_todo_service_secret_key: "%s"\nvault_todo_backup_cipher_pass: "%s"\n' \
    "$(openssl rand -base64 48 | tr -d '\n')" "$(openssl rand -base64 48 | tr -d '\n')" >"$WORK/secrets.yml")

# play NAME [ansible-playbook options...]: runs site.yml, keeps the output, prints the recap line.
play() {
    local name=$1
    shift
    (cd ansible && ansible-playbook -i "$WORK/inventory.ini" site.yml -e "@$WORK/ci-vars.yml" -e "@$WORK/secrets.yml" \
        "$@") >"$WORK/$name.log" 2>&1
}
recap() { grep -E '^guest +:' "$WORK/$1.log" | tr -s ' '; }
show_failure() {
    grep -E -B2 -A12 'fatal:|FAILED!' "$WORK/$1.log" | tail -n 40 >&2 || tail -n 40 "$WORK/$1.log" >&2
    echo "--- journal of todo-service in the guest ---" >&2
    in_guest journalctl -u todo-service --no-pager -n 25 -o cat >&2 || true
}

ca=$guest_root/var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt
https=https://localhost:$HTTPS_PORT
api() { curl -sS --cacert "$ca" "$@"; }

echo "-- first deploy"
start=$SECONDS
play deploy1 -e "todo_service_release=$repo/$release" || { show_failure deploy1; fail "first deploy"; }
pass "first deploy in $((SECONDS - start)) s: $(recap deploy1)"
await_caddy() {
    local deadline=$((SECONDS + 30))
    until [[ -s $ca ]] && api -f -o /dev/null "$https/api/hello" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "no answer through the guest's Caddy within 30 s"
        sleep 0.2
    done
}
await_caddy
expect "HTTP/2 through the guest's Caddy" "2 200" "$(api -o /dev/null -w '%{http_version} %{http_code}' "$https/api/hello")"
API_CHECK_USER=vm API_CHECK_TITLE=Deployed API_CHECK_DESCRIPTION="by Ansible" API_CHECK_STATE=doing \
    api_check "$https/api" --cacert "$ca" -m 30
token=$API_TOKEN
todo_title() { api -f -H "Authorization: Bearer $token" "$https/api/todos/" | jq -r '.todos[0].title'; }
# Every listening socket of the port is a loopback address (IPv4, IPv6, or IPv4-mapped as Java reports it).
loopback_only() {
    local addresses
    addresses=$(in_guest ss -Htln "sport = :$2" | awk '{print $4}')
    [[ -n $addresses ]] || fail "$1: nothing listens on port $2"
    grep -qvE "^(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):$2\$" <<<"$addresses" \
        && fail "$1 listens beyond loopback: $(tr '\n' ' ' <<<"$addresses")"
    pass "$1 listens on loopback only"
}
loopback_only "the app" "$API_PORT"
loopback_only "the app's admin port" "$ADMIN_PORT"
loopback_only "PostgreSQL" "$PG_PORT"

# The AOT cache was trained in target/ on this host: it must still be accepted where the release is installed.
# `todo-service migrate` as the playbook runs it, with -XX:AOTMode=on: the JVM refuses to start without the cache.
in_guest systemd-run --quiet --wait --pipe --collect --property=DynamicUser=yes \
    --property=EnvironmentFile=/etc/todo-service/todo-service.env --setenv=JDK_JAVA_OPTIONS=-XX:AOTMode=on \
    --property=LoadCredential=database_password:/etc/todo-service/credentials/database_password \
    /opt/todo-service/current/bin/todo-service migrate >"$WORK/aot.out" 2>&1 \
    || fail "AOT cache rejected on the guest: $(tail -n 5 "$WORK/aot.out")"
pass "AOT cache accepted by the installed runtime (-XX:AOTMode=on)"

echo "-- backups: a local repository"
info=$(in_guest runuser -u postgres -- pgbackrest --stanza=todo info --output=json)
expect "repository: the stanza's status" ok "$(jq -r '.[0].status.message' <<<"$info")"
expect "repository: encrypted" aes-256-cbc "$(jq -r '.[0].cipher' <<<"$info")"
expect "repository: the full backup the deploy took" full "$(jq -r '[.[0].backup[].type] | join(",")' <<<"$info")"
[[ $(head -c 8 "$guest_root/var/lib/pgbackrest/backup/todo/backup.info") == Salted__ ]] || fail "backup.info not encrypted"
expect "/etc/pgbackrest.conf readable by postgres only" "640 postgres postgres" \
    "$(in_guest stat -c '%a %U %G' /etc/pgbackrest.conf)"
expect "no pgBackRest TLS server without a backup host" disabled "$(in_guest systemctl is-enabled pgbackrest || true)"
expect "backup timers" "enabled enabled" \
    "$(in_guest systemctl is-enabled todo-backup-full.timer todo-backup-diff.timer | paste -sd' ')"
start=$(date +%s%N)
in_guest systemctl start todo-backup-diff.service || fail "differential backup on demand"
metrics=$(cat "$guest_root/var/lib/prometheus/node-exporter/todo_backup.prom")
grep -qx 'todo_backup_last_success_timestamp_seconds{kind="full"} [0-9]*' <<<"$metrics" || fail "no full: $metrics"
grep -qx 'todo_backup_last_success_timestamp_seconds{kind="diff"} [0-9]*' <<<"$metrics" || fail "no diff: $metrics"
pass "differential backup on demand in $(seconds_since "$start") s; the metric file has both kinds"
# The latest state, in place: the write after the last backup comes back from the archived WAL.
API_CHECK_TITLE="After the backup" API_CHECK_DESCRIPTION="from the WAL" api_todo "$https/api" --cacert "$ca" -m 30
late=$API_TODO_ID
(cd ansible && ansible-playbook -i "$WORK/inventory.ini" restore.yml -e "@$WORK/ci-vars.yml" -e "@$WORK/secrets.yml") \
    >"$WORK/restore-refused.log" 2>&1 && fail "restore.yml ran without todo_restore_confirm"
start=$(date +%s%N)
(cd ansible && ansible-playbook -i "$WORK/inventory.ini" restore.yml -e "@$WORK/ci-vars.yml" -e "@$WORK/secrets.yml" \
    -e todo_restore_confirm=guest) >"$WORK/restore.log" 2>&1 || { show_failure restore; fail "restore.yml"; }
await_caddy
expect "after restore.yml (latest), both todos" "After the backup,Deployed" \
    "$(api -f -H "Authorization: Bearer $token" "$https/api/todos/" | jq -r '[.todos[].title] | sort | join(",")')"
pass "restore.yml to the end of the archived WAL in $(seconds_since "$start") s (app down to app ready;" \
    "$(grep -o 'in [0-9.]* s (restore and WAL replay)' "$WORK/restore.log" | head -n 1))"
expect "DELETE the extra todo" 200 "$(api -o /dev/null -w '%{http_code}' -X DELETE \
    -H "Authorization: Bearer $token" "$https/api/todos/$late")"

echo "-- idempotence"
play again -e "todo_service_release=$repo/$release" || { show_failure again; fail "second run"; }
[[ $(recap again) =~ changed=0\ .*failed=0 ]] || { grep -E '^changed:' "$WORK/again.log" >&2; fail "second run changed something: $(recap again)"; }
pass "second run: $(recap again)"
play check -e "todo_service_release=$repo/$release" --check --diff || { show_failure check; fail "--check --diff"; }
[[ $(recap check) =~ changed=0\ .*failed=0 ]] || fail "--check --diff would change something: $(recap check)"
pass "--check --diff on the converged guest: $(recap check)"

echo "-- upgrade"
play deploy2 -e "todo_service_release=$release2" || { show_failure deploy2; fail "second release"; }
expect "second release active" "/opt/todo-service/releases/ci2" "$(in_guest readlink /opt/todo-service/current)"
await_caddy
expect "data kept across the upgrade" "Deployed" "$(todo_title)"

echo "-- broken release"
if play deploy3 -e "todo_service_release=$release3"; then
    fail "deploying a broken release succeeded"
fi
grep -q 'rolled back to /opt/todo-service/releases/ci2' "$WORK/deploy3.log" || { show_failure deploy3; fail "no rollback message"; }
pass "broken release: play failed loudly and rolled back"
expect "previous release active again" "/opt/todo-service/releases/ci2" "$(in_guest readlink /opt/todo-service/current)"
await_caddy
expect "data kept across the failed deploy" "Deployed" "$(todo_title)"

echo "-- systemd"
score=$(in_guest systemd-analyze security --threshold=15 todo-service.service 2>&1) \
    || { tail -n 5 <<<"$score"; fail "installed unit exposure above 1.5"; }
pass "installed unit: $(tail -n 1 <<<"$score" | sed 's/^→ //')"
start=$(date +%s%N)
in_guest systemctl stop todo-service
stop_ms=$((($(date +%s%N) - start) / 1000000))
expect "systemctl stop: result" "success" "$(in_guest systemctl show -P Result todo-service)"
expect "systemctl stop: the JVM's own exit status" "143" "$(in_guest systemctl show -P ExecMainStatus todo-service)"
pass "stopped in $stop_ms ms"
in_guest journalctl -u todo-service --no-pager -o cat >"$WORK/journal.log"
secret=$(sed -n 's/^vault_todo_service_secret_key: "\(.*\)"$/\1/p' "$WORK/secrets.yml")
db_password=$(cat "$guest_root/etc/todo-service/credentials/database_password")
cipher_pass=$(sed -n 's/^vault_todo_backup_cipher_pass: "\(.*\)"$/\1/p' "$WORK/secrets.yml")
in_guest journalctl --no-pager -o cat >>"$WORK/journal.log"
if grep -qF -e "$secret" -e "$db_password" -e "$API_PASSWORD" -e "$cipher_pass" "$WORK/journal.log" \
    "$WORK"/*.log "$guest_root"/var/log/pgbackrest/*.log; then
    fail "a secret is in the journal, a playbook log or pgBackRest's logs"
fi
pass "no secret in the journal, the playbook logs or pgBackRest's logs"
# The service falls back to pure-Java Argon2 (three times the CPU per login) when JNA cannot load libargon2, e.g.
# when the unit's sandbox leaves it no executable directory to unpack the library into.
if grep -F 'Native Argon2' "$WORK/journal.log"; then fail "the unit hashes passwords without libargon2"; fi
pass "passwords hashed by libargon2 under the hardened unit (no pure-Java fallback logged)"
