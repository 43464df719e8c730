//! `eventscope files`, run as a user runs it.

use super::fixture::*;
use crate::support::*;

#[test]
fn read_only_commands_leave_the_file_byte_for_byte() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = std::fs::read(&db).unwrap();
    for args in [
        vec!["info", s(&db)],
        vec!["info", s(&db), "--json"],
        vec!["verify", s(&db)],
        vec!["export", "--db", s(&db)],
    ] {
        let out = eventscope(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn damaged_and_foreign_files_get_one_clear_line() {
    let f = Fixture::new();
    let db = f.log("log");
    let empty = f.write("empty.redb", b"");
    let text = f.write("notes.txt", "not a log\n".repeat(500));
    let truncated = f.path("truncated.redb");
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let flipped = f.path("flipped.redb");
    let mut damaged = bytes.clone();
    let at = damaged
        .windows(b"Ada Lovelace".len())
        .position(|w| w == b"Ada Lovelace")
        .unwrap();
    damaged[at + 2] ^= 0x20;
    std::fs::write(&flipped, &damaged).unwrap();

    for (path, expected) in [
        (&empty, "is an empty file"),
        (&text, "not an eventscope log"),
        (&truncated, ""),
        (&f.path("missing.redb"), "does not exist"),
    ] {
        let out = eventscope(&["info", s(path)]);
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let message = stderr(&out);
        let first = message.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{message}");
        assert!(first.contains(expected), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
    // A flipped byte inside an event: counts still read, the event is
    // reported as damaged wherever it is read, never shown.
    for args in [
        vec!["export", "--db", s(&flipped)],
        vec!["verify", s(&flipped)],
    ] {
        let out = eventscope(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("event 1 is damaged"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!stdout(&out).contains("Ada"), "damaged data is never shown");
    }
}

#[test]
fn a_log_held_open_by_another_process_is_locked() {
    let f = Fixture::new();
    let db = f.log("log");
    let held = eventscope::store::EventLog::open(&db).unwrap();
    for args in [vec!["info", s(&db)], vec!["export", "--db", s(&db)]] {
        let out = eventscope(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("is locked"), "{}", stderr(&out));
    }
    let input = f.write("more.jsonl", GOOD);
    let out = eventscope(&["import", s(&input), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is locked"), "{}", stderr(&out));
    drop(held);
}

/// A log left open by a killed writer is recovered by the next opener,
/// read-only commands included; its committed events are all there.
#[cfg(unix)]
#[test]
fn a_log_left_by_a_killed_writer_opens_again() {
    let f = Fixture::new();
    let db = f.log_apart_from_the_bank("log");
    let before = f.export_as(&db, "native");
    let big = big_bank_file(&f);
    kill_an_import_midway(&big, &db);
    // Straight to a read-only command: no "damaged" on a log that is whole.
    let info = eventscope(&["info", s(&db), "--json"]);
    assert!(info.status.success(), "{}", stderr(&info));
    assert_eq!(f.export_as(&db, "native"), before);
    let missing = eventscope(&["import", s(&big), "--db", "/no/such/dir/x.redb"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).starts_with("error: cannot create /no/such/dir/x.redb"),
        "{}",
        stderr(&missing)
    );
}
