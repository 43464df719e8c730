//! Every byte of a small log flipped in turn: each reader either reports
//! the damage or shows exactly the true data, and never panics.
//!
//! The readers run in-process, through the same calls the commands make
//! (`info`: stats; `replay -p types -p streams`, from the heads alone;
//! `verify`; `replay`: every projection rebuilt; `export`: every event
//! scanned); a sample of offsets also goes through the real
//! binary, which must exit 1 with one line, or 0 with the true output.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

use eventscope::Json;
use eventscope::projection::{self, RebuildOptions};
use eventscope::store::EventLog;
use serde_json::Value;

use crate::store::event;

/// A log with a few streams, types, own ids and metadata, in two appends.
fn build(path: &Path) {
    let log = EventLog::create(path).unwrap();
    log.append([
        event("customer-27", "MemberJoined", 0, r#"{"name":"Ada"}"#),
        event("order-1", "OrderFiled", 1, r#"{"customer":"customer-27"}"#).with_id("evt-own"),
    ])
    .unwrap();
    log.append([
        event("customer-27", "PaymentReceived", 2, r#"{"amount":53}"#)
            .with_metadata(Json::parse_text(r#"{"correlation_id":"c-1"}"#).unwrap()),
        event("account-1", "NoteAdded", 3, r#"{"amount":5}"#),
    ])
    .unwrap();
}

/// What each reader shows of a log: its output, or the damage it reported.
/// Each is compared on its own, so that no reader's damage hides another's
/// false data.
type Shown = Vec<(&'static str, Result<String, String>)>;

/// Each reader's view of the log; `Err` when the log cannot be opened.
fn show(path: &Path) -> Result<Shown, String> {
    let text = |e: &dyn std::fmt::Display| e.to_string();
    let log = EventLog::open_read_only(path).map_err(|e| text(&e))?;
    let stats = log.stats().map_err(|e| text(&e));
    let heads = rebuilt(&log, &["types", "streams"]).map_err(|e| text(&e));
    let verify = log.verify(|_| {}).map_err(|e| text(&e));
    let mut export = Vec::new();
    let scanned = log
        .scan(1..=u64::MAX, |event| {
            export.push(format!("{event:?}"));
            ControlFlow::Continue(())
        })
        .map_err(|e| text(&e));
    // The projections that apply to the log's types, as `replay` picks them.
    let replay = stats.clone().and_then(|stats| {
        let types: Vec<&str> = stats.types.iter().map(|(name, _)| name.as_str()).collect();
        rebuilt(&log, &projection::applicable(&types)).map_err(|e| text(&e))
    });
    Ok(vec![
        ("info", stats.map(|stats| format!("{stats:?}"))),
        (
            "types and streams from the heads",
            heads.map(|v| v.to_string()),
        ),
        ("verify", verify.map(|report| format!("{report:?}"))),
        ("export", scanned.map(|()| export.join("\n"))),
        ("replay", replay.map(|v| v.to_string())),
    ])
}

/// The states of the named projections, rebuilt together.
fn rebuilt(log: &EventLog, names: &[&str]) -> Result<Value, projection::ReplayError> {
    let mut projections: Vec<_> = names
        .iter()
        .filter_map(|name| projection::builtin(name))
        .collect();
    projection::rebuild(
        log,
        &mut projections,
        &RebuildOptions::default(),
        &mut |_| {},
    )?;
    Ok(projections
        .iter()
        .map(|p| (p.name().to_string(), p.state()))
        .collect())
}

/// The offsets to flip: every byte of the first page (redb's header), and
/// of the rest one byte in `EVENTSCOPE_SWEEP_STRIDE` (11 by default, which
/// keeps the sweep to seconds; 1 flips every byte of the file).
fn offsets_to_flip(bytes: &[u8]) -> Vec<usize> {
    let stride = std::env::var("EVENTSCOPE_SWEEP_STRIDE")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(11)
        .max(1);
    (0..bytes.len())
        .filter(|&offset| offset < 4096 || offset % stride == 0)
        .collect()
}

#[test]
fn every_flipped_byte_is_reported_or_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("log.redb");
    build(&original);
    let bytes = std::fs::read(&original).unwrap();
    let reported = flip_each(&original, offsets_to_flip(&bytes));
    // The sweep must have met damage, or it tested nothing.
    assert!(reported > 100, "only {reported} flips were reported");
}

/// Flips the low bit of each byte at `offsets` in a copy of `original`,
/// one at a time: each reader reports the damage in one line or shows
/// exactly the true data, never panics. Returns how many were reported.
fn flip_each(original: &Path, offsets: impl IntoIterator<Item = usize>) -> usize {
    let bytes = std::fs::read(original).unwrap();
    let truth = show(original).unwrap();
    assert!(truth.iter().all(|(_, view)| view.is_ok()), "{truth:?}");
    let damaged = original.with_file_name("damaged.redb");
    let mut reported = 0;
    for offset in offsets {
        let mut copy = bytes.clone();
        // The low bit: a letter becomes its neighbour (`r` -> `s`), the
        // quietest change a name can suffer.
        copy[offset] ^= 0x01;
        std::fs::write(&damaged, &copy).unwrap();
        match std::panic::catch_unwind(|| show(&damaged)) {
            Err(_) => panic!("a panic with byte {offset} flipped"),
            Ok(Err(message)) => {
                assert!(!message.contains('\n'), "{offset}: {message}");
                reported += 1;
            }
            Ok(Ok(shown)) => {
                let mut damage = false;
                for ((reader, seen), (_, true_view)) in shown.iter().zip(&truth) {
                    match seen {
                        Ok(seen) => assert_eq!(
                            Ok(seen),
                            true_view.as_ref(),
                            "false data from {reader} with byte {offset} flipped"
                        ),
                        Err(message) => {
                            assert!(!message.contains('\n'), "{reader}, {offset}: {message}");
                            damage = true;
                        }
                    }
                }
                reported += usize::from(damage);
            }
        }
    }
    reported
}

/// A log long enough that a scan of it reads ahead on a second thread
/// (2,100 events: 33 blocks), flipped at about 400 offsets spread over the
/// file: damage met by the reading thread is reported as the one-thread
/// scan reports it, never shown, never a panic.
#[test]
fn every_flipped_byte_of_a_longer_log_is_reported_or_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("log.redb");
    {
        let log = EventLog::create(&original).unwrap();
        log.append((0..2100).map(|n| {
            event(
                &format!("order-{}", n % 97),
                ["OrderFiled", "PaymentReceived"][n as usize % 2],
                n,
                &format!(r#"{{"amount":{n},"customer":"customer-{}"}}"#, n % 13),
            )
        }))
        .unwrap();
    }
    let length = std::fs::metadata(&original).unwrap().len() as usize;
    let stride = (length / 400).max(1);
    let reported = flip_each(&original, (4096..length).step_by(stride));
    assert!(reported > 100, "only {reported} flips were reported");
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_eventscope"))
}

#[test]
fn the_binary_reports_damage_in_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("log.redb");
    build(&original);
    let bytes = std::fs::read(&original).unwrap();
    let run = |args: &[&str], path: &Path| {
        Command::new(binary())
            .args(args)
            .arg(path)
            .output()
            .unwrap()
    };
    // The log is the last argument.
    fn args(command: &str) -> Vec<&str> {
        match command {
            "export" => vec!["export", "--db"],
            other => vec![other],
        }
    }
    let truth = |command: &str| {
        let out = run(&args(command), &original);
        assert!(out.status.success());
        out.stdout
    };
    let (true_verify, true_export) = (truth("verify"), truth("export"));
    let damaged = dir.path().join("damaged.redb");
    // Every page's first bytes (headers, keys) and a stride through the
    // rest: a sample, since a process per flip is slow.
    let offsets = (0..bytes.len()).filter(|o| o % 4096 < 16 || o % 499 == 0);
    let mut failures = 0;
    for offset in offsets {
        let mut copy = bytes.clone();
        copy[offset] ^= 0x01;
        for command in ["verify", "export"] {
            std::fs::write(&damaged, &copy).unwrap();
            let out = run(&args(command), &damaged);
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => {
                    let truth = if command == "export" {
                        &true_export
                    } else {
                        &true_verify
                    };
                    assert_eq!(&out.stdout, truth, "{command} at {offset}")
                }
                Some(1) => {
                    assert_eq!(stderr.lines().count(), 1, "{command} at {offset}: {stderr}");
                    failures += 1;
                }
                other => panic!("{command} at {offset}: exit {other:?}: {stderr}"),
            }
        }
    }
    assert!(failures > 10, "only {failures} runs reported damage");
}
