//! Domain files: jq projections rebuilt and time travelled on the 1M-event
//! retail benchmark log, beside the built-in Rust projection of the same
//! fold. `cargo bench --bench domain`.

mod support;

use std::time::{Duration, Instant};

use eventscope::domain_file;
use eventscope::projection::{
    self, Projection, RebuildOptions, RebuildOutcome, SnapshotPolicy, SnapshotStore,
};
use eventscope::store::EventLog;
use support::*;

/// Two folds in jq: counts by type over every event (a reducer: each event
/// is read and handed to jq), and each customer's city (one update per
/// event type: the others are skipped through the type index).
const DOMAIN: &str = r#"
name = "retail-in-jq"

[projections.jq-types]
init = '{}'
reduce = '.[$event.type] += 1'

[projections.jq-cities]
init = '{}'
when.CustomerRegistered = '.[$event.stream] = $event.data.address.city'
when.CustomerAddressChanged = '.[$event.stream] = $event.data.address.city'
"#;

fn jq(name: &str) -> Box<dyn Projection> {
    let domain = domain_file::parse(DOMAIN, "bench.domain.toml").expect("the bench domain");
    let def = domain
        .projections
        .iter()
        .find(|p| p.name == name)
        .expect("a projection of the bench domain");
    Box::new(def.instance())
}

fn rebuild(log: &EventLog, projection: Box<dyn Projection>, snapshots: bool) -> Duration {
    let options = RebuildOptions {
        snapshots: snapshots.then_some((log as &dyn SnapshotStore, SnapshotPolicy::default())),
        ..RebuildOptions::default()
    };
    let start = Instant::now();
    let outcome = projection::rebuild(log, &mut [projection], &options, &mut |_| {}).unwrap();
    let elapsed = start.elapsed();
    assert!(matches!(outcome, RebuildOutcome::Completed(_)));
    if snapshots {
        log.persist_snapshots().unwrap();
    }
    elapsed
}

fn main() {
    let n = events();
    let source = retail_log();
    let path = data_dir().join("domain.redb");
    std::fs::copy(&source, &path).unwrap();
    let log = EventLog::open(&path).unwrap();
    println!("| measure ({n} retail events) | result | target |");
    println!("|---|---|---|");
    let time = median(3, || {
        rebuild(&log, jq("jq-types"), false);
    });
    row(
        "rebuild `jq-types` (a jq reducer over every event)",
        rate(n, time),
        ">= 250k/s",
    );
    let time = median(3, || {
        rebuild(&log, projection::builtin("types").unwrap(), false);
    });
    row("the built-in `types` (Rust), for scale", rate(n, time), "");
    let time = median(3, || {
        rebuild(&log, jq("jq-cities"), false);
    });
    row(
        "rebuild `jq-cities` (jq per event type, others skipped)",
        rate(n, time),
        ">= 250k/s",
    );

    rebuild(&log, jq("jq-cities"), true);
    rebuild(&log, jq("jq-types"), true);
    let mut seed = 7u64;
    let mut seqs = Vec::new();
    for _ in 0..41 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seqs.push(1 + (seed >> 33) % n);
    }
    for name in ["jq-types", "jq-cities"] {
        let mut times: Vec<Duration> = seqs
            .iter()
            .map(|&at| {
                // The explorer and `replay` compile a domain file once;
                // each travel starts from a fresh instance of it. The state
                // reached is dropped after the clock stops, as it is kept.
                let fresh = jq(name);
                let start = Instant::now();
                let reached = projection::travel(&log, Some(&log), fresh, at).unwrap();
                let elapsed = start.elapsed();
                drop(reached);
                elapsed
            })
            .collect();
        times.sort();
        row(
            &format!("time travel `{name}` to a random seq (median of 41)"),
            format!("{:.1} ms", times[times.len() / 2].as_secs_f64() * 1e3),
            "< 50 ms",
        );
    }
}
