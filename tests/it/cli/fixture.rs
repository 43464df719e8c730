//! What the command-line tests share: a log of a few hostile events, the
//! retail sample imported, a big generated file, an import killed midway.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::*;

pub const GOOD: &str = r#"{"stream":"customer-1","type":"CustomerRegistered","time":"2024-03-01T09:30:00Z","data":{"name":"Ada Lovelace","address":{"city":"London"}},"metadata":{"correlation_id":"flow-1"}}
{"stream":"customer-1","version":2,"type":"CustomerAddressChanged","id":"ada-moves-2","time":"2024-03-02T10:30:00+01:00","data":{"address":{"city":"Leeds"}}}
{"stream":"order-1","type":"OrderPlaced","time":"2024-03-03T09:30:00.5Z","data":{"customer":"customer-1","items":[],"total":0,"note":"tab\there \u001b[31m red"},"metadata":{"correlation_id":"flow-2","causation_id":"cmd-9","extra":{"nested":[1,2]}}}
"#;

/// A source mark of a copy of a Message DB, as written before marks held
/// the server's address.
pub const MESSAGE_DB_MARK: &[u8] = br#"{"message_db":{"server":"PostgreSQL system 7, database message_store","position":1,"id":"i","seq":0}}"#;

/// A log of [`GOOD`], and exports in either format, for the tests of
/// every command.
impl Fixture {
    pub fn log(&self, name: &str) -> PathBuf {
        let input = self.write(&format!("{name}.jsonl"), GOOD);
        let db = self.path(name);
        let out = eventscope(&["import", s(&input), "--db", s(&db)]);
        assert!(out.status.success(), "{}", stderr(&out));
        db
    }

    /// A log of three events with ids of their own: none clashes with
    /// the ids of [`big_bank_file`] (`evt-1`, ...), as [`GOOD`]'s `evt-2`
    /// does, so an import of that file into it runs until it is killed.
    pub fn log_apart_from_the_bank(&self, name: &str) -> PathBuf {
        let lines: String = (1..=3)
            .map(|n| format!("{{\"stream\":\"before-{n}\",\"type\":\"Happened\",\"time\":\"2024-03-01T09:30:00Z\"}}\n"))
            .collect();
        let input = self.write(&format!("{name}.jsonl"), lines);
        let db = self.path(name);
        let out = eventscope(&["import", s(&input), "--db", s(&db)]);
        assert!(out.status.success(), "{}", stderr(&out));
        db
    }

    /// An empty log whose source mark (what `import postgres://...` or
    /// `follow FILE --db` record) is `mark`.
    pub fn log_marked(&self, name: &str, mark: &[u8]) -> PathBuf {
        let path = self.path(name);
        let log = eventscope::store::EventLog::create(&path).unwrap();
        log.append_with(|appender| {
            appender.set_source(mark);
            Ok::<_, eventscope::store::StoreError>(())
        })
        .unwrap();
        path
    }

    pub fn export_as(&self, db: &Path, format: &str) -> String {
        let out = eventscope(&["export", "--db", s(db), "--format", format]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    }
}

pub fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// A large bank log as JSONL: every event for a new stream and with an id
/// [`GOOD`] does not hold, so an import of it would be accepted whole.
pub fn big_bank_file(f: &Fixture) -> PathBuf {
    let big = f.path("big.jsonl");
    let out = eventscope(&[
        "generate",
        "--domain",
        "bank",
        "--events",
        "400000",
        "-o",
        s(&big),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    big
}

/// Imports `file` into `db` through a pipe held open, so that the import
/// cannot end by itself, and kills it without warning once it has read
/// the whole file: a pipe accepts no more than its reader takes, so the
/// writes finishing is the sign that the import is well under way.
#[cfg(unix)]
pub fn kill_an_import_midway(file: &Path, db: &Path) {
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let mut child = binary()
        .args(["import", "-", "--db", s(db)])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = std::fs::read(file).unwrap();
    // Hands the pipe back still open, written or not.
    let feeder = std::thread::spawn(move || {
        let written = stdin.write_all(&text).is_ok();
        (stdin, written)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    while !feeder.is_finished() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        assert!(Instant::now() < deadline, "the import never read its input");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (stdin, written) = feeder.join().unwrap();
    assert!(written, "the import stopped reading its input");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended before it was killed"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed, not ended: {status:?}");
    drop(stdin);
}
