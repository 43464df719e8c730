//! `eventscope simulate` on logs of any domain: the mapping comes from the
//! domain file (named or beside the log), else from the log; flags change
//! it; a mapping that cannot run is one line on stderr and exit 1.

use std::path::{Path, PathBuf};

use super::fixture::*;
use crate::support::*;

/// A sample imported with its domain file beside it.
fn with_domain_file(f: &Fixture, name: &str) -> PathBuf {
    let db = f.import(&format!("{name}.redb"), &sample(&format!("{name}.jsonl")));
    std::fs::copy(
        sample(&format!("{name}.domain.toml")),
        f.path(&format!("{name}.domain.toml")),
    )
    .unwrap();
    db
}

fn simulate(db: &Path, flags: &[&str]) -> serde_json::Value {
    let mut args = vec!["simulate", s(db), "--json"];
    args.extend(flags);
    json_of(&eventscope(&args))
}

fn work_done(report: &serde_json::Value, flow: &str) -> u64 {
    report[flow]["work_done"].as_u64().unwrap()
}

/// Both sides work, and an outage of the source hurts Notification only.
fn shows_the_trade_offs(db: &Path, outage: &str) {
    let calm = simulate(db, &[]);
    for flow in ["notification", "state_transfer"] {
        assert!(work_done(&calm, flow) > 0, "{flow}: {calm}");
        assert!(calm[flow]["bus_messages"].as_u64() > Some(0), "{calm}");
    }
    assert!(calm["notification"]["remote_calls"].as_u64() > Some(0));
    let stormy = simulate(db, &["--outage", outage]);
    assert!(
        stormy["notification"]["failed_calls"].as_u64() > Some(0),
        "{stormy}"
    );
    assert!(
        stormy["notification"]["work_delayed"].as_u64()
            > calm["notification"]["work_delayed"].as_u64(),
        "{stormy}"
    );
    assert!(
        stormy["notification"]["max_staleness_ms"].as_u64()
            > calm["notification"]["max_staleness_ms"].as_u64()
    );
    assert_eq!(stormy["state_transfer"], calm["state_transfer"]);
}

#[test]
fn the_library_runs_its_domain_files_mapping_and_shows_the_trade_offs() {
    let f = Fixture::new();
    let db = with_domain_file(&f, "library");
    let report = simulate(&db, &[]);
    assert_eq!(report["mapping"]["source"], "member");
    assert_eq!(report["mapping"]["link"], "member");
    assert_eq!(report["mapping"]["needs"], serde_json::json!(["email"]));
    assert!(
        report["mapping"]["from"]
            .as_str()
            .unwrap()
            .starts_with("from the domain file"),
        "{report}"
    );
    // 9 loans and 5 returns: each one is work on both sides.
    for flow in ["notification", "state_transfer"] {
        assert_eq!(work_done(&report, flow), 14, "{flow}");
    }
    shows_the_trade_offs(&db, "10..30");
}

#[test]
fn the_bank_runs_its_domain_files_mapping_and_shows_the_trade_offs() {
    let f = Fixture::new();
    let db = with_domain_file(&f, "bank");
    let report = simulate(&db, &[]);
    assert_eq!(report["mapping"]["source"], "account");
    assert_eq!(report["mapping"]["link"], serde_json::Value::Null);
    // 20 deposits and 52 withdrawals.
    for flow in ["notification", "state_transfer"] {
        assert_eq!(work_done(&report, flow), 72, "{flow}");
    }
    shows_the_trade_offs(&db, "20..60");
}

#[test]
fn the_table_says_which_mapping_ran_and_where_it_came_from() {
    let f = Fixture::new();
    let db = f.bank();
    let out = eventscope(&["simulate", s(&db)]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "mapping: source account · work AccountClosed,AccountOpened,MoneyDeposited,MoneyWithdrawn · \
         no link (each change of an entity is work on it)"
    );
    assert!(
        lines[1].starts_with("proposed from the log: no event names a stream of another category"),
        "{text}"
    );
    assert!(lines[3].ends_with("Notification  StateTransfer"), "{text}");
    let named = eventscope(&[
        "simulate",
        s(&db),
        "--domain",
        s(&sample("bank.domain.toml")),
    ]);
    let named = stdout(&named);
    assert!(
        named
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("from the domain file "),
        "{named}"
    );
    assert!(
        named.lines().next().unwrap().ends_with("needs owner"),
        "{named}"
    );
}

#[test]
fn flags_replace_the_parts_of_the_mapping_they_name() {
    let f = Fixture::new();
    let db = with_domain_file(&f, "bank");
    let report = simulate(&db, &["--work", "MoneyWithdrawn", "--needs", "all"]);
    assert_eq!(
        report["mapping"]["work"],
        serde_json::json!(["MoneyWithdrawn"])
    );
    assert_eq!(report["mapping"]["needs"], serde_json::json!([]));
    assert_eq!(report["mapping"]["source"], "account");
    assert!(
        report["mapping"]["from"]
            .as_str()
            .unwrap()
            .starts_with("from the flags, over the mapping from the domain file"),
        "{report}"
    );
    for flow in ["notification", "state_transfer"] {
        let m = &report[flow];
        let settled = m["work_done"].as_u64().unwrap() + m["work_failed"].as_u64().unwrap();
        assert_eq!(settled, 52, "{flow}: one piece of work per withdrawal");
    }

    // The retail log run as customers copied at each change: every change
    // is work, and no order is looked at.
    let retail = f.retail();
    let copied = simulate(
        &retail,
        &["--link", "none", "--work", "CustomerAddressChanged"],
    );
    assert_eq!(copied["mapping"]["link"], serde_json::Value::Null);
    assert_eq!(copied["mapping"]["needs"], serde_json::json!(["address"]));
    assert!(work_done(&copied, "state_transfer") > 0);
    let by_field = simulate(
        &retail,
        &[
            "--work",
            "OrderPlaced",
            "--link",
            "customer",
            "--needs",
            "name,email",
        ],
    );
    assert_eq!(by_field["mapping"]["link"], "customer");
    assert_eq!(
        by_field["mapping"]["needs"],
        serde_json::json!(["name", "email"])
    );
    assert_eq!(
        work_done(&by_field, "state_transfer"),
        68,
        "one per order placed"
    );
}

#[test]
fn a_mapping_that_cannot_run_is_one_line_and_exit_1_and_the_log_is_untouched() {
    let f = Fixture::new();
    let db = f.retail();
    let before = std::fs::read(&db).unwrap();
    let broken = f.write(
        "broken.domain.toml",
        "name = \"x\"\n[flows]\nsource = \"customer\"\n",
    );
    let cases: [(&[&str], &str); 7] = [
        (
            &["--source", "nobody"],
            "no stream of the source category `nobody`",
        ),
        (
            &["--source", "customer-1"],
            "the source `customer-1` is not a stream category",
        ),
        (
            &["--work", "Shipped"],
            "no event of type `Shipped` in the log",
        ),
        (
            &["--link", "Placed.customer"],
            "no event of type `Placed` in the log",
        ),
        (
            &["--link", "OrderPlaced."],
            "the link `OrderPlaced.` is not FIELD or Type.field",
        ),
        (&["--work", ""], "the flows mapping has a blank work type"),
        (&["--domain", s(&broken)], "the flows mapping has no work"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["simulate", s(&db)];
        args.extend(flags);
        let out = eventscope(&args);
        assert_eq!(out.status.code(), Some(1), "{flags:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{flags:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(message),
            "{flags:?}: {err}"
        );
        assert!(stdout(&out).is_empty(), "{flags:?}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
