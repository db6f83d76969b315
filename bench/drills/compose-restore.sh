#!/usr/bin/env bash
# Compose restore drill (run by .ci/container-checks.sh): packaging/backup.sh, as the compose stack's `backup` service
# runs it, against PostgreSQL in a container: the schema from the app image's `migrate`, a few thousand rows with
# awkward text; three dumps (retention keeps two, the freshness metric is written), the scheduler's next dump on time
# and a prompt stop, the database dropped by mistake,
# the newest dump restored; row counts and checksums of the users and todos tables equal, the identity sequences carry
# on, the app finds nothing to migrate. Then a restore over a live database: refused while a session uses it, done
# once it is gone, the replaced database kept.
# What it does not exercise: compose itself (no registry here to pull the stack's images; .ci/container-checks.sh
# validates the service definition with docker-compose config), and PostgreSQL 17 (the stand-in image has no pg_dump:
# server and tools here are Debian's 15, from .ci/standins/postgres-tools.Containerfile).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# shellcheck source=packaging/lib.sh
source packaging/lib.sh
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/.ci/containers.conf}
APP_IMAGE=${APP_IMAGE:-localhost/todo-service:ci}
TOOLS=localhost/backup-postgres-tools:ci
NETWORK=backup-net DB=backup-db
WORK=$(mktemp -d /tmp/backup-drill.XXXXXX)
FAIL_LOG=$WORK/db.log

cleanup() {
    podman logs "$DB" >"$FAIL_LOG" 2>&1 || true
    podman rm -f -t 0 "$DB" backup-schedule >/dev/null 2>&1 || true
    podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! podman image exists "$TOOLS"; then
    podman build --format docker -f .ci/standins/postgres-tools.Containerfile -t "$TOOLS" .ci/standins \
        >"$WORK/build.log" 2>&1 || { tail -n 20 "$WORK/build.log"; fail "building $TOOLS"; }
fi
podman image exists "$APP_IMAGE" || fail "$APP_IMAGE is missing: .ci/container-checks.sh builds it"

PGPASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PGPASSWORD
podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
podman network create "$NETWORK" >/dev/null
# As the official image sets it up: POSTGRES_USER (todo) is the superuser and owns the database; passwords over TCP.
# shellcheck disable=SC2016 # expanded by the container's shell
podman run -d --name "$DB" --network "$NETWORK" --user postgres -e PGPASSWORD "$TOOLS" bash -c '
    initdb -D "$PGDATA" -U todo -A scram-sha-256 --auth-local=trust --pwfile=<(printf %s "$PGPASSWORD") >/dev/null
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    exec postgres -D "$PGDATA" -c listen_addresses="*"' >/dev/null
sql() { podman exec -i "$DB" psql -qtAX -v ON_ERROR_STOP=1 -U todo "$@"; }
await 60 sql -d postgres -c 'SELECT 1' || fail "PostgreSQL container not ready within 60 s"
sql -d postgres -c 'CREATE DATABASE todo'
migrate() {
    podman run --rm --network "$NETWORK" -e DATABASE_URL="postgresql://$DB:5432/todo" -e DATABASE_USER=todo \
        -e DATABASE_PASSWORD="$PGPASSWORD" -e LOG_FORMAT=text "$APP_IMAGE" migrate 2>&1
}
migrate >"$WORK/migrate.log" || { cat "$WORK/migrate.log"; fail "migrate"; }
sql -d todo <<'SQL'
INSERT INTO users (username, email, password_hash)
SELECT 'user' || i, 'user' || i || '@example.com', 'argon2-hash-' || i FROM generate_series(1, 60) i;
INSERT INTO todos (user_id, title, description, state, created_at, updated_at)
SELECT u.id, format('Täsk %s of %s: ''quoted'', "double", \back 🚀', n, u.username),
       E'line one\nline two,\ttabbed; ' || repeat('x', n),
       (ARRAY['draft', 'todo', 'doing', 'done', 'trash'])[1 + n % 5],
       now() - n * interval '1 minute', now()
FROM users u, generate_series(1, 40) n;
-- Gaps in the ids: the identity sequences must come back where they were, not at max(id).
DELETE FROM todos WHERE id % 7 = 0 OR id > 2390;
DELETE FROM users WHERE id > 58;
SQL
fingerprint() {
    sql -d todo <<'SQL'
SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM todos) || ' todos, users '
       || (SELECT md5(string_agg(u::text, E'\n' ORDER BY u.id)) FROM users u) || ', todos '
       || (SELECT md5(string_agg(t::text, E'\n' ORDER BY t.id)) FROM todos t) || ', migrations '
       || (SELECT count(*) FROM flyway_schema_history WHERE success);
SQL
}
next_ids() {
    sql -d todo <<'SQL'
SELECT pg_sequence_last_value('users_id_seq') || ' ' || pg_sequence_last_value('todos_id_seq');
SQL
}
before=$(fingerprint)
ids_before=$(next_ids)
pass "database ready: $before"

mkdir "$WORK/backups"
backup() {
    # Hardened as the compose service is: read-only root, no capabilities, /tmp in memory.
    podman run "${BACKUP_RUN_OPTIONS[@]}" --network "$NETWORK" --read-only --cap-drop=ALL \
        --security-opt=no-new-privileges --tmpfs /tmp \
        -e PGHOST="$DB" -e PGUSER=todo -e PGPASSWORD -e PGDATABASE=todo \
        -e BACKUP_KEEP=2 -v "$WORK/backups:/backups" -v "$root/packaging/backup.sh:/opt/todo-backup/backup.sh:ro" \
        -v "$root/packaging/lib.sh:/opt/todo-backup/lib.sh:ro" "$TOOLS" bash /opt/todo-backup/backup.sh "$@"
}
BACKUP_RUN_OPTIONS=(--rm)
start=$(date +%s%N)
for _ in 1 2 3; do backup dump 2>>"$WORK/backup.log" || { cat "$WORK/backup.log"; fail "backup.sh dump"; }; done
pass "three dumps in $(seconds_since "$start") s"
mapfile -t dumps < <(backup list)
expect "retention keeps the newest BACKUP_KEEP=2 dumps" 2 "${#dumps[@]}"
[[ ${dumps[0]} < ${dumps[1]} ]] || fail "dumps not listed oldest first: ${dumps[*]}"
metric=$(sed -n 's/^todo_backup_last_success_timestamp_seconds{kind="logical"} //p' "$WORK/backups/todo_backup.prom")
((metric > 0 && $(date +%s) - metric < 300)) || fail "backup freshness metric missing or stale: '$metric'"
pass "freshness metric written: todo_backup_last_success_timestamp_seconds{kind=\"logical\"} $metric"
expect "dumps are readable by their owner only" "600" "$(stat -c %a "$WORK/backups/${dumps[1]##*/}")"

# The compose service's mode: a dump whenever the newest is BACKUP_INTERVAL old; a stop ends it at once.
BACKUP_RUN_OPTIONS=(-d --name backup-schedule -e BACKUP_INTERVAL=2s)
backup schedule >/dev/null
newer_dump() { [[ $(backup_list_newest) != "${dumps[1]}" ]]; }
backup_list_newest() { find "$WORK/backups" -name 'todo-*.dump' | sort | tail -n 1 | sed 's|.*/|/backups/|'; }
await 30 newer_dump || fail "backup.sh schedule made no dump within 30 s"
start=$(date +%s%N)
podman stop -t 10 backup-schedule >/dev/null
expect "schedule mode stops cleanly on SIGTERM" 0 "$(podman inspect backup-schedule --format '{{.State.ExitCode}}')"
pass "schedule mode dumped on time and stopped in $(seconds_since "$start") s"
podman rm -f backup-schedule >/dev/null
BACKUP_RUN_OPTIONS=(--rm)
mapfile -t dumps < <(backup list)

sql -d postgres -c 'DROP DATABASE todo WITH (FORCE)'
pass "database dropped by mistake"
start=$(date +%s%N)
backup restore "${dumps[1]}" 2>>"$WORK/backup.log" || { cat "$WORK/backup.log"; fail "backup.sh restore"; }
pass "restored the newest dump in $(seconds_since "$start") s"
expect "row counts and checksums after the restore" "$before" "$(fingerprint)"
expect "identity sequences where they were" "$ids_before" "$(next_ids)"
migrate >"$WORK/migrate.log" || { cat "$WORK/migrate.log"; fail "migrate after restore"; }
grep -q "Migrations applied: 0" "$WORK/migrate.log" || { cat "$WORK/migrate.log"; fail "migrate found work to do"; }
pass "the app finds the restored schema up to date"

# A restore over a database in use is refused; once the session is gone it replaces the database and keeps the old.
sql -d todo -c "INSERT INTO users (username, email, password_hash) VALUES ('late', 'late@example.com', 'h')"
podman exec -d "$DB" psql -U todo -d todo -c 'SELECT pg_sleep(60)' >/dev/null
await 10 sql -d postgres -c "SELECT 1 / count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'" \
    || fail "the holding session did not start"
if backup restore "${dumps[1]}" 2>"$WORK/refused.log"; then fail "restore went ahead while a session used todo"; fi
grep -q "stop the app first" "$WORK/refused.log" || { cat "$WORK/refused.log"; fail "refusal without a reason"; }
pass "restore refused while the database is in use"
sql -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'" \
    >/dev/null
backup restore "${dumps[1]}" 2>>"$WORK/backup.log" || { cat "$WORK/backup.log"; fail "second restore"; }
expect "restored over the live database" "$before" "$(fingerprint)"
old=$(sql -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'todo_before_restore_%'")
expect "the replaced database kept as $old, with the write made after the dump" 1 \
    "$(sql -d "$old" -c "SELECT count(*) FROM users WHERE username = 'late'")"
