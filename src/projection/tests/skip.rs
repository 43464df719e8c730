//! Skip law: the state with some events skipped is the state of a log
//! that never held them, built by the store itself.

use proptest::prelude::*;

use crate::domain::Domain;
use crate::domain::generate::generate;
use crate::event::NewEvent;
use crate::projection::*;
use crate::store::EventLog;

const EVENTS: u64 = 150;

fn generated(domain: Domain, seed: u64) -> Vec<NewEvent> {
    let mut events = Vec::new();
    generate(domain, EVENTS, seed, |event| {
        events.push(event);
        Ok::<_, ()>(())
    })
    .unwrap();
    events
}

/// A log in `dir` holding `events`, the store numbering them afresh.
fn log_of(dir: &tempfile::TempDir, name: &str, events: Vec<NewEvent>) -> EventLog {
    let log = EventLog::create(dir.path().join(name)).unwrap();
    let unpinned = events.into_iter().map(|mut event| {
        event.expected_version = None;
        event
    });
    log.append(unpinned).unwrap();
    log
}

fn rule() -> impl Strategy<Value = SkipRule> {
    prop_oneof![
        (1..=EVENTS).prop_map(|seq| SkipRule::Seqs { from: seq, to: seq }),
        (1..=EVENTS, 0..20u64).prop_map(|(from, len)| SkipRule::Seqs {
            from,
            to: from + len
        }),
        prop::sample::select(
            crate::domain::retail::EVENT_TYPES
                .iter()
                .chain(&crate::domain::bank::EVENT_TYPES)
                .copied()
                .collect::<Vec<_>>()
        )
        .prop_map(|name| SkipRule::Type(name.to_owned())),
        (1..8u32).prop_map(|n| SkipRule::Stream(format!("customer-{n}"))),
        (1..8u32).prop_map(|n| SkipRule::Stream(format!("account-{n}"))),
    ]
}

fn outcome(result: Result<Box<dyn Projection>, ReplayError>) -> Result<serde_json::Value, String> {
    result.map(|p| p.state()).map_err(|e| match e {
        // The seq differs between the two logs; the rest must agree.
        ReplayError::Event {
            projection, error, ..
        } => format!("{projection}: {error}"),
        other => other.to_string(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_skipped_state_is_the_state_of_a_log_without_those_events(
        bank in any::<bool>(),
        seed in 0..1000u64,
        rules in prop::collection::vec(rule(), 0..4),
        at in 0..=EVENTS,
    ) {
        let domain = if bank { Domain::Bank } else { Domain::Retail };
        let events = generated(domain, seed);
        let dir = tempfile::tempdir().unwrap();
        let real = log_of(&dir, "real.redb", events.clone());
        let mut skip = Skip::new();
        for rule in rules {
            skip.add(rule);
        }
        let stored = real.read(1, EVENTS as usize, false).unwrap();
        let kept: Vec<NewEvent> = stored
            .iter()
            .zip(events)
            .filter(|(stored, _)| stored.seq <= at && !skip.skips(stored))
            .map(|(_, new)| new)
            .collect();
        let without = log_of(&dir, "without.redb", kept);
        let end = without.last_seq().unwrap();
        for name in names() {
            let skipped = replay_skipping(&real, builtin(name).unwrap(), &skip, at)
                .map(|(p, _)| p);
            let reference = travel(&without, None, builtin(name).unwrap(), end).map(|(p, _)| p);
            prop_assert_eq!(outcome(skipped), outcome(reference), "projection {}", name);
        }
    }
}

#[test]
fn the_report_counts_what_was_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let real = log_of(&dir, "real.redb", generated(Domain::Retail, 7));
    let skip = Skip::parse("1..10,20").unwrap();
    let (_, report) = replay_skipping(&real, builtin("types").unwrap(), &skip, 100).unwrap();
    assert_eq!((report.skipped, report.kept), (11, 89));
}
