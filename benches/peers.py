#!/usr/bin/env python3
"""eventscope beside DuckDB and SQLite on the same generated log.

    python3 benches/peers.py [--events N] [--rounds R] [--seed S]

Builds eventscope (release), generates a retail log of N events (default
1,000,000) as JSONL under target/peers/, installs DuckDB into a virtual
environment there when it cannot be imported, and times each piece of work
as a whole process, the three tools interleaved round by round. Prints the
median of each and the ratio eventscope / DuckDB as Markdown tables, ready
for BENCHMARKS.md: one of wall-clock time, one of processor time (user and
system, every thread of the process: what it asks of the two cores). Every process writes its answer (all of it: per order,
per type, per day) to /dev/null, as eventscope's JSON does.

The work:
  start     the process alone, opening its database for the smallest
            answer: eventscope info; SELECT 1 (DuckDB's is a Python
            interpreter importing duckdb, as the venv provides it)
  load      eventscope import; DuckDB CREATE TABLE AS read_json; SQLite
            .import of the lines as text (no parsing: its JSON is read in
            each query)
  types     counts by type: replay --projection types --no-snapshots;
            GROUP BY type on the loaded table (DuckDB also straight from
            the JSONL file)
  orders    customer, total, paid and status of every order, and revenue by
            day: replay --projection orders --no-snapshots; the same in SQL
  travel    the orders state at a seq drawn at random (the same for all):
            replay --projection orders --at SEQ, with the snapshots a
            previous rebuild saved; SQL with WHERE seq <= SEQ
"""

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "peers"
# The DuckDB release the figures in BENCHMARKS.md were taken with; a venv
# gets exactly this one, so that a rerun compares the same peer.
DUCKDB_VERSION = "2.0.1"
ORDER_TYPES = "('OrderPlaced','PaymentRequested','PaymentReceived','OrderShipped','OrderCancelled')"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, stdin=None):
    """Seconds a whole process takes, its output thrown away: (wall clock,
    processor time in user and system mode on all its threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        subprocess.run(cmd, check=True, stdout=null, stderr=null, stdin=stdin)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def duckdb_python():
    """A Python that can import duckdb: this one, or a venv made for it."""
    try:
        import duckdb  # noqa: F401

        return sys.executable
    except ImportError:
        pass
    venv = WORK / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        print("installing DuckDB into", venv.relative_to(ROOT), file=sys.stderr)
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(python), "-m", "pip", "install", "--quiet", f"duckdb=={DUCKDB_VERSION}"])
    return str(python)


def orders_sql(source, upto=None):
    """Per-order state and revenue by day, as the `orders` projection
    gives them, from `source` (a table or read_json(...))."""
    cut = f"AND seq <= {upto}" if upto else ""
    return f"""
        COPY (
          SELECT stream,
                 max(CASE WHEN type = 'OrderPlaced' THEN data.customer END) AS customer,
                 coalesce(max(CASE WHEN type = 'OrderPlaced' THEN data.total END), 0) AS total,
                 coalesce(sum(CASE WHEN type = 'PaymentReceived' THEN data.amount END), 0) AS paid,
                 arg_max(type, seq) AS last
          FROM {source} WHERE type IN {ORDER_TYPES} {cut} GROUP BY stream
        ) TO '/dev/null' (FORMAT csv);
        COPY (
          SELECT CAST(time AS DATE) AS day, sum(data.amount) AS cents
          FROM {source} WHERE type = 'PaymentReceived' {cut} GROUP BY day ORDER BY day
        ) TO '/dev/null' (FORMAT csv);
    """


def sqlite_orders_sql(upto=None):
    cut = f"AND json_extract(line, '$.seq') <= {upto}" if upto else ""
    t = "json_extract(line, '$.type')"
    return f"""
        SELECT json_extract(line, '$.stream') AS stream,
               max(CASE WHEN {t} = 'OrderPlaced' THEN json_extract(line, '$.data.customer') END),
               coalesce(max(CASE WHEN {t} = 'OrderPlaced' THEN json_extract(line, '$.data.total') END), 0),
               coalesce(sum(CASE WHEN {t} = 'PaymentReceived' THEN json_extract(line, '$.data.amount') END), 0),
               count(*)
        FROM lines WHERE {t} IN {ORDER_TYPES} {cut} GROUP BY stream;
        SELECT substr(json_extract(line, '$.time'), 1, 10) AS day, sum(json_extract(line, '$.data.amount'))
        FROM lines WHERE {t} = 'PaymentReceived' {cut} GROUP BY day ORDER BY day;
    """


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    es = str(ROOT / "target" / "release" / "eventscope")
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        sys.exit("sqlite3 is not installed (apt-get install sqlite3)")
    python = duckdb_python()

    jsonl = WORK / f"retail-{args.events}-{args.seed}.jsonl"
    if not jsonl.exists():
        print(f"generating {args.events} events", file=sys.stderr)
        run([es, "generate", "--domain", "retail", "--events", str(args.events),
             "--seed", str(args.seed), "-o", str(jsonl)])
    log = WORK / "log.redb"
    duck = WORK / "log.duckdb"
    lite = WORK / "log.sqlite"
    travel_at = random.Random(args.seed).randint(1, args.events)

    def duck_cmd(sql):
        script = f"import duckdb\ncon = duckdb.connect({str(duck)!r})\ncon.execute({sql!r})\n"
        return [python, "-c", script]

    def fresh(*paths):
        for path in paths:
            for suffix in ("", ".wal"):
                Path(str(path) + suffix).unlink(missing_ok=True)

    read_json = f"read_json('{jsonl}', format = 'newline_delimited')"
    work = {
        ("load", "eventscope"): lambda: (fresh(log), timed([es, "import", str(jsonl), "--db", str(log)]))[1],
        ("load", "DuckDB"): lambda: (fresh(duck), timed(duck_cmd(f"CREATE TABLE events AS SELECT * FROM {read_json}")))[1],
        ("load", "SQLite"): lambda: (fresh(lite), timed(
            [sqlite, str(lite), "CREATE TABLE lines(line TEXT)", ".mode ascii",
             ".separator \"\x1f\" \"\\n\"", f".import {jsonl} lines"]))[1],
        ("start", "eventscope"): lambda: timed([es, "info", str(log)]),
        ("start", "DuckDB"): lambda: timed(duck_cmd("SELECT 1")),
        ("start", "SQLite"): lambda: timed([sqlite, str(lite), "SELECT 1"]),
        ("types", "eventscope"): lambda: timed([es, "replay", str(log), "--projection", "types", "--no-snapshots"]),
        ("types", "DuckDB"): lambda: timed(duck_cmd(
            "COPY (SELECT type, count(*) FROM events GROUP BY type) TO '/dev/null' (FORMAT csv)")),
        ("types", "DuckDB on the JSONL"): lambda: timed(duck_cmd(
            f"COPY (SELECT type, count(*) FROM {read_json} GROUP BY type) TO '/dev/null' (FORMAT csv)")),
        ("types", "SQLite"): lambda: timed(
            [sqlite, str(lite), "SELECT json_extract(line, '$.type'), count(*) FROM lines GROUP BY 1"]),
        ("orders", "eventscope"): lambda: timed([es, "replay", str(log), "--projection", "orders", "--no-snapshots"]),
        ("orders", "DuckDB"): lambda: timed(duck_cmd(orders_sql("events"))),
        ("orders", "SQLite"): lambda: timed([sqlite, str(lite)], stdin=sqlite_script(sqlite_orders_sql())),
        ("travel", "eventscope"): lambda: timed(
            [es, "replay", str(log), "--projection", "orders", "--at", str(travel_at)]),
        ("travel", "DuckDB"): lambda: timed(duck_cmd(orders_sql("events", travel_at))),
        ("travel", "SQLite"): lambda: timed([sqlite, str(lite)], stdin=sqlite_script(sqlite_orders_sql(travel_at))),
    }

    def sqlite_script(text):
        path = WORK / "query.sql"
        path.write_text(text)
        return open(path, "rb")

    # Snapshots for time travel come from one rebuild that saves them, done
    # before the rounds (and redone after each fresh import).
    def snapshots():
        with open(os.devnull, "wb") as null:
            run([es, "replay", str(log), "--projection", "orders"], stdout=null)

    times = {key: [] for key in work}
    for round_no in range(1, args.rounds + 1):
        print(f"round {round_no} of {args.rounds}", file=sys.stderr)
        for key, measure in work.items():
            if key == ("travel", "eventscope"):
                snapshots()
            times[key].append(measure())

    duck_version = subprocess.run([python, "-c", "import duckdb; print(duckdb.__version__)"],
                                  check=True, capture_output=True, text=True).stdout.strip()
    lite_version = subprocess.run([sqlite, "--version"], check=True, capture_output=True,
                                  text=True).stdout.split()[0]
    print(f"\nDuckDB {duck_version}, SQLite {lite_version}, {os.cpu_count()} cores", end="; ")
    print(f"{args.events:,} retail events (seed {args.seed}), {jsonl.stat().st_size / 2**20:.0f} MiB "
          f"of JSONL; median of {args.rounds} interleaved rounds, whole processes; "
          f"time travel to seq {travel_at:,}\n")
    for title, part in (("Wall clock", 0), ("Processor time, user and system, all threads", 1)):
        print(f"{title}:\n")
        print("| work | eventscope | DuckDB | DuckDB on the JSONL | SQLite | eventscope / DuckDB |")
        print("|---|---|---|---|---|---|")
        for name in ("start", "load", "types", "orders", "travel"):
            cell = {tool: statistics.median(t[part] for t in times[(name, tool)])
                    for (n, tool) in times if n == name}
            fmt = lambda tool: f"{cell[tool]:.3f} s" if tool in cell else ""
            ratio = cell["eventscope"] / cell["DuckDB"]
            print(f"| {name} | {fmt('eventscope')} | {fmt('DuckDB')} | {fmt('DuckDB on the JSONL')} "
                  f"| {fmt('SQLite')} | {ratio:.2f}x |")
        print()


if __name__ == "__main__":
    main()
