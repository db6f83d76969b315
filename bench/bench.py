#!/usr/bin/env python3
"""Benchmarks of todo-service on the local full stack (packaging/local-stack.sh), written to bench/results/<date>.md
with a PNG chart and the raw tool output next to it. Run with bench/run.sh (which checks the tools first).

Everything is measured on this machine in one run and reported as medians and as ratios within the run: the load
generator (h2load), the app, Caddy and PostgreSQL share the machine's cores, and the machine is shared with others.
"""
import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "packaging" / "local-stack.sh"
RAW = []  # (title, output) of every tool run, for the raw section


def sh(cmd, check=True, env=None, capture=True):
    result = subprocess.run(cmd, shell=isinstance(cmd, str), check=False, env=env, text=True,
                            stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None)
    if check and result.returncode != 0:
        sys.exit(f"bench: command failed ({result.returncode}): {cmd}\n{result.stdout}")
    return result.stdout or ""


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


class Stack:
    def __init__(self):
        values = dict(line.split("=", 1) for line in sh([str(STACK), "env"]).splitlines() if "=" in line)
        self.https, self.app, self.admin = values["STACK_HTTPS"], values["STACK_APP"], values["STACK_ADMIN"]
        self.ca, self.pg_port, self.pg_bin = values["STACK_CA"], values["STACK_PG_PORT"], values["STACK_PG_BIN"]
        self.app_pid = values["STACK_APP_PID"]
        self.pg_env = dict(os.environ, PGPASSWORD="local-stack-admin", PGHOST="127.0.0.1", PGPORT=self.pg_port,
                           PGUSER="postgres")

    def psql(self, sql, db="todo"):
        return sh(["psql", "-qtAX", "-d", db, "-c", sql], env=self.pg_env).strip()


def h2load(title, url, seconds, clients, token=None, data=None, rps=None, count=None, ca=None):
    """Runs h2load and returns req/s, p50 and p99 in ms (from its per-request log) and the share of 2xx."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["h2load", "-c", str(clients), "-m", "1", "--log-file", f"{tmp}/log"]
        if url.startswith("http://"):
            cmd.append("--h1")  # the app itself serves HTTP/1.1 only
        cmd += ["-n", str(count)] if count else ["-D", str(seconds), "--warm-up-time", "1"]
        if token:
            cmd += ["-H", f"authorization: Bearer {token}"]
        if data:
            Path(f"{tmp}/body").write_text(data["body"])
            cmd += ["-d", f"{tmp}/body", "-H", f"content-type: {data['type']}"]
        if rps:
            cmd += ["--rps", str(rps)]
        cmd.append(url)
        out = sh(cmd, check=False)
        RAW.append((title, " ".join(cmd) + "\n" + out))
        durations = sorted(int(line.split("\t")[2]) / 1000 for line in Path(f"{tmp}/log").read_text().splitlines()
                           if line.count("\t") >= 2)
    match = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    total = sum(int(c) for c in codes.groups()) if codes else 0
    if not match or not durations:
        sys.exit(f"bench: h2load gave no result for {title}:\n{out}")
    return {"rps": float(match.group(1)), "p50": percentile(durations, 50), "p99": percentile(durations, 99),
            "ok": int(codes.group(1)) / total if total else 0.0}


def pgbench(title, stack, db, seconds, clients, script=None, select_only=False):
    cmd = [f"{stack.pg_bin}/pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds)]
    if select_only:
        cmd.append("-S")
    if script:
        cmd += ["-f", script]
    cmd.append(db)
    out = sh(cmd, env=stack.pg_env)
    RAW.append((title, " ".join(cmd) + "\n" + out))
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def percentile(sorted_values, p):
    index = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def login(stack, base, email, password="bench-password"):
    body = f"username={email}&password={password}".encode()
    with urllib.request.urlopen(urllib.request.Request(f"{base}/auth/token", data=body), timeout=10) as response:
        return json.load(response)["access_token"]


def seed(stack, users, todos_per_user, base=None):
    """One user through the API (for a real Argon2id hash), the rest copied in SQL: the API's own rows."""
    body = json.dumps({"username": "bench0", "email": "bench0@example.com", "password": "bench-password"}).encode()
    request = urllib.request.Request(f"{base or stack.app}/users/", data=body,
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()
    stack.psql(f"""
        INSERT INTO users (username, email, password_hash)
        SELECT 'bench' || n, 'bench' || n || '@example.com', (SELECT password_hash FROM users WHERE username = 'bench0')
        FROM generate_series(1, {users - 1}) AS n;
        INSERT INTO todos (user_id, title, description, state, created_at, updated_at)
        SELECT u.id, 'Task ' || n, 'Seeded task number ' || n,
               (ARRAY['draft','todo','doing','done','trash'])[1 + n % 5], now(), now()
        FROM users u CROSS JOIN generate_series(1, {todos_per_user}) AS n;""")
    stack.psql("VACUUM ANALYZE users")
    stack.psql("VACUUM ANALYZE todos")
    return stack.psql("SELECT count(*) FROM users"), stack.psql("SELECT count(*) FROM todos")


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_to_ready(cmd, env, admin_port, timeout=60):
    """Seconds from spawning the process to the first 200 from its readiness endpoint. The poller is this process,
    polling every 5 ms over a plain socket: no process is spawned per poll."""
    request = b"GET /observe/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    start = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with socket.create_connection(("127.0.0.1", admin_port), timeout=1) as s:
                    s.sendall(request)
                    if s.recv(12).startswith(b"HTTP/1.1 200"):
                        return time.perf_counter() - start, process.pid
            except OSError:
                pass
            time.sleep(0.005)
        sys.exit(f"bench: {cmd[0]} not ready within {timeout} s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def startup(stack, java_home, release, reps):
    base_env = dict(os.environ, ENV="production", SERVER_HOST="127.0.0.1", PORT=os.environ.get("BENCH_PORT", "18590"),
                    ADMIN_PORT=os.environ.get("BENCH_ADMIN_PORT", "18591"),
                    DATABASE_URL=f"postgresql://127.0.0.1:{stack.pg_port}/todo", DATABASE_USER="todo",
                    DATABASE_PASSWORD="local-stack-todo", SECRET_KEY=secrets.token_hex(32), LOG_LEVEL="WARNING")
    variants = {
        "java -jar (full JDK 25)": [f"{java_home}/bin/java", "-jar", str(ROOT / "target" / "todo-service.jar")],
        "jlink runtime": [f"{release}/runtime/bin/java", "-jar", f"{release}/app/todo-service.jar"],
        "jlink runtime + AOT cache": [f"{release}/runtime/bin/java", f"-XX:AOTCache={release}/app/todo-service.aot",
                                      "-jar", f"{release}/app/todo-service.jar"],
    }
    times = {name: [] for name in variants}
    for _ in range(reps):  # interleaved, so drift on the machine hits every variant alike
        for name, cmd in variants.items():
            times[name].append(time_to_ready(cmd, base_env, int(base_env["ADMIN_PORT"]))[0])
    return {name: statistics.median(values) for name, values in times.items()}, times


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs, to try the script (numbers not reportable)")
    args = parser.parse_args()
    quick = args.quick
    seconds, reps, clients = (5, 1, 10) if quick else (12, 3, 10)
    java_home = os.environ["JAVA_HOME"]
    today = datetime.date.today().isoformat()
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    report = Path(os.environ.get("BENCH_REPORT", results_dir / f"{today}.md"))
    if quick:
        report = report.with_name(report.stem + "-quick.md")
    today = report.stem.removesuffix("-quick")
    os.environ.setdefault("LOCAL_STACK_DIR", str(ROOT / "target" / "bench-stack"))
    # The benchmark logs in and creates todos as fast as it can from one address: lift the abuse limits for it.
    os.environ.update(APP_ENV_THROTTLE_IP_PER_MINUTE="1000000", APP_ENV_THROTTLE_ACCOUNT_PER_MINUTE="1000000",
                      APP_ENV_TODO_QUOTA="100000000")

    sh([str(STACK), "down"])
    log("starting the local stack")
    sh([str(STACK), "up"], capture=False)
    try:
        run(quick, seconds, reps, clients, java_home, today, results_dir, report)
    finally:
        sh([str(STACK), "down"], check=False)


def run(quick, seconds, reps, clients, java_home, today, results_dir, report):
    stack = Stack()
    release = sorted((ROOT / "target" / "release").glob("todo-service-*"))[-1]
    log("seeding 1,000 users with 100 todos each")
    users, todos = seed(stack, 1000, 100)
    stack.psql("CREATE DATABASE pgbench_ref", db="postgres")
    sh([f"{stack.pg_bin}/pgbench", "-i", "-s", "10", "-q", "pgbench_ref"], env=stack.pg_env)
    insert_script = Path(tempfile.mkstemp(suffix=".sql")[1])
    insert_script.write_text(
        "\\set uid random(1, 1000)\n"
        "INSERT INTO todos (user_id, title, description, state, created_at, updated_at) "
        "VALUES (:uid, 'Bench', 'pgbench insert', 'todo', now(), now()) RETURNING id, created_at;\n")
    os.chmod(insert_script, 0o644)

    token = login(stack, stack.app, "bench42@example.com")
    rss = {"after start (ready)": rss_mib(stack.app_pid)}
    urllib.request.urlopen(urllib.request.Request(f"{stack.app}/todos/?limit=10",
                                                  headers={"Authorization": f"Bearer {token}"})).read()
    rss["after the first request"] = rss_mib(stack.app_pid)

    direct_todos = f"{stack.app}/todos/?limit=10"
    caddy_todos = f"{stack.https}/api/todos/?limit=10"

    # Warm-up: the JIT needs minutes here; cycles of load and pause until throughput stops rising.
    log("warming up (15 s load + 5 s pause per cycle until throughput stops rising)")
    warmup, best, flat = [], 0.0, 0
    for cycle in range(1, 4 if quick else 16):
        result = h2load(f"warm-up cycle {cycle}", direct_todos, 5 if quick else 15, clients, token)
        warmup.append(result["rps"])
        log(f"warm-up cycle {cycle}: {result['rps']:.0f} req/s")
        flat = flat + 1 if result["rps"] < best * 1.03 else 0
        best = max(best, result["rps"])
        if flat >= 2:
            break
        time.sleep(5)
    # Caddy's side warms up too.
    h2load("warm-up through Caddy", caddy_todos, 5 if quick else 15, clients, token)

    # Database round trips per request, from pg_stat_statements.
    round_trips = {}
    post_body = {"body": json.dumps({"title": "Bench", "description": "h2load", "state": "todo"}),
                 "type": "application/json"}
    login_body = {"body": "username=bench7%40example.com&password=bench-password",
                  "type": "application/x-www-form-urlencoded"}
    for name, url, data, auth in (("GET /todos/?limit=10", direct_todos, None, token),
                                  ("POST /todos/", f"{stack.app}/todos/", post_body, token),
                                  ("POST /auth/token", f"{stack.app}/auth/token", login_body, None)):
        stack.psql("SELECT pg_stat_statements_reset()")
        n = 200 if name == "POST /auth/token" else 1000
        h2load(f"round trips: {name}", url, None, 4, auth, data, count=n)
        statements = stack.psql("SELECT query || ' :: ' || calls FROM pg_stat_statements "
                                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'todo') "
                                "AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC")
        calls = sum(int(line.rsplit(" :: ", 1)[1]) for line in statements.splitlines() if " :: " in line)
        round_trips[name] = (calls / n, statements)

    # Interleaved rounds: every scenario once per round, so drift hits all of them alike.
    scenarios = {
        "pgbench -S (select-only)": lambda: {"rps": pgbench("pgbench -S", stack, "pgbench_ref", seconds, clients,
                                                            select_only=True)},
        "GET /todos/?limit=10 direct": lambda: h2load("todos direct", direct_todos, seconds, clients, token),
        "GET /todos/?limit=10 via Caddy (h2, TLS)": lambda: h2load("todos caddy", caddy_todos, seconds, clients,
                                                                   token),
        "GET /hello direct": lambda: h2load("hello direct", f"{stack.app}/hello", seconds, clients),
        "GET /hello via Caddy (h2, TLS)": lambda: h2load("hello caddy", f"{stack.https}/api/hello", seconds, clients),
        "pgbench INSERT todos": lambda: {"rps": pgbench("pgbench insert", stack, "todo", seconds, clients,
                                                        script=str(insert_script))},
        "POST /todos/ direct": lambda: h2load("post direct", f"{stack.app}/todos/", seconds, clients, token,
                                                  post_body),
        "POST /auth/token direct": lambda: h2load("login direct", f"{stack.app}/auth/token", seconds, clients,
                                                      None, login_body),
    }
    runs = {name: [] for name in scenarios}
    reference_before = pgbench("pgbench -S reference before", stack, "pgbench_ref", seconds, clients,
                               select_only=True)
    for round_number in range(1, reps + 1):
        for name, run in scenarios.items():
            result = run()
            runs[name].append(result)
            log(f"round {round_number}: {name}: {result['rps']:.0f}/s"
                + (f", p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms" if "p99" in result else ""))
    reference_after = pgbench("pgbench -S reference after", stack, "pgbench_ref", seconds, clients, select_only=True)
    rss["after the load"] = rss_mib(stack.app_pid)

    def median(name, key="rps"):
        return statistics.median(r[key] for r in runs[name])

    # Fixed-rate latency: half of what the slower path (through Caddy) sustained, spread over the clients.
    rate = max(1, int(median("GET /todos/?limit=10 via Caddy (h2, TLS)") / 2 / clients))
    fixed = {
        "direct": h2load("fixed rate direct", direct_todos, seconds * 2, clients, token, rps=rate),
        "via Caddy": h2load("fixed rate caddy", caddy_todos, seconds * 2, clients, token, rps=rate),
    }

    log("start-up times")
    sh([str(STACK), "app-stop", "TERM"])
    startup_median, startup_all = startup(stack, java_home, release, 2 if quick else 5)
    sh([str(STACK), "app-start"])

    chart = write_chart(results_dir / f"{today}{'-quick' if quick else ''}.png", runs, median)
    write_report(report, chart, locals())
    log(f"report: {report}")


def write_chart(path, runs, median):
    names = [n for n in runs if "p99" in runs[n][0]]
    if not shutil.which("gnuplot"):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as data:
        for i, name in enumerate(names):
            label = name.replace(" (h2, TLS)", "").replace("?limit=10", "")
            data.write(f'{i} "{label}" {median(name):.1f} {median(name, "p50"):.2f} {median(name, "p99"):.2f}\n')
    script = f"""
set terminal pngcairo size 1200,650 font ",10"
set output "{path}"
set multiplot layout 1,2 title "todo-service on this machine (medians; app, Caddy, PostgreSQL and h2load share 2 cores)"
set style fill solid 0.8
set boxwidth 0.6
set xtics rotate by -30
set grid ytics
set title "throughput (req/s)"
plot "{data.name}" using 1:3:xtic(2) with boxes notitle lc rgb "#4472c4"
set title "latency (ms, log scale)"
set logscale y
set boxwidth 0.35
plot "{data.name}" using ($1-0.18):4 with boxes title "p50" lc rgb "#70ad47", \
     "{data.name}" using ($1+0.18):5:xtic(2) with boxes title "p99" lc rgb "#ed7d31"
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return path


def write_report(path, chart, v):
    runs, median, stack = v["runs"], v["median"], v["stack"]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    versions = {
        "java": sh([f"{v['release']}/runtime/bin/java", "-version"]).splitlines()[0],
        "caddy": sh(["caddy", "version"]).split()[0],
        "postgresql": sh([f"{stack.pg_bin}/postgres", "--version"]).strip(),
        "h2load": sh(["h2load", "--version"]).strip(),
        "todo-service": Path(v["release"]).name,
    }
    todos_direct = median("GET /todos/?limit=10 direct")
    select_tps = median("pgbench -S (select-only)")
    lines = [
        f"# Benchmarks {v['today']}{' (quick run: not for reporting)' if v['quick'] else ''}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {int(mem) // 1024} MiB, {platform.platform()}; shared with other "
        "work, which the numbers below cannot see. App, Caddy, PostgreSQL and the load generator all run on it.",
        "",
        "Versions: " + "; ".join(f"{k}: {val}" for k, val in versions.items()),
        "",
        f"Setup: `packaging/local-stack.sh` (jlink runtime with AOT cache, JVM defaults: G1, max heap 1/4 of RAM; "
        f"DB_POOL_SIZE=10; JSON access log at INFO to a file). Data: {v['users']} users, {v['todos']} todos. "
        f"Concurrency {v['clients']} (h2load `-c {v['clients']} -m 1`, pgbench `-c {v['clients']}`), "
        f"{v['seconds']} s per run, {v['reps']} interleaved rounds, medians.",
        "",
    ]
    if chart:
        lines += [f"![throughput and latency]({Path(chart).name})", ""]
    lines += ["## Ratios", "",
              "| comparison | ratio |", "|---|---|",
              f"| API vs database: `GET /todos/?limit=10` req/s ÷ `pgbench -S` TPS | "
              f"{todos_direct / select_tps:.2f} |",
              f"| API vs database: `POST /todos/` req/s ÷ pgbench INSERT TPS | "
              f"{median('POST /todos/ direct') / median('pgbench INSERT todos'):.2f} |",
              f"| proxy cost, throughput: via Caddy ÷ direct (`GET /todos/`) | "
              f"{median('GET /todos/?limit=10 via Caddy (h2, TLS)') / todos_direct:.2f} |",
              f"| proxy cost, p99: via Caddy ÷ direct (`GET /todos/`) | "
              f"{median('GET /todos/?limit=10 via Caddy (h2, TLS)', 'p99') / median('GET /todos/?limit=10 direct', 'p99'):.2f} |",
              f"| framework floor: `GET /hello` via Caddy ÷ direct | "
              f"{median('GET /hello via Caddy (h2, TLS)') / median('GET /hello direct'):.2f} |",
              f"| start-up: jlink + AOT cache ÷ `java -jar` | "
              f"{v['startup_median']['jlink runtime + AOT cache'] / v['startup_median']['java -jar (full JDK 25)']:.2f} |",
              "", "## Throughput and latency (medians)", "",
              "| scenario | req/s or TPS | p50 ms | p99 ms | 2xx share | runs (req/s) |", "|---|---|---|---|---|---|"]
    for name, results in runs.items():
        each = ", ".join(f"{r['rps']:.0f}" for r in results)
        if "p99" in results[0]:
            lines.append(f"| {name} | {median(name):.0f} | {median(name, 'p50'):.1f} | {median(name, 'p99'):.1f} | "
                         f"{min(r['ok'] for r in results):.3f} | {each} |")
        else:
            lines.append(f"| {name} | {median(name):.0f} | | | | {each} |")
    lines += ["", f"pgbench -S reference right before the rounds: {v['reference_before']:.0f} TPS, right after: "
              f"{v['reference_after']:.0f} TPS (the machine's drift during the run).", "",
              "## Fixed-rate latency", "",
              f"`h2load --rps {v['rate']}` per connection × {v['clients']} connections "
              f"({v['rate'] * v['clients']} req/s, half of what the path through Caddy sustained), "
              f"`GET /todos/?limit=10`, {v['seconds'] * 2} s. Paced requests keep coming while the server stalls, "
              "so a stall shows in p99; h2load times each request from when it was sent, not from when it was due.",
              "",
              "| path | achieved req/s | p50 ms | p99 ms |", "|---|---|---|---|"]
    for name, result in v["fixed"].items():
        lines.append(f"| {name} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} |")
    lines += ["", "## Database round trips per request", "",
              "From `pg_stat_statements` (top-level statements, the round trips; BEGIN/COMMIT would count) over a fixed number of requests.",
              "", "| request | statements per request |", "|---|---|"]
    for name, (per_request, _) in v["round_trips"].items():
        lines.append(f"| {name} | {per_request:.3f} |")
    lines += ["", f"On this machine a DB-backed request tops out near pgbench TPS ÷ round trips: "
              f"{select_tps:.0f} ÷ {v['round_trips']['GET /todos/?limit=10'][0]:.3f} = "
              f"{select_tps / v['round_trips']['GET /todos/?limit=10'][0]:.0f} req/s for `GET /todos/`, measured "
              f"{todos_direct:.0f}.", "", "## Login cost", "",
              f"`POST /auth/token` (Argon2id m=19 MiB, t=2, p=1, the OWASP minimum; one hash per login): "
              f"{median('POST /auth/token direct'):.0f} req/s, p99 {median('POST /auth/token direct', 'p99'):.0f} ms "
              f"at concurrency {v['clients']}.", "", "## Start-up", "",
              "Process spawn to the first 200 from `/observe/health/ready` (PostgreSQL on loopback, migrations already "
              "applied), polled every 5 ms from the measuring process; variants interleaved.", "",
              "| variant | median s | runs |", "|---|---|---|"]
    for name, value in v["startup_median"].items():
        each = ", ".join(f"{t:.2f}" for t in v["startup_all"][name])
        lines.append(f"| {name} | {value:.2f} | {each} |")
    lines += ["", "## Memory (RSS of the app)", "", "| when | MiB |", "|---|---|"]
    for name, value in v["rss"].items():
        lines.append(f"| {name} | {value:.0f} |")
    lines += ["", "## Warm-up", "", "Direct `GET /todos/?limit=10`, 15 s of load then 5 s of pause per cycle, until "
              "two cycles in a row gained less than 3 %: " + ", ".join(f"{r:.0f}" for r in v["warmup"]) + " req/s.",
              "", "## Raw output", ""]
    for title, output in RAW:
        lines += [f"<details><summary>{title}</summary>", "", "```", output.strip(), "```", "", "</details>", ""]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
