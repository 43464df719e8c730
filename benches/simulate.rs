//! The simulator: the same 1,000,000-event log through Notification and
//! StateTransfer, with and without faults.
//!
//! `cargo bench --bench simulate`.

mod support;

use std::ops::ControlFlow;
use std::time::Instant;

use eventscope::simulation::{Mapping, SeqRange, SimParams, Simulation};
use eventscope::store::EventLog;
use support::*;

fn simulate(log: &EventLog, params: SimParams) -> (std::time::Duration, Simulation) {
    let start = Instant::now();
    let mut simulation = Simulation::new(Mapping::retail(), params).unwrap();
    log.scan(1..=u64::MAX, |event| {
        simulation.feed(&event);
        simulation.run_until(event.seq * simulation.params().event_interval_ms);
        ControlFlow::Continue(())
    })
    .unwrap();
    simulation.finish();
    (start.elapsed(), simulation)
}

fn main() {
    let n = events();
    let log = EventLog::open_read_only(retail_log()).unwrap();
    println!("| measure ({n} retail events, read from the log) | result | target |");
    println!("|---|---|---|");
    let plain = median(3, || {
        simulate(&log, SimParams::default());
    });
    row("both flows, no faults", rate(n, plain), ">= 1M/s");
    let faults = SimParams {
        outages: vec![SeqRange {
            first: n / 3,
            last: n / 3 + n / 20,
        }],
        drop_rate: 0.01,
        duplicate_rate: 0.01,
        reorder_rate: 0.01,
        seed: 7,
        ..SimParams::default()
    };
    let (time, simulation) = simulate(&log, faults.clone());
    row(
        "both flows, 1% drop/duplicate/reorder and an outage of 5% of the log",
        rate(n, time),
        ">= 1M/s",
    );
    let report = simulation.report();
    println!(
        "\nWhat the faulty run measured:\n\n```\n{}```",
        report.to_table()
    );
}
