//! Arguments that would otherwise be ignored or answered with nothing:
//! a log named before the command, a blamed path that is not there.

use crate::support::*;

#[test]
fn a_log_before_the_command_is_a_usage_error() {
    let f = Fixture::new();
    let db = f.bank();
    let out = eventscope(&["/nonexistent", "info", s(&db)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let first = stderr(&out).lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first,
        "error: `/nonexistent` before the command is not used: a command takes its log \
         after its name, e.g. `eventscope info LOG`"
    );
    // The same command without the stray argument runs.
    assert!(eventscope(&["info", s(&db)]).status.success());
}

#[test]
fn blaming_a_path_that_is_not_there_names_it_and_its_nearest_parent() {
    let f = Fixture::new();
    let db = f.bank();
    let last = f.export(&db).lines().count();
    let cases = [
        (
            vec!["-p", "balances", "--blame", "accounts.account-1.nosuch"],
            format!(
                "error: the balances projection has no `accounts.account-1.nosuch` at seq \
                 {last}; the nearest that exists is `accounts.account-1`"
            ),
        ),
        (
            vec!["-p", "balances", "--blame", "accounts.account-1.balance[3]"],
            format!(
                "error: the balances projection has no `accounts.account-1.balance[3]` at \
                 seq {last}; the nearest that exists is `accounts.account-1.balance`"
            ),
        ),
        (
            vec!["--blame", "nobody.home", "--at", "5"],
            "error: no projection has `nobody.home` at seq 5, nor any part of it".to_string(),
        ),
    ];
    for (args, line) in cases {
        let mut all = vec!["replay", s(&db)];
        all.extend(&args);
        let out = eventscope(&all);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        assert_eq!(stderr(&out), format!("{line}\n"), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
    // A path that is there is still blamed.
    let out = eventscope(&[
        "replay",
        s(&db),
        "-p",
        "balances",
        "--blame",
        "accounts.account-1.balance",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let blamed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(blamed["balances"]["value"].is_number(), "{blamed}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(eventscope(&["import"]).status.code(), Some(2));
    assert_eq!(eventscope(&["info"]).status.code(), Some(2));
    assert_eq!(
        eventscope(&["export", "--db", "x", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        eventscope(&["no-such-command", "x", "y"]).status.code(),
        Some(2)
    );
    assert!(eventscope(&["import", "--help"]).status.success());
}
