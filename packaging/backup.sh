#!/usr/bin/env bash
# Logical backups of todo-service's PostgreSQL database (pg_dump custom format), with retention and restore. Made for
# the compose stack's `backup` service, which runs it in a container of the database's own image (so pg_dump always
# matches the server's major version) with ./backups on the host mounted at /backups:
#
#   backup.sh schedule        dump every BACKUP_INTERVAL (counted from the newest dump), until stopped
#   backup.sh dump            one dump now: BACKUP_DIR/todo-<UTC time>.dump, checked, then older ones pruned
#   backup.sh list            the dumps, oldest first
#   backup.sh restore FILE    restore FILE as the database (the current one is kept, renamed); the app must be stopped
#
# A dump is the database as it was when the dump started: a restore loses everything written after it. For
# point-in-time recovery use WAL archiving (README, "Backups and restore").
#
# Settings (environment): the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE; BACKUP_DIR (/backups),
# BACKUP_INTERVAL (1d; a number with s, m, h or d), BACKUP_KEEP (14 dumps), BACKUP_METRICS_FILE
# (BACKUP_DIR/todo_backup.prom, for node_exporter's textfile collector: the last success as
# todo_backup_last_success_timestamp_seconds{kind="logical"}).
set -euo pipefail

# shellcheck source=packaging/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=${BACKUP_DIR:-/backups}
keep=${BACKUP_KEEP:-14}
metrics=${BACKUP_METRICS_FILE:-$dir/todo_backup.prom}
database=${PGDATABASE:?PGDATABASE names the database to back up}
# Dumps hold every user's password hash: readable by their owner only.
umask 077

log() { echo "backup: $(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >&2; }

# The dumps, oldest first (their names sort by time).
dumps() {
    find "$dir" -maxdepth 1 -name 'todo-*.dump' -type f | sort
}

seconds_of() {
    local value=$1
    [[ $value =~ ^([0-9]+)([smhd])$ ]] || fail "BACKUP_INTERVAL must be a number with s, m, h or d, not '$value'"
    local n=${BASH_REMATCH[1]}
    case ${BASH_REMATCH[2]} in
        s) echo "$n" ;;
        m) echo $((n * 60)) ;;
        h) echo $((n * 3600)) ;;
        d) echo $((n * 86400)) ;;
    esac
}

dump() {
    [[ $keep =~ ^[1-9][0-9]*$ ]] || fail "BACKUP_KEEP must be a positive whole number, not '$keep'"
    mkdir -p "$dir"
    local name started
    started=$(date +%s%N)
    name=$dir/todo-$(date -u +%Y%m%dT%H%M%S%3NZ).dump
    # Written under a temporary name and renamed once complete and readable, so a crash never leaves a dump that
    # looks good.
    pg_dump --format=custom --compress=6 --file="$name.partial" "$database"
    pg_restore --list "$name.partial" >/dev/null || fail "pg_restore cannot read the new dump $name.partial"
    mv "$name.partial" "$name"
    log "dumped $database to $name ($(du -h "$name" | cut -f1) in $(seconds_since "$started") s)"
    local all
    mapfile -t all < <(dumps)
    if ((${#all[@]} > keep)); then
        rm -f -- "${all[@]:0:${#all[@]}-keep}"
        log "removed $((${#all[@]} - keep)) dump(s) beyond the newest $keep"
    fi
    {
        echo "# HELP todo_backup_last_success_timestamp_seconds Unix time of the last successful backup."
        echo "# TYPE todo_backup_last_success_timestamp_seconds gauge"
        echo "todo_backup_last_success_timestamp_seconds{kind=\"logical\"} $(date +%s)"
    } >"$metrics.tmp"
    chmod 644 "$metrics.tmp"
    mv "$metrics.tmp" "$metrics"
}

schedule() {
    local interval newest due
    interval=$(seconds_of "${BACKUP_INTERVAL:-1d}")
    # A stop (compose down, SIGTERM) ends the wait at once; a dump in progress is abandoned as .partial.
    trap 'log "stopped"; exit 0' TERM INT
    log "a dump every ${BACKUP_INTERVAL:-1d} into $dir, keeping $keep"
    while true; do
        newest=$(dumps | tail -n 1)
        due=0
        if [[ -n $newest ]]; then due=$(($(stat -c %Y "$newest") + interval - $(date +%s))); fi
        if ((due <= 0)); then
            # A failed dump is logged and retried at the next interval; its age shows in the metric.
            dump || log "dump failed"
            due=$interval
        fi
        sleep "$due" &
        wait $! || true
    done
}

# Restores into a new database first, so a dump that cannot be restored changes nothing; then swaps it in by name.
restore() {
    local file=${1:?usage: backup.sh restore FILE}
    [[ -f $file ]] || fail "no such dump: $file"
    local staging=${database}_restoring old
    old=${database}_before_restore_$(date -u +%Y%m%dT%H%M%SZ)
    psql -qX -v ON_ERROR_STOP=1 -d postgres -v db="$staging" <<'SQL'
DROP DATABASE IF EXISTS :"db";
CREATE DATABASE :"db";
SQL
    pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$staging" "$file" \
        || fail "restoring $file failed; database $database is untouched ($staging holds the partial restore)"
    local sessions
    # Through stdin: psql -c does not interpolate variables.
    sessions=$(psql -qtAX -d postgres -v db="$database" <<'SQL'
SELECT count(*) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid();
SQL
    )
    ((sessions == 0)) || fail "$sessions session(s) still use $database: stop the app first (podman compose stop app)"
    psql -qX -v ON_ERROR_STOP=1 -d postgres -v db="$database" -v old="$old" -v staging="$staging" <<'SQL'
SELECT format('ALTER DATABASE %I RENAME TO %I', :'db', :'old')
WHERE EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"staging" RENAME TO :"db";
SQL
    log "restored $file as $database; the database it replaced, if any, is kept as $old (DROP DATABASE it when done)"
}

case ${1:-} in
    dump) dump ;;
    schedule) schedule ;;
    list) dumps ;;
    restore) restore "${2:-}" ;;
    *) echo "usage: backup.sh dump | schedule | list | restore FILE" >&2; exit 2 ;;
esac
