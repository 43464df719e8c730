//! `eventscope replay`, run as a user runs it.

use super::fixture::*;
use crate::support::*;

/// Ada Lovelace moves London -> Manchester (seq 78) -> Edinburgh (seq 217).
#[test]
fn replay_blames_the_second_move_and_diffs_it() {
    let f = Fixture::new();
    let db = f.retail();
    for snapshots in [true, false] {
        let mut args = vec![
            "replay",
            s(&db),
            "-p",
            "customers",
            "--blame",
            "customer-1.address.city",
        ];
        if !snapshots {
            args.push("--no-snapshots");
        }
        let blame = json_of(&eventscope(&args));
        assert_eq!(blame["customers"]["value"], "Edinburgh");
        assert_eq!(blame["customers"]["changed_at"], 217);
        assert_eq!(
            blame["customers"]["event"]["type"],
            "CustomerAddressChanged"
        );
    }
    let earlier = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "customers",
        "--blame",
        "customer-1.address.city",
        "--at",
        "200",
    ]));
    assert_eq!(earlier["customers"]["value"], "Manchester");
    assert_eq!(earlier["customers"]["changed_at"], 78);

    let diff = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "customers",
        "--at",
        "217",
        "--diff",
    ]));
    let mut paths: Vec<&str> = diff["customers"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "customer-1.address.city",
            "customer-1.address.postcode",
            "customer-1.address.street"
        ]
    );
}

#[test]
fn replay_travels_in_time_and_lists_projections() {
    let f = Fixture::new();
    let db = f.retail();
    let list = json_of(&eventscope(&["replay", s(&db), "--list"]));
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for expected in [
        "types",
        "streams",
        "replica",
        "customers",
        "address-book",
        "orders",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    assert!(
        !names.contains(&"balances"),
        "bank projections do not apply to retail"
    );

    // The whole log once (saving snapshots), then as at seq 100.
    let now = json_of(&eventscope(&["replay", s(&db), "-p", "address-book"]));
    assert_eq!(
        now["address-book"]["state"]["customer-1"]["city"],
        "Edinburgh"
    );
    let then = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "address-book",
        "--at",
        "100",
    ]));
    assert_eq!(then["address-book"]["at"], 100);
    assert_eq!(
        then["address-book"]["state"]["customer-1"]["city"],
        "Manchester"
    );
    let genesis = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "address-book",
        "--at",
        "100",
        "--no-snapshots",
    ]));
    assert_eq!(
        genesis["address-book"]["state"],
        then["address-book"]["state"]
    );
    assert_eq!(genesis["address-book"]["start"], "genesis");

    let past = eventscope(&["replay", s(&db), "--at", "100000"]);
    assert_eq!(past.status.code(), Some(1));
    assert!(stderr(&past).contains("past the end"), "{}", stderr(&past));
    let unknown = eventscope(&["replay", s(&db), "-p", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("unknown projection `nope`"));
}

/// Only a rebuild of the whole log saves snapshots: a replay that fails,
/// or that travels, blames or diffs, leaves the file byte for byte as it
/// was (a log opened for writing has its header rewritten even when
/// nothing is written).
#[test]
fn a_replay_that_fails_or_saves_nothing_leaves_the_file_as_it_was() {
    let f = Fixture::new();
    let db = f.retail();
    // Snapshots first, so that the others have some to read.
    assert!(
        eventscope(&["replay", s(&db), "-p", "customers"])
            .status
            .success()
    );
    let before = std::fs::read(&db).unwrap();
    let failing: [&[&str]; 3] = [
        &["-p", "nope"],
        &["-p", "customers", "--at", "999999"],
        &["-p", "customers", "--blame", "customer-1.no.such.field"],
    ];
    for args in failing {
        let out = eventscope(&[&["replay", s(&db)], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?}: the bytes changed"
        );
    }
    let reading: [&[&str]; 3] = [
        &["-p", "customers", "--at", "100"],
        &["-p", "customers", "--diff", "--at", "78"],
        &["-p", "customers", "--blame", "customer-1.address.city"],
    ];
    for args in reading {
        let out = eventscope(&[&["replay", s(&db)], args].concat());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?}: the bytes changed"
        );
    }
}

#[test]
fn a_projection_named_twice_is_answered_once() {
    let f = Fixture::new();
    let db = f.retail();
    let out = eventscope(&[
        "replay",
        s(&db),
        "-p",
        "types",
        "-p",
        "customers",
        "-p",
        "types",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("\"types\":").count(), 1, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["types", "customers"]);
}
