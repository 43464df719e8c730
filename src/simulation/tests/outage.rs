//! The source's query API goes down: Notification work waits or fails,
//! StateTransfer keeps shipping from its replica.

use super::support::LogBuilder;
use crate::simulation::{Mapping, RetryPolicy, SeqRange, SimParams, Simulation};

const CUSTOMERS: u32 = 5;

/// Customers register and settle; then, inside the returned seq range, each
/// one moves house and has an order shipped; then a long quiet spell.
fn log_with_window(quiet_after: usize) -> (LogBuilder, SeqRange) {
    let mut log = LogBuilder::new();
    for n in 1..=CUSTOMERS {
        log.register(n, "Leeds");
    }
    log.pause(20);
    let first = log.next_seq();
    for n in 1..=CUSTOMERS {
        log.move_to(n, "Hull").pause(5).order_and_ship(n);
    }
    log.pause(10);
    let window = SeqRange::new(first, log.next_seq() - 1);
    log.pause(quiet_after);
    (log, window)
}

fn params(window: SeqRange) -> SimParams {
    SimParams {
        outages: vec![window],
        ..SimParams::default()
    }
}

#[test]
fn during_the_outage_only_state_transfer_ships() {
    // Given a source that is down while customers move and order
    let (log, window) = log_with_window(3_000);
    let params = params(window);
    let window_end = (window.last + 1) * params.event_interval_ms - 1;
    let mut simulation = Simulation::new(Mapping::retail(), params).unwrap();
    for event in &log.build() {
        simulation.feed(event);
    }
    // When the clock reaches the end of the outage
    simulation.run_until(window_end);
    // Then StateTransfer has shipped every order, Notification none
    let during = simulation.report();
    assert_eq!(during.state_transfer.work_done, u64::from(CUSTOMERS));
    assert_eq!(during.state_transfer.work_delayed, 0);
    assert_eq!(during.notification.work_done, 0);
    assert_eq!(during.notification.work_delayed, u64::from(CUSTOMERS));
    assert!(during.notification.failed_calls > 0);
    // And after the outage Notification's retries get through
    simulation.finish();
    let after = simulation.report();
    assert_eq!(after.notification.work_done, u64::from(CUSTOMERS));
    assert_eq!(after.notification.work_failed, 0);
    assert!(after.notification.converged && after.state_transfer.converged);
    assert_eq!(after.state_transfer.remote_calls, 0);
}

#[test]
fn an_outage_longer_than_the_retries_fails_notification_work() {
    let (log, window) = log_with_window(100);
    let long = SeqRange::new(window.first, window.last + 5_000);
    let params = SimParams {
        retry: RetryPolicy {
            max_attempts: 3,
            first_backoff_ms: 100,
            max_backoff_ms: 1_000,
        },
        ..params(long)
    };
    let report = Simulation::run(Mapping::retail(), params, log.build()).unwrap();
    assert_eq!(report.notification.work_failed, u64::from(CUSTOMERS));
    assert_eq!(report.state_transfer.work_done, u64::from(CUSTOMERS));
    assert_eq!(report.state_transfer.work_failed, 0);
    // The failed fetches leave Notification behind the source.
    assert!(!report.notification.converged);
    assert!(report.state_transfer.converged);
    assert!(report.notification.max_staleness_ms > report.state_transfer.max_staleness_ms);
}

#[test]
fn the_outage_makes_notification_staler_than_without_it() {
    let (log, window) = log_with_window(3_000);
    let calm = Simulation::run(Mapping::retail(), SimParams::default(), log.build()).unwrap();
    let stormy = Simulation::run(Mapping::retail(), params(window), log.build()).unwrap();
    assert!(stormy.notification.max_staleness_ms > calm.notification.max_staleness_ms);
    assert!(stormy.notification.remote_calls > calm.notification.remote_calls);
    assert_eq!(stormy.state_transfer, calm.state_transfer);
}
