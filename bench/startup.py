#!/usr/bin/env python3
"""Start-up of todo-service: process spawn to the first 200 from /observe/health/ready, with PostgreSQL already up
and the schema current, broken down into its phases, for the release (bin/todo-service: jlink runtime, AOT cache,
the shipped JVM settings) and `java -jar` on the full JDK without an AOT cache.

    bench/startup.py [--quick] [--runs N] [--variant NAME=JAVA_OPTS ...] [--release NAME=DIR ...]

The breakdown comes from the service's own log line "Started in N ms: JVM …, configuration …, database …,
migrations …, wiring …, server …" (dev.todoservice.StartupPhases), its timestamp against the moment of spawning
("launcher": the shell launcher and the JVM's start before its clock runs), and the first ready answer after it
("ready": the readiness check's first database round trip, on a pooled connection). Variants run interleaved, after
one unmeasured start each. Appends its section to BENCH_REPORT (default bench/results/<date>.md). Ports:
BENCH_PORT and BENCH_ADMIN_PORT (18590, 18591).
"""
import argparse
import datetime
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import bench

PHASES = ("launcher", "JVM", "configuration", "database", "migrations", "wiring", "server", "ready")
READY_REQUEST = b"GET /observe/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def ready(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(READY_REQUEST)
            return s.recv(12).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def start_once(cmd, env, admin_port, timeout=60):
    """Spawns the service, polls readiness every 2 ms from this process, kills it; the time and the breakdown."""
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log_file:
        spawned_wall, spawned = time.time(), time.perf_counter()
        process = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            while not ready(admin_port):
                if process.poll() is not None or time.perf_counter() - spawned > timeout:
                    log_file.seek(0)
                    raise SystemExit(f"startup: {cmd[0]} did not get ready:\n{log_file.read()[-2000:]}")
                time.sleep(0.002)
            total = time.perf_counter() - spawned
        finally:
            process.kill()
            process.wait(timeout=30)
        log_file.seek(0)
        lines = [json.loads(line) for line in log_file if line.startswith("{")]
    started = next((line for line in lines if line["msg"].startswith("Started in ")), None)
    if started is None:
        return {"total": total}
    listening = datetime.datetime.fromisoformat(started["ts"].replace("Z", "+00:00")).timestamp() - spawned_wall
    phases = {name: int(ms) / 1000 for name, ms in re.findall(r"(\w+) (\d+) ms", started["msg"].split(":", 1)[1])}
    uptime = int(re.match(r"Started in (\d+) ms", started["msg"]).group(1)) / 1000
    return {"total": total, "launcher": max(0.0, listening - uptime), **phases, "ready": max(0.0, total - listening)}


def variants(release, java_home, extra, releases):
    found = {
        "release (launcher, AOT cache, shipped JVM settings)": ([str(release / "bin" / "todo-service")], ""),
        "java -jar (full JDK 25, JVM defaults, no AOT cache)":
            ([f"{java_home}/bin/java", "-jar", str(release / "app" / "todo-service.jar")], ""),
    }
    for variant in extra:
        name, opts = variant.split("=", 1)
        found[name] = ([str(release / "bin" / "todo-service")], opts)
    for other in releases:
        name, home = other.split("=", 1)
        jar = next(Path(home).glob("target/release/*/app/todo-service.jar"), None) or Path(home) / "app/todo-service.jar"
        found[f"{name}: release"] = ([str(jar.parent.parent / "bin" / "todo-service")], "")
        found[f"{name}: java -jar"] = ([f"{java_home}/bin/java", "-jar", str(jar)], "")
    return found


def measure(stack, release, java_home, runs, extra=(), releases=()):
    port, admin_port = int(os.environ.get("BENCH_PORT", 18590)), int(os.environ.get("BENCH_ADMIN_PORT", 18591))
    env = dict(os.environ, ENV="production", SERVER_HOST="127.0.0.1", PORT=str(port), ADMIN_PORT=str(admin_port),
               DATABASE_URL=f"postgresql://127.0.0.1:{stack.pg_port}/todo", DATABASE_USER="todo",
               DATABASE_PASSWORD="local-stack-todo", SECRET_KEY=secrets.token_hex(32), LOG_LEVEL="INFO")
    env.pop("JAVA_OPTS", None)
    env.pop("JDK_JAVA_OPTIONS", None)
    candidates = variants(release, java_home, extra, releases)
    results = {name: [] for name in candidates}
    for round_number in range(runs + 1):
        for name, (cmd, opts) in candidates.items():
            result = start_once(cmd, dict(env, JAVA_OPTS=opts), admin_port)
            if round_number > 0:  # the first start of each only warms the page cache
                results[name].append(result)
                bench.log(f"start {round_number}: {name}: {result['total']:.3f} s")
    return results


def report_lines(results, runs):
    lines = ["", "## Start-up", "",
             "`bench/startup.py`: process spawn to the first 200 from `/observe/health/ready` (PostgreSQL on loopback, "
             "schema current, LOG_LEVEL=INFO), polled every 2 ms from the measuring process; variants interleaved, "
             f"{runs} starts each after one unmeasured start, medians. Phases from the service's own "
             "`Started in …` line: launcher (shell and JVM start before its clock), JVM (up to `main`, AOT cache "
             "included), configuration, database (first connection), migrations (the schema check), wiring "
             "(collaborators, pool), server (routing, observers, listeners), ready (listening to the first ready "
             "answer).", "",
             "| variant | median s | " + " | ".join(PHASES) + " | runs (s) |",
             "|---|---|" + "---|" * len(PHASES) + "---|"]
    for name, runs_of in results.items():
        medians = [statistics.median(r[p] for r in runs_of) if all(p in r for r in runs_of) else None
                   for p in PHASES]
        lines.append(f"| {name} | {statistics.median(r['total'] for r in runs_of):.3f} | "
                     + " | ".join("" if m is None else f"{m * 1000:.0f} ms" for m in medians) + " | "
                     + ", ".join(f"{r['total']:.2f}" for r in runs_of) + " |")
    return lines + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="two starts each (not for reporting)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=JAVA_OPTS",
                        help="the release with these JAVA_OPTS as one more variant")
    parser.add_argument("--release", action="append", default=[], metavar="NAME=DIR",
                        help="another build to compare: a release directory, or a checkout with target/release/*")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    report = Path(os.environ.get("BENCH_REPORT", bench.ROOT / "bench" / "results"
                                 / f"{datetime.date.today():%F}{'-quick' if args.quick else ''}.md"))
    java_home = os.environ["JAVA_HOME"]
    release = sorted((bench.ROOT / "target" / "release").glob("todo-service-*"))[-1]
    os.environ.setdefault("LOCAL_STACK_DIR", str(bench.ROOT / "target" / "bench-stack"))
    load_before = os.getloadavg()[0]
    bench.sh([str(bench.STACK), "down"])
    bench.log("starting the local stack (PostgreSQL migrated by its app, which then stops)")
    bench.sh([str(bench.STACK), "up"], capture=False)
    try:
        bench.sh([str(bench.STACK), "app-stop", "TERM"])
        results = measure(bench.Stack(), release, java_home, runs, args.variant, args.release)
    finally:
        bench.sh([str(bench.STACK), "down"], check=False)
    with report.open("a") as out:
        out.write("\n".join(report_lines(results, runs)) + "\n")
        out.write(f"\nLoad average (1 min) when this section started and ended: {load_before:.2f}, "
                  f"{os.getloadavg()[0]:.2f} (other work on this shared machine shows here).\n")
    bench.log(f"report: {report}")


if __name__ == "__main__":
    main()
