#!/usr/bin/env python3
"""Memory of todo-service under load, per JVM setting: a sweep of maximum heap (32, 64, 96, 128, 256 MiB and the
JVM's own default) for each collector (Serial, Parallel, G1, generational ZGC), each run reporting RSS after the load,
throughput, p99, GC pause time and app CPU per request, with a chart; then the shipped settings against the uncapped
JVM in interleaved rounds, and where the shipped process's memory goes (NMT and the mappings).

    bench/memory.py [--quick] [--rounds N] [--only sweep|compare|breakdown] [--variant NAME=JAVA_OPTS ...]

Load: authenticated `GET /todos/?limit=10` (8 clients) and `POST /todos/` (2 clients) at once, HTTP/1.1, straight to
the app, after a warm-up with the same mix. Every run is a fresh process of the release's launcher
(bin/todo-service) with the given options in JAVA_OPTS: the launcher's defaults apply except where the options name
the same setting (see packaging/bin/todo-service). Appends its sections to BENCH_REPORT (default
bench/results/<date>.md) and draws bench/results/<date>-memory.png. Run it through bench/run.sh, or alone after
packaging/build-release.sh.
"""
import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import bench

GCS = {"Serial": "-XX:+UseSerialGC", "Parallel": "-XX:+UseParallelGC", "G1": "-XX:+UseG1GC",
       "ZGC": "-XX:+UseZGC"}  # generational: the only ZGC since JDK 24
HEAPS = ["32", "64", "96", "128", "256", "uncapped"]
# The JVM's own heap sizing (a quarter of the RAM), said explicitly so the launcher leaves its heap default out.
UNCAPPED = "-XX:MaxRAMPercentage=25"
# Every launcher default undone: the JVM's own heap and collector, perf data, no native trimming, glibc's arenas (8 per
# core): how the service ran before the launcher had defaults.
UNCAPPED_JVM_DEFAULTS = (f"-XX:+UseG1GC {UNCAPPED} -XX:+UsePerfData -XX:TrimNativeHeapInterval=0 "
                         f"ENV:MALLOC_ARENA_MAX={8 * os.cpu_count()}")
MIX = (("GET /todos/?limit=10", "/todos/?limit=10", 8, None),
       ("POST /todos/", "/todos/", 2, {"body": '{"title":"Bench","description":"memory sweep","state":"todo"}',
                                       "type": "application/json"}))


def heap_options(heap):
    return UNCAPPED if heap == "uncapped" else f"-Xmx{heap}m"


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gc_pause_ms(log_file, offset):
    """Stop-the-world pauses logged since offset (-Xlog:gc,gc+phases): every collector names them "Pause …"."""
    with open(log_file) as log_lines:
        log_lines.seek(offset)
        return sum(float(m.group(1)) for m in re.finditer(r"Pause .* ([\d.]+)ms$", log_lines.read(), re.M))


def mapped_mib(pid):
    """RSS split by what backs it: anonymous memory, the AOT cache file, libjvm.so and the other files."""
    split, current = {"anonymous": 0, "AOT cache": 0, "libjvm.so": 0, "other files": 0}, "anonymous"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            path = line.split(None, 5)[5].strip() if len(line.split(None, 5)) > 5 else ""
            current = ("AOT cache" if path.endswith(".aot") else "libjvm.so" if path.endswith("libjvm.so")
                       else "other files" if path.startswith("/") else "anonymous")
        elif line.startswith("Rss:"):
            split[current] += int(line.split()[1])
    return {name: kib / 1024 for name, kib in split.items()}


class App:
    """One process of the release under the local stack, with the given JVM options and environment."""

    def __init__(self, stack_script, java_opts, env=None):
        self.stack_script, self.java_opts, self.env = stack_script, java_opts, env or {}

    def __enter__(self):
        self.gc_log = tempfile.mkstemp(prefix="memory-gc-", suffix=".log")[1]
        os.chmod(self.gc_log, 0o666)
        java_opts = f"{self.java_opts} -Xlog:gc,gc+phases:file={self.gc_log}::filecount=0".strip()
        env = dict(os.environ, APP_JAVA_OPTS=java_opts, **{f"APP_ENV_{k}": v for k, v in self.env.items()})
        try:
            bench.sh([str(self.stack_script), "app-start"], env=env)
        except SystemExit:
            self.__exit__()
            raise
        self.stack = bench.Stack()
        self.pid = self.stack.app_pid
        return self

    def __exit__(self, *_):
        # Measured already: no graceful drain needed.
        bench.sh([str(self.stack_script), "app-stop", "KILL"], check=False)
        os.unlink(self.gc_log)


def mixed_load(stack, token, seconds, title):
    """The read/write mix at once; returns req/s summed, p99 of each route and the requests answered."""
    results = {}

    def one(name, path, clients, data):
        results[name] = bench.h2load(f"{title}: {name}", f"{stack.app}{path}", seconds, clients, token, data)

    threads = [threading.Thread(target=one, args=route) for route in MIX]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    get, post = (results[route[0]] for route in MIX)
    if min(get["ok"], post["ok"]) < 0.999:
        raise SystemExit(f"memory: {title}: only {min(get['ok'], post['ok']):.3f} of the answers were 2xx")
    return {"rps": get["rps"] + post["rps"], "p99_get": get["p99"], "p99_post": post["p99"]}


LOGIN = {"body": "username=bench7%40example.com&password=bench-password", "type": "application/x-www-form-urlencoded"}


def measure(stack_script, name, java_opts, warmup, seconds, env=None, logins=False):
    """A fresh app with these options: warm-up, then the measured run; RSS right after it. With logins, then 10 s of
    4 concurrent logins (Argon2id holds 19 MiB per hash), to see that the heap holds them. A setting the app does
    not start or survive with is a result too."""
    try:
        result = measured(stack_script, name, java_opts, warmup, seconds, env, logins)
    except (SystemExit, Exception) as failure:  # a run that breaks is a result too
        log_tail = " ".join(str(failure).split()[-12:])
        bench.log(f"{name}: FAILED: {log_tail}")
        return {"failed": log_tail}
    bench.log(f"{name}: RSS {result['rss']:.0f} MiB, {result['rps']:.0f} req/s, p99 GET {result['p99_get']:.1f} ms, "
              f"GC {result['gc_ms_per_s']:.1f} ms/s, CPU {result['cpu_ms']:.3f} ms/request")
    return result


def measured(stack_script, name, java_opts, warmup, seconds, env, logins):
    with App(stack_script, java_opts, env) as app:
        stack = app.stack
        token = bench.login(stack, stack.app, "bench42@example.com")
        mixed_load(stack, token, warmup, f"{name} warm-up")
        cpu_before, gc_offset = cpu_seconds(app.pid), os.path.getsize(app.gc_log)
        started = time.perf_counter()
        result = mixed_load(stack, token, seconds, name)
        elapsed = time.perf_counter() - started
        result["rss"] = bench.rss_mib(app.pid)
        result["gc_ms_per_s"] = gc_pause_ms(app.gc_log, gc_offset) / elapsed
        # h2load's rate is over its measured window; the CPU is over the whole call, so count requests the same way.
        result["cpu_ms"] = (cpu_seconds(app.pid) - cpu_before) * 1000 / (result["rps"] * elapsed)
        result["mapped"] = mapped_mib(app.pid)
        result["hwm"] = peak_rss_mib(app.pid)
        result["command"] = " ".join(Path(f"/proc/{app.pid}/cmdline").read_text().split("\0")).strip()
        if logins:
            login = bench.h2load(f"{name}: logins", f"{stack.app}/auth/token", 10, 4, None, LOGIN)
            result.update(login_rps=login["rps"], login_p99=login["p99"], login_ok=login["ok"],
                          login_rss=bench.rss_mib(app.pid))
    return result


def peak_rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def breakdown(stack_script, java_opts, warmup):
    """Native Memory Tracking of the shipped settings after the same load: where the committed memory is."""
    with App(stack_script, f"{java_opts} -XX:NativeMemoryTracking=summary".strip()) as app:
        token = bench.login(app.stack, app.stack.app, "bench42@example.com")
        mixed_load(app.stack, token, warmup, "breakdown load")
        jcmd = Path(os.environ["JAVA_HOME"]) / "bin" / "jcmd"
        out = bench.sh([str(jcmd), str(app.pid), "VM.native_memory", "summary", "scale=KB"])
        rss, mapped = bench.rss_mib(app.pid), mapped_mib(app.pid)
    bench.RAW.append(("NMT summary of the shipped settings", out))
    categories = []
    for match in re.finditer(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)", out, re.M):
        categories.append((match.group(1).strip(), int(match.group(3)) / 1024))
    return {"categories": categories, "rss": rss, "mapped": mapped}


def write_chart(path, sweep):
    if not shutil.which("gnuplot"):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as data:
        for i, heap in enumerate(HEAPS):
            row = [f'{i} "{heap}"']
            for gc in GCS:
                r = sweep.get((gc, heap), {})
                row += [f"{r['rss']:.1f} {r['rps']:.1f} {r['p99_get']:.2f}" if "rss" in r else "NaN NaN NaN"]
            data.write(" ".join(row) + "\n")
    plots = {}
    # The target, 128 MiB, as a line on the RSS panel.
    plots_target = "128 with lines dt 2 lc rgb 'red' title '128 MiB'"
    for column, title in ((3, "RSS after load (MiB)"), (4, "throughput (req/s)"), (5, "p99 GET /todos/ (ms)")):
        plots[title] = ", ".join(
            f'"{data.name}" using 1:{column + 3 * n}:xtic(2) with linespoints title "{gc}"'
            for n, gc in enumerate(GCS)) + (f", {plots_target}" if column == 3 else "")
    script = f"""
set terminal pngcairo size 1500,520 font ",10"
set output "{path}"
set multiplot layout 1,3 title "todo-service by maximum heap and collector (GET/POST mix, 10 clients, 2 shared cores)"
set grid
set xlabel "maximum heap (MiB)"
set key left top
""" + "\n".join(f'set title "{title}"\nplot {plot}' for title, plot in plots.items()) + "\nunset multiplot\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return path


def report_lines(args, sweep, compare, nmt, chart):
    lines = ["", "## Memory", "",
             f"`bench/memory.py`: every run is a fresh app (the release's launcher, JAVA_OPTS as given) warmed up for "
             f"{args.warmup} s and then measured for {args.seconds} s under authenticated `GET /todos/?limit=10` "
             f"(8 clients) and `POST /todos/` (2 clients) at once, HTTP/1.1 straight to the app; RSS is read right "
             "after the load. GC is stop-the-world pause time per second of load (`-Xlog:gc,gc+phases`; for ZGC its "
             "pauses, not its concurrent cycles); CPU is the app's user + system time per request (`/proc/PID/stat`).", ""]
    if sweep:
        lines += [f"### Sweep: maximum heap × collector (one run each)", ""]
        if chart:
            lines += [f"![memory sweep]({Path(chart).name})", ""]
        lines += ["| collector | max heap MiB | RSS MiB | peak RSS MiB | req/s | p99 GET ms | p99 POST ms | GC ms/s | "
                  "CPU ms/req | RSS anon / AOT cache / libjvm / other files MiB |", "|---|---|---|---|---|---|---|---|---|---|"]
        for (gc, heap), r in sweep.items():
            if "failed" in r:
                lines.append(f"| {gc} | {heap} | failed: {r['failed']} |" + " |" * 7)
                continue
            m = r["mapped"]
            lines.append(f"| {gc} | {heap} | {r['rss']:.0f} | {r['hwm']:.0f} | {r['rps']:.0f} | {r['p99_get']:.1f} | "
                         f"{r['p99_post']:.1f} | {r['gc_ms_per_s']:.1f} | {r['cpu_ms']:.3f} | "
                         f"{m['anonymous']:.0f} / {m['AOT cache']:.0f} / {m['libjvm.so']:.0f} / "
                         f"{m['other files']:.0f} |")
        lines.append("")
    if compare:
        lines += ["### Shipped settings against others, interleaved", "",
                  f"{args.rounds} rounds, each variant once per round in turn (A B C A B C …), medians; "
                  "The shipped launcher starts the JVM as: `"
                  + next((r["command"] for r in compare["shipped defaults"][1] if "command" in r), "?") + "`.", "",
                  "Then, in the same process, 10 s of 4 concurrent logins (`POST /auth/token`, Argon2id with "
                  "19 MiB per hash): their rate, p99, share of 2xx and the RSS after them.", "",
                  "| variant | JAVA_OPTS (beyond the launcher's defaults) | RSS MiB | req/s | req/s ÷ uncapped | "
                  "p99 GET ms | GC ms/s | CPU ms/req | logins/s, p99 ms, 2xx, RSS MiB after | runs: RSS, req/s |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        base = statistics.median(r["rps"] for r in compare["uncapped G1 (JVM defaults)"][1] if "rps" in r)
        for name, (opts, all_runs) in compare.items():
            runs = [r for r in all_runs if "failed" not in r]
            if len(runs) < len(all_runs):
                lines.append(f"| {name} | `{opts or '(none)'}` | failed in {len(all_runs) - len(runs)} of "
                             f"{len(all_runs)} rounds: {next(r['failed'] for r in all_runs if 'failed' in r)} |"
                             + " |" * 7)
            if not runs:
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in ("rss", "rps", "p99_get", "gc_ms_per_s",
                                                                      "cpu_ms", "login_rps", "login_p99",
                                                                      "login_rss")}
            each = "; ".join(f"{r['rss']:.0f}, {r['rps']:.0f}" for r in runs)
            lines.append(f"| {name} | `{opts or '(none)'}` | {med['rss']:.0f} | {med['rps']:.0f} | "
                         f"{med['rps'] / base:.2f} | {med['p99_get']:.1f} | {med['gc_ms_per_s']:.1f} | "
                         f"{med['cpu_ms']:.3f} | {med['login_rps']:.0f}, {med['login_p99']:.0f}, "
                         f"{min(r['login_ok'] for r in runs):.3f}, {med['login_rss']:.0f} | {each} |")
        lines.append("")
    if nmt:
        m = nmt["mapped"]
        lines += ["### Where the shipped process's memory goes", "",
                  f"Native Memory Tracking (summary; committed) after the same load, with the shipped defaults. RSS {nmt['rss']:.0f} MiB: anonymous {m['anonymous']:.0f}, the AOT cache's "
                  f"mapped pages {m['AOT cache']:.0f}, libjvm.so {m['libjvm.so']:.0f}, other files "
                  f"{m['other files']:.0f}. NMT counts committed memory, RSS only the touched part, and NMT itself "
                  "costs a little.", "", "| category | committed MiB |", "|---|---|"]
        lines += [f"| {name} | {mib:.1f} |" for name, mib in nmt["categories"] if mib >= 0.5]
        lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short runs to try the script (not for reporting)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the comparison")
    parser.add_argument("--only", choices=["sweep", "compare", "breakdown"], action="append")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=JAVA_OPTS",
                        help="more variants for the comparison (ENV:NAME=VALUE words set the app's environment)")
    args = parser.parse_args()
    args.warmup, args.seconds = (10, 5) if args.quick else (40, 15)
    parts = set(args.only or ["sweep", "compare", "breakdown"])
    report = Path(os.environ.get("BENCH_REPORT", bench.ROOT / "bench" / "results"
                                 / f"{datetime.date.today():%F}{'-quick' if args.quick else ''}.md"))
    stack_script = bench.STACK
    os.environ.setdefault("LOCAL_STACK_DIR", str(bench.ROOT / "target" / "bench-stack"))
    os.environ.update(APP_ENV_THROTTLE_IP_PER_MINUTE="1000000", APP_ENV_THROTTLE_ACCOUNT_PER_MINUTE="1000000",
                      APP_ENV_TODO_QUOTA="100000000")

    load_before = os.getloadavg()[0]
    bench.sh([str(stack_script), "down"])
    bench.log("starting the local stack and seeding 1,000 users with 100 todos each")
    bench.sh([str(stack_script), "up"], capture=False)
    sweep, compare, nmt, chart = {}, {}, None, None
    try:
        stack = bench.Stack()
        bench.seed(stack, 1000, 100)
        bench.sh([str(stack_script), "app-stop", "TERM"])
        if "sweep" in parts:
            # Collectors interleaved within each heap size, so drift spreads over all of them.
            for heap in HEAPS:
                for gc, flag in GCS.items():
                    sweep[(gc, heap)] = measure(stack_script, f"{gc} {heap}", f"{flag} {heap_options(heap)}",
                                                args.warmup, args.seconds)
            sweep = dict(sorted(sweep.items(), key=lambda item: (list(GCS).index(item[0][0]),
                                                                 HEAPS.index(item[0][1]))))
            stem = report.stem
            chart = write_chart(report.with_name(f"{stem}-memory.png"), sweep)
        if "compare" in parts:
            variants = {"shipped defaults": "", "uncapped G1 (JVM defaults)": UNCAPPED_JVM_DEFAULTS}
            variants.update(v.split("=", 1) for v in args.variant)
            compare = {name: (opts, []) for name, opts in variants.items()}
            for round_number in range(1, args.rounds + 1):
                for name, opts in variants.items():
                    env = dict(w[4:].split("=", 1) for w in opts.split() if w.startswith("ENV:"))
                    java_opts = " ".join(w for w in opts.split() if not w.startswith("ENV:"))
                    compare[name][1].append(measure(stack_script, f"round {round_number}: {name}", java_opts,
                                                    args.warmup, args.seconds, env, logins=True))
        if "breakdown" in parts:
            nmt = breakdown(stack_script, "", args.warmup)
    finally:
        bench.sh([str(stack_script), "down"], check=False)
    with report.open("a") as out:
        out.write("\n".join(report_lines(args, sweep, compare, nmt, chart)) + "\n")
        out.write(f"\nLoad average (1 min) when this section started and ended: {load_before:.2f}, "
                  f"{os.getloadavg()[0]:.2f} (other work on this shared machine shows here).\n")
        for title, output in bench.RAW:
            if title.startswith("NMT"):
                out.write(f"<details><summary>{title}</summary>\n\n```\n{output.strip()}\n```\n\n</details>\n")
    bench.log(f"report: {report}")


if __name__ == "__main__":
    main()
