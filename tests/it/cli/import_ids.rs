//! Ids are unique in a log: a re-import is refused, naming the line and the
//! seq, or with `--skip-existing` continues where the log stopped.

use crate::support::*;

const EVENTS: &str = r#"{"stream":"customer-1","type":"CustomerRegistered","id":"evt-1","time":"2024-03-01T09:30:00Z","data":{"name":"Ada"}}
{"stream":"customer-1","type":"CustomerAddressChanged","id":"evt-2","time":"2024-03-02T10:30:00Z","data":{"address":{"city":"Leeds"}}}
{"stream":"order-1","type":"OrderPlaced","time":"2024-03-03T09:30:00Z","data":{"customer":"customer-1"}}
"#;

const ONE_MORE: &str = r#"{"stream":"order-1","type":"OrderPaid","id":"evt-4","time":"2024-03-04T09:30:00Z","data":{"amount":5}}
"#;

#[test]
fn importing_the_same_file_twice_is_refused_naming_the_line_and_seq() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.jsonl");
    std::fs::write(&input, EVENTS).unwrap();
    let db = dir.path().join("log.redb");
    assert!(
        eventscope(&["import", s(&input), "--db", s(&db)])
            .status
            .success()
    );
    let again = eventscope(&["import", s(&input), "--db", s(&db)]);
    assert_eq!(again.status.code(), Some(1));
    let message = stderr(&again);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("line 1") && message.contains("evt-1") && message.contains("seq 1"),
        "{message}"
    );
    let verify = eventscope(&["verify", s(&db)]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("ok: 3 events"));
}

#[test]
fn skip_existing_continues_where_the_log_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("log.redb");
    let first = dir.path().join("first.jsonl");
    std::fs::write(&first, EVENTS).unwrap();
    assert!(
        eventscope(&["import", s(&first), "--db", s(&db)])
            .status
            .success()
    );
    // The export names every event's id and version, so it re-imports as
    // itself; with one event more, only that one is appended.
    let exported = eventscope(&["export", "--db", s(&db)]);
    assert!(exported.status.success());
    let longer = dir.path().join("longer.jsonl");
    let mut text = exported.stdout.clone();
    text.extend_from_slice(ONE_MORE.as_bytes());
    std::fs::write(&longer, &text).unwrap();
    for _ in 0..2 {
        let out = eventscope(&["import", s(&longer), "--db", s(&db), "--skip-existing"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = eventscope(&["export", "--db", s(&db)]);
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[3].contains(r#""seq":4"#) && lines[3].contains("evt-4"));

    // The same id with other contents is not a re-import.
    let changed = dir.path().join("changed.jsonl");
    std::fs::write(&changed, EVENTS.replace("Ada", "Grace")).unwrap();
    let out = eventscope(&["import", s(&changed), "--db", s(&db), "--skip-existing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("line 1") && stderr(&out).contains("other contents"),
        "{}",
        stderr(&out)
    );
}
