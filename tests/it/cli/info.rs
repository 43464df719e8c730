//! `eventscope info`, run as a user runs it.

use crate::support::*;

#[test]
fn info_reports_counts_in_text_and_json() {
    let f = Fixture::new();
    let db = f.log("log");
    let out = eventscope(&["info", s(&db), "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["events"], 3);
    assert_eq!(info["streams"], 2);
    assert_eq!(info["types"]["OrderPlaced"], 1);
    assert_eq!(info["first_time"], "2024-03-01T09:30:00Z");
    let text = stdout(&eventscope(&["info", s(&db)]));
    assert!(text.contains("events     3"), "{text}");
    assert!(text.contains("CustomerAddressChanged"), "{text}");
}

/// Event data is untrusted: what the command line prints for people never
/// carries its control characters to the terminal.
#[test]
fn hostile_names_are_printed_escaped() {
    let f = Fixture::new();
    let input = f.write(
        "hostile.jsonl",
        "{\"stream\":\"order-1\\u001b[2J\",\"type\":\"Placed\\u0007\",\"time\":\"2024-03-01T09:30:00Z\"}\n",
    );
    let db = f.path("hostile.redb");
    assert!(
        eventscope(&["import", s(&input), "--db", s(&db)])
            .status
            .success()
    );
    let info = eventscope(&["info", s(&db)]);
    let text = stdout(&info);
    assert!(text.contains("Placed\\u{7}"), "{text}");
    let conflict = f.write(
        "conflict.jsonl",
        "{\"stream\":\"order-1\\u001b[2J\",\"version\":9,\"type\":\"X\",\"time\":\"2024-03-01T09:30:00Z\"}\n",
    );
    let failed = eventscope(&["import", s(&conflict), "--db", s(&db)]);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    assert!(message.contains("order-1\\e[2J"), "{message}");
    for output in [&info.stdout, &info.stderr, &failed.stdout, &failed.stderr] {
        assert!(
            !output.iter().any(|&b| b == 0x1b || b == 0x07),
            "a control character reached the terminal"
        );
    }
}
