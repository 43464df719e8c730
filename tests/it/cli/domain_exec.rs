//! `exec` with a domain file's commands: named with `--domain` or found
//! beside the log, in both forms; accepted (the events as JSON lines),
//! rejected by a rule (exit 1, the reason, the log as it was), a conflict.

use crate::support::*;
use serde_json::{Value, json};

const BORROW_BOOK_3: &str = "BorrowBook book-3 member=member-1 due=2024-06-20";

/// The library sample imported as `lib.redb`, with no domain file beside it.
fn library(f: &Fixture) -> std::path::PathBuf {
    f.import("lib.redb", &sample("library.jsonl"))
}

fn domain() -> std::path::PathBuf {
    sample("library.domain.toml")
}

fn exec_with_domain(log: &std::path::Path, command: &str) -> std::process::Output {
    let domain = domain();
    eventscope(&["exec", s(log), command, "--domain", s(&domain)])
}

fn lines(out: &std::process::Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        stderr(out)
    );
    stdout(out)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

#[test]
fn an_accepted_command_prints_its_events_and_its_policys_as_json_lines() {
    let f = Fixture::new();
    let log = library(&f);
    let events = lines(&exec_with_domain(&log, "ReturnBook book-1 days_late=2"));
    assert_eq!(events.len(), 2);
    let (returned, fined) = (&events[0], &events[1]);
    assert_eq!(
        (&returned["stream"], &returned["type"], &returned["seq"]),
        (&json!("book-1"), &json!("BookReturned"), &json!(35))
    );
    assert_eq!(
        returned["data"],
        json!({"member": "member-2", "days_late": 2})
    );
    assert_eq!(
        (&fined["stream"], &fined["type"], &fined["version"]),
        (&json!("member-2"), &json!("FineCharged"), &json!(3))
    );
    assert_eq!(fined["data"], json!({"amount": 40, "book": "book-1"}));
    assert_eq!(fined["metadata"]["causation_id"], returned["id"]);
    assert_eq!(
        fined["metadata"]["correlation_id"],
        returned["metadata"]["correlation_id"]
    );
    // They are in the log, where export finds them.
    let export = f.export(&log);
    assert_eq!(version_of(&export, "member-2"), 3);
    assert_eq!(version_of(&export, "book-1"), 5);
}

#[test]
fn both_forms_of_a_file_command_are_accepted() {
    let f = Fixture::new();
    let log = library(&f);
    let short = lines(&exec_with_domain(
        &log,
        &format!("{BORROW_BOOK_3} expected_version=3"),
    ));
    assert_eq!(short.len(), 1);
    assert_eq!(short[0]["type"], "BookBorrowed");
    assert_eq!(
        short[0]["data"],
        json!({"member": "member-1", "due": "2024-06-20"})
    );
    let returned = lines(&exec_with_domain(
        &log,
        r#"{"type":"ReturnBook","stream":"book-3","data":{"days_late":0},"expected_version":4}"#,
    ));
    assert_eq!(returned.len(), 1, "on time: no fine");
    assert_eq!(
        returned[0]["data"],
        json!({"member": "member-1", "days_late": 0})
    );
    assert_eq!(returned[0]["version"], 5);
}

#[test]
fn a_rule_that_holds_exits_1_with_its_reason_and_leaves_the_log_as_it_was() {
    let f = Fixture::new();
    let log = library(&f);
    let before = std::fs::read(&log).unwrap();
    let cases = [
        (
            "BorrowBook book-1 member=member-1 due=2024-06-20",
            "book-1 is on loan to member-2",
        ),
        (
            r#"{"type":"PayFine","stream":"member-3","data":{"amount":100}}"#,
            "member-3 owes only 80 cents",
        ),
        (
            "JoinLibrary member-2 name=K email=k@example.org",
            "member-2 is already a member",
        ),
    ];
    for (command, reason) in cases {
        let out = exec_with_domain(&log, command);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!("error: rejected: {reason}\n"),
            "{command}"
        );
        assert_eq!(stdout(&out), "", "{command}");
        assert!(
            std::fs::read(&log).unwrap() == before,
            "{command}: the log changed"
        );
    }
}

#[test]
fn a_stale_expected_version_is_a_conflict_in_both_forms() {
    let f = Fixture::new();
    let log = library(&f);
    let before = std::fs::read(&log).unwrap();
    for command in [
        format!("{BORROW_BOOK_3} expected_version=2"),
        r#"{"type":"BorrowBook","stream":"book-3","data":{"member":"member-1","due":"2024-06-20"},"expected_version":2}"#.to_string(),
    ] {
        let out = exec_with_domain(&log, &command);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert_eq!(
            stderr(&out),
            "error: conflict: book-3 is at version 3, not 2; nothing written\n",
            "{command}"
        );
        assert_eq!(stdout(&out), "");
        assert!(std::fs::read(&log).unwrap() == before, "{command}: the log changed");
    }
}

#[test]
fn the_domain_file_beside_the_log_is_found_and_said() {
    let f = Fixture::new();
    let log = f.import("library.redb", &sample("library.jsonl"));
    // Without a file, the library's commands are unknown.
    let out = eventscope(&["exec", s(&log), BORROW_BOOK_3]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: unknown command `BorrowBook`; the known ones are"),
        "{}",
        stderr(&out)
    );
    std::fs::copy(domain(), f.path("library.domain.toml")).unwrap();
    let out = eventscope(&["exec", s(&log), BORROW_BOOK_3]);
    let events = lines(&out);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "BookBorrowed");
    assert!(
        stderr(&out).starts_with("note: reading the domain file ")
            && stderr(&out).contains("library.domain.toml beside the log"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_command_that_does_not_fit_the_file_is_one_line_and_touches_nothing() {
    let f = Fixture::new();
    let log = library(&f);
    let before = std::fs::read(&log).unwrap();
    let cases = [
        (
            "BorrowBook member-1 member=member-1 due=x",
            "BorrowBook targets book-<id> streams, not `member-1`",
        ),
        ("BorrowBook book-3 due=x", "BorrowBook needs `member`"),
        (
            "ReturnBook book-3 days_late=late",
            "`days_late` must be a number",
        ),
        (
            r#"{"type":"ReturnBook","stream":"book-3","data":{"days_late":1,"fee":2}}"#,
            "ReturnBook takes no field `fee`",
        ),
    ];
    for (command, message) in cases {
        let out = exec_with_domain(&log, command);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert_eq!(stderr(&out), format!("error: {message}\n"), "{command}");
        assert!(
            std::fs::read(&log).unwrap() == before,
            "{command}: the log changed"
        );
    }
}

#[test]
fn an_expression_failing_at_run_time_names_its_place_and_writes_nothing() {
    let f = Fixture::new();
    let log = library(&f);
    let before = std::fs::read(&log).unwrap();
    let broken = f.write(
        "broken.domain.toml",
        r#"name = "broken"

[commands.ReturnBook]
stream = "book"
fields = { days_late = "number" }
rules = [{ reject_if = '$command.days_late | ascii_downcase', reason = '"x"' }]
emit = [{ type = "BookReturned", data = '{}' }]
"#,
    );
    let out = eventscope(&[
        "exec",
        s(&log),
        "ReturnBook book-1 days_late=1",
        "--domain",
        s(&broken),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("broken.domain.toml:6:25: "), "{err}");
    assert!(std::fs::read(&log).unwrap() == before, "the log changed");
}
