#!/usr/bin/env python3
"""CPU per request and login cost of todo-service, measured from outside the process: utime + stime of the app (from
/proc/PID/stat) over a fixed number of requests after warm-up, beside PostgreSQL's (the sum over the cluster's
processes) for the same requests; the median of interleaved rounds. Several releases ("variants") can be measured side
by side against one database, interleaved A B A B, so a change is judged within one run on this shared machine.

    bench/cpu.py [--variant NAME=RELEASE_HOME ...] [--rounds N] [--warm-up CYCLES] [--report FILE] [--quick]
    bench/cpu.py --profile PREFIX [--variant NAME=RELEASE_HOME]

Without --variant the newest target/release/todo-service-* is measured. The PostgreSQL cluster is the local stack's
(packaging/local-stack.sh, LOCAL_STACK_DIR and LOCAL_*_PORT as there); each variant runs on its own port from
CPU_BENCH_PORT (default LOCAL_APP_PORT + 10) upwards. --report appends the tables (and the raw output) to FILE.

Also measured: Argon2id (m=19 MiB, t=2, p=1) in the reference C library (Debian's libargon2-1, through ctypes) as the
yardstick for a login's CPU; login latency at concurrency 4; and p99 at a fixed 50 % of each variant's maximum rate.
"""
import argparse
import ctypes
import ctypes.util
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (shares the stack, h2load and seeding helpers)

ROOT = bench.ROOT
TICK = os.sysconf("SC_CLK_TCK")
GET_TODOS = "GET /todos/?limit=10"
POST_TODOS = "POST /todos/"
HELLO = "GET /hello"
SUMMARY = ("finished in", "requests:", "status codes:", "time for request:")


def cpu_ticks(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))


def cluster_ticks(postmaster):
    """utime + stime of the postmaster and every process it started (backends, WAL writer, checkpointer...)."""
    total = cpu_ticks(postmaster)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(postmaster):
            total += int(fields[11]) + int(fields[12])
    return total


class Variant:
    """One release, started by this script against the stack's database."""

    def __init__(self, name, home, port, stack_dir, stack, secret, profiled=False):
        self.name, self.home, self.port, self.admin = name, Path(home), port, port + 1
        self.url = f"http://127.0.0.1:{port}"
        self.log = Path(stack_dir) / f"cpu-{name}.log"
        env = dict(os.environ, ENV="production", SERVER_HOST="127.0.0.1", PORT=str(port), ADMIN_PORT=str(self.admin),
                   DATABASE_URL=f"postgresql://127.0.0.1:{stack.pg_port}/todo", DATABASE_USER="todo",
                   DATABASE_PASSWORD="local-stack-todo", SECRET_KEY=secret, ACCESS_TOKEN_EXPIRE_MINUTES="600",
                   THROTTLE_IP_PER_MINUTE="1000000", THROTTLE_ACCOUNT_PER_MINUTE="1000000", TODO_QUOTA="100000000",
                   JAVA_OPTS=os.environ.get("APP_JAVA_OPTS", ""))
        with open(self.log, "ab") as out:
            # As the local stack runs it: JSON access log at INFO, to a file.
            # A profiled variant runs its jar on the full JDK, whose JFR the jlink runtime may lack.
            # Deep stacks (Helidon's routing and filters are 60 frames and more) are kept whole.
            command = [f"{os.environ['JAVA_HOME']}/bin/java", "-XX:FlightRecorderOptions:stackdepth=512", "-jar",
                       str(self.home / "app" / "todo-service.jar")] \
                if profiled else [str(self.home / "bin" / "todo-service")]
            self.process = subprocess.Popen(command, env=env, cwd=stack_dir,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/observe/health/ready", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit(f"cpu: {name} not ready within 60 s; see {self.log}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def measure(title, variant, postmaster, url, count, clients, token=None, data=None):
    """App and PostgreSQL CPU (ms) per request over COUNT requests, and the run's req/s."""
    app0, pg0 = cpu_ticks(variant.process.pid), cluster_ticks(postmaster)
    result = bench.h2load(title, url, None, clients, token, data, count=count)
    app1, pg1 = cpu_ticks(variant.process.pid), cluster_ticks(postmaster)
    if result["ok"] < 1.0:
        sys.exit(f"cpu: {title}: only {result['ok']:.3f} of the answers were 2xx")
    per = 1000.0 / TICK / count
    return {"app": (app1 - app0) * per, "pg": (pg1 - pg0) * per, "rps": result["rps"], "p50": result["p50"],
            "p99": result["p99"]}


def libargon2_ms(rounds, hashes):
    """CPU ms of one Argon2id hash (m=19 MiB, t=2, p=1, 32-byte output) in the reference C library."""
    name = ctypes.util.find_library("argon2") or "libargon2.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None, []
    lib.argon2id_hash_raw.argtypes = [ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_char_p,
                                      ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                      ctypes.c_size_t]
    password, salt, out = b"bench-password", secrets.token_bytes(16), ctypes.create_string_buffer(32)
    each = []
    for _ in range(rounds):
        start = resource.getrusage(resource.RUSAGE_SELF)
        for _ in range(hashes):
            if lib.argon2id_hash_raw(2, 19 * 1024, 1, password, len(password), salt, len(salt), out, 32) != 0:
                sys.exit("cpu: libargon2 failed")
        end = resource.getrusage(resource.RUSAGE_SELF)
        each.append((end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime) * 1000 / hashes)
    return statistics.median(each), each


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=RELEASE_HOME")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warm-up", type=int, default=6, metavar="CYCLES",
                        help="cycles of 10 s GET, 10 s POST and 40 logins per variant before measuring")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--quick", action="store_true", help="short runs, to try the script (not for reporting)")
    parser.add_argument("--profile", type=Path, metavar="PREFIX",
                        help="instead of measuring, record each request kind of the first variant with JFR after "
                             "warm-up and write PREFIX-<kind>.svg/.collapsed/.md (bench/flamegraph.py)")
    args = parser.parse_args()
    variants = [v.split("=", 1) for v in args.variant]
    if not variants:
        homes = sorted((ROOT / "target" / "release").glob("todo-service-*"))
        if not homes:
            sys.exit("cpu: no release in target/release: run packaging/build-release.sh, or name one with --variant")
        variants = [("current", str(homes[-1]))]
    quick = args.quick
    rounds = 1 if quick else args.rounds
    counts = {GET_TODOS: 2000, POST_TODOS: 2000, HELLO: 5000} if quick else \
        {GET_TODOS: 20000, POST_TODOS: 15000, HELLO: 50000}
    logins = 20 if quick else 150

    stack_dir = Path(os.environ.setdefault("LOCAL_STACK_DIR", str(ROOT / "target" / "cpu-stack")))
    bench.sh([str(bench.STACK), "down"])
    bench.log("starting PostgreSQL (local stack)")
    bench.sh([str(bench.STACK), "up"], capture=False)
    running = []
    try:
        stack = bench.Stack()
        # Only the database is wanted: the stack's own app would take a share of the machine.
        bench.sh([str(bench.STACK), "app-stop"])
        postmaster = int((stack_dir / "pg" / "data" / "postmaster.pid").read_text().split()[0])
        base_port = int(os.environ.get("CPU_BENCH_PORT", int(os.environ.get("LOCAL_APP_PORT", "18480")) + 10))
        secret = secrets.token_hex(32)
        for i, (name, home) in enumerate(variants):
            bench.log(f"starting {name} ({home})")
            running.append(Variant(name, home, base_port + 2 * i, stack_dir, stack, secret,
                                   profiled=bool(args.profile) and i == 0))
        run(args, quick, rounds, counts, logins, stack, postmaster, running)
    finally:
        for variant in running:
            variant.stop()
        bench.sh([str(bench.STACK), "down"], check=False)


def run(args, quick, rounds, counts, logins, stack, postmaster, variants):
    bench.log("seeding 1,000 users with 100 todos each")
    bench.seed(stack, 1000, 100, base=variants[0].url)
    token = bench.login(stack, variants[0].url, "bench42@example.com")
    post_body = {"body": '{"title":"Bench","description":"cpu.py","state":"todo"}', "type": "application/json"}
    login_body = {"body": "username=bench7%40example.com&password=bench-password",
                  "type": "application/x-www-form-urlencoded"}
    scenarios = {
        GET_TODOS: lambda v: (f"{v.url}/todos/?limit=10", token, None),
        POST_TODOS: lambda v: (f"{v.url}/todos/", token, post_body),
        HELLO: lambda v: (f"{v.url}/hello", None, None),
    }

    # The JIT needs a few minutes of this traffic; every variant gets the same.
    cycles = 1 if quick else args.warm_up
    bench.log(f"warming up: {cycles} cycles of GET and POST per variant")
    for _ in range(cycles):
        for v in variants:
            for name in (GET_TODOS, POST_TODOS):
                url, auth, data = scenarios[name](v)
                bench.h2load(f"warm-up {v.name} {name}", url, 5 if quick else 10, 10, auth, data)
        for v in variants:
            url, _, data = f"{v.url}/auth/token", None, login_body
            bench.h2load(f"warm-up {v.name} login", url, None, 4, None, data, count=8 if quick else 40)
    del bench.RAW[:]  # warm-up output is not worth reporting
    if args.profile:
        profile(args.profile, variants[0], scenarios, counts, login_body, logins)
        return

    results = {(v.name, s): [] for v in variants for s in list(scenarios) + ["login"]}
    for r in range(rounds):
        # A B A B, then B A B A: neither variant always runs right after the other.
        order = variants if r % 2 == 0 else list(reversed(variants))
        for v in order:
            for name, target in scenarios.items():
                url, auth, data = target(v)
                m = measure(f"{v.name} {name} round {r + 1}", v, postmaster, url, counts[name], 10, auth, data)
                results[(v.name, name)].append(m)
                bench.log(f"round {r + 1} {v.name} {name}: app {m['app']:.3f} ms, PostgreSQL {m['pg']:.3f} ms per "
                          f"request, {m['rps']:.0f} req/s")
            m = measure(f"{v.name} login round {r + 1}", v, postmaster, f"{v.url}/auth/token", logins, 4, None,
                        login_body)
            results[(v.name, "login")].append(m)
            bench.log(f"round {r + 1} {v.name} login: app {m['app']:.1f} ms per login, p50 {m['p50']:.0f} ms, "
                      f"p99 {m['p99']:.0f} ms at c=4")

    bench.log("Argon2id in libargon2 (reference C)")
    reference, reference_runs = libargon2_ms(3, 5 if quick else 20)

    # Latency at a fixed half of each variant's measured maximum (c=10, GET /todos/), spread over the clients.
    fixed = {}
    for v in variants:
        top = statistics.median(m["rps"] for m in results[(v.name, GET_TODOS)])
        rate = max(1, int(top / 2 / 10))
        url, auth, _ = scenarios[GET_TODOS](v)
        fixed[v.name] = (rate * 10, bench.h2load(f"{v.name} fixed rate", url, 10 if quick else 30, 10, auth,
                                                 rps=rate))
        bench.log(f"{v.name} at {rate * 10} req/s: p50 {fixed[v.name][1]['p50']:.1f} ms, "
                  f"p99 {fixed[v.name][1]['p99']:.1f} ms")

    lines = report(args, quick, rounds, counts, logins, variants, scenarios, results, reference, reference_runs, fixed)
    print("\n".join(lines))
    if args.report:
        with open(args.report, "a") as out:
            out.write("\n".join(lines) + "\n")
        bench.log(f"appended to {args.report}")


def profile(prefix, variant, scenarios, counts, login_body, logins):
    """JFR (execution samples every millisecond) over each request kind, rendered by bench/flamegraph.py."""
    jcmd = f"{os.environ['JAVA_HOME']}/bin/jcmd"
    kinds = {name: target(variant) + (counts[name],) for name, target in scenarios.items()}
    kinds["POST /auth/token"] = (f"{variant.url}/auth/token", None, login_body, logins)
    for name, (url, auth, data, count) in kinds.items():
        slug = re.sub(r"[^a-z]+", "-", name.lower().split("?")[0]).strip("-")
        recording = Path(tempfile.mkdtemp()) / f"{slug}.jfr"
        bench.sh([jcmd, str(variant.process.pid), "JFR.start", "name=cpu", "method-profiling=max"])
        bench.h2load(f"profile {name}", url, None, 4 if "auth" in name else 10, auth, data, count=count)
        bench.sh([jcmd, str(variant.process.pid), "JFR.stop", "name=cpu", f"filename={recording}"])
        bench.sh([sys.executable, str(Path(__file__).parent / "flamegraph.py"), str(recording), f"{prefix}-{slug}",
                  f"todo-service {name} ({count} requests)"], capture=False)


def report(args, quick, rounds, counts, logins, variants, scenarios, results, reference, reference_runs, fixed):
    med = statistics.median
    lines = ["", f"## CPU per request{' (quick run: not for reporting)' if quick else ''}", "",
             f"`bench/cpu.py`: utime + stime of the app process (`/proc/PID/stat`) and of the PostgreSQL cluster (the "
             f"postmaster and every process it started) over a fixed number of requests after warm-up "
             f"(h2load `--h1 -c 10`, straight to the app: {', '.join(f'{n} x{c}' for n, c in counts.items())}); "
             f"median of {rounds} interleaved rounds, each round's values in brackets. The clock tick is "
             f"{1000 // TICK} ms, so each figure's resolution is below 0.001 ms.", "",
             "| variant | request | app CPU ms/request | PostgreSQL CPU ms/request | app ÷ PostgreSQL | req/s |",
             "|---|---|---|---|---|---|"]
    summary = ["", "Summary (medians; the change from the variant above in brackets):", "",
               "| variant | " + " | ".join(f"`{n}` app ms" for n in scenarios) + " | login app ms | login p99 ÷ p50 |",
               "|---|" + "---|" * (len(scenarios) + 2)]
    previous = None
    for v in variants:
        cells = []
        for name in list(scenarios) + ["login"]:
            value = med(m["app"] for m in results[(v.name, name)])
            change = ""
            if previous is not None:
                before = med(m["app"] for m in results[(previous.name, name)])
                change = f" ({(value / before - 1) * 100:+.0f} %)"
            cells.append(f"{value:.3f}{change}" if name != "login" else f"{value:.1f}{change}")
        runs = results[(v.name, "login")]
        cells.append(f"{med(m['p99'] for m in runs) / med(m['p50'] for m in runs):.2f}")
        summary.append(f"| {v.name} | " + " | ".join(cells) + " |")
        previous = v
    lines[4:4] = summary
    for v in variants:
        for name in scenarios:
            runs = results[(v.name, name)]
            app, pg = med(m["app"] for m in runs), med(m["pg"] for m in runs)
            lines.append(f"| {v.name} | `{name}` | **{app:.3f}** ({', '.join('%.3f' % m['app'] for m in runs)}) | "
                         f"{pg:.3f} | {app / pg if pg else float('nan'):.2f} | {med(m['rps'] for m in runs):.0f} |")
    lines += ["", "## Login", "",
              f"`POST /auth/token` with a correct password, {logins} logins per round at concurrency 4 (h2load "
              f"`--h1 -c 4`): app CPU per login (one Argon2id check, m=19 MiB, t=2, p=1, plus the request) and its "
              f"latency.", ""]
    if reference is not None:
        lines.append(f"Reference: libargon2 (Debian's libargon2-1, called through ctypes from the bench), "
                     f"{reference:.1f} ms of CPU per hash at the same parameters (runs: "
                     f"{', '.join(f'{x:.1f}' for x in reference_runs)}).")
        lines.append("")
    lines += ["| variant | app CPU ms/login | ÷ libargon2 | p50 ms | p99 ms | p99 ÷ p50 | logins/s |",
              "|---|---|---|---|---|---|---|"]
    for v in variants:
        runs = results[(v.name, "login")]
        app, p50, p99 = med(m["app"] for m in runs), med(m["p50"] for m in runs), med(m["p99"] for m in runs)
        ratio = f"{app / reference:.2f}" if reference else "n/a"
        lines.append(f"| {v.name} | **{app:.1f}** ({', '.join('%.1f' % m['app'] for m in runs)}) | {ratio} | "
                     f"{p50:.0f} | {p99:.0f} | {p99 / p50:.2f} | {med(m['rps'] for m in runs):.1f} |")
    lines += ["", "## Fixed-rate latency (direct)", "",
              "`GET /todos/?limit=10` at half of the variant's median maximum above (h2load `--rps` per connection "
              "x 10 connections, straight to the app).", "",
              "| variant | rate req/s | achieved req/s | p50 ms | p99 ms |", "|---|---|---|---|---|"]
    for v in variants:
        rate, result = fixed[v.name]
        lines.append(f"| {v.name} | {rate} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} |")
    lines += ["", "<details><summary>bench/cpu.py raw output (h2load's summary of every run)</summary>", ""]
    for title, output in bench.RAW:
        summary = [line for line in output.splitlines() if line.startswith(SUMMARY)]
        lines += [f"{title}:", "", "```", output.splitlines()[0], *summary, "```", ""]
    lines += ["</details>"]
    return lines


if __name__ == "__main__":
    main()
