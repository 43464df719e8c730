//! `exec --dry-run --at SEQ`: a command tried on the write model as it was
//! then, nothing written; its given/when/then case, and `check-case`.

use serde_json::Value;

use crate::support::*;

const WITHDRAW: &str = "Withdraw account-1 amount=100000";

/// account-1 holds 50000 at seq 2 and 360000 at seq 3.
fn dry_run(db: &std::path::Path, at: u64, extra: &[&str]) -> std::process::Output {
    let at = at.to_string();
    let mut args = vec!["exec", s(db), WITHDRAW, "--dry-run", "--at", &at];
    args.extend(extra);
    eventscope(&args)
}

/// The printed events, without their times (each run stamps its own).
fn events_without_time(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|line| {
            let mut event: Value = serde_json::from_str(line).unwrap();
            event.as_object_mut().unwrap().remove("time");
            event
        })
        .collect()
}

#[test]
fn a_dry_run_in_the_past_writes_nothing_and_meets_the_past_model() {
    let f = Fixture::new();
    let db = f.bank();
    let before = std::fs::read(&db).unwrap();
    let rejected = dry_run(&db, 2, &[]);
    assert_eq!(rejected.status.code(), Some(1));
    let message = stderr(&rejected);
    assert!(message.starts_with("error: rejected: "), "{message}");
    assert!(
        message.ends_with("(dry run at seq 2: nothing written)\n"),
        "{message}"
    );
    assert!(std::fs::read(&db).unwrap() == before, "the log changed");

    let accepted = dry_run(&db, 3, &[]);
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    let events = events_without_time(&accepted);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "MoneyWithdrawn");
    assert_eq!(events[0]["seq"], 4);
    assert_eq!(events[0]["version"], 4);
    assert!(std::fs::read(&db).unwrap() == before, "the log changed");
}

#[test]
fn a_dry_run_at_a_seq_gives_what_a_log_cut_there_gives() {
    let f = Fixture::new();
    let db = f.bank();
    let lines: Vec<String> = std::fs::read_to_string(sample("bank.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    for at in [1u64, 2, 3, 10, 40, 81] {
        let cut = f.write(&format!("cut-{at}.jsonl"), lines[..at as usize].join("\n"));
        let cut_db = f.import(&format!("cut-{at}.redb"), &cut);
        let dry = dry_run(&db, at, &[]);
        let real = eventscope(&["exec", s(&cut_db), WITHDRAW]);
        assert_eq!(dry.status.code(), real.status.code(), "at {at}");
        assert_eq!(
            events_without_time(&dry),
            events_without_time(&real),
            "at {at}"
        );
        if !real.status.success() {
            let real_line = stderr(&real);
            let dry_line = stderr(&dry);
            assert!(
                dry_line.starts_with(real_line.trim_end()),
                "at {at}: {dry_line} vs {real_line}"
            );
        }
    }
}

#[test]
fn an_exported_case_replayed_gives_the_same_outcome() {
    let f = Fixture::new();
    let db = f.bank();
    let before = std::fs::read(&db).unwrap();
    for (at, accepted) in [(2, false), (3, true)] {
        let file = f.path(&format!("case-{at}.json"));
        dry_run(&db, at, &["--gwt", s(&file)]);
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(case["at"], at);
        assert_eq!(case["given"].as_array().unwrap().len() as u64, at);
        assert_eq!(case["when"]["type"], "Withdraw");
        assert_eq!(case["then"].get("events").is_some(), accepted, "{case}");
        let checked = eventscope(&["check-case", s(&file)]);
        assert!(checked.status.success(), "{}", stderr(&checked));
        assert!(stdout(&checked).starts_with("ok: "), "{}", stdout(&checked));
    }
    assert!(std::fs::read(&db).unwrap() == before, "the log changed");

    // A case whose recorded outcome is not what the command gives fails.
    let file = f.path("case-2.json");
    let mut case: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    case["given"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "stream": "account-1", "version": 3, "type": "MoneyDeposited",
            "id": "extra", "time": null, "data": {"amount": 310000}
        }));
    let changed = f.write("changed.json", case.to_string());
    let failed = eventscope(&["check-case", s(&changed)]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("the case gives another outcome"),
        "{}",
        stderr(&failed)
    );
}

#[test]
fn a_broken_case_file_is_one_line_with_its_place() {
    let f = Fixture::new();
    let file = f.write("bad.json", "{\n  \"at\": 1,\n  \"now\": nope\n}");
    let out = eventscope(&["check-case", s(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("bad.json:3:"), "{message}");
}

#[test]
fn a_dry_run_past_the_end_is_refused() {
    let f = Fixture::new();
    let db = f.bank();
    let out = dry_run(&db, 500, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("past the end"), "{}", stderr(&out));
}

#[test]
fn a_case_is_never_written_over_the_log() {
    let f = Fixture::new();
    let db = f.bank();
    let before = std::fs::read(&db).unwrap();
    let out = dry_run(&db, 3, &["--gwt", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is the log itself"),
        "{}",
        stderr(&out)
    );
    assert!(std::fs::read(&db).unwrap() == before, "the log changed");
}
