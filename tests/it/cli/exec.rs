//! `exec`: a stale expected version is a conflict (exit 1, nothing
//! written), on both command forms and under racing processes.

use std::process::Stdio;

use crate::support::*;

#[test]
fn a_stale_expected_version_exits_1_and_leaves_the_file_as_it_was() {
    let f = Fixture::new();
    let db = f.bank();
    let version = version_of(&f.export(&db), "account-1");
    assert!(version > 3, "the sample's account-1 has moved past 3");
    let before = std::fs::read(&db).unwrap();
    let cases = [
        (
            "Deposit account-1 amount=500 expected_version=3".to_string(),
            format!("error: conflict: account-1 is at version {version}, not 3; nothing written"),
        ),
        (
            r#"{"type":"Deposit","stream":"account-1","data":{"amount":500},"expected_version":3}"#
                .to_string(),
            format!("error: conflict: account-1 is at version {version}, not 3; nothing written"),
        ),
        (
            "OpenAccount account-98 owner=X expected_version=5".to_string(),
            "error: conflict: account-98 is at version 0, not 5; nothing written".to_string(),
        ),
    ];
    for (command, line) in cases {
        let out = eventscope(&["exec", s(&db), &command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert_eq!(stderr(&out), format!("{line}\n"), "{command}");
        assert_eq!(stdout(&out), "", "{command}");
        // Compared as a whole rather than with assert_eq, which would print
        // the whole file on failure.
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{command}: the log changed"
        );
    }
}

#[test]
fn the_current_expected_version_is_written() {
    let f = Fixture::new();
    let db = f.bank();
    let version = version_of(&f.export(&db), "account-1");
    let command = format!("Deposit account-1 amount=500 expected_version={version}");
    let out = eventscope(&["exec", s(&db), &command]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(version_of(&f.export(&db), "account-1"), version + 1);
}

/// Racing `exec` processes, all sending the same expected version: per
/// round exactly one writes, every other is told of the conflict, and the
/// log holds every winner's event and no loser's.
#[test]
fn racing_execs_with_one_expected_version_lose_no_update() {
    const ROUNDS: usize = 20;
    const RACERS: usize = 4;
    let f = Fixture::new();
    let db = f.bank();
    let start = version_of(&f.export(&db), "account-1");
    let mut winners = Vec::new();
    for round in 0..ROUNDS {
        let version = start + round as u64;
        let racers: Vec<_> = (0..RACERS)
            .map(|racer| {
                // Each racer deposits its own amount, so the log tells whose
                // update landed.
                let amount = 1000 * (round + 1) + racer;
                let command =
                    format!("Deposit account-1 amount={amount} expected_version={version}");
                let child = binary()
                    .args(["exec", s(&db), &command])
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the binary runs");
                (amount, child)
            })
            .collect();
        let mut won = Vec::new();
        for (amount, child) in racers {
            let out = child.wait_with_output().unwrap();
            match out.status.code() {
                Some(0) => {
                    let event: serde_json::Value =
                        serde_json::from_str(stdout(&out).trim()).unwrap();
                    assert_eq!(event["data"]["amount"], amount);
                    assert_eq!(event["version"], version + 1);
                    won.push(amount);
                }
                Some(1) => assert_eq!(
                    stderr(&out),
                    format!(
                        "error: conflict: account-1 is at version {}, not {version}; \
                         nothing written\n",
                        version + 1
                    ),
                    "round {round}"
                ),
                code => panic!("round {round}: exit {code:?}: {}", stderr(&out)),
            }
        }
        assert_eq!(won.len(), 1, "round {round}: one winner, got {won:?}");
        winners.extend(won);
    }
    let export = f.export(&db);
    assert_eq!(version_of(&export, "account-1"), start + ROUNDS as u64);
    let deposited: Vec<u64> = export
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|e| e["stream"] == "account-1" && e["version"].as_u64() > Some(start))
        .map(|e| e["data"]["amount"].as_u64().unwrap())
        .collect();
    let winners: Vec<u64> = winners.into_iter().map(|a| a as u64).collect();
    assert_eq!(
        deposited, winners,
        "every winner's update, in order, and nothing else"
    );
    assert!(eventscope(&["verify", s(&db)]).status.success());
}

#[test]
fn exec_appends_the_command_and_its_policies_or_rejects_untouched() {
    let f = Fixture::new();
    let db = f.retail();
    let before_bytes = std::fs::read(&db).unwrap();
    let before = f.export_as(&db, "native");
    let count = before.lines().count();

    // Rejected: Marco Rossi (customer-12) is deactivated in the sample.
    let out = eventscope(&[
        "exec",
        s(&db),
        r#"{"type":"ChangeCustomerEmail","stream":"customer-12","data":{"email":"m@example.com"}}"#,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.starts_with("error: rejected: "), "{message}");
    assert!(message.contains("customer-12"), "{message}");
    assert_eq!(std::fs::read(&db).unwrap(), before_bytes, "byte for byte");

    // A bad command is a usage-like failure with the reason, also untouched.
    let out = eventscope(&["exec", s(&db), "Teleport customer-1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Teleport"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before_bytes);

    // Without policies: only the order is placed.
    let place = |order: &str, policies: bool| {
        let command = format!("PlaceOrder {order} customer=customer-2 item=BOOK-1:2:1500");
        let mut args = vec!["exec", s(&db), command.as_str()];
        if !policies {
            args.push("--no-policies");
        }
        let out = eventscope(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let alone = place("order-900", false);
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0]["type"], "OrderPlaced");
    assert_eq!(alone[0]["data"]["total"], 3000, "the total is computed");

    // With policies: the order requests its payment, in the same flow.
    let chain = place("order-901", true);
    let types: Vec<&str> = chain.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["OrderPlaced", "PaymentRequested"]);
    assert_eq!(chain[1]["metadata"]["causation_id"], chain[0]["id"]);
    assert_eq!(
        chain[1]["metadata"]["correlation_id"],
        chain[0]["metadata"]["correlation_id"]
    );
    assert_eq!(chain[1]["data"]["amount"], 3000);
    assert_eq!(f.export_as(&db, "native").lines().count(), count + 3);
    assert!(eventscope(&["verify", s(&db)]).status.success());
}
