use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::json;

use crate::projection::testing::LogBuilder;
use crate::projection::*;

fn retail_log(orders: usize) -> MemoryLog {
    let mut log = LogBuilder::new();
    let address = json!({"street": "1 A St", "city": "Oslo", "postcode": "0150", "country": "NO"});
    log.push(
        "customer-1",
        "CustomerRegistered",
        json!({"name": "Ada", "email": "a@x", "address": address}),
    );
    for n in 1..=orders {
        let order = format!("order-{n}");
        log.push(
            &order,
            "OrderPlaced",
            json!({"customer": "customer-1", "items": [], "total": 100}),
        )
        .push(&order, "PaymentReceived", json!({"amount": 100}));
    }
    log.build()
}

fn fresh(names: &[&str]) -> Vec<Box<dyn Projection>> {
    names.iter().map(|name| builtin(name).unwrap()).collect()
}

#[test]
fn rebuild_reports_done_equal_to_total_exactly_once_at_the_end() {
    let log = retail_log(3000);
    let mut projections = fresh(&names());
    let mut reports = Vec::new();
    let options = RebuildOptions {
        report_every: Duration::ZERO,
        ..RebuildOptions::default()
    };
    let outcome = rebuild(&log, &mut projections, &options, &mut |p| reports.push(p)).unwrap();
    let RebuildOutcome::Completed(report) = outcome else {
        panic!("not completed: {outcome:?}");
    };
    assert_eq!((report.done, report.total), (6001, 6001));
    let last = reports.last().unwrap();
    assert_eq!((last.done, last.total), (6001, 6001));
    assert_eq!(reports.iter().filter(|p| p.done == p.total).count(), 1);
    assert!(reports.len() > 1, "reports every check when asked to");
    assert!(reports.windows(2).all(|w| w[0].done < w[1].done));
}

#[test]
fn an_empty_log_still_reports_its_end() {
    let mut reports = Vec::new();
    let log = MemoryLog::default();
    let outcome = rebuild(
        &log,
        &mut fresh(&["types"]),
        &RebuildOptions::default(),
        &mut |p| reports.push(p),
    );
    assert!(matches!(outcome, Ok(RebuildOutcome::Completed(_))));
    assert_eq!(reports.len(), 1);
    assert_eq!((reports[0].done, reports[0].total), (0, 0));
}

#[test]
fn cancelling_from_the_first_report_stops_the_rebuild() {
    let log = retail_log(5000);
    let cancel = AtomicBool::new(false);
    let options = RebuildOptions {
        cancel: Some(&cancel),
        report_every: Duration::ZERO,
        ..RebuildOptions::default()
    };
    let mut reports = 0;
    let outcome = rebuild(&log, &mut fresh(&["orders"]), &options, &mut |_| {
        reports += 1;
        cancel.store(true, Ordering::Relaxed);
    })
    .unwrap();
    let RebuildOutcome::Cancelled(report) = outcome else {
        panic!("not cancelled: {outcome:?}");
    };
    assert_eq!(
        reports, 1,
        "no report after the cancel, not even a final one"
    );
    assert!(report.done < report.total, "{report:?}");
}

#[test]
fn a_malformed_payload_stops_the_rebuild_naming_seq_and_type() {
    let mut log = LogBuilder::new();
    log.push(
        "order-1",
        "OrderPlaced",
        json!({"customer": "customer-1", "items": [], "total": 5}),
    )
    .push("order-1", "PaymentReceived", json!({"amount": "five"}))
    .push("order-1", "OrderShipped", json!({}));
    let mut projections = fresh(&["types", "orders"]);
    let err = rebuild(
        &log.build(),
        &mut projections,
        &RebuildOptions::default(),
        &mut |_| {},
    )
    .unwrap_err();
    match &err {
        ReplayError::Event {
            projection,
            seq,
            event_type,
            ..
        } => assert_eq!(
            (projection.as_str(), *seq, event_type.as_str()),
            ("orders", 2, "PaymentReceived")
        ),
        other => panic!("unexpected error {other}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("event 2") && message.contains("PaymentReceived"),
        "{message}"
    );
    // The fold stopped there: the third event never reached `types`.
    assert_eq!(projections[0].state()["total"], 2);
}

#[test]
fn projections_that_name_their_types_skip_the_others_and_end_at_the_end() {
    let mut new = Vec::new();
    crate::domain::generate::generate(crate::domain::Domain::Retail, 3000, 5, |event| {
        new.push(event);
        Ok::<(), ()>(())
    })
    .unwrap();
    let log = MemoryLog::new(crate::domain_file::testing::stored(new)).unwrap();
    let names = ["orders", "customers", "address-book"];
    assert!(
        fresh(&names).iter().all(|p| p.event_types().is_some()),
        "each names its types, so the rebuild skips through the type index"
    );
    let store = MemorySnapshots::new();
    let policy = SnapshotPolicy {
        min_interval: 250,
        bytes_per_event: u64::MAX,
    };
    let options = RebuildOptions {
        snapshots: Some((&store, policy)),
        ..RebuildOptions::default()
    };
    let mut rebuilt = fresh(&names);
    let outcome = rebuild(&log, &mut rebuilt, &options, &mut |_| {}).unwrap();
    let RebuildOutcome::Completed(report) = outcome else {
        panic!("not cancelled")
    };
    assert_eq!((report.done, report.total), (3000, 3000));
    assert!(report.snapshots_saved > 0);
    for projection in &rebuilt {
        let mut alone = builtin(projection.name()).unwrap();
        for event in log.events() {
            alone.apply(event).unwrap();
        }
        assert_eq!(alone.state(), projection.state(), "{}", projection.name());
        for at in [1, 251, 1234, 2999, 3000] {
            let (through, _) =
                travel(&log, Some(&store), builtin(projection.name()).unwrap(), at).unwrap();
            let (genesis, _) = travel(&log, None, builtin(projection.name()).unwrap(), at).unwrap();
            assert_eq!(
                through.state(),
                genesis.state(),
                "{} at {at}",
                projection.name()
            );
        }
    }
}

#[test]
fn one_pass_gives_each_projection_the_state_of_its_own_fold() {
    let log = retail_log(50);
    let mut together = fresh(&names());
    rebuild(&log, &mut together, &RebuildOptions::default(), &mut |_| {}).unwrap();
    for projection in &together {
        let mut alone = builtin(projection.name()).unwrap();
        for event in log.events() {
            alone.apply(event).unwrap();
        }
        assert_eq!(alone.state(), projection.state(), "{}", projection.name());
    }
}

#[test]
fn snapshots_are_taken_along_the_way_and_other_versions_discarded() {
    let log = retail_log(100);
    let store = MemorySnapshots::new();
    store.put("orders", 999, 7, b"old code").unwrap();
    store.put("types", 999, 7, b"kept: not rebuilt").unwrap();
    let policy = SnapshotPolicy {
        min_interval: 50,
        bytes_per_event: u64::MAX,
    };
    let options = RebuildOptions {
        snapshots: Some((&store, policy)),
        ..RebuildOptions::default()
    };
    let outcome = rebuild(&log, &mut fresh(&["orders"]), &options, &mut |_| {}).unwrap();
    assert!(matches!(outcome, RebuildOutcome::Completed(ref r) if r.snapshots_saved == 4));
    assert_eq!(store.seqs("orders", 999), Vec::<u64>::new());
    assert_eq!(store.seqs("types", 999), [7]);
    assert_eq!(store.seqs("orders", 1), [50, 100, 150, 200]);
}

/// Refuses every write after the first `works` ones.
struct FailingSnapshots {
    inner: MemorySnapshots,
    works: usize,
    writes: std::sync::atomic::AtomicUsize,
}

impl SnapshotStore for FailingSnapshots {
    fn nearest(&self, p: &str, v: u32, at: u64) -> anyhow::Result<Option<(u64, Vec<u8>)>> {
        self.inner.nearest(p, v, at)
    }

    fn put(&self, projection: &str, version: u32, seq: u64, state: &[u8]) -> anyhow::Result<()> {
        if self.writes.fetch_add(1, Ordering::SeqCst) >= self.works {
            anyhow::bail!("the disk is full");
        }
        self.inner.put(projection, version, seq, state)
    }

    fn discard_other_versions(&self, projection: &str, keep: u32) -> anyhow::Result<()> {
        self.inner.discard_other_versions(projection, keep)
    }

    fn discard_all(&self, projection: &str) -> anyhow::Result<()> {
        self.inner.discard_all(projection)
    }
}

#[test]
fn a_snapshot_that_cannot_be_written_fails_the_rebuild() {
    // Snapshots are written on a second thread: its failure must still
    // reach the caller, whenever it happens, and stop the fold.
    for works in [0, 1, 3] {
        let log = retail_log(200);
        let store = FailingSnapshots {
            inner: MemorySnapshots::new(),
            works,
            writes: Default::default(),
        };
        let policy = SnapshotPolicy {
            min_interval: 20,
            bytes_per_event: u64::MAX,
        };
        let options = RebuildOptions {
            snapshots: Some((&store, policy)),
            ..RebuildOptions::default()
        };
        let outcome = rebuild(
            &log,
            &mut fresh(&["orders", "types"]),
            &options,
            &mut |_| {},
        );
        match outcome {
            Err(ReplayError::Snapshots { error, .. }) => {
                assert!(error.to_string().contains("disk is full"), "{error}");
            }
            other => panic!("after {works} writes: {other:?}"),
        }
        assert_eq!(store.inner.len(), works, "the writes that worked are kept");
    }
}

#[test]
fn a_large_state_is_snapshotted_less_often() {
    let policy = SnapshotPolicy {
        min_interval: 10,
        bytes_per_event: 4,
    };
    let log = retail_log(200);
    let store = MemorySnapshots::new();
    let options = RebuildOptions {
        snapshots: Some((&store, policy)),
        ..RebuildOptions::default()
    };
    rebuild(&log, &mut fresh(&["orders"]), &options, &mut |_| {}).unwrap();
    let seqs = store.seqs("orders", 1);
    let gaps: Vec<u64> = seqs.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.first() < gaps.last(),
        "gaps grow with the state: {gaps:?}"
    );
}

#[test]
fn travel_starts_from_the_nearest_snapshot() {
    let log = retail_log(100);
    let store = MemorySnapshots::new();
    let options = RebuildOptions {
        snapshots: Some((
            &store,
            SnapshotPolicy {
                min_interval: 40,
                bytes_per_event: u64::MAX,
            },
        )),
        ..RebuildOptions::default()
    };
    rebuild(&log, &mut fresh(&["orders"]), &options, &mut |_| {}).unwrap();
    // Only the events an order projection reads are replayed.
    let reads = builtin("orders").unwrap().event_types().unwrap();
    let read_between = |from: u64, to: u64| {
        log.events()
            .iter()
            .filter(|e| (from..=to).contains(&e.seq) && reads.iter().any(|t| **t == *e.event_type))
            .count() as u64
    };
    assert_eq!(
        read_between(1, 95),
        94,
        "the customer's registration is skipped"
    );
    let (orders, report) = travel(&log, Some(&store), builtin("orders").unwrap(), 95).unwrap();
    assert_eq!(report.start, Start::Snapshot(80));
    assert_eq!(report.replayed, read_between(81, 95));
    let (genesis, report) = travel(&log, None, builtin("orders").unwrap(), 95).unwrap();
    assert_eq!(
        (report.start, report.replayed),
        (Start::Genesis, read_between(1, 95))
    );
    assert_eq!(orders.state(), genesis.state());
}

#[test]
fn a_damaged_snapshot_is_passed_over() {
    let log = retail_log(10);
    let store = MemorySnapshots::new();
    store.put("orders", 1, 5, &[0xff, 0xff]).unwrap();
    let (orders, report) = travel(&log, Some(&store), builtin("orders").unwrap(), 8).unwrap();
    assert_eq!(report.start, Start::Genesis);
    assert_eq!(report.skipped_snapshot.as_ref().map(|s| s.0), Some(5));
    let (genesis, _) = travel(&log, None, builtin("orders").unwrap(), 8).unwrap();
    assert_eq!(orders.state(), genesis.state());
}

#[test]
fn travel_is_bounded_by_the_log() {
    let log = retail_log(1);
    let Err(err) = travel(&log, None, builtin("types").unwrap(), 4) else {
        panic!("travelled past the end");
    };
    assert_eq!(
        err.to_string(),
        "seq 4 is past the end of the log (the last is 3)"
    );
    let (types, _) = travel(&log, None, builtin("types").unwrap(), 0).unwrap();
    assert_eq!(types.state()["total"], 0);
}
