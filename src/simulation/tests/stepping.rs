//! Stepping, running up to a time and running at once agree; what is in
//! flight is what the model has sent and not yet delivered.

use proptest::prelude::*;

use super::support::{LogBuilder, busy_log, customer};
use crate::simulation::{Flow, Mapping, MessageKind, Party, SeqRange, SimParams, Simulation};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn stepping_to_the_end_equals_running_at_once(
        steps in proptest::collection::vec((0u32..5, 0u8..4), 1..60),
        seed in any::<u64>(),
        drop_rate in 0.0f64..0.3,
        reorder_rate in 0.0f64..0.5,
        tick in 1u64..400,
    ) {
        let log = busy_log(5, &steps).build();
        let params = SimParams {
            drop_rate,
            reorder_rate,
            duplicate_rate: 0.2,
            outages: vec![SeqRange::new(8, 30)],
            seed,
            ..SimParams::default()
        };
        let at_once = Simulation::run(Mapping::retail(), params.clone(), &log).unwrap();

        let mut stepped = Simulation::new(Mapping::retail(), params.clone()).unwrap();
        for event in &log {
            stepped.feed(event);
        }
        while stepped.step() {}
        prop_assert_eq!(&stepped.report(), &at_once);

        let mut ticking = Simulation::new(Mapping::retail(), params).unwrap();
        for event in &log {
            ticking.feed(event);
        }
        while let Some(next) = ticking.next_at() {
            let target = ticking.now() + tick;
            ticking.run_until(target.max(next));
            prop_assert!(ticking.in_flight().iter().all(|m| m.arrives_at > ticking.now()));
        }
        // The same moment reached by another path looks the same.
        stepped.run_until(ticking.now());
        prop_assert_eq!(ticking.report(), stepped.report());
    }
}

#[test]
fn a_change_travels_then_a_call_goes_out_and_comes_back() {
    let mut log = LogBuilder::new();
    log.register(1, "Leeds");
    let params = SimParams {
        event_interval_ms: 10,
        bus_latency_ms: 20,
        query_latency_ms: 40,
        ..SimParams::default()
    };
    let mut simulation = Simulation::new(Mapping::retail(), params).unwrap();
    for event in &log.build() {
        simulation.feed(event);
    }
    // The registration happens at 10 and is published on both buses
    simulation.run_until(10);
    let on_bus = simulation.in_flight();
    let kinds: Vec<(Flow, MessageKind)> = on_bus.iter().map(|m| (m.flow, m.kind)).collect();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.contains(&(Flow::Notification, MessageKind::ThinEvent)));
    assert!(
        on_bus
            .iter()
            .all(|m| m.from == Party::Source && m.sent_at == 10 && m.arrives_at == 30)
    );
    assert!(
        on_bus
            .iter()
            .all(|m| &*m.stream == customer(1).as_str() && m.version == 1)
    );
    // At 30 both arrive; Notification calls the source
    simulation.run_until(30);
    let call = simulation.in_flight();
    assert_eq!(call.len(), 1);
    assert_eq!(
        (call[0].kind, call[0].from, call[0].to),
        (MessageKind::QueryCall, Party::Consumer, Party::Source)
    );
    assert_eq!(
        simulation
            .consumer_view(Flow::StateTransfer, &customer(1))
            .map(|v| v.version),
        Some(1)
    );
    assert_eq!(
        simulation.consumer_view(Flow::Notification, &customer(1)),
        None
    );
    // Halfway through the round trip the answer is on its way back
    simulation.run_until(50);
    let answer = simulation.in_flight();
    assert_eq!(
        (answer[0].kind, answer[0].to, answer[0].arrives_at),
        (MessageKind::QueryAnswer, Party::Consumer, 70)
    );
    simulation.run_until(70);
    assert!(simulation.in_flight().is_empty());
    assert_eq!(
        simulation.consumer_view(Flow::Notification, &customer(1)),
        simulation.source_view(&customer(1))
    );
    assert_eq!(simulation.now(), 70);
    assert!(!simulation.step());
}
