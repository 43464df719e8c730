//! Shared by the benchmarks: the generated 1M-event log, timing, memory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eventscope::domain::Domain;
use eventscope::domain::generate::generate;
use eventscope::store::{EventLog, StoreError};

/// Events in the benchmark log (`EVENTSCOPE_BENCH_EVENTS` overrides).
pub fn events() -> u64 {
    std::env::var("EVENTSCOPE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Where generated benchmark data lives (never committed).
pub fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    dir
}

/// The retail benchmark log, generated once (seed 1) and reused.
pub fn retail_log() -> PathBuf {
    let n = events();
    // Named by its format: a log kept from a build of an older one would
    // measure that format.
    let format = eventscope::store::FORMAT_VERSION;
    let path = data_dir().join(format!("retail-{n}-format-{format}.redb"));
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let log = EventLog::create(&partial).expect("create the benchmark log");
        log.append_with(|appender| {
            generate(Domain::Retail, n, 1, |event| {
                appender.push(&event)?;
                Ok::<_, StoreError>(())
            })
        })
        .expect("generate the benchmark log");
        drop(log);
        std::fs::rename(&partial, &path).expect("keep the benchmark log");
    }
    path
}

/// Runs `f` `runs` times and returns the median duration.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The peak resident memory of this process so far, in MiB.
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The resident memory of this process now, in MiB.
pub fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Runs this benchmark binary again with `args` (handled by the caller's
/// `child` dispatch) and returns what the child printed: used to measure
/// peak memory of one operation alone.
pub fn run_child(args: &[&str]) -> String {
    let exe = std::env::current_exe().expect("the benchmark binary");
    let out = std::process::Command::new(exe)
        .arg("--child")
        .args(args)
        .output()
        .expect("run the child");
    assert!(
        out.status.success(),
        "child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The arguments after `--child`, if this process is a child.
pub fn child_args() -> Option<Vec<String>> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == "--child")?;
    Some(args[at + 1..].to_vec())
}

pub fn rate(count: u64, time: Duration) -> String {
    let per_sec = count as f64 / time.as_secs_f64();
    if per_sec >= 1e6 {
        format!("{:.2}M/s", per_sec / 1e6)
    } else {
        format!("{:.0}k/s", per_sec / 1e3)
    }
}

pub fn row(name: &str, value: impl std::fmt::Display, target: &str) {
    println!("| {name} | {value} | {target} |");
}
