//! Event text a terminal would draw wrongly, and payloads a tree cannot
//! hold: the explorer shows each truly, never shifted, never as `null`.

mod ui_support;

use eventscope::{Json, NewEvent, Timestamp};
use serde_json::value::RawValue;
use ui_support::Harness;

fn raw(text: &str) -> Json {
    Json::from_raw(&RawValue::from_string(text.to_string()).unwrap())
}

fn with_data(data: Json) -> NewEvent {
    NewEvent::new(
        "odd-1",
        "OddThing",
        Timestamp::from_unix_millis(1_709_283_600_000),
        data,
    )
}

/// Payloads a log written before the import refused them may hold.
#[test]
fn a_payload_that_cannot_be_a_tree_shows_why_never_null() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let cases = [
        (deep.as_str(), "nesting deeper than 127"),
        (
            r#"{"n":1e400}"#,
            "a number beyond what a 64-bit float holds",
        ),
        (r#"{"s":"\ud800"}"#, "a lone surrogate escape in a string"),
    ];
    for (text, why) in cases {
        let mut h = Harness::with_events(vec![with_data(raw(text))], 200, 30);
        assert_eq!(h.app_event(1).data.as_str(), text, "stored as written");
        let screen = h.screen(200, 30);
        assert!(!screen.contains("data: null"), "{text}:\n{screen}");
        let shown = format!("(cannot be shown: {why})");
        assert!(
            screen
                .lines()
                .any(|row| row.contains("│ data ") && row.contains(&shown)),
            "{text}:\n{screen}"
        );
        // The CQRS view and the projections view draw it too, and live.
        h.keys("3");
        let _ = h.screen(120, 30);
        h.keys("2");
        let _ = h.screen(120, 30);
    }
}
