//! Not a test of speed (tests never judge wall-clock time): prints the
//! throughput on a large log when asked, with
//! `cargo test --release --lib simulation::tests::throughput -- --ignored --nocapture`.

use std::time::Instant;

use super::support::busy_log;
use crate::simulation::{Mapping, SeqRange, SimParams, Simulation};

#[test]
#[ignore = "measures speed; run by hand in release"]
fn prints_events_per_second_on_a_million_events() {
    let steps: Vec<(u32, u8)> = (0..440_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) % 20_000, (i % 4) as u8))
        .collect();
    let log = busy_log(20_000, &steps).build();
    let params = SimParams {
        drop_rate: 0.01,
        duplicate_rate: 0.01,
        reorder_rate: 0.01,
        outages: vec![SeqRange::new(200_000, 230_000)],
        ..SimParams::default()
    };
    let runs: usize = std::env::var("SIM_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let mut seconds = f64::MAX;
    let mut report = None;
    for _ in 0..runs {
        let started = Instant::now();
        report = Some(Simulation::run(Mapping::retail(), params.clone(), &log).unwrap());
        let took = started.elapsed().as_secs_f64();
        eprintln!("run: {took:.3} s");
        seconds = seconds.min(took);
    }
    let report = report.unwrap();
    println!(
        "{} events in {seconds:.3} s (best of {runs}): {:.0} events/s\n{}",
        log.len(),
        log.len() as f64 / seconds,
        report.to_table()
    );
    assert_eq!(report.events, log.len() as u64);
}
