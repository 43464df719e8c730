//! Mappings other than retail's: a link by a field of the work event, no
//! link at all, and work that cannot find its entity.

use serde_json::json;

use crate::domain_file::{FlowsDef, Link};
use crate::event::{Event, Json, Timestamp};
use crate::simulation::{Flow, Mapping, SimParams, Simulation};

fn event(seq: u64, stream: &str, version: u64, event_type: &str, data: serde_json::Value) -> Event {
    Event {
        seq,
        stream: stream.into(),
        version,
        event_type: event_type.into(),
        id: format!("e{seq}"),
        time: Some(Timestamp::from_unix_millis(seq as i64)),
        data: Json::from_value(&data),
        metadata: None,
    }
}

fn mapping(source: &str, work: &[&str], link: Option<Link>, needs: &[&str]) -> Mapping {
    Mapping::new(FlowsDef {
        source_category: source.into(),
        work: work.iter().map(|t| t.to_string()).collect(),
        link,
        needs: needs.iter().map(|t| t.to_string()).collect(),
    })
    .unwrap()
}

/// Two members join, one changes e-mail, books are borrowed by members.
fn library() -> Vec<Event> {
    vec![
        event(
            1,
            "member-1",
            1,
            "MemberJoined",
            json!({"name": "Ada", "email": "a@x"}),
        ),
        event(
            2,
            "member-2",
            1,
            "MemberJoined",
            json!({"name": "Bo", "email": "b@x"}),
        ),
        event(3, "book-1", 1, "BookAdded", json!({"title": "Dune"})),
        event(
            10,
            "book-1",
            2,
            "BookBorrowed",
            json!({"member": "member-1"}),
        ),
        event(
            11,
            "member-1",
            2,
            "MemberEmailChanged",
            json!({"email": "a@y"}),
        ),
        event(
            20,
            "book-1",
            3,
            "BookReturned",
            json!({"member": "member-1"}),
        ),
        event(21, "book-1", 4, "BookBorrowed", json!({"member": "book-1"})),
        event(22, "book-1", 5, "BookBorrowed", json!({"member": 7})),
    ]
}

#[test]
fn a_field_link_finds_the_entity_each_work_event_names() {
    let loans = mapping(
        "member",
        &["BookBorrowed", "BookReturned"],
        Some(Link::Field("member".into())),
        &["email"],
    );
    let mut simulation = Simulation::new(loans, SimParams::default()).unwrap();
    for e in &library() {
        simulation.feed(e);
    }
    simulation.finish();
    let report = simulation.report();
    // Two works find member-1; one names a book, one is not text.
    assert_eq!(report.skipped_events, 2);
    for m in [&report.notification, &report.state_transfer] {
        assert_eq!(m.work_done + m.work_failed, 2, "{m:?}");
        assert_eq!(m.bus_messages, 3, "member events only");
        assert!(m.converged);
    }
    let books: Vec<&str> = simulation.entities().collect();
    assert_eq!(books, ["member-1", "member-2"]);
    let truth = simulation.source_view("member-1").unwrap();
    assert_eq!(truth.fields, [("email".into(), r#""a@y""#.into())]);
    assert_eq!(
        simulation.consumer_view(Flow::StateTransfer, "member-1"),
        Some(truth)
    );
}

#[test]
fn without_a_link_each_change_of_a_work_type_is_work_on_its_entity() {
    let copies = mapping("member", &["MemberJoined", "MemberEmailChanged"], None, &[]);
    let report = Simulation::run(copies, SimParams::default(), library()).unwrap();
    for m in [&report.notification, &report.state_transfer] {
        assert_eq!(m.work_done + m.work_failed, 3, "{m:?}");
    }
    // A new entity is not known to the replica at the moment it changes.
    assert!(report.state_transfer.work_delayed >= 2);
    assert_eq!(report.skipped_events, 0);
}

#[test]
fn work_whose_stream_no_earlier_event_linked_is_skipped() {
    let through = mapping(
        "member",
        &["BookReturned"],
        Some(Link::Earlier {
            event_type: "BookReserved".into(),
            field: "member".into(),
        }),
        &[],
    );
    let report = Simulation::run(through, SimParams::default(), library()).unwrap();
    assert_eq!(report.skipped_events, 1);
    assert_eq!(report.state_transfer.work_done, 0);
}

#[test]
fn the_whole_entity_is_needed_when_the_mapping_names_no_fields() {
    let whole = mapping(
        "member",
        &["BookBorrowed"],
        Some(Link::Field("member".into())),
        &[],
    );
    let mut simulation = Simulation::new(whole, SimParams::default()).unwrap();
    for e in &library()[..4] {
        simulation.feed(e);
    }
    simulation.finish();
    let view = simulation
        .consumer_view(Flow::Notification, "member-1")
        .unwrap();
    let keys: Vec<&str> = view.fields.iter().map(|(k, _)| &**k).collect();
    assert_eq!(keys, ["email", "name"]);
    let report = simulation.report();
    // The Notification cache keeps the whole entity, as the replica does.
    assert_eq!(
        report.notification.replica_bytes,
        report.state_transfer.replica_bytes
    );
}
