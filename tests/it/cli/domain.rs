//! The command line on a log of a person's own domain: projections from a
//! domain file, named with `--domain` or found beside the log.

use std::fs;

use crate::support::{eventscope, s, sample, stderr, stdout};
use serde_json::{Value, json};

/// The library sample imported into a fresh log in `dir`, named `name`.
fn library_log(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let log = dir.join(name);
    let jsonl = sample("library.jsonl");
    let out = eventscope(&["import", s(&jsonl), "--db", s(&log)]);
    assert!(out.status.success(), "{}", stderr(&out));
    log
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn a_domain_files_projection_is_replayed_as_at_any_seq() {
    let dir = tempfile::tempdir().unwrap();
    let log = library_log(dir.path(), "lib.redb");
    let at_14 = replay_library(&log, &["--projection", "on-loan", "--at", "14"]);
    assert_eq!(
        at_14["on-loan"]["state"],
        json!({
            "book-1": {"member": "member-1", "due": "2024-05-20"},
            "book-4": {"member": "member-2", "due": "2024-05-20"},
            "book-2": {"member": "member-3", "due": "2024-05-21"},
        })
    );
    // The whole log (a rebuild, which saves snapshots by the default
    // policy), then time travel, which may start from one, against genesis.
    let whole = replay_library(&log, &["-p", "members"]);
    assert_eq!(whole["members"]["state"]["member-3"]["owed"], json!(80));
    let travel = replay_library(&log, &["-p", "members", "--at", "30"]);
    let genesis = replay_library(&log, &["-p", "members", "--at", "30", "--no-snapshots"]);
    assert_eq!(travel["members"]["state"], genesis["members"]["state"]);
}

#[test]
fn blame_and_diff_work_on_a_domain_files_projection() {
    let dir = tempfile::tempdir().unwrap();
    let log = library_log(dir.path(), "lib.redb");
    let blamed = replay_library(&log, &["-p", "members", "--blame", "member-3.email"]);
    assert_eq!(blamed["members"]["changed_at"], json!(16));
    assert_eq!(
        blamed["members"]["event"]["type"],
        json!("MemberEmailChanged")
    );
    let diff = replay_library(&log, &["-p", "on-loan", "--at", "23", "--diff"]);
    assert_eq!(
        diff["on-loan"]["changes"],
        json!([{"op": "removed", "path": "book-1", "old": {"member": "member-1", "due": "2024-05-20"}}])
    );
}

#[test]
fn a_domain_file_beside_the_log_is_found_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let log = library_log(dir.path(), "library.redb");
    fs::copy(
        sample("library.domain.toml"),
        dir.path().join("library.domain.toml"),
    )
    .unwrap();
    let out = eventscope(&["replay", s(&log), "--list"]);
    let listed = json(&out);
    assert_eq!(
        listed,
        json!([
            "types",
            "streams",
            "replica",
            "catalogue",
            "members",
            "on-loan"
        ])
    );
    assert!(
        stderr(&out).contains("library.domain.toml beside the log"),
        "{}",
        stderr(&out)
    );
    // Without the file, only the built-ins.
    fs::remove_file(dir.path().join("library.domain.toml")).unwrap();
    let listed = json(&eventscope(&["replay", s(&log), "--list"]));
    assert_eq!(listed, json!(["types", "streams", "replica"]));
}

#[test]
fn a_broken_domain_file_is_one_line_naming_its_place_and_the_log_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let log = library_log(dir.path(), "lib.redb");
    let before = fs::read(&log).unwrap();
    let broken = dir.path().join("broken.domain.toml");
    fs::write(
        &broken,
        "name = 'library'\n\n[projections.loans]\nwhen.BookBorrowed = '.[$event.stream] = | 1'\n",
    )
    .unwrap();
    let out = eventscope(&["replay", s(&log), "--domain", s(&broken), "-p", "loans"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    let first = said.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: ")
            && first.contains(
                "broken.domain.toml:4:41: projection `loans`, when `BookBorrowed`: expected"
            ),
        "{said}"
    );
    assert!(stdout(&out).is_empty());
    assert_eq!(
        fs::read(&log).unwrap(),
        before,
        "the log is byte for byte as it was"
    );
}

#[test]
fn a_projection_that_fails_at_an_event_names_it_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = library_log(dir.path(), "lib.redb");
    let failing = dir.path().join("failing.domain.toml");
    fs::write(
        &failing,
        "name = 'library'\n[projections.late]\nwhen.BookReturned = 'if $event.data.days_late > 3 then error(\"too late\") else . end'\n",
    )
    .unwrap();
    let before = fs::read(&log).unwrap();
    let out = eventscope(&[
        "replay",
        s(&log),
        "--domain",
        s(&failing),
        "-p",
        "late",
        "--no-snapshots",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("28")
            && said.contains("failing.domain.toml:3:22")
            && said.contains("too late"),
        "{said}"
    );
    assert!(
        fs::read(&log).unwrap() == before,
        "the log is byte for byte as it was"
    );
}

/// `replay LOG --domain` with the library's domain file and `args`, as JSON.
fn replay_library(log: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let domain = sample("library.domain.toml");
    let mut all = vec!["replay", s(log), "--domain", s(&domain)];
    all.extend_from_slice(args);
    json(&eventscope(&all))
}
