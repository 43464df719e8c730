//! Projections that read only the heads of events are folded from the
//! heads the store keeps apart from the events' texts: the same states,
//! snapshots and time travel as a fold of the whole events.

use std::sync::atomic::Ordering;

use serde_json::Value;

use crate::event::{Event, NewEvent};
use crate::projection::*;

use super::{Counted, generated};

const OF_HEADS: [&str; 2] = ["types", "streams"];

/// `events` as a store log holds them, some without a time.
fn a_log(dir: &std::path::Path, events: &[Event]) -> crate::store::EventLog {
    let log = crate::store::EventLog::create(dir.join("log.redb")).unwrap();
    log.append(events.iter().enumerate().map(|(n, event)| NewEvent {
        stream: event.stream.to_string(),
        event_type: event.event_type.to_string(),
        id: None,
        time: if n % 9 == 4 { None } else { event.time },
        data: event.data.clone(),
        metadata: None,
        expected_version: None,
    }))
    .unwrap();
    log
}

/// Each projection's state after folding the events to `at` one by one,
/// whole.
fn folded_by_hand(events: &[Event], names: &[&str], at: u64) -> Vec<Value> {
    names
        .iter()
        .map(|name| {
            let mut projection = builtin(name).unwrap();
            for event in events.iter().take_while(|event| event.seq <= at) {
                projection.apply(event).unwrap();
            }
            projection.state()
        })
        .collect()
}

fn rebuilt(source: &dyn EventSource, names: &[&str], snapshots: &MemorySnapshots) -> Vec<Value> {
    let mut projections: Vec<Box<dyn Projection>> =
        names.iter().map(|name| builtin(name).unwrap()).collect();
    let options = RebuildOptions {
        snapshots: Some((
            snapshots as &dyn SnapshotStore,
            SnapshotPolicy {
                min_interval: 100,
                bytes_per_event: 1 << 20,
            },
        )),
        ..RebuildOptions::default()
    };
    let outcome = rebuild(source, &mut projections, &options, &mut |_| {}).unwrap();
    assert!(matches!(outcome, RebuildOutcome::Completed(_)));
    projections.iter().map(|p| p.state()).collect()
}

#[test]
fn a_rebuild_of_projections_of_heads_reads_the_heads_alone_and_folds_what_the_events_give() {
    let dir = tempfile::tempdir().unwrap();
    let log = a_log(dir.path(), &generated(3000, 4));
    let mut events = Vec::new();
    log.scan(1..=u64::MAX, |event| {
        events.push(event);
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert!(events.iter().any(|event| event.time.is_none()));

    let counted = Counted::new(&log);
    let snapshots = MemorySnapshots::new();
    let states = rebuilt(&counted, &OF_HEADS, &snapshots);
    assert_eq!(states, folded_by_hand(&events, &OF_HEADS, 3000));
    let read = |counted: &Counted<'_>| {
        (
            counted.heads.swap(0, Ordering::Relaxed),
            counted.scans.swap(0, Ordering::Relaxed) + counted.shared.swap(0, Ordering::Relaxed),
        )
    };
    assert_eq!(read(&counted), (1, 0), "(scans of heads, of events)");
    for name in OF_HEADS {
        assert!(snapshots.seqs(name, builtin(name).unwrap().version()).len() > 2);
    }

    // Time travel from a snapshot (or from genesis) reads heads too.
    for at in [0, 1, 99, 1234, 2999, 3000] {
        for name in OF_HEADS {
            for store in [Some(&snapshots as &dyn SnapshotStore), None] {
                let (projection, _) = travel(&counted, store, builtin(name).unwrap(), at).unwrap();
                assert_eq!(
                    vec![projection.state()],
                    folded_by_hand(&events, &[name], at),
                    "{name} at {at}"
                );
                let (heads, whole) = read(&counted);
                assert_eq!(whole, 0, "{name} at {at}");
                // From genesis, every seq to `at` is read from the heads;
                // from a snapshot, those after it, if any.
                match store {
                    None => assert_eq!(heads, usize::from(at > 0), "{name} at {at}"),
                    Some(_) => assert!(heads <= 1, "{name} at {at}"),
                }
            }
        }
    }

    // With a projection that reads payloads, the events are read whole.
    let mixed = ["types", "orders"];
    let states = rebuilt(&counted, &mixed, &MemorySnapshots::new());
    assert_eq!(states, folded_by_hand(&events, &mixed, 3000));
    let (heads, whole) = read(&counted);
    assert_eq!((heads, whole > 0), (0, true));
}

#[test]
fn a_projection_that_reads_whole_events_refuses_to_fold_a_head() {
    let mut orders = builtin("orders").unwrap();
    assert_eq!(orders.reads(), Reads::Events);
    let event_type = std::sync::Arc::from("OrderPlaced");
    let head = crate::event_view::EventHead {
        seq: 1,
        stream: Some("order-1"),
        version: 1,
        event_type: &event_type,
        time: None,
    };
    assert_eq!(orders.apply_head(&head), Err(ProjectionError::NotAHeadFold));
    // Named without a stream, when the head was read without one.
    let unnamed = crate::event_view::EventHead {
        stream: None,
        ..head
    };
    let error = ReplayError::head("orders", &unnamed, ProjectionError::NotAHeadFold);
    assert_eq!(
        error.to_string(),
        "projection `orders` stopped at event 1 (OrderPlaced): it reads whole events and \
         cannot fold their heads alone"
    );
}
