#!/usr/bin/env python3
"""Turns a JFR recording's execution samples into a flame graph (SVG), the collapsed stacks it is drawn from, and a
table of the hottest methods (Markdown), with nothing but the JDK's `jfr` tool and Python.

    bench/flamegraph.py RECORDING.jfr OUT_PREFIX [TITLE]

writes OUT_PREFIX.collapsed (one "frame;frame;... count" line per distinct stack, root first), OUT_PREFIX.svg and
OUT_PREFIX.md. Only Java frames are sampled (jdk.ExecutionSample): time in the kernel or in native code shows under
the Java method that called it.
"""
import collections
import html
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

FRAME = re.compile(r"^\s+(\S.*?)(?:\s+line: \d+.*)?$")
WIDTH, ROW, FONT = 1600, 17, 11


def stacks(recording):
    jfr = Path(os.environ.get("JAVA_HOME", "/usr")) / "bin" / "jfr"
    text = subprocess.run([str(jfr), "print", "--events", "jdk.ExecutionSample", "--stack-depth", "128",
                           str(recording)], check=True, capture_output=True, text=True).stdout
    counts = collections.Counter()
    frames, inside = [], False
    for line in text.splitlines():
        if line.strip() == "stackTrace = [":
            frames, inside = [], True
        elif inside and line.strip() == "]":
            inside = False
            if frames:
                counts[";".join(reversed(frames))] += 1
        elif inside:
            match = FRAME.match(line)
            if match and match.group(1) != "...":
                frames.append(short(match.group(1)))
    return counts


def short(frame):
    # "io.helidon.Foo$Bar.method(int, String)" -> "io.helidon.Foo$Bar.method"
    return frame.split("(", 1)[0]


def tree(counts):
    root = {"name": "all", "value": 0, "children": {}}
    for stack, n in counts.items():
        root["value"] += n
        node = root
        for frame in stack.split(";"):
            node = node["children"].setdefault(frame, {"name": frame, "value": 0, "children": {}})
            node["value"] += n
    return root


def color(name):
    for prefix, rgb in (("dev.todoservice", (230, 120, 40)), ("io.helidon", (90, 170, 90)),
                        ("org.postgresql", (70, 130, 200)), ("com.zaxxer", (70, 160, 220)),
                        ("com.fasterxml", (160, 110, 200)), ("com.nimbusds", (210, 80, 80)),
                        ("org.bouncycastle", (200, 60, 120)), ("java.", (220, 190, 80)), ("jdk.", (200, 200, 90)),
                        ("sun.", (200, 170, 110))):
        if name.startswith(prefix):
            shade = zlib.crc32(name.encode()) % 30
            return "rgb({},{},{})".format(*(min(255, c + shade) for c in rgb))
    return "rgb(180,180,180)"


def svg(root, title):
    total = root["value"] or 1
    rects, depth = [], [0]

    def place(node, x, level):
        width = node["value"] / total * WIDTH
        if width < 0.3:
            return
        depth[0] = max(depth[0], level)
        rects.append((x, level, width, node))
        child_x = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            place(child, child_x, level + 1)
            child_x += child["value"] / total * WIDTH

    place(root, 0, 0)
    height = (depth[0] + 1) * ROW + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="monospace" font-size="{FONT}">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="4" y="16" font-size="14">{html.escape(title)} ({total} samples)</text>']
    for x, level, width, node in rects:
        y = height - (level + 1) * ROW - 4
        share = node["value"] / total * 100
        label = f"{node['name']} ({node['value']} samples, {share:.1f} %)"
        out.append(f'<g><title>{html.escape(label)}</title><rect x="{x:.1f}" y="{y}" width="{width:.1f}" '
                   f'height="{ROW - 1}" fill="{color(node["name"])}" rx="1"/>')
        chars = int(width / (FONT * 0.62))
        if chars >= 4:
            text = node["name"] if len(node["name"]) <= chars else node["name"][:chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + ROW - 5}">{html.escape(text)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def table(counts, title, top=30):
    total = sum(counts.values()) or 1
    self_time, inclusive = collections.Counter(), collections.Counter()
    for stack, n in counts.items():
        frames = stack.split(";")
        self_time[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    lines = [f"# {title}", "", f"{total} execution samples (JFR, Java frames only).", "",
             "## Self time (the frame on top of the stack)", "", "| % | samples | method |", "|---|---|---|"]
    lines += [f"| {n / total * 100:.1f} | {n} | `{m}` |" for m, n in self_time.most_common(top)]
    lines += ["", "## Inclusive time of the service's own and its libraries' entry points", "",
              "| % | samples | method |", "|---|---|---|"]
    interesting = [(m, n) for m, n in inclusive.most_common()
                   if not m.startswith(("java.", "jdk.", "sun."))][:top * 2]
    lines += [f"| {n / total * 100:.1f} | {n} | `{m}` |" for m, n in interesting]
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    recording, prefix = Path(sys.argv[1]), Path(sys.argv[2])
    title = sys.argv[3] if len(sys.argv) > 3 else recording.stem
    counts = stacks(recording)
    Path(f"{prefix}.collapsed").write_text("".join(f"{s} {n}\n" for s, n in sorted(counts.items())))
    Path(f"{prefix}.svg").write_text(svg(tree(counts), title))
    Path(f"{prefix}.md").write_text(table(counts, title))
    print(f"flamegraph: {sum(counts.values())} samples -> {prefix}.svg, .collapsed, .md")


if __name__ == "__main__":
    main()
