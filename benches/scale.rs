//! Scaling: the same work on a 1,000,000-event and a 10,000,000-event
//! retail log, side by side, so that what does not grow linearly shows.
//!
//! `cargo bench --bench scale` (sizes: `EVENTSCOPE_SCALE_EVENTS`, default
//! `1000000,10000000`). Generate, import, `info` and `render` (one screen
//! once every job of the open is done) run as whole processes of the built
//! binary; the first frame (open, first draw), key to frame,
//! time travel, a full rebuild and a full scan run in a child of this
//! benchmark, alone, so that its peak resident memory is its own. The
//! generated JSONL and log (about 2.9 GB and 6.3 GB at 10M) are deleted at
//! the end unless `EVENTSCOPE_SCALE_KEEP` is set.

mod support;

use std::ops::ControlFlow;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use eventscope::domain_file::Projections;
use eventscope::projection::{self, RebuildOptions, SnapshotPolicy, SnapshotStore};
use eventscope::store::EventLog;
use eventscope::ui::{self, App, Msg, keymap::Action};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

const ALL_RETAIL: [&str; 5] = ["types", "streams", "customers", "address-book", "orders"];

/// One measured piece of work: its time and the peak resident memory of
/// the process that did it.
struct Measured {
    time: Duration,
    peak_mib: f64,
}

fn main() {
    if let Some(args) = child_args() {
        return child(&args);
    }
    let sizes: Vec<u64> = std::env::var("EVENTSCOPE_SCALE_EVENTS")
        .unwrap_or_else(|_| "1000000,10000000".into())
        .split(',')
        .map(|n| {
            n.trim()
                .parse()
                .expect("EVENTSCOPE_SCALE_EVENTS: numbers, comma-separated")
        })
        .collect();
    let mut columns: Vec<Vec<(String, Measured)>> = Vec::new();
    for &n in &sizes {
        columns.push(measure_size(n));
    }
    print_table(&sizes, &columns);
}

fn measure_size(n: u64) -> Vec<(String, Measured)> {
    let dir = data_dir();
    let jsonl = dir.join(format!("scale-{n}.jsonl"));
    let log = dir.join(format!("scale-{n}.redb"));
    let _ = std::fs::remove_file(&jsonl);
    let _ = std::fs::remove_file(&log);
    let exe = env!("CARGO_BIN_EXE_eventscope");
    let events = n.to_string();
    let (jsonl_s, log_s) = (path_str(&jsonl), path_str(&log));
    let mut rows = Vec::new();
    let generate = [
        "generate", "--domain", "retail", "--events", &events, "--seed", "1", "--output", jsonl_s,
    ];
    rows.push((
        "generate the JSONL (process)".into(),
        process(exe, &generate),
    ));
    let import = ["import", jsonl_s, "--db", log_s];
    rows.push(("import it (process)".into(), process(exe, &import)));
    rows.push(("`info` (process)".into(), process(exe, &["info", log_s])));
    let render = ["render", log_s, "--size", "120x40"];
    rows.push((
        "`render`: open, every job of the open done, one screen (process)".into(),
        process(exe, &render),
    ));
    let scan = run_measured_child(&["scan", log_s]);
    rows.push(("full decoding scan, read-only (child)".into(), scan));
    let rebuild = run_measured_child(&["rebuild", log_s]);
    rows.push((
        "full rebuild of the five retail projections, with snapshots (child)".into(),
        rebuild,
    ));
    let travel = run_measured_child(&["travel", log_s]);
    rows.push((
        "time travel: `orders` at the middle, from a snapshot (child)".into(),
        travel,
    ));
    for line in run_child(&["keys", log_s]).lines() {
        let (name, micros) = line.split_once('\t').expect("name\tmicroseconds");
        let micros: f64 = micros.parse().expect("microseconds");
        rows.push((
            name.to_owned(),
            Measured {
                time: Duration::from_secs_f64(micros / 1e6),
                peak_mib: f64::NAN,
            },
        ));
    }
    if std::env::var_os("EVENTSCOPE_SCALE_KEEP").is_none() {
        let _ = std::fs::remove_file(&jsonl);
        let _ = std::fs::remove_file(&log);
    }
    rows
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("the bench data path is UTF-8")
}

fn print_table(sizes: &[u64], columns: &[Vec<(String, Measured)>]) {
    let heads: Vec<String> = sizes.iter().map(|n| format!("{n} events")).collect();
    let ratio = sizes.len() >= 2;
    print!("| work | {} |", heads.join(" | "));
    if ratio {
        print!(
            " time {}x / 1x (linear: {:.0}) |",
            sizes[sizes.len() - 1] / sizes[0],
            sizes[sizes.len() - 1] as f64 / sizes[0] as f64
        );
    }
    println!();
    print!("|---|{}", "---|".repeat(sizes.len()));
    println!("{}", if ratio { "---|" } else { "" });
    for (row, (name, _)) in columns[0].iter().enumerate() {
        let cells: Vec<String> = columns
            .iter()
            .map(|column| {
                let m = &column[row].1;
                if m.peak_mib.is_nan() {
                    fmt_time(m.time)
                } else {
                    format!("{}, peak {:.1} MiB", fmt_time(m.time), m.peak_mib)
                }
            })
            .collect();
        print!("| {name} | {} |", cells.join(" | "));
        if ratio {
            let first = columns[0][row].1.time.as_secs_f64();
            let last = columns[columns.len() - 1][row].1.time.as_secs_f64();
            print!(" {:.1} |", last / first);
        }
        println!();
    }
}

fn fmt_time(time: Duration) -> String {
    let s = time.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.2} ms", s * 1e3)
    }
}

/// Runs `exe args` as a process (through a child of this benchmark, so that
/// the peak memory measured is that process's alone).
fn process(exe: &str, args: &[&str]) -> Measured {
    let mut all = vec!["process", exe];
    all.extend_from_slice(args);
    run_measured_child(&all)
}

/// A child task that prints `seconds\tpeak MiB`.
fn run_measured_child(args: &[&str]) -> Measured {
    let out = run_child(args);
    let (time, peak) = out
        .lines()
        .last()
        .and_then(|line| line.split_once('\t'))
        .expect("seconds\tpeak MiB");
    Measured {
        time: Duration::from_secs_f64(time.parse().expect("seconds")),
        peak_mib: peak.parse().expect("MiB"),
    }
}

fn child(args: &[String]) {
    match args {
        [what, exe, rest @ ..] if what == "process" => {
            let start = Instant::now();
            let status = Command::new(exe)
                .args(rest)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("run the binary");
            let time = start.elapsed();
            assert!(status.success(), "{exe} {rest:?} failed: {status}");
            println!("{}\t{:.1}", time.as_secs_f64(), children_peak_mib());
        }
        [what, path] if what == "scan" => own(|| scan(path)),
        [what, path] if what == "rebuild" => own(|| rebuild(path)),
        [what, path] if what == "travel" => own(|| travel(path)),
        [what, path] if what == "keys" => keys(path),
        other => panic!("unknown child task {other:?}"),
    }
}

/// Times `work` in this process and prints it with this process's peak.
fn own(work: impl FnOnce()) {
    let start = Instant::now();
    work();
    println!("{}\t{:.1}", start.elapsed().as_secs_f64(), peak_rss_mib());
}

/// The peak resident memory of the largest child this process waited for.
fn children_peak_mib() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return f64::NAN;
    }
    usage.ru_maxrss as f64 / 1024.0
}

fn scan(path: &str) {
    let log = EventLog::open_read_only(path).unwrap();
    let mut bytes = 0usize;
    log.scan(1..=u64::MAX, |event| {
        bytes += event.data.as_str().len();
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(bytes > 0);
}

fn rebuild(path: &str) {
    let log = EventLog::open(path).unwrap();
    let registry = Projections::new(None);
    let mut projections: Vec<_> = ALL_RETAIL
        .iter()
        .map(|name| registry.create(name).unwrap())
        .collect();
    let options = RebuildOptions {
        snapshots: Some((&log as &dyn SnapshotStore, SnapshotPolicy::default())),
        ..RebuildOptions::default()
    };
    projection::rebuild(&log, &mut projections, &options, &mut |_| {}).unwrap();
    log.persist_snapshots().unwrap();
}

fn travel(path: &str) {
    let log = EventLog::open_read_only(path).unwrap();
    let middle = log.last_seq().unwrap() / 2;
    let orders = Projections::new(None).create("orders").unwrap();
    projection::travel(&log, Some(&log), orders, middle).unwrap();
}

/// The first frame and key to frame in the log view, as in `cargo bench
/// --bench ui`: prints `name\tmicroseconds` for each.
fn keys(path: &str) {
    const WIDTH: u16 = 120;
    const HEIGHT: u16 = 40;
    let start = Instant::now();
    let log = EventLog::open_read_only(path).unwrap();
    let last = log.last_seq().unwrap();
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    terminal.draw(|f| ui::render(&app, f)).unwrap();
    println!(
        "first frame: open, first draw (child)\t{}",
        start.elapsed().as_secs_f64() * 1e6
    );
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    terminal.draw(|f| ui::render(&app, f)).unwrap();
    let mut key = |name: &str, runs: usize, msgs: &mut dyn FnMut() -> Vec<Msg>| {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                for msg in msgs() {
                    ui::update(&mut app, msg);
                }
                terminal.draw(|f| ui::render(&app, f)).unwrap();
                start.elapsed()
            })
            .collect();
        times.sort();
        println!("{name}\t{}", times[runs / 2].as_secs_f64() * 1e6);
    };
    key("key to frame: move down (median of 200)", 200, &mut || {
        vec![Msg::Action(Action::Down)]
    });
    key("key to frame: page down (median of 200)", 200, &mut || {
        vec![Msg::Action(Action::PageDown)]
    });
    key(
        "key to frame: bottom then top (median of 50)",
        50,
        &mut || vec![Msg::Action(Action::Bottom), Msg::Action(Action::Top)],
    );
    let mut draw = 0x2545_f491_u64;
    key(
        "key to frame: jump to a seq (median of 50)",
        50,
        &mut || {
            draw = draw.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let target = 1 + (draw >> 20) % last;
            let mut msgs = vec![Msg::Action(Action::JumpPrompt)];
            msgs.extend(target.to_string().chars().map(Msg::Input));
            msgs.push(Msg::Action(Action::Submit));
            msgs
        },
    );
}
