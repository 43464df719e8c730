//! The flows view driven by keys and ticks on the bundled retail sample:
//! whole screens before, during and after an outage, what an outage does
//! to each flow, determinism of restarts, playback, and the `render`
//! command.

use std::process::Command;

use super::support::Harness;
use eventscope::simulation::{Flow, Mapping, Report, SeqRange, SimParams, Simulation};
use eventscope::store::EventLog;
use eventscope::ui::keymap::BINDINGS;
use eventscope::ui::{Msg, View};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The flows view of the retail sample.
fn flows(width: u16, height: u16) -> Harness {
    let mut h = Harness::retail(width, height);
    h.keys("4");
    assert_eq!(h.app.view(), View::Flows);
    h
}

/// Steps one event at a time (`.`) until the view is at `seq`.
fn step_to(h: &mut Harness, seq: u64) {
    while h.app.flows_seq() < seq {
        h.keys(".");
    }
    assert_eq!(h.app.flows_seq(), seq);
}

fn report(h: &Harness) -> Report {
    h.app.flows_simulation().report()
}

/// The same log run straight through the simulator, up to `seq`.
fn direct_run(params: SimParams, seq: u64) -> Report {
    let mut h = Harness::retail(80, 24);
    let mut simulation = Simulation::new(Mapping::retail(), params).unwrap();
    for n in 1..=seq {
        let event = h.app_event(n);
        simulation.feed(&event);
        simulation.run_until(n * simulation.params().event_interval_ms);
    }
    h.settle();
    simulation.report()
}

fn snapshot(name: &str, drive: impl Fn(&mut Harness)) {
    for (width, height) in SIZES {
        let mut h = flows(width, height);
        drive(&mut h);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.screen(width, height));
    }
}

#[test]
fn before_an_outage_a_change_is_on_both_buses() {
    // Customer events at 112: at 113 both messages are half way.
    snapshot("flows_before_outage", |h| step_to(h, 113));
}

#[test]
fn during_an_outage_calls_fail() {
    snapshot("flows_during_outage", |h| {
        step_to(h, 120);
        h.keys("o");
        step_to(h, 133);
    });
}

#[test]
fn after_an_outage_the_source_is_up_again() {
    snapshot("flows_after_outage", |h| {
        step_to(h, 120);
        h.keys("o");
        step_to(h, 180);
        h.keys("o");
        step_to(h, 182);
    });
}

#[test]
fn an_outage_delays_notification_work_and_not_state_transfer_work() {
    let mut calm = flows(120, 40);
    let mut stormy = flows(120, 40);
    step_to(&mut calm, 100);
    step_to(&mut stormy, 100);
    let at_start = report(&stormy);
    stormy.keys("o");
    assert!(stormy.app.flows_source_down());
    step_to(&mut calm, 200);
    step_to(&mut stormy, 200);

    let screen = stormy.screen(120, 40);
    let lanes: Vec<&str> = screen.lines().filter(|l| l.contains("Source")).collect();
    assert!(
        lanes.len() >= 2 && lanes.iter().all(|l| l.contains("Source DOWN")),
        "{screen}"
    );
    assert!(!calm.screen(120, 40).contains("DOWN"));

    let (calm, stormy) = (report(&calm), report(&stormy));
    assert!(stormy.notification.failed_calls > 0);
    assert!(
        stormy.notification.work_delayed > at_start.notification.work_delayed
            && stormy.notification.work_delayed > calm.notification.work_delayed,
        "Notification shipments wait while the source is down"
    );
    assert!(stormy.state_transfer.work_done > at_start.state_transfer.work_done);
    // StateTransfer never calls the source: the outage changes nothing there.
    assert_eq!(stormy.state_transfer, calm.state_transfer);
}

#[test]
fn the_outage_runs_from_where_it_was_started_to_where_it_was_ended() {
    let mut h = flows(80, 24);
    step_to(&mut h, 120);
    h.keys("o");
    step_to(&mut h, 180);
    assert!(h.app.flows_source_down());
    h.keys("o");
    assert!(!h.app.flows_source_down());
    let outages = h.app.flows_simulation().params().outages.clone();
    assert_eq!(outages, [SeqRange::new(120, 179)]);
    // The view equals a run that had the outage from the start.
    let params = SimParams {
        outages,
        ..SimParams::default()
    };
    assert_eq!(report(&h), direct_run(params, 180));
}

#[test]
fn an_outage_ended_where_it_began_leaves_the_source_up() {
    let mut h = flows(80, 24);
    step_to(&mut h, 120);
    h.keys("o");
    assert!(h.app.flows_source_down());
    h.keys("o");
    assert!(!h.app.flows_source_down());
    assert!(h.app.flows_simulation().params().outages.is_empty());
    // At the end of the log, where the clock can no longer pass an event.
    h.app.seek_flows(u64::MAX);
    h.settle();
    let end = h.app.flows_seq();
    assert!(end > 120);
    h.keys("o");
    assert!(h.app.flows_source_down());
    h.keys("o");
    assert_eq!(h.app.flows_seq(), end);
    assert!(!h.app.flows_source_down(), "{}", h.screen(80, 24));
    assert!(h.app.flows_simulation().params().outages.is_empty());
}

#[test]
fn changing_a_rate_runs_again_to_the_same_moment_with_the_same_results() {
    let mut h = flows(80, 24);
    step_to(&mut h, 150);
    let fault_free = report(&h);
    h.keys("d");
    h.keys("u");
    h.keys("r");
    assert_eq!(h.app.flows_seq(), 150);
    let faulty = report(&h);
    assert_eq!(
        (
            faulty.params.drop_rate,
            faulty.params.duplicate_rate,
            faulty.params.reorder_rate
        ),
        (0.01, 0.01, 0.01)
    );
    let expected = direct_run(faulty.params.clone(), 150);
    assert_eq!(faulty, expected);

    // Another app, the same keys: the same run.
    let mut again = flows(120, 40);
    step_to(&mut again, 150);
    again.keys("dur");
    assert_eq!(report(&again), faulty);

    // Round the cycle (1% -> 5% -> 20% -> 0%): back to the fault-free run.
    h.keys("ddd");
    h.keys("uuu");
    h.keys("rrr");
    assert_eq!(report(&h), fault_free);
}

/// Steps past the last event until everything sent has arrived.
fn step_to_the_end(h: &mut Harness) {
    step_to(h, 290);
    while h.app.flows_simulation().next_at().is_some() {
        h.keys(".");
    }
}

#[test]
fn without_version_checks_duplicates_and_reordering_corrupt_the_replica() {
    let mut h = flows(80, 24);
    h.keys("uuu"); // 20% duplicated
    h.keys("rrr"); // 20% reordered
    h.keys("v");
    assert!(!h.app.flows_simulation().params().version_checks);
    step_to_the_end(&mut h);
    assert!(!report(&h).state_transfer.converged);
    let screen = h.screen(80, 24);
    let row = screen.lines().find(|l| l.contains("converged")).unwrap();
    assert!(row.contains("✗ no"), "{screen}");
    // The same faults with version checks: the replica ends equal to the source.
    h.keys("v");
    assert!(h.app.flows_simulation().params().version_checks);
    assert_eq!(h.app.flows_seq(), 290);
    step_to_the_end(&mut h);
    assert!(report(&h).state_transfer.converged);
}

#[test]
fn a_tick_stands_for_a_fixed_slice_of_wall_time() {
    let mut h = flows(80, 24);
    h.keys(" ");
    assert!(h.app.flows_playing());
    // At the default speed (x4: four events a second), four ticks of a
    // quarter second move four events.
    for _ in 0..4 {
        h.send(Msg::Tick);
    }
    assert_eq!(h.app.flows_seq(), 4);
    h.keys("+");
    for _ in 0..4 {
        h.send(Msg::Tick);
    }
    assert_eq!(h.app.flows_seq(), 12);
    h.keys(" ");
    h.send(Msg::Tick);
    assert_eq!(h.app.flows_seq(), 12, "paused: ticks do not move the clock");
}

#[test]
fn playing_to_the_end_stops_with_both_views_converged() {
    let mut h = flows(80, 24);
    for _ in 0..4 {
        h.keys("+"); // x64
    }
    h.keys(" ");
    let mut ticks = 0;
    while h.app.flows_playing() {
        h.send(Msg::Tick);
        ticks += 1;
        assert!(ticks < 1_000, "playback never ended");
    }
    assert_eq!(h.app.flows_seq(), 290);
    assert_eq!(h.app.flows_simulation().next_at(), None);
    let report = report(&h);
    assert!(report.notification.converged && report.state_transfer.converged);
    // Restart: back to the start, same parameters.
    h.keys("0");
    assert_eq!(h.app.flows_seq(), 0);
    assert_eq!(
        h.app.flows_simulation().report().state_transfer.work_done,
        0
    );
}

#[test]
fn stepping_back_shows_the_earlier_moment_again() {
    let mut h = flows(80, 24);
    step_to(&mut h, 40);
    let earlier = report(&h);
    h.keys(".");
    h.keys("h");
    assert_eq!(h.app.flows_seq(), 40);
    assert_eq!(report(&h), earlier);
}

#[test]
fn a_stale_consumer_view_is_marked_beside_the_truth() {
    let mut h = flows(80, 24);
    step_to(&mut h, 120);
    h.keys("o");
    // customer-27 registered at 132; by 135 StateTransfer has it, and
    // Notification's call for it has failed.
    step_to(&mut h, 135);
    let customer = h.app.flows_entity().unwrap();
    let simulation = h.app.flows_simulation();
    let truth = simulation.source_view(&customer).unwrap();
    let replica = simulation
        .consumer_view(Flow::StateTransfer, &customer)
        .unwrap();
    assert_eq!(replica, truth);
    let notified = simulation.consumer_view(Flow::Notification, &customer);
    assert!(notified.is_none_or(|v| v.version < truth.version));
    let screen = h.screen(80, 24);
    let row = screen.lines().find(|l| l.contains(&*customer)).unwrap();
    assert!(row.contains("STALE"), "{screen}");
}

#[test]
fn brackets_pick_customers_and_f_follows_the_latest_again() {
    let mut h = flows(80, 24);
    step_to(&mut h, 20);
    let customers: Vec<String> = h
        .app
        .flows_simulation()
        .entities()
        .map(str::to_string)
        .collect();
    let latest = h.app.flows_entity().unwrap();
    h.keys("]");
    let next = h.app.flows_entity().unwrap();
    let at = customers.iter().position(|c| **c == *latest).unwrap();
    assert_eq!(*next, *customers[(at + 1) % customers.len()]);
    h.keys("[[");
    let previous = h.app.flows_entity().unwrap();
    assert_eq!(
        *previous,
        *customers[(at + customers.len() - 1) % customers.len()]
    );
    assert!(h.screen(80, 24).contains("customer (picked)"));
    h.keys("f");
    step_to(&mut h, 24);
    // Customer event at 24.
    let followed = h.app.flows_entity().unwrap();
    assert_eq!(*followed, *h.app_event(24).stream);
}

#[test]
fn no_key_panics_at_any_size() {
    let keys: Vec<KeyCode> = BINDINGS.iter().map(|b| b.key.code).collect();
    for (width, height) in [(1, 1), (10, 4), (59, 15), (60, 16), (61, 17), (80, 24)] {
        // Opened where keys work, then shrunk: below 60x16 keys do nothing
        // but quit, and the view is drawn at that size all the same.
        let mut h = flows(80, 24);
        h.send(Msg::Resize(width, height));
        for code in &keys {
            h.send(Msg::Key(KeyEvent::new(*code, KeyModifiers::NONE)));
            if h.app.view() != View::Flows {
                h.keys("4");
            }
            h.send(Msg::Tick);
            h.screen(width, height);
        }
        // And once more with the outage open and faults on.
        h.keys("4o.d.u.r.v. ");
        h.send(Msg::Tick);
        h.screen(width, height);
    }
}

#[test]
fn render_draws_the_flows_view_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("retail.redb");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/retail.jsonl");
    let text = std::fs::read(sample).unwrap();
    eventscope::ingest::import_into(&text[..], &db, eventscope::format::Format::Native, |_| {})
        .unwrap();
    drop(EventLog::open(&db).unwrap());
    let args = [
        db.to_str().unwrap(),
        "--view",
        "flows",
        "--at",
        "150",
        "--outage",
        "120..180",
    ];
    let screen = super::support::render_screen(&args, 120, 40);
    assert!(screen.contains("seq 150 / 290"), "{screen}");
    assert!(screen.contains("Source DOWN"), "{screen}");
    assert!(screen.contains("outage 120..=179"), "{screen}");
    // The metrics are those of the same run made directly.
    let params = SimParams {
        outages: vec![SeqRange::new(120, 179)],
        ..SimParams::default()
    };
    let expected = direct_run(params, 150);
    let calls = screen.lines().find(|l| l.contains("remote calls")).unwrap();
    let numbers: Vec<&str> = calls
        .split_whitespace()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit() || c == ','))
        .collect();
    assert_eq!(
        numbers,
        [
            expected.notification.remote_calls.to_string(),
            "0".to_string()
        ]
    );

    let bad = Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args([
            "render",
            db.to_str().unwrap(),
            "--view",
            "flows",
            "--drop",
            "1.5",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("drop_rate is 1.5"));
}
