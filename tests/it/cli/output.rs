//! Standard output that cannot be written: a reader that leaves ends the
//! command quietly, a full disk is one line and exit 1, never a panic.

use crate::support::*;

/// Every command that prints, on `db`.
fn printing_commands(db: &str) -> Vec<Vec<String>> {
    let commands: [&[&str]; 12] = [
        &["replay", db],
        &["replay", db, "--list"],
        &["replay", db, "--at", "3", "--no-snapshots"],
        &["info", db],
        &["info", db, "--json"],
        &["render", db],
        &["simulate", db],
        &["simulate", db, "--json"],
        &["verify", db],
        &["export", "--db", db],
        &["export", "--db", db, "--format", "cloudevents"],
        &[
            "generate", "--domain", "bank", "--events", "2000", "-o", "-",
        ],
    ];
    commands
        .iter()
        .map(|args| args.iter().map(|a| a.to_string()).collect())
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn a_reader_that_leaves_ends_each_command_quietly() {
    let f = Fixture::new();
    let db = f.retail();
    for args in printing_commands(s(&db)) {
        let out = with_stdout_closed(&strs(&args));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_one_line_and_exit_1() {
    let f = Fixture::new();
    let db = f.retail();
    for args in printing_commands(s(&db)) {
        let out = with_stdout_full(&strs(&args));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "error: cannot write to stdout: No space left on device\n",
            "{args:?}"
        );
    }
}

#[test]
fn exec_says_its_events_were_written_when_they_cannot_be_shown() {
    let f = Fixture::new();
    let db = f.bank();
    let events = |db: &std::path::Path| f.export(db).lines().count();
    let before = events(&db);
    let version = version_of(&f.export(&db), "account-1");

    let out = with_stdout_closed(&["exec", s(&db), "Deposit account-1 amount=7"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let seq = before + 1;
    assert_eq!(
        stderr(&out),
        format!(
            "note: the command's event was written (seq {seq}); \
             stdout was closed before it could be shown\n"
        )
    );
    assert_eq!(events(&db), before + 1, "written once");
    assert_eq!(version_of(&f.export(&db), "account-1"), version + 1);

    let out = with_stdout_full(&["exec", s(&db), "Deposit account-1 amount=7"]);
    assert_eq!(out.status.code(), Some(1));
    let seq = before + 2;
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot write to stdout: No space left on device; the command's event \
             was written (seq {seq}): do not send the command again\n"
        )
    );
    assert_eq!(events(&db), before + 2, "written once");
}

/// States of megabytes, which `replay` writes out while it goes: the output
/// fails in the middle of one, not at the end.
#[test]
fn a_reader_that_leaves_during_a_large_state_ends_replay_quietly() {
    let f = Fixture::new();
    let db = f.path("big.redb");
    let out = eventscope(&[
        "generate",
        "--domain",
        "retail",
        "--events",
        "5000",
        "--seed",
        "2",
        "--db",
        s(&db),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let full = eventscope(&["replay", s(&db), "--no-snapshots"]);
    assert!(full.stdout.len() > 1 << 20, "{} bytes", full.stdout.len());
    let args = ["replay", s(&db), "--no-snapshots"];
    let closed = with_stdout_closed(&args);
    assert_eq!(closed.status.code(), Some(0), "{}", stderr(&closed));
    assert_eq!(stderr(&closed), "");
    let full_disk = with_stdout_full(&args);
    assert_eq!(full_disk.status.code(), Some(1), "{}", stderr(&full_disk));
    assert_eq!(
        stderr(&full_disk),
        "error: cannot write to stdout: No space left on device\n"
    );
}
