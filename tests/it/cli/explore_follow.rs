//! `eventscope LOG --follow` refusing what it cannot follow: one line
//! each, saying what to run instead, exit 1, the log as it was.

use eventscope::store::EventLog;

use crate::support::{Fixture, eventscope, s, sample, stderr};

/// Runs `eventscope LOG --follow` and returns its one line of error,
/// after checking exit 1 and that `log` is byte for byte as it was.
fn refused(log: &std::path::Path) -> String {
    let before = std::fs::read(log).unwrap();
    let output = eventscope(&[s(log), "--follow"]);
    let error = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    assert!(std::fs::read(log).unwrap() == before, "byte for byte");
    error
}

#[test]
fn a_log_with_no_source_has_nothing_to_follow() {
    let fixture = Fixture::new();
    let log = fixture.retail();
    let error = refused(&log);
    assert_eq!(
        error,
        format!(
            "error: {0} has no source to follow: it was not copied from a Message DB \
             (`eventscope import postgres://... --db {0}`); open it without --follow\n",
            log.display()
        )
    );
}

#[test]
fn a_log_held_by_another_process_says_what_to_run_instead() {
    let fixture = Fixture::new();
    let log = fixture.retail();
    let held = EventLog::open(&log).unwrap();
    let error = refused(&log);
    drop(held);
    assert!(
        error.starts_with(&format!(
            "error: {} is held by another process (such as `eventscope import postgres://",
            log.display()
        )),
        "{error}"
    );
    assert!(
        error.contains(&format!(
            "stop that process and run `eventscope {} --follow`",
            log.display()
        )),
        "{error}"
    );
}

#[test]
fn a_log_copied_before_addresses_were_recorded_says_how_to_record_one() {
    let fixture = Fixture::new();
    let path = fixture.path("old.redb");
    let log = EventLog::create(&path).unwrap();
    let mark = br#"{"message_db":{"server":"PostgreSQL system 7, database message_store","position":1,"id":"i","seq":0}}"#;
    log.append_with(|appender| {
        appender.set_source(mark);
        Ok::<_, eventscope::store::StoreError>(())
    })
    .unwrap();
    drop(log);
    let error = refused(&path);
    assert!(
        error.contains("was copied from PostgreSQL system 7, database message_store before"),
        "{error}"
    );
    assert!(
        error.contains("eventscope import postgres://USER@HOST:PORT/DB --db"),
        "{error}"
    );
}

#[test]
fn a_jsonl_file_is_followed_with_the_follow_command() {
    let error = refused(&sample("retail.jsonl"));
    assert!(
        error.contains(
            "is a text file, not a log: follow a growing JSONL file with `eventscope follow"
        ),
        "{error}"
    );
}

#[test]
fn follow_needs_a_log() {
    let output = eventscope(&["--follow"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}
