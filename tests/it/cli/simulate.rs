//! `eventscope simulate`, run as a user runs it.

use super::fixture::*;
use crate::support::*;

#[test]
fn simulate_reports_both_flows_in_json_and_as_a_table() {
    let f = Fixture::new();
    let db = f.retail();
    let report = json_of(&eventscope(&["simulate", s(&db), "--json"]));
    for flow in ["notification", "state_transfer"] {
        for key in [
            "bus_messages",
            "bus_bytes",
            "remote_calls",
            "failed_calls",
            "fetched_bytes",
            "work_done",
            "work_delayed",
            "work_failed",
            "mean_staleness_ms",
            "max_staleness_ms",
            "replica_bytes",
            "converged",
        ] {
            assert!(report[flow].get(key).is_some(), "{flow}.{key}");
        }
    }
    assert_eq!(report["state_transfer"]["remote_calls"], 0);
    assert_eq!(report["notification"]["converged"], true);
    let outage = json_of(&eventscope(&[
        "simulate",
        s(&db),
        "--outage",
        "1..60",
        "--json",
    ]));
    assert!(
        outage["notification"]["work_delayed"].as_u64()
            > report["notification"]["work_delayed"].as_u64(),
        "an outage delays notification work"
    );
    assert!(outage["notification"]["failed_calls"].as_u64() > Some(0));
    assert_eq!(
        outage["state_transfer"], report["state_transfer"],
        "state transfer does not notice the source is down"
    );
    let table = stdout(&eventscope(&["simulate", s(&db)]));
    assert!(
        table.contains("Notification") && table.contains("StateTransfer"),
        "{table}"
    );
    let bad = eventscope(&["simulate", s(&db), "--drop", "2"]);
    assert_eq!(bad.status.code(), Some(1));
}
