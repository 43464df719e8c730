//! `eventscope LOG --follow` refusing what it cannot follow: one line
//! each, saying what to run instead, exit 1, the log as it was.

use eventscope::store::EventLog;

use super::fixture::MESSAGE_DB_MARK;
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
             (`eventscope import postgres://... --db {0}`) nor filled by `eventscope follow \
             FILE --db {0}`; open it without --follow\n",
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
    let path = fixture.log_marked("old.redb", MESSAGE_DB_MARK);
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

/// A log `follow FILE --db LOG` filled, by running it on a file that
/// stays as it is until the test kills it (once it printed `lines`).
fn filled_from_a_file(fixture: &Fixture, lines: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let text: String = (1..=lines).map(id_less_line).collect();
    let file = fixture.write("growing.jsonl", text);
    let db = fixture.path("kept.redb");
    follow_printing(&file, &db, lines);
    (file, db)
}

/// An event with neither id nor version: only its line tells it apart.
fn id_less_line(n: usize) -> String {
    format!("{{\"stream\":\"s\",\"type\":\"T{n}\",\"data\":{{}}}}\n")
}

/// Runs `follow FILE --db LOG --print` until it printed `lines` events,
/// then kills it (a file is followed until then).
fn follow_printing(file: &std::path::Path, db: &std::path::Path, lines: usize) {
    use std::io::BufRead;
    let mut filler = crate::support::spawn(
        &["follow", s(file), "--db", s(db), "--print"],
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
    drop(EventLog::open(db).unwrap());
}

#[test]
fn following_the_same_file_into_its_log_again_takes_only_the_new_lines() {
    let fixture = Fixture::new();
    let (file, db) = filled_from_a_file(&fixture, 2);
    let mut growing = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    std::io::Write::write_all(&mut growing, id_less_line(3).as_bytes()).unwrap();
    follow_printing(&file, &db, 1);
    let types: Vec<String> = EventLog::open_read_only(&db)
        .unwrap()
        .read(1, usize::MAX, false)
        .unwrap()
        .iter()
        .map(|event| event.event_type.to_string())
        .collect();
    assert_eq!(types, ["T1", "T2", "T3"], "each line once");
}

#[test]
fn a_log_written_to_since_it_followed_a_file_is_not_resumed_blindly() {
    let fixture = Fixture::new();
    let (file, db) = filled_from_a_file(&fixture, 2);
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
    let error = refused(&db);
    assert!(
        error.contains("has events after seq 2 (up to 3) that were not read from"),
        "{error}"
    );
    assert!(
        error.contains(&format!("run `eventscope follow {}", file.display())),
        "{error}"
    );
}

#[test]
fn a_log_whose_file_is_gone_says_which_file() {
    let fixture = Fixture::new();
    let (file, db) = filled_from_a_file(&fixture, 1);
    std::fs::remove_file(&file).unwrap();
    let error = refused(&db);
    assert!(
        error.starts_with(&format!(
            "error: cannot read {}, the file {} follows:",
            file.display(),
            db.display()
        )),
        "{error}"
    );
}

#[test]
fn a_log_whose_file_was_rewritten_since_is_not_resumed() {
    let fixture = Fixture::new();
    let (file, db) = filled_from_a_file(&fixture, 2);
    // Rewritten in place, as long as before: the line count alone would
    // resume after its second line.
    let rewritten: String = [4, 5, 6].into_iter().map(id_less_line).collect();
    std::fs::write(&file, rewritten).unwrap();
    let error = refused(&db);
    assert_eq!(
        error,
        format!(
            "error: {0} no longer holds the line 2 the log took last (it was rewritten or \
             replaced since), since {1} followed it: run `eventscope follow {0} --db \
             NEW.redb` to follow it into a new log\n",
            file.display(),
            db.display()
        )
    );
}
