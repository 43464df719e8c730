//! A customer who moves twice, checked by hand: blame of the city names the
//! second move; the diff at the second move shows exactly street, city and
//! postcode changed.

use serde_json::{Value, json};

use super::laws::WithoutStreamHint;
use crate::projection::testing::LogBuilder;
use crate::projection::*;

fn address(street: &str, city: &str, postcode: &str) -> Value {
    json!({"street": street, "city": city, "postcode": postcode, "country": "NL"})
}

/// seq 4 is the first move, seq 7 the second; seq 8 changes the email.
fn log() -> MemoryLog {
    let mut log = LogBuilder::new();
    log.push(
        "customer-7",
        "CustomerRegistered",
        json!({"name": "Eve", "email": "eve@x", "address": address("Dam 1", "Amsterdam", "1012")}),
    )
    .push(
        "order-1",
        "OrderPlaced",
        json!({"customer": "customer-7", "items": [], "total": 9}),
    )
    .push(
        "customer-8",
        "CustomerRegistered",
        json!({"name": "Max", "email": "max@x", "address": address("Markt 2", "Delft", "2611")}),
    )
    .push(
        "customer-7",
        "CustomerAddressChanged",
        json!({"address": address("Coolsingel 5", "Rotterdam", "3011")}),
    )
    .push("order-1", "PaymentReceived", json!({"amount": 9}))
    .push(
        "customer-8",
        "CustomerEmailChanged",
        json!({"email": "max@y"}),
    )
    .push(
        "customer-7",
        "CustomerAddressChanged",
        json!({"address": address("Lange Voorhout 9", "The Hague", "2514")}),
    )
    .push(
        "customer-7",
        "CustomerEmailChanged",
        json!({"email": "eve@y"}),
    )
    .push(
        "order-1",
        "OrderShipped",
        json!({"address": address("Lange Voorhout 9", "The Hague", "2514")}),
    );
    log.build()
}

fn snapshots_every(log: &MemoryLog, name: &str, interval: u64) -> MemorySnapshots {
    crate::projection::testing::snapshots_every(log, &mut [builtin(name).unwrap()], interval)
}

/// A way to blame: its label, the projection, the snapshots.
type Way<'a> = (
    &'static str,
    Box<dyn Projection>,
    Option<&'a dyn SnapshotStore>,
);

#[test]
fn blame_of_the_city_names_the_second_move() {
    let log = log();
    let path = Path::parse("customer-7.address.city").unwrap();
    for name in ["customers", "replica"] {
        let store = snapshots_every(&log, name, 2);
        let ways: [Way<'_>; 3] = [
            ("stream", builtin(name).unwrap(), None),
            (
                "genesis",
                Box::new(WithoutStreamHint(builtin(name).unwrap())),
                None,
            ),
            (
                "snapshots",
                Box::new(WithoutStreamHint(builtin(name).unwrap())),
                Some(&store),
            ),
        ];
        for (way, projection, snapshots) in ways {
            let blame = blame(&log, snapshots, projection, &path, 9).unwrap();
            assert_eq!(blame.changed_at, Some(7), "{name} by {way}");
            assert_eq!(blame.value, Some(json!("The Hague")), "{name} by {way}");
        }
    }
}

#[test]
fn blame_looks_back_from_the_seq_asked() {
    let log = log();
    let path = Path::parse("customer-7.city").unwrap();
    let blame_at = |at| blame(&log, None, builtin("address-book").unwrap(), &path, at).unwrap();
    assert_eq!(blame_at(6).changed_at, Some(4));
    assert_eq!(blame_at(3).changed_at, Some(1));
    let never = blame(
        &log,
        None,
        builtin("customers").unwrap(),
        &Path::parse("customer-9.name").unwrap(),
        9,
    )
    .unwrap();
    assert_eq!((never.changed_at, never.value), (None, None));
}

#[test]
fn the_diff_at_the_second_move_is_street_city_and_postcode() {
    let log = log();
    for (name, prefix) in [
        ("customers", "customer-7.address"),
        ("address-book", "customer-7"),
    ] {
        let store = snapshots_every(&log, name, 3);
        for snapshots in [None, Some(&store as &dyn SnapshotStore)] {
            let changes = diff_at(&log, snapshots, builtin(name).unwrap(), 7).unwrap();
            let expected = [
                ("city", "Rotterdam", "The Hague"),
                ("postcode", "3011", "2514"),
                ("street", "Coolsingel 5", "Lange Voorhout 9"),
            ]
            .map(|(field, old, new)| Change::Changed {
                path: Path::parse(&format!("{prefix}.{field}")).unwrap(),
                old: json!(old),
                new: json!(new),
            });
            assert_eq!(changes, expected, "{name}");
        }
    }
}

#[test]
fn diff_at_an_unrelated_event_is_empty() {
    let changes = diff_at(&log(), None, builtin("customers").unwrap(), 5).unwrap();
    assert_eq!(changes, []);
}
