//! A faulty bus: lost, duplicated and reordered messages, and what version
//! checks do about them.

use proptest::prelude::*;

use super::support::{LogBuilder, busy_log, customer};
use crate::simulation::faults::Fate;
use crate::simulation::{Flow, Mapping, SimParams, Simulation};

fn shaky(seed: u64, version_checks: bool) -> SimParams {
    SimParams {
        duplicate_rate: 0.4,
        reorder_rate: 0.4,
        reorder_delay_ms: 500,
        version_checks,
        seed,
        ..SimParams::default()
    }
}

fn moving_log() -> LogBuilder {
    let steps: Vec<(u32, u8)> = (0..120u32).map(|i| (i % 3, (i % 3) as u8)).collect();
    busy_log(3, &steps)
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let log = moving_log().build();
    let params = SimParams {
        drop_rate: 0.1,
        ..shaky(42, true)
    };
    let first = Simulation::run(Mapping::retail(), params.clone(), &log).unwrap();
    let second = Simulation::run(Mapping::retail(), params, &log).unwrap();
    assert_eq!(first, second);
    assert_eq!(
        serde_json::to_string(&first).unwrap(),
        serde_json::to_string(&second).unwrap()
    );
}

#[test]
fn without_version_checks_some_run_rolls_the_replica_back() {
    let log = moving_log().build();
    let diverged = (0..20)
        .filter(|&seed| {
            let report = Simulation::run(Mapping::retail(), shaky(seed, false), &log).unwrap();
            !report.state_transfer.converged
        })
        .count();
    assert!(diverged > 0, "no seed out of 20 diverged");
}

#[test]
fn a_reordered_event_is_held_with_checks_and_applied_late_without() {
    // Given a customer who moves twice, and a seed where the first move is
    // held back on the bus while the second is not
    let mut log = LogBuilder::new();
    log.register(1, "Leeds").pause(10);
    let first_move = log.next_seq();
    log.move_to(1, "Hull").move_to(1, "York").pause(400);
    let base = SimParams {
        reorder_rate: 0.5,
        reorder_delay_ms: 1_000,
        ..SimParams::default()
    };
    let seed = (0..1_000)
        .find(|&seed| {
            let p = SimParams {
                seed,
                ..base.clone()
            };
            let (a, b) = (Fate::of(&p, first_move), Fate::of(&p, first_move + 1));
            a.extra_delay_ms > 100
                && b.extra_delay_ms == 0
                && !a.dropped
                && a.duplicate_delay_ms.is_none()
                && b.duplicate_delay_ms.is_none()
        })
        .expect("some seed reorders the two moves");
    let second_arrives = (first_move + 1) * base.event_interval_ms + base.bus_latency_ms;
    for checks in [true, false] {
        let params = SimParams {
            seed,
            version_checks: checks,
            ..base.clone()
        };
        let mut simulation = Simulation::new(Mapping::retail(), params).unwrap();
        for event in &log.build() {
            simulation.feed(event);
        }
        // When the second move has arrived and the first has not
        simulation.run_until(second_arrives);
        let view = simulation
            .consumer_view(Flow::StateTransfer, &customer(1))
            .unwrap();
        // Then with checks the replica holds it behind the gap
        assert_eq!(view.version, if checks { 1 } else { 3 });
        simulation.finish();
        let end = simulation
            .consumer_view(Flow::StateTransfer, &customer(1))
            .unwrap();
        let truth = simulation.source_view(&customer(1)).unwrap();
        // And in the end only the checked replica has the latest address
        assert_eq!(
            end == truth,
            checks,
            "checks {checks}: {end:?} vs {truth:?}"
        );
        assert!(
            end.fields[0]
                .1
                .contains(if checks { "York" } else { "Hull" })
        );
    }
}

#[test]
fn a_lost_event_is_recovered_by_a_call_but_not_by_a_replica() {
    // Given a bus that loses everything
    let mut log = LogBuilder::new();
    log.register(1, "Leeds").register(2, "Hull").pause(10);
    log.order_and_ship(1).order_and_ship(2).pause(10);
    let params = SimParams {
        drop_rate: 1.0,
        work_timeout_ms: 5_000,
        ..SimParams::default()
    };
    let report = Simulation::run(Mapping::retail(), params, log.build()).unwrap();
    // Then Notification asks when it needs the data; StateTransfer cannot
    assert_eq!(report.notification.work_done, 2);
    assert_eq!(report.notification.remote_calls, 2);
    assert!(report.notification.converged);
    assert_eq!(report.state_transfer.work_failed, 2);
    assert!(!report.state_transfer.converged);
    assert_eq!(report.state_transfer.bus_messages, 2);
}

#[test]
fn duplicates_cost_notification_extra_calls() {
    let log = moving_log();
    let params = SimParams {
        duplicate_rate: 1.0,
        ..SimParams::default()
    };
    let report = Simulation::run(Mapping::retail(), params, log.build()).unwrap();
    assert_eq!(report.notification.bus_messages, 2 * log.customer_changes());
    assert!(report.notification.remote_calls >= 2 * log.customer_changes());
    assert!(report.notification.converged && report.state_transfer.converged);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn with_version_checks_any_delivery_order_converges(
        steps in proptest::collection::vec((0u32..4, 0u8..4), 1..80),
        seed in any::<u64>(),
        duplicate_rate in 0.0f64..=1.0,
        reorder_rate in 0.0f64..=1.0,
    ) {
        let log = busy_log(4, &steps).build();
        let params = SimParams {
            duplicate_rate,
            reorder_rate,
            reorder_delay_ms: 2_000,
            gap_timeout_ms: 10_000,
            seed,
            ..SimParams::default()
        };
        let report = Simulation::run(Mapping::retail(), params, &log).unwrap();
        prop_assert!(report.state_transfer.converged, "{:?}", report.state_transfer);
        // A thin event only says "ask me": order and duplicates cannot hurt.
        prop_assert!(report.notification.converged, "{:?}", report.notification);
        prop_assert_eq!(report.state_transfer.remote_calls, 0);
    }
}
