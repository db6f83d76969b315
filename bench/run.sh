#!/usr/bin/env bash
# Runs every benchmark (bench/bench.py, bench/cpu.py, bench/startup.py, bench/memory.py) and the full fault drills
# (bench/drills/run.sh) on the local full stack and writes bench/results/<date>.md, its charts and the drills' table
# into the same report. Takes about 80 minutes (the memory sweep alone about 35).
#
#   bench/run.sh [--quick]      --quick: short runs to try the scripts (not for reporting; drills skipped)
#
# Needs JAVA_HOME at a JDK 25, Maven, and Debian's postgresql (with pgbench), caddy, nghttp2-client (h2load),
# gnuplot-nox (chart), python3, curl, jq, binutils, libargon2-1; as root, missing ones are installed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
export PATH=$JAVA_HOME/bin:$PATH
missing=()
for tool in h2load:nghttp2-client gnuplot:gnuplot-nox caddy:caddy psql:postgresql jq:jq curl:curl objcopy:binutils; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
# The reference C Argon2 that bench/cpu.py holds the login's CPU against.
ldconfig -p | grep -q 'libargon2\.so\.1 ' || missing+=(libargon2-1)
if ((${#missing[@]} > 0)); then
    if ((EUID == 0)); then
        apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "bench: install first: ${missing[*]}" >&2
        exit 1
    fi
fi
# A fresh release, so the numbers are for the code checked out.
packaging/build-release.sh

report=bench/results/$(date +%F).md
BENCH_REPORT=$report python3 bench/bench.py "$@"
# CPU per request and per login, beside PostgreSQL's, and login latency (bench/cpu.py), into the same report.
# bench.py itself writes a --quick run to <date>-quick.md; the others follow it there.
[[ ${1:-} == --quick ]] && report=${report%.md}-quick.md
python3 bench/cpu.py "$@" --report "$report"
# Start-up phases and the memory sweep (JVM settings), into the same report.
BENCH_REPORT=$report python3 bench/startup.py "$@"
BENCH_REPORT=$report python3 bench/memory.py "$@"
if [[ ${1:-} != --quick ]]; then
    {
        echo
        echo "## Fault drills"
        echo
        echo "\`bench/drills/run.sh\` under steady load through Caddy (8 writers), every acknowledged write verified."
    } >>"$report"
    bench/drills/run.sh "$report"
fi
