//! The flows view on a log that grows while it plays (a follower writing
//! into it): the simulation takes in the new events as they come, and its
//! figures move, with no key pressed.

use eventscope::simulation::Flow;
use eventscope::ui::keymap::Action;
use eventscope::ui::{self, LiveFeed, Msg, View};
use eventscope::{Json, NewEvent, Timestamp};
use serde_json::json;

use super::support::Harness;

/// The retail sample's flows view, the log followed live.
fn live_flows() -> Harness {
    let mut h = Harness::retail(100, 30);
    h.app.follow_live(LiveFeed::new());
    h.keys("4");
    assert_eq!(h.app.view(), View::Flows);
    h
}

/// What a follower writes: address changes of customers the retail
/// mapping's source holds, so both flows publish them.
fn address_changes(count: usize) -> Vec<NewEvent> {
    (1..=count)
        .map(|n| {
            let data = json!({"address": {"street": format!("{n} New Road"), "city": "Leeds",
                              "postcode": "LS1", "country": "United Kingdom"}});
            NewEvent::new(
                format!("customer-{n}"),
                "CustomerAddressChanged",
                Timestamp::from_unix_millis(1_709_300_000_000 + n as i64),
                Json::from_value(&data),
            )
        })
        .collect()
}

fn caught_up(h: &Harness, seq: u64) -> bool {
    h.app.flows_seq() == seq && h.app.flows_simulation().next_at().is_none()
}

#[test]
fn playing_a_live_log_takes_in_new_events_as_they_come_without_a_key() {
    let mut h = live_flows();
    for _ in 0..4 {
        h.keys("+"); // x64
    }
    h.keys(" ");
    let mut ticks = 0;
    while !caught_up(&h, 290) {
        h.send(Msg::Tick);
        ticks += 1;
        assert!(ticks < 1_000, "playback never reached the end");
    }
    assert!(
        h.app.flows_playing(),
        "at the end of a live log playing waits for more"
    );
    let fed = h.app.flows_simulation().events_fed();
    let published = h
        .app
        .flows_simulation()
        .metrics(Flow::StateTransfer)
        .bus_messages;
    let clock = h.app.flows_simulation().now();
    h.send(Msg::Tick);
    assert_eq!(
        h.app.flows_simulation().now(),
        clock,
        "with nothing new, the clock waits at the end"
    );

    h.app.event_log().append(address_changes(3)).unwrap();
    h.tick_until("the new events played", |app| {
        app.flows_seq() == 293 && app.flows_simulation().next_at().is_none()
    });
    assert_eq!(h.app.flows_simulation().events_fed(), fed + 3);
    assert_eq!(
        h.app
            .flows_simulation()
            .metrics(Flow::StateTransfer)
            .bus_messages,
        published + 3,
        "each change is published"
    );
    assert!(h.app.flows_playing());
    assert!(h.screen(100, 30).contains("293"), "{}", h.screen(100, 30));
}

#[test]
fn a_restart_while_the_log_grows_keeps_the_new_events() {
    let mut h = live_flows();
    // A restart runs on a worker from the log's length at the time...
    ui::update(&mut h.app, Msg::Action(Action::CycleDrop));
    // ...while the follower writes and the explorer catches up.
    h.app.event_log().append(address_changes(2)).unwrap();
    ui::update(&mut h.app, Msg::Tick);
    h.settle();
    h.app.seek_flows(u64::MAX);
    h.settle();
    assert_eq!(h.app.flows_seq(), 292, "the run reaches the log's new end");
}
