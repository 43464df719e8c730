//! JSON written to stdout holds no character a terminal would act on or
//! draw unpredictably (C1 controls, bidi overrides, DEL...): each is a
//! `\uXXXX` escape, and the text parses to the same values.

use crate::support::*;
use eventscope::escape::needs_escape;
use serde_json::Value;

const STREAM: &str = "account-1\u{9b}2J\u{202e}\u{7f}";
const TYPE: &str = "AccountOpened\u{9b}";
const OWNER: &str = "Eve\u{9b}31m\u{202e}gnp.exe\u{7f}";

/// A log with hostile characters in a stream, a type, data and metadata.
fn hostile_log(f: &Fixture) -> std::path::PathBuf {
    let first = serde_json::json!({
        "stream": STREAM, "type": TYPE, "time": "2024-03-01T09:30:00Z",
        "data": {"owner": OWNER, "\u{9b}key": ["\u{2066}x\u{2069}"]},
        "metadata": {"note": "\u{9b}\u{202e}\u{7f}", "\u{202e}k": 1},
    });
    let second = serde_json::json!({
        "stream": "account-2", "type": "AccountOpened", "time": "2024-03-01T09:31:00Z",
        "data": {"owner": "Bob"},
    });
    let file = f.write("hostile.jsonl", format!("{first}\n{second}\n"));
    f.import("hostile.redb", &file)
}

/// Stdout of a successful command, checked to hold no raw hostile character.
fn safe_stdout(args: &[&str]) -> String {
    let out = eventscope(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let text = stdout(&out);
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| needs_escape(c) && c != '\n')
        .collect();
    assert!(raw.is_empty(), "{args:?} printed {raw:?} raw");
    text
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn export_escapes_and_keeps_every_value() {
    let f = Fixture::new();
    let db = hostile_log(&f);
    let native = lines(&safe_stdout(&["export", "--db", s(&db)]));
    assert_eq!(native[0]["stream"], STREAM);
    assert_eq!(native[0]["type"], TYPE);
    assert_eq!(native[0]["data"]["owner"], OWNER);
    assert_eq!(native[0]["data"]["\u{9b}key"][0], "\u{2066}x\u{2069}");
    assert_eq!(native[0]["metadata"]["note"], "\u{9b}\u{202e}\u{7f}");
    assert_eq!(native[0]["metadata"]["\u{202e}k"], 1);
    let cloud = lines(&safe_stdout(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "cloudevents",
    ]));
    assert_eq!(cloud[0]["type"], TYPE);
    assert_eq!(cloud[0]["data"]["owner"], OWNER);
    // The escaped export imports back to the same events.
    let file = f.write("escaped.jsonl", safe_stdout(&["export", "--db", s(&db)]));
    let again = f.import("again.redb", &file);
    assert_eq!(lines(&safe_stdout(&["export", "--db", s(&again)])), native);
}

#[test]
fn info_replay_simulate_and_exec_escape_and_keep_every_value() {
    let f = Fixture::new();
    let db = hostile_log(&f);
    let info: Value = serde_json::from_str(&safe_stdout(&["info", s(&db), "--json"])).unwrap();
    assert_eq!(info["types"][TYPE], 1);

    for args in [
        vec!["replay", s(&db)],
        vec!["replay", s(&db), "--at", "1", "--no-snapshots"],
    ] {
        let replay: Value = serde_json::from_str(&safe_stdout(&args)).unwrap();
        assert_eq!(replay["types"]["state"]["by_type"][TYPE], 1, "{args:?}");
    }
    let diff: Value = serde_json::from_str(&safe_stdout(&[
        "replay",
        s(&db),
        "--at",
        "1",
        "--diff",
        "-p",
        "types",
    ]))
    .unwrap();
    let quoted_type = serde_json::to_string(TYPE).unwrap();
    assert_eq!(
        diff["types"]["changes"][0]["path"],
        format!("by_type.{quoted_type}")
    );
    let blamed: Value = serde_json::from_str(&safe_stdout(&[
        "replay",
        s(&db),
        "-p",
        "streams",
        "--blame",
        &serde_json::to_string(STREAM).unwrap(),
    ]))
    .unwrap();
    assert_eq!(blamed["streams"]["event"]["stream"], STREAM);
    assert_eq!(blamed["streams"]["value"]["last_type"], TYPE);

    let report: Value =
        serde_json::from_str(&safe_stdout(&["simulate", s(&db), "--json"])).unwrap();
    assert!(report.is_object());

    let owner = "X\u{9b}Y\u{202e}Z\u{7f}";
    let written = lines(&safe_stdout(&[
        "exec",
        s(&db),
        &format!("OpenAccount account-5 owner={owner}"),
    ]));
    assert_eq!(written[0]["data"]["owner"], owner);
}
