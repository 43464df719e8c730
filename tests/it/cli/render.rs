//! `render` only reads: the log is opened read-only, so the file is left as
//! it was and a log another process reads can be drawn.

use std::os::unix::fs::PermissionsExt;

use crate::support::*;

const VIEWS: [&str; 4] = ["log", "projections", "cqrs", "flows"];

#[test]
fn render_leaves_a_read_only_log_byte_for_byte_and_its_mtime() {
    let f = Fixture::new();
    let db = f.retail();
    // Tests run as root here, so mode 444 alone refuses nothing: what is
    // checked is that the file's bytes and mtime do not change.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let bytes = std::fs::read(&db).unwrap();
    let mtime = std::fs::metadata(&db).unwrap().modified().unwrap();
    for view in VIEWS {
        let out = eventscope(&["render", s(&db), "--view", view, "--at", "20"]);
        assert!(out.status.success(), "{view}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty(), "{view}");
        assert!(
            std::fs::read(&db).unwrap() == bytes,
            "{view}: the log changed"
        );
        let after = std::fs::metadata(&db).unwrap().modified().unwrap();
        assert_eq!(after, mtime, "{view}: not even touched");
    }
}

/// redb lets read-only openers share a file but refuses a writer beside
/// them: drawing a log this test holds read-only proves `render` asked
/// for no more than reading, even when run as root.
#[test]
fn render_draws_a_log_that_another_process_reads() {
    let f = Fixture::new();
    let db = f.retail();
    let held = eventscope::store::EventLog::open_read_only(&db).unwrap();
    for view in VIEWS {
        let out = eventscope(&["render", s(&db), "--view", view]);
        assert!(out.status.success(), "{view}: {}", stderr(&out));
    }
    drop(held);
}

#[test]
fn render_still_imports_a_jsonl_file_for_the_drawing() {
    let out = eventscope(&["render", s(&sample("bank.jsonl"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("account-1"), "{}", stdout(&out));
}

/// A redb file that is not an eventscope log is said to be so, and never
/// opened for writing (which rewrites a redb file's header).
#[test]
fn render_of_a_redb_file_that_is_not_a_log_leaves_it_as_it_was() {
    let f = Fixture::new();
    let path = f.path("other.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let table: redb::TableDefinition<u64, u64> = redb::TableDefinition::new("not-ours");
        txn.open_table(table).unwrap().insert(1, 2).unwrap();
        txn.commit().unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let out = eventscope(&["render", s(&path)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not an eventscope log"),
        "{}",
        stderr(&out)
    );
    assert!(std::fs::read(&path).unwrap() == before, "the bytes changed");
}

/// A log whose event types cannot be read is drawn as unreadable, with
/// its damage, never as a log of no events, and render exits 1 saying so.
#[test]
fn render_of_a_log_whose_types_are_damaged_shows_damage_not_an_empty_log() {
    let f = Fixture::new();
    let db = f.retail();
    let mut bytes = std::fs::read(&db).unwrap();
    let at = bytes
        .windows(b"CustomerDeactivated".len())
        .position(|w| w == b"CustomerDeactivated")
        .unwrap();
    bytes[at + 3] ^= 0x20;
    std::fs::write(&db, &bytes).unwrap();
    let out = eventscope(&["render", s(&db)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let screen = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        screen.contains("Log: unreadable") && screen.contains("Types: unreadable"),
        "{screen}"
    );
    assert!(
        !screen.contains("(no events)") && !screen.contains("Log: 0 events"),
        "{screen}"
    );
    assert!(
        stderr(&out).contains("the log is damaged"),
        "{}",
        stderr(&out)
    );
}
