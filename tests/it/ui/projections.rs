//! The projections view driven by keys: stepping changes exactly what the
//! diff says, blame jumps to the event, rebuilds and the snapshot check.

use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::support::{Harness, sample_events, write_log};
use eventscope::projection::{self, Change, MemoryLog};
use eventscope::ui::{self, App, Job, Msg, View, keymap::Action};
use ratatui::crossterm::event::KeyCode;

fn open_projections(h: &mut Harness, seq: u64) {
    h.keys(&format!(":{seq}"));
    h.press(KeyCode::Enter);
    h.keys("2");
}

#[test]
fn stepping_across_an_event_changes_exactly_what_the_diff_says() {
    let mut h = Harness::sample(120, 40);
    open_projections(&mut h, 34);
    let before = h.app.projection_state().unwrap().clone();
    h.keys("l");
    assert_eq!(h.seq(), 35);
    let after = h.app.projection_state().unwrap().clone();
    let changes = h.app.projection_changes().to_vec();
    assert!(
        !changes.is_empty(),
        "an address change changes the customers projection"
    );
    // Applying the reported changes to the state before gives the state after.
    let mut patched = before.clone();
    for change in &changes {
        apply(&mut patched, change);
    }
    assert_eq!(patched, after);
    assert_eq!(projection::diff(&before, &after), changes);
    // Stepping back shows the earlier state again.
    h.keys("h");
    assert_eq!(h.app.projection_state().unwrap(), &before);
}

fn apply(state: &mut serde_json::Value, change: &Change) {
    let path = change.path();
    let (last, parents) = path.segments().split_last().unwrap();
    let mut node = state;
    for segment in parents {
        node = match segment {
            projection::Segment::Key(k) => node.get_mut(k.as_str()).unwrap(),
            projection::Segment::Index(i) => node.get_mut(*i).unwrap(),
        };
    }
    let key = match last {
        projection::Segment::Key(k) => k.clone(),
        projection::Segment::Index(i) => i.to_string(),
    };
    match change {
        Change::Added { new, .. } | Change::Changed { new, .. } => {
            node.as_object_mut().unwrap().insert(key, new.clone());
        }
        Change::Removed { .. } => {
            node.as_object_mut().unwrap().remove(&key);
        }
    }
}

#[test]
fn the_state_matches_a_replay_of_the_log_up_to_the_cursor() {
    let mut h = Harness::sample(80, 24);
    open_projections(&mut h, 20);
    let name = h.app.projection_name().unwrap();
    let events: Vec<_> = (1..=20).map(|seq| h.app_event(seq)).collect();
    let memory = MemoryLog::new(events).unwrap();
    let (expected, _) =
        projection::travel(&memory, None, projection::builtin(name).unwrap(), 20).unwrap();
    assert_eq!(h.app.projection_state().unwrap(), &expected.state());
}

#[test]
fn blame_finds_the_event_that_set_a_field_and_b_again_shows_it() {
    let mut h = Harness::sample(120, 40);
    open_projections(&mut h, 35);
    // The cursor starts on the first line the event changed.
    h.keys("b");
    let blamed = h.app.blamed_seq().expect("blame found an event");
    assert_eq!(
        blamed, 35,
        "the address change at seq 35 set the changed field"
    );
    h.keys("b");
    assert_eq!(h.app.view(), View::Log);
    assert_eq!(h.seq(), 35);
}

#[test]
fn a_rebuild_finishes_saves_snapshots_and_the_paths_agree() {
    let mut h = Harness::sample(120, 40);
    open_projections(&mut h, 30);
    h.keys("r");
    let screen = h.screen(120, 40);
    assert!(screen.contains("rebuilt 36 events, took "), "{screen}");
    // The snapshots are saved after the rebuild, and the state is then
    // reached from them.
    assert!(screen.contains("3 snapshot(s) saved, took "), "{screen}");
    assert!(
        screen.contains("time travel from the snapshot at #"),
        "{screen}"
    );
    h.keys("a");
    let screen = h.screen(120, 40);
    assert!(screen.contains("agree: snapshot #"), "{screen}");
    // Another projection shown: the rebuild says whose it was.
    let rebuilt = h.app.projection_name().unwrap().to_string();
    h.app.select_projection("streams").unwrap();
    h.settle();
    let screen = h.screen(120, 40);
    assert!(
        screen.contains(&format!("{rebuilt}: rebuilt 36 events")),
        "{screen}"
    );
}

/// An explorer on the sample log at 120x40, driven message by message:
/// nothing is handled until the test says so.
fn explorer() -> (tempfile::TempDir, App, mpsc::Receiver<Msg>) {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(&dir.path().join("sample.redb"), sample_events());
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    ui::update(&mut app, Msg::Resize(120, 40));
    (dir, app, rx)
}

#[test]
fn a_rebuild_goes_first_and_the_rate_chart_is_counted_after_it() {
    // No message is handled before `r`: the count started at open is
    // still running as far as the explorer knows, however fast its thread.
    let (_dir, mut app, rx) = explorer();
    assert!(
        app.job_running(Job::Rate),
        "the rate chart is counted at open"
    );
    ui::update(&mut app, Msg::Action(Action::ShowProjections));
    ui::update(&mut app, Msg::Action(Action::Rebuild));
    assert!(app.job_running(Job::Rebuild));
    assert!(
        !app.job_running(Job::Rate),
        "the count waits while the rebuild runs"
    );
    // Message by message until the rebuild has answered: its snapshot
    // pass follows, and the count waits for that too.
    while app.job_running(Job::Rebuild) {
        let msg = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        ui::update(&mut app, msg);
    }
    assert!(
        app.job_running(Job::Snapshots),
        "the snapshots are saved after the rebuild"
    );
    assert!(
        !app.job_running(Job::Rate),
        "the count waits while the snapshots are saved"
    );
    ui::settle(&mut app, &rx, Duration::from_secs(10));
    assert!(!app.is_busy());
    assert!(
        app.rate_chart().is_some(),
        "the rate chart is counted after it"
    );
    let screen = ui::render_text(&app, 120, 40);
    assert!(screen.contains("rebuilt 36 events, took "), "{screen}");
    assert!(screen.contains("snapshot(s) saved, took "), "{screen}");
}

#[test]
fn esc_during_a_rebuild_ends_in_what_the_rebuild_answers() {
    let (_dir, mut app, rx) = explorer();
    ui::update(&mut app, Msg::Action(Action::ShowProjections));
    ui::settle(&mut app, &rx, Duration::from_secs(10));
    ui::update(&mut app, Msg::Action(Action::Rebuild));
    ui::update(&mut app, Msg::Action(Action::Cancel));
    // Stopped before it began, or done before Esc reached it: either way
    // the rebuild's answer is shown, not a rebuild that never ends.
    ui::settle(&mut app, &rx, Duration::from_secs(10));
    assert!(!app.is_busy());
    let screen = ui::render_text(&app, 120, 40);
    assert!(!screen.contains("rebuilding"), "{screen}");
    assert!(
        screen.contains("rebuild cancelled at ") || screen.contains("rebuilt 36 events, took "),
        "{screen}"
    );
}

#[test]
fn picking_another_projection_shows_its_state() {
    let mut h = Harness::sample(80, 24);
    open_projections(&mut h, 10);
    let first = h.app.projection_name().unwrap().to_owned();
    h.keys("p");
    h.keys("j");
    h.press(KeyCode::Enter);
    let second = h.app.projection_name().unwrap();
    assert_ne!(first, second);
    assert!(h.app.projection_state().is_some());
    h.send(Msg::Resize(80, 24));
}
