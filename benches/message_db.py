#!/usr/bin/env python3
"""Message DB figures: import rate against psql COPY of the same table, and
the follow latency from write_message to the event on screen.

    EVENTSCOPE_BENCH_URL=postgres://USER:PASSWORD@HOST:PORT/DB \
        python3 benches/message_db.py [--runs 3] [--samples 50]

The database must hold Message DB with the messages to import (see
BENCHMARKS.md for how the figures there were filled). Needs psql and tmux;
uses target/release/eventscope (cargo build --release first).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

BINARY = os.path.join(os.path.dirname(__file__), "..", "target", "release", "eventscope")


def psql(url, sql, out=subprocess.PIPE):
    return subprocess.run(["psql", url, "-qAtc", sql], check=True, stdout=out, text=True)


def count(url):
    return int(psql(url, "SELECT count(*) FROM message_store.messages").stdout.strip())


def time_import(url):
    with tempfile.TemporaryDirectory() as folder:
        start = time.monotonic()
        subprocess.run([BINARY, "import", url, "--db", os.path.join(folder, "copy.redb")],
                       check=True, stderr=subprocess.DEVNULL)
        return time.monotonic() - start


def time_copy(url):
    start = time.monotonic()
    with open(os.devnull, "w") as null:
        psql(url, "COPY message_store.messages TO STDOUT", out=null)
    return time.monotonic() - start


def latency(url, samples):
    session = "eventscope-latency-%d" % os.getpid()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                    BINARY, url], check=True)
    try:
        def screen():
            return subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                  check=True, stdout=subprocess.PIPE, text=True).stdout

        deadline = time.monotonic() + 600
        while "following" not in screen():
            if time.monotonic() > deadline:
                sys.exit("the explorer never showed the store")
            time.sleep(0.1)
        figures = []
        for n in range(samples):
            name = "Latency%04d" % n
            psql(url, "SET search_path = message_store, public; SELECT write_message("
                 "gen_random_uuid()::varchar, 'latency-1', '%s', '{}'::jsonb)" % name)
            written = time.monotonic()
            while name not in screen():
                time.sleep(0.002)
            figures.append(time.monotonic() - written)
            time.sleep(0.05)
        return figures
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--no-latency", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("EVENTSCOPE_BENCH_URL")
    if not url:
        sys.exit("set EVENTSCOPE_BENCH_URL to the Message DB's address")
    messages = count(url)
    print("messages: %d" % messages)
    imports, copies = [], []
    for _ in range(args.runs):
        imports.append(time_import(url))
        copies.append(time_copy(url))
    imp, cop = statistics.median(imports), statistics.median(copies)
    print("eventscope import: median %.2f s, %.0f events/s (runs: %s)"
          % (imp, messages / imp, ", ".join("%.2f" % t for t in imports)))
    print("psql COPY to /dev/null: median %.2f s, %.0f rows/s (runs: %s)"
          % (cop, messages / cop, ", ".join("%.2f" % t for t in copies)))
    print("import / COPY: %.2fx the time" % (imp / cop))
    if args.no_latency:
        return
    figures = sorted(latency(url, args.samples))
    p99 = figures[min(len(figures) - 1, int(len(figures) * 0.99))]
    print("follow latency write_message -> screen over %d: median %.0f ms, p99 %.0f ms, max %.0f ms"
          % (len(figures), statistics.median(figures) * 1000, p99 * 1000, figures[-1] * 1000))


if __name__ == "__main__":
    main()
