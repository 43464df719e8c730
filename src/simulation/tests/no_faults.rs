//! With a perfect bus and a source that never fails, the two flows differ
//! only in what they move, store and call.

use super::support::{LogBuilder, busy_log};
use crate::domain::retail;
use crate::simulation::{Flow, Mapping, SimParams, Simulation};

fn steady_log() -> LogBuilder {
    let steps: Vec<(u32, u8)> = (0..200u32).map(|i| (i * 7, (i % 5) as u8)).collect();
    busy_log(12, &steps)
}

#[test]
fn both_consumers_end_with_the_sources_view() {
    // Given a log with moves, email changes and shipments
    let log = steady_log();
    // When it runs without faults
    let report = Simulation::run(Mapping::retail(), SimParams::default(), log.build()).unwrap();
    // Then both consumers converge and every shipment is made
    for metrics in [&report.notification, &report.state_transfer] {
        assert!(metrics.converged, "{metrics:?}");
        assert_eq!(metrics.work_done, log.count(retail::ORDER_SHIPPED));
        assert_eq!(metrics.work_failed, 0);
    }
}

#[test]
fn state_transfer_never_calls_and_notification_calls_per_change() {
    let log = steady_log();
    let report = Simulation::run(Mapping::retail(), SimParams::default(), log.build()).unwrap();
    assert_eq!(report.state_transfer.remote_calls, 0);
    assert_eq!(report.state_transfer.fetched_bytes, 0);
    assert!(report.notification.remote_calls >= log.customer_changes());
    assert!(report.notification.fetched_bytes > 0);
}

#[test]
fn state_transfer_moves_and_keeps_more_bytes() {
    let log = steady_log();
    let report = Simulation::run(Mapping::retail(), SimParams::default(), log.build()).unwrap();
    let (n, s) = (&report.notification, &report.state_transfer);
    assert_eq!(n.bus_messages, s.bus_messages);
    assert_eq!(n.bus_messages, log.customer_changes());
    assert!(
        s.bus_bytes > n.bus_bytes,
        "{} <= {}",
        s.bus_bytes,
        n.bus_bytes
    );
    assert!(s.replica_bytes > n.replica_bytes);
}

#[test]
fn the_replica_learns_a_change_one_bus_trip_after_it_and_a_call_takes_longer() {
    let params = SimParams {
        bus_latency_ms: 20,
        query_latency_ms: 50,
        ..SimParams::default()
    };
    let report = Simulation::run(Mapping::retail(), params.clone(), steady_log().build()).unwrap();
    assert_eq!(
        report.state_transfer.max_staleness_ms,
        params.bus_latency_ms
    );
    assert_eq!(
        report.state_transfer.mean_staleness_ms,
        params.bus_latency_ms as f64
    );
    // A Notification consumer only knows a change from a call made after it.
    assert!(report.notification.mean_staleness_ms >= params.query_latency_ms as f64);
}

#[test]
fn each_consumer_view_matches_the_truth_at_the_end() {
    let log = steady_log();
    let mut simulation = Simulation::new(Mapping::retail(), SimParams::default()).unwrap();
    for event in &log.build() {
        simulation.feed(event);
    }
    simulation.finish();
    let customers: Vec<String> = simulation.entities().map(str::to_string).collect();
    assert_eq!(customers.len(), 12);
    for customer in &customers {
        let truth = simulation.source_view(customer).unwrap();
        assert_eq!(&*truth.fields[0].0, "address");
        for flow in Flow::ALL {
            assert_eq!(
                simulation.consumer_view(flow, customer),
                Some(truth.clone())
            );
        }
    }
    assert_eq!(simulation.source_view("customer-999"), None);
}

#[test]
fn a_shipment_right_after_registration_waits_for_the_data() {
    // Given a customer who orders within the bus latency of registering
    let mut log = LogBuilder::new();
    log.register(1, "York").order_and_ship(1).pause(20);
    let params = SimParams {
        event_interval_ms: 1,
        bus_latency_ms: 50,
        ..SimParams::default()
    };
    let report = Simulation::run(Mapping::retail(), params, log.build()).unwrap();
    // Then both consumers had to wait, and both shipped in the end
    for metrics in [&report.notification, &report.state_transfer] {
        assert_eq!(
            (metrics.work_delayed, metrics.work_done),
            (1, 1),
            "{metrics:?}"
        );
    }
}

#[test]
fn bad_params_are_refused() {
    let params = SimParams {
        duplicate_rate: -0.1,
        ..SimParams::default()
    };
    assert!(Simulation::new(Mapping::retail(), params).is_err());
}

#[test]
fn unreadable_events_are_counted_not_fatal() {
    let mut log = LogBuilder::new();
    log.register(1, "York");
    let mut events = log.build();
    let mut broken = events[0].clone();
    broken.seq = 2;
    broken.version = 2;
    broken.event_type = retail::CUSTOMER_ADDRESS_CHANGED.into();
    // A change's data is merged into its entity: one that is not an object
    // cannot be.
    broken.data = crate::event::Json::parse_text(r#""nowhere""#).unwrap();
    events.push(broken);
    let report = Simulation::run(Mapping::retail(), SimParams::default(), &events).unwrap();
    assert_eq!((report.events, report.skipped_events), (2, 1));
    assert!(report.state_transfer.converged);
}
