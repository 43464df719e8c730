//! The retail simulation, now a flows mapping like any other, gives the
//! reports it gave when it was written for retail alone.
//!
//! The files in `simulate_before/` are `eventscope simulate LOG --json`
//! as printed by the retail-only simulation (commit f47eedd, before the
//! mapping existed), on the retail sample and on `eventscope generate
//! --domain retail --events 20000 --seed 5`, for the settings below. The
//! mapping is left out of the comparison: those reports had none.

use super::fixture::*;
use crate::support::*;

const SETTINGS: [(&str, &[&str]); 5] = [
    ("default", &[]),
    ("outage", &["--outage", "120..180"]),
    (
        "faults",
        &[
            "--drop",
            "0.05",
            "--duplicate",
            "0.05",
            "--reorder",
            "0.1",
            "--seed",
            "3",
        ],
    ),
    (
        "unchecked",
        &[
            "--no-version-checks",
            "--duplicate",
            "0.2",
            "--reorder",
            "0.2",
            "--seed",
            "9",
        ],
    ),
    (
        "slow",
        &[
            "--query-latency",
            "200",
            "--bus-latency",
            "50",
            "--outage",
            "1..60",
        ],
    ),
];

fn recorded(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/tests/it/cli/simulate_before/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Runs every setting on `db` and compares with the recorded reports.
fn same_as_recorded(db: &std::path::Path, log: &str) {
    for (setting, flags) in SETTINGS {
        let mut args = vec!["simulate", s(db), "--json"];
        args.extend(flags);
        let mut report = json_of(&eventscope(&args));
        let mapping = report.as_object_mut().unwrap().remove("mapping").unwrap();
        assert_eq!(mapping["source"], "customer");
        assert_eq!(mapping["link"], "OrderPlaced.customer");
        assert!(
            mapping["from"]
                .as_str()
                .unwrap()
                .starts_with("proposed from the log"),
            "{mapping}"
        );
        assert_eq!(
            report,
            recorded(&format!("{log}-{setting}")),
            "{log} {setting}"
        );
    }
}

#[test]
fn the_retail_sample_gives_the_reports_of_the_retail_only_simulation() {
    let f = Fixture::new();
    same_as_recorded(&f.retail(), "retail");
}

#[test]
fn a_generated_retail_log_gives_the_reports_of_the_retail_only_simulation() {
    let f = Fixture::new();
    let db = f.path("generated.redb");
    let out = eventscope(&[
        "generate",
        "--domain",
        "retail",
        "--events",
        "20000",
        "--seed",
        "5",
        "--db",
        s(&db),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    same_as_recorded(&db, "gen");
}
