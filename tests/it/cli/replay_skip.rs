//! `eventscope replay --skip`: the state as if some events had not happened.

use super::fixture::*;
use crate::support::*;

/// `replay <the retail sample> <args>`, its JSON.
fn replay_retail(args: &[&str]) -> serde_json::Value {
    let f = Fixture::new();
    let db = f.retail();
    let mut all = vec!["replay", s(&db)];
    all.extend_from_slice(args);
    json_of(&eventscope(&all))
}

/// Ada Lovelace moves London -> Manchester (seq 78) -> Edinburgh (seq 217).
#[test]
fn skipping_the_second_move_leaves_her_in_manchester() {
    let out = replay_retail(&["-p", "customers", "--skip", "217"]);
    let customers = &out["customers"];
    assert_eq!(
        customers["state"]["customer-1"]["address"]["city"],
        "Manchester"
    );
    assert_eq!(customers["skipped"], 1);
    let changes = customers["changes"].as_array().unwrap();
    let city = changes
        .iter()
        .find(|c| c["path"] == "customer-1.address.city")
        .expect("the city is among the changes");
    assert_eq!(city["op"], "changed");
    assert_eq!(city["old"], "Edinburgh");
    assert_eq!(city["new"], "Manchester");
}

#[test]
fn skipping_a_stream_removes_it_and_a_type_everywhere() {
    let out = replay_retail(&[
        "-p",
        "customers",
        "-p",
        "types",
        "--skip",
        "stream:customer-1,type:CustomerEmailChanged",
        "--at",
        "250",
    ]);
    assert!(out["customers"]["state"].get("customer-1").is_none());
    assert!(
        out["customers"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["op"] == "removed" && c["path"] == "customer-1")
    );
    assert_eq!(out["types"]["at"], 250);
    let by_type = &out["types"]["state"]["by_type"];
    assert!(by_type.get("CustomerRegistered").is_some(), "{by_type}");
    assert!(by_type.get("CustomerEmailChanged").is_none(), "{by_type}");
}

#[test]
fn a_bad_selection_is_one_line_and_leaves_the_log_alone() {
    let f = Fixture::new();
    let db = f.retail();
    let before = std::fs::read(&db).unwrap();
    let out = eventscope(&["replay", s(&db), "--skip", "3,9..4"]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("column 3"), "{message}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
