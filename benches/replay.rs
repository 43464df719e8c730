//! Event sourcing: rebuilds, time travel, memory, and the same read models
//! computed by SQLite, timed in the same run.
//!
//! `cargo bench --bench replay` (SQLite's comparison needs `sqlite3` on the
//! PATH; it is skipped with a note otherwise).

mod support;

use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::process::Command;
use std::time::{Duration, Instant};

use eventscope::format::{Format, write_event};
use eventscope::projection::{
    self, Projection, RebuildOptions, RebuildOutcome, SnapshotPolicy, SnapshotStore,
};
use eventscope::store::EventLog;
use support::*;

const RETAIL: [&str; 3] = ["customers", "address-book", "orders"];
const ALL_RETAIL: [&str; 5] = ["types", "streams", "customers", "address-book", "orders"];

fn fresh(names: &[&str]) -> Vec<Box<dyn Projection>> {
    names
        .iter()
        .map(|n| projection::builtin(n).expect("a built-in projection"))
        .collect()
}

fn rebuild(
    log: &EventLog,
    names: &[&str],
    snapshots: bool,
) -> (Duration, Vec<Box<dyn Projection>>) {
    let mut projections = fresh(names);
    let options = RebuildOptions {
        snapshots: snapshots.then_some((log as &dyn SnapshotStore, SnapshotPolicy::default())),
        ..RebuildOptions::default()
    };
    let start = Instant::now();
    let outcome = projection::rebuild(log, &mut projections, &options, &mut |_| {}).unwrap();
    let elapsed = start.elapsed();
    assert!(matches!(outcome, RebuildOutcome::Completed(_)));
    if snapshots {
        log.persist_snapshots().unwrap();
    }
    (elapsed, projections)
}

fn main() {
    if let Some(args) = child_args() {
        return child(&args);
    }
    let n = events();
    let source = retail_log();
    // A copy, so the snapshots written here do not change the shared log.
    let path = data_dir().join("replay.redb");
    std::fs::copy(&source, &path).unwrap();
    println!("| measure ({n} retail events) | result | target |");
    println!("|---|---|---|");
    {
        let log = EventLog::open(&path).unwrap();
        for names in [&RETAIL[..], &ALL_RETAIL[..]] {
            let time = median(3, || {
                rebuild(&log, names, false);
            });
            row(
                &format!("rebuild {} from genesis, one pass", names.join(" + ")),
                rate(n, time),
                ">= 1.5M/s",
            );
        }
        let time = median(3, || {
            rebuild(&log, &ALL_RETAIL, true);
        });
        row(
            "the same, saving snapshots (median of 3)",
            rate(n, time),
            "",
        );
        let (count, bytes) = log.snapshot_stats().unwrap();
        row(
            "snapshots saved",
            format!("{count}, {:.1} MiB", bytes as f64 / (1 << 20) as f64),
            "",
        );

        // Time travel to random N with the snapshots just saved.
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        for name in ALL_RETAIL {
            let mut times = Vec::new();
            let mut replayed = 0;
            for _ in 0..41 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let at = 1 + rng % n;
                let start = Instant::now();
                let (_, report) =
                    projection::travel(&log, Some(&log), fresh(&[name]).remove(0), at).unwrap();
                times.push(start.elapsed());
                replayed += report.replayed;
            }
            times.sort();
            row(
                &format!("time travel `{name}` to a random seq (median of 41)"),
                format!(
                    "{:.1} ms, {} events replayed on average",
                    times[times.len() / 2].as_secs_f64() * 1e3,
                    replayed / 41
                ),
                "< 20 ms",
            );
        }
    }
    {
        // The generic projection that holds every stream's whole entity,
        // as it runs on any log.
        let log = EventLog::open(&path).unwrap();
        let time = median(3, || {
            rebuild(&log, &["replica"], false);
        });
        row("rebuild `replica` from genesis", rate(n, time), "");
    }
    for (names, what) in [
        (ALL_RETAIL.join(","), "all five"),
        ("replica".into(), "`replica`"),
    ] {
        let peak = run_child(&["rebuild", path.to_str().unwrap(), &names]);
        row(
            &format!("memory of a process rebuilding {what}"),
            peak,
            "states + < 64 MB",
        );
    }
    let _ = std::fs::remove_file(&path);
    sqlite_comparison(&source, n);
}

fn child(args: &[String]) {
    match args {
        [what, path, names] if what == "rebuild" => {
            let names: Vec<&str> = names.split(',').collect();
            let before = rss_mib();
            let log = EventLog::open_read_only(path).unwrap();
            let (_, projections) = rebuild(&log, &names, false);
            let peak = peak_rss_mib();
            // With the log closed, what stays resident is the states.
            drop(log);
            let states = rss_mib() - before;
            std::hint::black_box(&projections);
            println!(
                "peak {peak:.1} MiB; states {states:.1} MiB; peak less states {:.1} MiB",
                peak - states
            );
        }
        other => panic!("unknown child task {other:?}"),
    }
}

/// The `types` and `orders` read models in SQLite: the events as JSON in a
/// table, computed with json_extract and GROUP BY.
fn sqlite_comparison(log_path: &std::path::Path, n: u64) {
    if Command::new("sqlite3").arg("-version").output().is_err() {
        println!("\n(sqlite3 is not installed: the comparison is skipped)");
        return;
    }
    let db = data_dir().join(format!("retail-{n}.sqlite"));
    if !db.exists() {
        // One event per row: seq, stream, type, time and the data as JSON.
        let rows = data_dir().join("rows.txt");
        {
            let log = EventLog::open_read_only(log_path).unwrap();
            let mut out = BufWriter::new(std::fs::File::create(&rows).unwrap());
            let mut line = String::new();
            log.scan(1..=u64::MAX, |event| {
                line.clear();
                write_event(&mut line, Format::Native, &event);
                // ASCII unit and record separators never occur in compact JSON.
                out.write_all(line.trim_end().as_bytes()).unwrap();
                out.write_all(b"\x1e").unwrap();
                ControlFlow::Continue(())
            })
            .unwrap();
            out.flush().unwrap();
        }
        let script = format!(
            "CREATE TABLE raw(line TEXT);\n.mode ascii\n.import '{}' raw\n\
             CREATE TABLE events(seq INTEGER PRIMARY KEY, stream TEXT, type TEXT, time TEXT, data TEXT);\n\
             INSERT INTO events SELECT line->>'seq', line->>'stream', line->>'type', line->>'time', line->'data' FROM raw;\n\
             DROP TABLE raw;\nVACUUM;\n",
            rows.display()
        );
        run_sqlite(&db, &script);
        let _ = std::fs::remove_file(&rows);
    }
    let types = "SELECT type, count(*) FROM events GROUP BY type;\n\
                 SELECT substr(time, 1, 13), count(*) FROM events GROUP BY 1;\n";
    let orders = "CREATE TEMP TABLE orders AS SELECT stream,\n\
          max(CASE type WHEN 'OrderPlaced' THEN json_extract(data, '$.customer') END) AS customer,\n\
          max(CASE type WHEN 'OrderPlaced' THEN json_extract(data, '$.total') END) AS total,\n\
          max(CASE type WHEN 'OrderCancelled' THEN 5 WHEN 'OrderShipped' THEN 4\n\
              WHEN 'PaymentReceived' THEN 3 WHEN 'PaymentRequested' THEN 2 ELSE 1 END) AS status\n\
          FROM events WHERE stream LIKE 'order-%' GROUP BY stream;\n\
          SELECT substr(time, 1, 10), sum(json_extract(data, '$.amount')) FROM events\n\
          WHERE type = 'PaymentReceived' GROUP BY 1;\n\
          SELECT count(*), sum(total) FROM orders;\n";
    let sqlite = median(3, || run_sqlite(&db, &format!("{types}{orders}")));
    let log = EventLog::open_read_only(log_path).unwrap();
    let ours = median(3, || {
        rebuild(&log, &["types", "orders"], false);
    });
    row(
        "`types` + `orders`: SQLite (json_extract, GROUP BY)",
        format!("{:.2} s ({})", sqlite.as_secs_f64(), rate(n, sqlite)),
        "",
    );
    row(
        "`types` + `orders`: eventscope rebuild",
        format!("{:.2} s ({})", ours.as_secs_f64(), rate(n, ours)),
        &format!("{:.1}x SQLite", sqlite.as_secs_f64() / ours.as_secs_f64()),
    );
    // Keep the outputs honest: the order count must agree.
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg(
            "SELECT count(*) FROM (SELECT DISTINCT stream FROM events WHERE type = 'OrderPlaced');",
        )
        .output()
        .unwrap();
    let sqlite_orders: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let (_, projections) = rebuild(&log, &["orders"], false);
    let state = projections[0].state();
    let our_orders = state["orders"].as_object().map_or(0, |o| o.len()) as u64;
    assert_eq!(our_orders, sqlite_orders, "both count the same orders");
}

fn run_sqlite(db: &std::path::Path, script: &str) {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run sqlite3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "sqlite3 failed");
}
