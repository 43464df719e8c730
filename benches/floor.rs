//! What redb itself costs, under eventscope's own work: the events' blocks
//! of the benchmark log read (with redb caches of several sizes, and with
//! the CRC-32 of every byte) and written, through redb's API alone, beside
//! eventscope's full decoding scan of the same log. Each read runs in a
//! process of its own, as a command would: the file is in the page cache,
//! the process's memory is fresh.

mod support;

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use eventscope::store::EventLog;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use support::{child_args, events, median, rate, retail_log, row, run_child};

/// The events' blocks, as the log stores them (block number -> records).
const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("event-blocks-1");

/// Runs of each measure; the median is shown.
const RUNS: usize = 5;

fn main() {
    if let Some(args) = child_args() {
        return child(&args);
    }
    let n = events();
    let log = retail_log();
    let log = log.to_str().expect("a UTF-8 path");
    println!("| measure ({n} retail events) | median of {RUNS} | rate |");
    println!("|---|---|---|");
    // The median of the times the children measured themselves.
    let in_child = |args: &[&str]| -> Duration {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| Duration::from_nanos(run_child(args).parse().expect("nanoseconds")))
            .collect();
        times.sort();
        times[RUNS / 2]
    };
    for (cache, label) in [
        ("0", "no cache"),
        ("1048576", "a cache of 1 MiB"),
        ("8388608", "8 MiB"),
        ("1073741824", "1 GiB (redb's default)"),
    ] {
        let time = in_child(&["read", log, cache, "plain"]);
        let what = format!("redb alone: every block read, {label}");
        row(&what, format!("{:.1} ms", ms(time)), &rate(n, time));
    }
    let time = in_child(&["read", log, "1048576", "crc"]);
    row(
        "the same, 1 MiB, and the CRC-32 of every byte",
        format!("{:.1} ms", ms(time)),
        &rate(n, time),
    );
    let time = in_child(&["scan", log]);
    row(
        "eventscope: full decoding scan (checked, decoded, named)",
        format!("{:.1} ms", ms(time)),
        &rate(n, time),
    );
    let blocks = read_blocks(log);
    let bytes: usize = blocks.iter().map(|(_, block)| block.len()).sum();
    let out = support::data_dir().join("floor-write.redb");
    let write = median(3, || {
        let _ = std::fs::remove_file(&out);
        let db = redb::Database::create(&out).expect("create");
        let txn = db.begin_write().expect("write");
        {
            let mut table = txn.open_table(EVENTS).expect("table");
            for (block_no, block) in &blocks {
                table.insert(*block_no, block.as_slice()).expect("insert");
            }
        }
        txn.commit().expect("commit");
    });
    let _ = std::fs::remove_file(&out);
    row(
        &format!(
            "redb alone: the {} blocks ({} MiB) written in one transaction",
            blocks.len(),
            bytes >> 20
        ),
        format!("{:.1} ms", ms(write)),
        &rate(n, write),
    );
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// Every block of the log, in memory.
fn read_blocks(log: &str) -> Vec<(u64, Vec<u8>)> {
    let db = redb::Database::builder().open_read_only(log).expect("open");
    let txn = db.begin_read().expect("read");
    let table = txn.open_table(EVENTS).expect("the events' table");
    let blocks = table.iter().expect("iterate");
    blocks
        .map(|entry| {
            let (block_no, block) = entry.expect("a block");
            (block_no.value(), block.value().to_vec())
        })
        .collect()
}

/// Measures one read in this process and prints its nanoseconds.
fn child(args: &[String]) {
    let started = Instant::now();
    match args {
        [what, log, cache, check] if what == "read" => {
            let cache = cache.parse().expect("a cache size");
            let with_crc = check == "crc";
            let db = redb::Database::builder()
                .set_cache_size(cache)
                .open_read_only(log)
                .expect("open");
            let txn = db.begin_read().expect("read");
            let table = txn.open_table(EVENTS).expect("the events' table");
            let (mut bytes, mut crc) = (0usize, 0u32);
            for entry in table.iter().expect("iterate") {
                let (_, block) = entry.expect("a block");
                let block = block.value();
                bytes += block.len();
                if with_crc {
                    crc ^= crc32fast::hash(block);
                }
            }
            assert!(bytes > 0);
            std::hint::black_box(crc);
        }
        [what, log] if what == "scan" => {
            let log = EventLog::open_read_only(log).expect("open");
            let mut count = 0u64;
            log.scan_views(1..=u64::MAX, None, |event| {
                count += u64::from(!event.data().is_empty());
                ControlFlow::Continue(())
            })
            .expect("scan");
            assert_eq!(count, events());
        }
        other => panic!("unknown child task {other:?}"),
    }
    println!("{}", started.elapsed().as_nanos());
}
