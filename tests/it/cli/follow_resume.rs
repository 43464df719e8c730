//! `follow FILE --db LOG` into a log that already holds something: it
//! resumes only a log that followed that very file, still as it was, and
//! refuses anything else in one line, the log as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eventscope::store::EventLog;

use super::fixture::MESSAGE_DB_MARK;
use crate::support::{Fixture, s, spawn, stderr};

/// An event with neither id nor version: only its line tells it apart.
fn id_less_line(n: usize) -> String {
    format!("{{\"stream\":\"s\",\"type\":\"T{n}\",\"data\":{{}}}}\n")
}

/// A log `follow FILE --db LOG` filled from `name`, holding `lines` lines.
fn filled_from(fixture: &Fixture, name: &str, lines: usize) -> (PathBuf, PathBuf) {
    use std::io::BufRead;
    let text: String = (1..=lines).map(id_less_line).collect();
    let file = fixture.write(name, text);
    let db = fixture.path("kept.redb");
    let mut filler = spawn(
        &["follow", s(&file), "--db", s(&db), "--print"],
        std::process::Stdio::null(),
    );
    let mut printed = std::io::BufReader::new(filler.stdout.take().unwrap()).lines();
    for _ in 0..lines {
        printed.next().expect("an event printed").unwrap();
    }
    filler.kill().unwrap();
    filler.wait().unwrap();
    // Killed, it left the log for redb to recover on the next open: done
    // here, so that the refusals below are seen to leave it as it is.
    drop(EventLog::open(&db).unwrap());
    (file, db)
}

/// Runs `follow FILE --db LOG --print` and returns its one line of error,
/// after checking it exits 1 (rather than following) and leaves `db` byte
/// for byte as it was.
fn refused(file: &Path, db: &Path) -> String {
    let before = std::fs::read(db).ok();
    let mut child = spawn(
        &["follow", s(file), "--db", s(db), "--print"],
        std::process::Stdio::null(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "still following after 30 s, not refused; printed: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let error = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    assert_eq!(output.stdout, b"", "nothing printed");
    assert!(std::fs::read(db).ok() == before, "byte for byte");
    error
}

fn types(db: &Path) -> Vec<String> {
    EventLog::open_read_only(db)
        .unwrap()
        .read(1, usize::MAX, false)
        .unwrap()
        .iter()
        .map(|event| event.event_type.to_string())
        .collect()
}

#[test]
fn a_file_rewritten_since_its_log_followed_it_is_refused() {
    let fixture = Fixture::new();
    let (file, db) = filled_from(&fixture, "growing.jsonl", 2);
    // Rotated: a new file under the same name, longer than the old one,
    // whose first lines the log never took.
    let rotated: String = [7, 8, 9].into_iter().map(id_less_line).collect();
    std::fs::write(&file, rotated).unwrap();
    let error = refused(&file, &db);
    assert_eq!(
        error,
        format!(
            "error: {0} no longer holds the line 2 the log took last (it was rewritten or \
             replaced since), since {1} followed it: follow it into a new log (`eventscope \
             follow {0} --db NEW.redb`)\n",
            file.display(),
            db.display()
        )
    );
    assert_eq!(types(&db), ["T1", "T2"]);
}

#[test]
fn a_file_truncated_since_its_log_followed_it_is_refused() {
    let fixture = Fixture::new();
    let (file, db) = filled_from(&fixture, "growing.jsonl", 2);
    std::fs::write(&file, id_less_line(1)).unwrap();
    let error = refused(&file, &db);
    assert!(
        error.contains("bytes long but the log took lines up to byte"),
        "{error}"
    );
    assert!(
        error.contains(&format!(
            "`eventscope follow {} --db NEW.redb`",
            file.display()
        )),
        "{error}"
    );
}

#[test]
fn a_copy_of_a_message_db_is_not_followed_into() {
    let fixture = Fixture::new();
    let db = fixture.log_marked("copy.redb", MESSAGE_DB_MARK);
    let file = fixture.write("growing.jsonl", id_less_line(1));
    let error = refused(&file, &db);
    assert!(
        error.contains("is a copy of a Message DB, not a log that followed"),
        "{error}"
    );
}

#[test]
fn a_log_that_followed_another_file_is_not_followed_into() {
    let fixture = Fixture::new();
    let (first, db) = filled_from(&fixture, "first.jsonl", 1);
    let second = fixture.write("second.jsonl", id_less_line(5));
    let error = refused(&second, &db);
    assert!(
        error.contains(&format!(
            "followed {}, not {}",
            first.display(),
            second.display()
        )),
        "{error}"
    );
    assert_eq!(types(&db), ["T1"]);
}

#[test]
fn a_log_written_to_since_it_followed_its_file_is_not_read_again_from_line_1() {
    let fixture = Fixture::new();
    let (file, db) = filled_from(&fixture, "growing.jsonl", 2);
    let log = EventLog::open(&db).unwrap();
    let data = eventscope::Json::from_value(&serde_json::json!({}));
    log.append(vec![eventscope::NewEvent::new(
        "other",
        "Written",
        eventscope::Timestamp::from_unix_millis(0),
        data,
    )])
    .unwrap();
    drop(log);
    let error = refused(&file, &db);
    assert!(
        error.contains("has events after seq 2 (up to 3) that were not read from"),
        "{error}"
    );
    assert_eq!(types(&db), ["T1", "T2", "Written"], "no line taken twice");
}

#[test]
fn a_mark_written_before_line_spans_were_kept_is_refused() {
    let fixture = Fixture::new();
    let file = fixture.write("growing.jsonl", id_less_line(1));
    let mark = serde_json::json!({"file": {
        "path": std::path::absolute(&file).unwrap(),
        "format": null, "stream_from": "key", "line": 1, "seq": 0,
    }});
    let db = fixture.log_marked("old.redb", mark.to_string().as_bytes());
    let error = refused(&file, &db);
    assert!(
        error.contains("was followed by an eventscope that did not record where its last line lay"),
        "{error}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_whose_name_is_not_utf8_is_refused_a_mark() {
    use std::os::unix::ffi::OsStrExt;
    let fixture = Fixture::new();
    let file = fixture
        .path("x")
        .with_file_name(std::ffi::OsStr::from_bytes(b"bad\xff.jsonl"));
    std::fs::write(&file, id_less_line(1)).unwrap();
    let db = fixture.path("kept.redb");
    let mut child = crate::support::binary()
        .arg("follow")
        .arg(&file)
        .args(["--db", s(&db), "--print"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still following after 30 s, not refused");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let error = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    assert!(
        error.contains("its name is not UTF-8; rename the file, or follow it without --db"),
        "{error}"
    );
    assert!(!db.exists(), "no log made");
}

#[test]
fn standard_input_is_not_followed_into_a_log_that_followed_a_file() {
    use std::io::Write;
    let fixture = Fixture::new();
    let (_file, db) = filled_from(&fixture, "growing.jsonl", 1);
    let before = std::fs::read(&db).unwrap();
    let mut child = spawn(
        &["follow", "-", "--db", s(&db), "--print"],
        std::process::Stdio::piped(),
    );
    let mut stdin = child.stdin.take().unwrap();
    // Refused before it reads: the pipe may be closed by then.
    let _ = stdin.write_all(id_less_line(2).as_bytes());
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let error = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(
        error,
        format!(
            "error: {} records a source of its own (a file it followed, or a Message DB): \
             follow standard input into a new log\n",
            db.display()
        )
    );
    assert!(std::fs::read(&db).unwrap() == before, "byte for byte");
}
