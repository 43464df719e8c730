//! Domain-file projections in the projection engine, like any built-in:
//! equal to the Rust fold they copy, the same through snapshots as from
//! genesis, and blamed truly.

use proptest::prelude::*;

use super::testing::{stored, stored_jsonl};
use super::*;
use crate::domain::{Domain as Sample, generate};
use crate::projection::{
    MemoryLog, MemorySnapshots, Path, Projection, RebuildOptions, blame, builtin, rebuild, travel,
};

/// `balances` written in jq: the same state as the built-in Rust one.
const BALANCES_IN_JQ: &str = r#"
name = "bank-in-jq"

[projections.jq-balances]
init = '{accounts: {}, total: 0}'
when.AccountOpened = '''
  .accounts[$event.stream] = ((.accounts[$event.stream] // {owner: "", balance: 0, open: false})
    | .owner = $event.data.owner | .open = true)
'''
when.MoneyDeposited = '''
  .accounts[$event.stream] = ((.accounts[$event.stream] // {owner: "", balance: 0, open: false})
    | .balance += $event.data.amount)
  | .total += $event.data.amount
'''
when.MoneyWithdrawn = '''
  .accounts[$event.stream] = ((.accounts[$event.stream] // {owner: "", balance: 0, open: false})
    | .balance -= $event.data.amount)
  | .total -= $event.data.amount
'''
when.AccountClosed = '''
  .accounts[$event.stream] = ((.accounts[$event.stream] // {owner: "", balance: 0, open: false})
    | .open = false)
'''
"#;

fn jq_balances() -> Box<dyn Projection> {
    let domain = parse(BALANCES_IN_JQ, "bank-in-jq.toml").unwrap_or_else(|e| panic!("{e}"));
    Box::new(domain.projections[0].instance())
}

fn bank_log(events: u64, seed: u64) -> MemoryLog {
    let mut new = Vec::new();
    generate(Sample::Bank, events, seed, |event| {
        new.push(event);
        Ok::<(), ()>(())
    })
    .unwrap();
    MemoryLog::new(stored(new)).unwrap()
}

fn library_log() -> (Domain, MemoryLog) {
    let domain = parse(
        include_str!("../../sample-data/library.domain.toml"),
        "library.domain.toml",
    )
    .unwrap();
    let events = stored_jsonl(include_str!("../../sample-data/library.jsonl"));
    (domain, MemoryLog::new(events).unwrap())
}

fn snapshots_of(
    log: &MemoryLog,
    projection: Box<dyn Projection>,
    interval: u64,
) -> MemorySnapshots {
    crate::projection::testing::snapshots_every(log, &mut [projection], interval)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn balances_in_jq_equal_the_built_in_at_every_seq(seed in any::<u64>(), events in 1u64..300) {
        let log = bank_log(events, seed);
        let mut rust = builtin("balances").unwrap();
        let mut jq = jq_balances();
        for event in log.events() {
            rust.apply(event).unwrap();
            jq.apply(event).unwrap();
            prop_assert_eq!(jq.state(), rust.state(), "at seq {}", event.seq);
        }
    }

    #[test]
    fn a_jq_projection_from_a_snapshot_equals_it_from_genesis(seed in any::<u64>(), events in 1u64..60, interval in 1u64..12) {
        let log = bank_log(events, seed);
        let store = snapshots_of(&log, jq_balances(), interval);
        for at in 0..=log.events().len() as u64 {
            let (fast, report) = travel(&log, Some(&store), jq_balances(), at).unwrap();
            let (slow, _) = travel(&log, None, jq_balances(), at).unwrap();
            prop_assert_eq!(fast.state(), slow.state(), "at {}", at);
            prop_assert!(report.replayed <= interval, "at {}: {:?}", at, report);
        }
    }
}

#[test]
fn every_library_projection_travels_through_snapshots_truly() {
    let (domain, log) = library_log();
    for def in &domain.projections {
        let store = snapshots_of(&log, Box::new(def.instance()), 3);
        for at in 0..=log.events().len() as u64 {
            let (fast, _) = travel(&log, Some(&store), Box::new(def.instance()), at).unwrap();
            let (slow, _) = travel(&log, None, Box::new(def.instance()), at).unwrap();
            assert_eq!(fast.state(), slow.state(), "{} at {at}", def.name);
        }
    }
}

#[test]
fn blame_names_the_event_that_set_a_field() {
    let (domain, log) = library_log();
    let members = domain
        .projections
        .iter()
        .find(|p| p.name == "members")
        .unwrap();
    let blamed = |path: &str, at: u64| {
        let path = Path::parse(path).unwrap();
        blame(&log, None, Box::new(members.instance()), &path, at)
            .unwrap()
            .changed_at
    };
    // Yuki's address: set when she joined (9), changed at 16.
    assert_eq!(blamed("member-3.email", 34), Some(16));
    assert_eq!(blamed("member-3.email", 15), Some(9));
    // Rosalind's fine: charged at 24, paid at 25.
    assert_eq!(blamed("member-1.owed", 24), Some(24));
    assert_eq!(blamed("member-1.owed", 34), Some(25));
}

#[test]
fn a_rebuild_of_a_failing_projection_names_the_event_and_the_place() {
    let (_, log) = library_log();
    let domain = parse(
        "name = 'x'\n[projections.p]\nwhen.BookReturned = '.late += ($event.data.days_late | if . > 2 then error(\"too late\") else . end)'\n",
        "x.domain.toml",
    )
    .unwrap();
    let error = rebuild(
        &log,
        &mut [Box::new(domain.projections[0].instance()) as Box<dyn Projection>],
        &RebuildOptions::default(),
        &mut |_| {},
    )
    .expect_err("fails at the first return three days late");
    let message = error.to_string();
    assert!(message.contains("23"), "{message}");
    assert!(message.contains("x.domain.toml:3:22"), "{message}");
    assert!(message.contains("too late"), "{message}");
}
