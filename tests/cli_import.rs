//! `import`, and the explorer opening text files: hostile and racing
//! input, interruptions, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventscope"))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Waits for `child` at most `limit`, polling; kills it and fails the test
/// if it is still running then.
fn wait_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs eventscope with `args`, failing the test if it takes over a minute.
fn run_within_a_minute(args: &[&str]) -> Output {
    let mut child = binary()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Output is small; a child that wrote much would block on the pipe.
    let status = wait_within(&mut child, Duration::from_secs(60), &args.join(" "));
    let mut output = child.wait_with_output().unwrap();
    output.status = status;
    output
}

const T: &str = "2024-03-01T09:30:00Z";

fn native_line(stream: &str, version: Option<u64>) -> String {
    let version = version.map_or(String::new(), |v| format!(",\"version\":{v}"));
    format!("{{\"stream\":\"{stream}\"{version},\"type\":\"Happened\",\"time\":\"{T}\"}}\n")
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A file whose second line is a version conflict, with 25,000 lines after.
fn conflict_early(dir: &Path) -> PathBuf {
    let mut text = native_line("a", None) + &native_line("b", Some(5));
    for n in 0..25_000 {
        text += &native_line(&format!("c-{n}"), None);
    }
    let path = dir.join("conflict.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_early_conflict_with_much_input_after_it_ends_every_importer() {
    let dir = temp_dir();
    let file = conflict_early(dir.path());
    let db = dir.path().join("log.redb");
    for args in [
        vec!["import", s(&file), "--db", s(&db)],
        vec!["render", s(&file)],
        vec![s(&file)],
    ] {
        let out = run_within_a_minute(&args);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {message}");
        assert!(
            message.starts_with("error: ") && message.contains("line 2: version conflict on b"),
            "{args:?}: {message}"
        );
        assert!(!db.exists());
    }
}
