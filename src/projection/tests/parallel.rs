//! A rebuild on two threads gives what one thread gives: the same states,
//! the same snapshots, the same report or error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use proptest::prelude::*;

use crate::domain::Domain;
use crate::domain::generate::generate;
use crate::event::{Event, Json};
use crate::projection::replay::{Pace, rebuild_on};
use crate::projection::*;

use super::{Counted, generated};

const RETAIL: [&str; 5] = ["types", "streams", "customers", "address-book", "orders"];

fn fresh(names: &[&str]) -> Vec<Box<dyn Projection>> {
    names.iter().map(|name| builtin(name).unwrap()).collect()
}

/// States, report (without its time) or error, and every snapshot saved.
type Outcome = (
    Vec<serde_json::Value>,
    Result<(u64, u64, u64, bool), String>,
    Vec<Vec<u64>>,
);

fn run(log: &dyn EventSource, names: &[&str], snapshots: bool, pace: Pace) -> Outcome {
    let store = MemorySnapshots::new();
    let policy = SnapshotPolicy {
        min_interval: 7,
        bytes_per_event: 64,
    };
    let options = RebuildOptions {
        snapshots: snapshots.then_some((&store as &dyn SnapshotStore, policy)),
        ..RebuildOptions::default()
    };
    let mut projections = fresh(names);
    let outcome = rebuild_on(log, &mut projections, &options, &mut |_| {}, pace)
        .map(|outcome| match outcome {
            RebuildOutcome::Completed(r) => (r.done, r.total, r.snapshots_saved, false),
            RebuildOutcome::Cancelled(r) => (r.done, r.total, r.snapshots_saved, true),
        })
        .map_err(|error| error.to_string());
    let saved = projections
        .iter()
        .map(|p| store.seqs(p.name(), p.version()))
        .collect();
    let states = projections.iter().map(|p| p.state()).collect();
    (states, outcome, saved)
}

/// The same report or error, states and snapshots on two threads as on one.
fn assert_two_threads_fold_as_one(
    log: &dyn EventSource,
    chosen: &[&str],
    snapshots: bool,
    meet_every: u64,
) {
    let serial = run(
        log,
        chosen,
        snapshots,
        Pace {
            threads: 1,
            meet_every,
        },
    );
    let parallel = run(
        log,
        chosen,
        snapshots,
        Pace {
            threads: 2,
            meet_every,
        },
    );
    assert_eq!(parallel.1, serial.1);
    assert_eq!(parallel.0, serial.0);
    assert_eq!(parallel.2, serial.2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn two_threads_fold_what_one_does(
        events in 0u64..400,
        seed in 0u64..1000,
        chosen in proptest::sample::subsequence(RETAIL.to_vec(), 1..=5),
        meet_every in 1u64..120,
        snapshots in any::<bool>(),
        broken in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut events = generated(events, seed);
        // A payload no projection that reads it can understand.
        if let (Some(at), false) = (broken, events.is_empty()) {
            let at = at.index(events.len());
            events[at].data = Json::parse_text("[1]").unwrap();
        }
        let log = MemoryLog::new(events).unwrap();
        assert_two_threads_fold_as_one(&log, &chosen, snapshots, meet_every);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// On the store, where both groups are handed the events of one read.
    #[test]
    fn two_threads_fold_on_a_log_what_one_does(
        events in 0u64..3000,
        seed in 0u64..1000,
        chosen in proptest::sample::subsequence(RETAIL.to_vec(), 2..=5),
        meet_every in 1u64..2000,
        snapshots in any::<bool>(),
        broken in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut new = Vec::new();
        generate(Domain::Retail, events, seed, |event| {
            new.push(event);
            Ok::<(), ()>(())
        })
        .unwrap();
        if let (Some(at), false) = (broken, new.is_empty()) {
            let at = at.index(new.len());
            new[at].data = Json::parse_text("[1]").unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let log = crate::store::EventLog::create(dir.path().join("log.redb")).unwrap();
        log.append(new.into_iter().map(|mut event| {
            event.expected_version = None;
            event
        }))
        .unwrap();
        assert_two_threads_fold_as_one(&log, &chosen, snapshots, meet_every);
    }
}

#[test]
fn two_groups_are_handed_their_events_by_one_read_of_the_log() {
    let log = MemoryLog::new(generated(2000, 9)).unwrap();
    for (threads, expected) in [(1, (1, 0)), (2, (0, 1))] {
        let counted = Counted::new(&log);
        let pace = Pace {
            threads,
            meet_every: 500,
        };
        let (states, outcome, _) = run(&counted, &RETAIL, false, pace);
        assert_eq!(outcome, Ok((2000, 2000, 0, false)));
        assert_eq!(
            states,
            run(
                &log,
                &RETAIL,
                false,
                Pace {
                    threads: 1,
                    meet_every: 500
                }
            )
            .0
        );
        let read = (counted.scans.into_inner(), counted.shared.into_inner());
        assert_eq!(read, expected, "{threads} thread(s): (scans, shared scans)");
    }
}

#[test]
fn a_cancelled_parallel_rebuild_holds_the_state_at_done_in_every_projection() {
    let log = MemoryLog::new(generated(5000, 3)).unwrap();
    let cancel = AtomicBool::new(false);
    let options = RebuildOptions {
        cancel: Some(&cancel),
        report_every: Duration::ZERO,
        ..RebuildOptions::default()
    };
    let mut projections = fresh(&RETAIL);
    let pace = Pace {
        threads: 2,
        meet_every: 1500,
    };
    let mut reports = 0;
    let outcome = rebuild_on(
        &log,
        &mut projections,
        &options,
        &mut |_| {
            reports += 1;
            cancel.store(true, Ordering::Relaxed);
        },
        pace,
    )
    .unwrap();
    let RebuildOutcome::Cancelled(report) = outcome else {
        panic!("not cancelled: {outcome:?}");
    };
    assert_eq!(reports, 1, "no report after the cancel");
    assert!(report.done < report.total, "{report:?}");
    assert_eq!(report.done % 1500, 0, "stopped at a meeting: {report:?}");
    for projection in &projections {
        let mut alone = builtin(projection.name()).unwrap();
        for event in &log.events()[..report.done as usize] {
            alone.apply(event).unwrap();
        }
        assert_eq!(alone.state(), projection.state(), "{}", projection.name());
    }
}

/// Panics when it meets event `at`: a bug in a projection.
struct PanicsAt {
    at: u64,
}

impl Projection for PanicsAt {
    fn name(&self) -> &str {
        "panics-at"
    }
    fn version(&self) -> u32 {
        1
    }
    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        assert!(
            event.seq < self.at,
            "a projection's own bug at {}",
            event.seq
        );
        Ok(())
    }
    fn state(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn save(&self) -> Vec<u8> {
        Vec::new()
    }
    fn restore(&mut self, _bytes: &[u8]) -> Result<(), ProjectionError> {
        Ok(())
    }
}

#[test]
fn a_projection_that_panics_while_snapshots_are_saved_ends_the_rebuild_with_its_panic() {
    let log = std::sync::Arc::new(MemoryLog::new(generated(3000, 5)).unwrap());
    for threads in [1, 2] {
        let (done, finished) = std::sync::mpsc::channel();
        let log = log.clone();
        std::thread::spawn(move || {
            let store = MemorySnapshots::new();
            let policy = SnapshotPolicy {
                min_interval: 100,
                bytes_per_event: 64,
            };
            let options = RebuildOptions {
                snapshots: Some((&store as &dyn SnapshotStore, policy)),
                ..RebuildOptions::default()
            };
            let mut projections = fresh(&["types", "orders"]);
            projections.push(Box::new(PanicsAt { at: 2000 }));
            let pace = Pace {
                threads,
                meet_every: 500,
            };
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                rebuild_on(&*log, &mut projections, &options, &mut |_| {}, pace)
            }));
            let _ = done.send(outcome.is_err());
        });
        // A bounded wait: a rebuild that hangs fails here, not forever.
        let panicked = finished
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the rebuild on {threads} thread(s) hung after the panic"));
        assert!(
            panicked,
            "the panic reaches the caller ({threads} thread(s))"
        );
    }
}

/// A gate one projection opens and another waits at: it puts one group of
/// a two-thread rebuild wholly behind the other, as a busy machine can.
#[derive(Clone, Default)]
struct Gate(std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>);

impl Gate {
    fn open(&self) {
        let (open, changed) = &*self.0;
        *open.lock().unwrap() = true;
        changed.notify_all();
    }

    fn wait(&self) {
        let (open, changed) = &*self.0;
        let mut open = open.lock().unwrap();
        while !*open {
            open = changed.wait(open).unwrap();
        }
    }
}

/// Opens its gate at the last event, or waits at it before the first.
struct AtTheGate {
    gate: Gate,
    opens_at: Option<u64>,
}

impl Projection for AtTheGate {
    fn name(&self) -> &str {
        if self.opens_at.is_some() {
            "opens"
        } else {
            "waits"
        }
    }
    fn version(&self) -> u32 {
        1
    }
    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        match self.opens_at {
            Some(last) if event.seq == last => self.gate.open(),
            Some(_) => {}
            None if event.seq == 1 => self.gate.wait(),
            None => {}
        }
        Ok(())
    }
    fn state(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn save(&self) -> Vec<u8> {
        Vec::new()
    }
    fn restore(&mut self, _bytes: &[u8]) -> Result<(), ProjectionError> {
        Ok(())
    }
}

#[test]
fn a_group_folding_behind_the_other_is_still_reported_as_it_goes() {
    let log = MemoryLog::new(generated(3000, 7)).unwrap();
    let total = log.events().len() as u64;
    let gate = Gate::default();
    let mut projections: Vec<Box<dyn Projection>> = vec![
        Box::new(AtTheGate {
            gate: gate.clone(),
            opens_at: Some(total),
        }),
        Box::new(AtTheGate {
            gate,
            opens_at: None,
        }),
    ];
    let options = RebuildOptions {
        report_every: Duration::ZERO,
        ..RebuildOptions::default()
    };
    // No meeting before the end: the front group folds the whole log
    // before the back one starts.
    let pace = Pace {
        threads: 2,
        meet_every: total + 1,
    };
    let mut reports = Vec::new();
    let outcome = rebuild_on(
        &log,
        &mut projections,
        &options,
        &mut |p| reports.push(p.done),
        pace,
    )
    .unwrap();
    assert!(
        matches!(outcome, RebuildOutcome::Completed(_)),
        "{outcome:?}"
    );
    assert_eq!(reports.last(), Some(&total));
    assert!(
        reports.len() > 1,
        "the back group's progress is reported while it folds: {reports:?}"
    );
    assert!(reports.windows(2).all(|w| w[0] < w[1]), "{reports:?}");
}
