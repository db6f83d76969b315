#!/usr/bin/env bash
# Fault drills against the local full stack (packaging/local-stack.sh): PostgreSQL restarted (fast and immediate),
# the app restarted with SIGTERM and killed with SIGKILL behind Caddy, a connection flood with slowloris clients, a
# seeded hostile-input sweep, and the abuse drill (resource-exhaustion attacks at once, heap compared before and
# after). The load client (DrillClient.java) records every acknowledged write and verifies them.
#
#   bench/drills/run.sh [--short] [RESULTS_FILE]
#
# --short is the CI form (shorter runs, fewer random requests). Exits non-zero if any drill breaks its rule; appends
# a Markdown table of what each drill saw to RESULTS_FILE when given.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/bench/drills
short=false
if [[ ${1:-} == --short ]]; then short=true; shift; fi
results=${1:-}
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
export LOCAL_STACK_DIR=${LOCAL_STACK_DIR:-$root/target/drill-stack}
stack=$root/packaging/local-stack.sh
work=$(mktemp -d)

cleanup() {
    "$stack" down || true
    rm -rf "$work"
}
trap cleanup EXIT

if $short; then
    seconds=14 hostile_rounds=600 flood_seconds=8 abuse_seconds=15 abuse_connections=400
else
    seconds=30 hostile_rounds=4000 flood_seconds=20 abuse_seconds=60 abuse_connections=2000
fi

"$stack" down
"$stack" up
eval "$("$stack" env)"
export STACK_HTTPS STACK_CA STACK_APP STACK_ADMIN
"$JAVA_HOME/bin/javac" -d "$work/classes" "$here/DrillClient.java"
client() { "$JAVA_HOME/bin/java" -cp "$work/classes" DrillClient "$@"; }

failed=()
rows=()
value() { sed -n "s/^$1=//p" "$work/$2.out"; }

# drill NAME RULE CLIENT-ARGS...: runs the client, then checks RULE (a bash condition over the result values).
drill() {
    local name=$1 rule=$2
    shift 2
    echo "-- drill: $name"
    local status=0
    client "$@" >"$work/$name.out" 2>&1 || status=$?
    cat "$work/$name.out"
    if ((status != 0)) || ! eval "$rule"; then
        echo "FAIL: drill $name" >&2
        failed+=("$name")
    fi
    rows+=("| $name | $(value verdict "$name") | $(value failed_requests "$name")$(value problems "$name") |\
 $(value recovery_after_event_s "$name") | $(value lost_writes "$name") | $(value acknowledged_writes "$name") |\
 $(value readiness_down_window_s "$name") | $(value max_latency_ms "$name")$(value p99_ms "$name") |")
}
num() { value "$1" "$2" | cut -d. -f1; }

# PostgreSQL down for 3 s: errors only then, readiness DOWN, back within 5 s, nothing acknowledged lost.
for mode in fast immediate; do
    drill "postgres-restart-$mode" \
        "[[ \$(value readiness_down_samples postgres-restart-$mode) -gt 0 && \$(num recovery_after_event_s postgres-restart-$mode) -lt 5 ]]" \
        writes "$seconds" 8 4 "'$stack' pg-stop $mode && sleep 3 && '$stack' pg-start"
done
# A redeploy: SIGTERM, a new process. Caddy holds requests (lb_try_duration) until the new one is ready.
drill app-restart "[[ \$(value failed_requests app-restart) == 0 ]]" \
    writes "$seconds" 8 4 "'$stack' app-stop TERM && '$stack' app-start"
# A crash, down longer than Caddy waits (15 s): clients get 502/503 after at most that long, never a hang.
drill app-kill "[[ \$(num max_latency_ms app-kill) -lt 17000 ]]" \
    writes $((seconds + 16)) 8 4 "'$stack' app-stop KILL && sleep 17 && '$stack' app-start"
drill flood "true" flood "$flood_seconds" 1000 50
drill hostile "true" hostile "$hostile_rounds" 20261123

# Heap in use right after a full collection, in MiB: what the process really keeps.
heap_after_gc() {
    local pid
    pid=$("$stack" env | sed -n 's/^STACK_APP_PID=//p') # the drills above restarted the app
    "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
    curl -fsS "$STACK_ADMIN/observe/metrics" | awk '/^memory_usedHeap_bytes/ {printf "%d", $NF / 1048576}'
}
heap_before=$(heap_after_gc)
# Nothing held afterwards (connections, handlers, series), no 5xx but 503, the normal client unhurt; the heap after a
# full collection within 32 MiB of where it started.
drill abuse "[[ \$(num p99_ms abuse) -lt 2000 ]]" abuse "$abuse_seconds" "$abuse_connections"
heap_after=$(heap_after_gc)
echo "abuse: heap after full GC ${heap_before} MiB before, ${heap_after} MiB after"
if ((heap_after - heap_before > 32)); then
    echo "FAIL: drill abuse kept $((heap_after - heap_before)) MiB of heap" >&2
    failed+=(abuse-heap)
fi
rows+=("| abuse heap after full GC | ${heap_before} -> ${heap_after} MiB | | | | | | |")

if [[ -n $results ]]; then
    {
        echo
        echo "| drill | verdict | failed requests | recovery after event (s) | lost writes | acknowledged writes | readiness DOWN window (s) | max latency / p99 (ms) |"
        echo "|---|---|---|---|---|---|---|---|"
        printf '%s\n' "${rows[@]}"
    } >>"$results"
fi
if ((${#failed[@]} > 0)); then
    echo "drills failed: ${failed[*]}" >&2
    exit 1
fi
echo "all drills passed"
