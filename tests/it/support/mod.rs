//! Running the binary as a user does, for the command-line tests.
#![allow(dead_code)]

pub mod git_repo;
pub mod postgres;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventscope"))
}

pub fn eventscope(args: &[&str]) -> Output {
    binary().args(args).output().expect("the binary runs")
}

/// The binary started with `args`, its stdout and stderr piped back.
pub fn spawn(args: &[&str], stdin: Stdio) -> Child {
    binary()
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn s(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

/// `args` with stdout a pipe whose reading end is closed before the
/// command writes anything, stdin closed, stderr captured.
pub fn with_stdout_closed(args: &[&str]) -> Output {
    let mut child = binary()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Dropping the reading end: every write the command makes meets EPIPE.
    drop(child.stdout.take());
    child.wait_with_output().expect("the binary ends")
}

/// `args` with stdout on /dev/full: every write fails with ENOSPC.
pub fn with_stdout_full(args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists");
    binary()
        .args(args)
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

/// A directory for one test's files.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("the fixture file is written");
        path
    }

    /// A log imported from `file` (a sample name or a path).
    pub fn import(&self, name: &str, file: &Path) -> PathBuf {
        let db = self.path(name);
        let out = eventscope(&["import", s(file), "--db", s(&db)]);
        assert!(out.status.success(), "{}", stderr(&out));
        db
    }

    pub fn bank(&self) -> PathBuf {
        self.import("bank.redb", &sample("bank.jsonl"))
    }

    pub fn retail(&self) -> PathBuf {
        self.import("retail.redb", &sample("retail.jsonl"))
    }

    pub fn export(&self, db: &Path) -> String {
        let out = eventscope(&["export", "--db", s(db)]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    }
}

/// The stored version of `stream`: its last event's, 0 when it has none.
pub fn version_of(export: &str, stream: &str) -> u64 {
    export
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["stream"] == stream)
        .filter_map(|event| event["version"].as_u64())
        .max()
        .unwrap_or(0)
}
