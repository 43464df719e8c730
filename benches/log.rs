//! The event log: generate, import, scan, and memory while scanning.
//!
//! `cargo bench --bench log`. Prints a Markdown table for BENCHMARKS.md.

mod support;

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::ops::ControlFlow;
use std::time::Instant;

use eventscope::domain::Domain;
use eventscope::domain::generate::generate;
use eventscope::format::{Format, write_event};
use eventscope::ingest;
use eventscope::store::EventLog;
use support::*;

fn main() {
    if let Some(args) = child_args() {
        return child(&args);
    }
    let n = events();
    let log_path = retail_log();
    println!("| measure ({n} retail events) | result | target |");
    println!("|---|---|---|");

    // The same events as JSONL, for the import and the parse baseline.
    let jsonl = data_dir().join(format!("retail-{n}.jsonl"));
    let start = Instant::now();
    {
        let mut out = BufWriter::new(std::fs::File::create(&jsonl).unwrap());
        let mut line = String::new();
        let mut seq = 0;
        generate(Domain::Retail, n, 1, |e| {
            seq += 1;
            line.clear();
            let version = e.expected_version.unwrap_or(0);
            let stored = eventscope::Event::stored(e, seq, version);
            write_event(&mut line, Format::Native, &stored);
            out.write_all(line.as_bytes())
        })
        .unwrap();
        out.flush().unwrap();
    }
    let bytes = std::fs::metadata(&jsonl).unwrap().len();
    row(
        "generate JSONL",
        rate(n, start.elapsed()),
        &format!("({} MiB)", bytes / (1 << 20)),
    );

    let parse = median(3, || {
        let reader = BufReader::new(std::fs::File::open(&jsonl).unwrap());
        let mut count = 0u64;
        for line in reader.lines() {
            let value: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            count += value.is_object() as u64;
        }
        assert_eq!(count, n);
    });
    row(
        "baseline: serde_json::Value parse of the JSONL",
        rate(n, parse),
        "(for scale)",
    );

    let import = median(3, || {
        let db = data_dir().join("import.redb");
        let _ = std::fs::remove_file(&db);
        let reader = BufReader::new(std::fs::File::open(&jsonl).unwrap());
        let log = EventLog::create(&db).unwrap();
        let summary = ingest::import(&log, reader, Format::Native, |_| {}).unwrap();
        assert_eq!(summary.count(), n);
        drop(log);
        let _ = std::fs::remove_file(&db);
    });
    row("import JSONL into a new log", rate(n, import), ">= 500k/s");

    let log = EventLog::open_read_only(&log_path).unwrap();
    // Borrowed views: each event checked (CRC-32) and decoded, nothing
    // allocated; the engine folds these.
    let scan = median(5, || {
        let mut count = 0u64;
        log.scan_views(1..=u64::MAX, None, |event| {
            count += u64::from(!event.data().is_empty());
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(count, n);
    });
    row("full scan decoding every event", rate(n, scan), ">= 10M/s");
    let owned = median(5, || {
        let mut count = 0u64;
        log.scan(1..=u64::MAX, |event| {
            count += u64::from(!event.data.is_empty());
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(count, n);
    });
    drop(log);
    row(
        "the same, each event copied into an owned `Event`",
        rate(n, owned),
        "",
    );

    let peak = run_child(&["scan", log_path.to_str().unwrap()]);
    row(
        "peak memory of a process that opens the log and scans it",
        format!("{peak} MiB"),
        "< 64 MB",
    );
    let file = std::fs::metadata(&log_path).unwrap().len();
    row("log file size", format!("{} MiB", file / (1 << 20)), "");
}

fn child(args: &[String]) {
    match args {
        [what, path] if what == "scan" => {
            let log = EventLog::open_read_only(path).unwrap();
            let mut bytes = 0u64;
            log.scan(1..=u64::MAX, |event| {
                bytes += event.data.len() as u64;
                ControlFlow::Continue(())
            })
            .unwrap();
            assert!(bytes > 0);
            println!("{:.1}", peak_rss_mib());
        }
        other => panic!("unknown child task {other:?}"),
    }
}
