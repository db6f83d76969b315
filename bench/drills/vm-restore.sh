#!/usr/bin/env bash
# VM restore drill (issue 14): point-in-time recovery with pgBackRest and ansible/restore.yml, on a deployment made by
# ansible/site.yml. .ci/fleet-checks.sh runs it on its guests; it runs the same way against a staging deployment (never
# production: it deletes every user).
#
#   bench/drills/vm-restore.sh INVENTORY HTTPS_URL CA_FILE SECONDS [ansible-playbook options...]
#
# 1. restore.yml without its confirmation refuses, and the service goes on serving;
# 2. the load client (DrillClient pitr, 4 writers through the load balancer, each write with its own Idempotency-Key)
#    writes for SECONDS/3; a full backup on demand (todo-backup-full on the repository host) while it goes on; writes
#    for SECONDS/3 more; the time T, noted with no write in flight; writes for SECONDS/3 more; then every user deleted
#    by mistake (DELETE FROM users on the primary, todos with them) and restore.yml to T: exactly the writes
#    acknowledged before T are stored, none of those after, the service serves them and takes writes again;
# 3. prints what it saw: writes before and after T, how long restore.yml took (app down to app ready again) and the
#    restore on the primary alone (pgbackrest restore and the WAL replay).
# DRILL_NETNS runs the load client in that network namespace (CI: the fleet's bridge); DRILL_WORK keeps the logs
# there (otherwise in a temporary directory, removed at the end). Needs JAVA_HOME at a JDK 25 and what
# ansible-playbook needs for the inventory (the vault's secrets, e.g. -e @secrets.yml; not --ask-vault-pass: the
# steps run without a terminal).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=packaging/lib.sh
source "$root/packaging/lib.sh"

# The client calls back into this script for the operator's steps, with the settings written below.
if [[ ${1:-} == --step ]]; then
    step=$2 work=$3
    # shellcheck source=/dev/null
    source "$work/settings"
    cd "$root/ansible"
    case $step in
        backup)
            ansible -i "$inventory" --playbook-dir . "${ansible_options[@]}" "$repository" -b \
                -m ansible.builtin.systemd -a 'name=todo-backup-full.service state=started' >"$work/backup.log" 2>&1 ;;
        delete)
            ansible -i "$inventory" --playbook-dir . "${ansible_options[@]}" "$primary" -b --become-user postgres \
                -m ansible.builtin.command \
                -a "psql -XAtq -p {{ postgresql_port }} -d {{ todo_service_db_name }} -c 'DELETE FROM users'" \
                >"$work/delete.log" 2>&1 ;;
        restore)
            ansible-playbook -i "$inventory" "${ansible_options[@]}" restore.yml -e "todo_restore_confirm=$primary" \
                -e "{\"todo_restore_time\": \"$RESTORE_TARGET_TIME\"}" >"$work/restore.log" 2>&1 ;;
        *) fail "unknown step $step" ;;
    esac
    exit
fi

inventory=$(realpath "$1") https=$2 ca=$3 seconds=$4
shift 4
ansible_options=("$@")
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
if [[ -n ${DRILL_WORK:-} ]]; then
    work=$DRILL_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d /tmp/vm-restore.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
netns=()
if [[ -n ${DRILL_NETNS:-} ]]; then netns=(ip netns exec "$DRILL_NETNS"); fi

# The hosts of an inventory group, one a line.
hosts_of() {
    (cd "$root/ansible" && ansible -i "$inventory" "${ansible_options[@]}" "$1" --list-hosts 2>/dev/null) \
        | sed -n 's/^ \{4\}//p'
}
primary=$(hosts_of todo_db)
[[ -n $primary ]] || fail "no host in todo_db of $inventory"
repository=$(hosts_of todo_backup)
repository=${repository:-$primary}
declare -p inventory primary repository ansible_options >"$work/settings"

echo "-- restore.yml refuses without its confirmation"
if (cd "$root/ansible" && ansible-playbook -i "$inventory" "${ansible_options[@]}" restore.yml) \
    >"$work/refused.log" 2>&1; then
    fail "restore.yml ran without todo_restore_confirm"
fi
grep -q "run it again with -e todo_restore_confirm=$primary" "$work/refused.log" \
    || { tail -n 20 "$work/refused.log"; fail "restore.yml failed, but not with the confirmation's message"; }
expect "the service still serves" 200 \
    "$("${netns[@]}" curl -sS --max-time 10 --cacert "$ca" -o /dev/null -w '%{http_code}' "$https/api/hello")"

echo "-- writes, a full backup, more writes, T, more writes, everything deleted, restore to T"
"$JAVA_HOME/bin/javac" -d "$work/classes" "$root/bench/drills/DrillClient.java"
self=$(printf '%q' "$root/bench/drills/vm-restore.sh")
status=0
"${netns[@]}" env STACK_HTTPS="$https" STACK_CA="$ca" STACK_IDEMPOTENCY_KEYS=true \
    "$JAVA_HOME/bin/java" -cp "$work/classes" DrillClient pitr "$seconds" 4 "$self --step backup $work" \
    "$self --step delete $work" "$self --step restore $work" >"$work/pitr.out" 2>&1 || status=$?
value() { sed -n "s/^$1=//p" "$work/pitr.out"; }
for step in backup delete restore; do
    if [[ $(value "${step}_exit") != 0 ]]; then
        tail -n 30 "$work/$step.log" >&2 || true
        fail "the $step step failed"
    fi
done
if ((status != 0)); then cat "$work/pitr.out" >&2; fail "point-in-time recovery drill"; fi
restored=$(sed -n 's/.*"Restored .* in \([0-9.]*\) s (restore and WAL replay)."*/\1/p' "$work/restore.log" | head -n 1)
pass "full backup under load in $(value backup_s) s; T = $(value target_time)"
pass "restored to T: $(value writes_before_target) writes acknowledged before T all there, none of the" \
    "$(value writes_after_target) after; restore.yml $(value restore_s) s from app down to app ready," \
    "the restore on the primary ${restored:-?} s; the service serves them and takes writes again"
