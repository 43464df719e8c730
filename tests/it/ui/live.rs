//! A log that grows while the explorer shows it (a follower writing into
//! it, as `eventscope LOG --follow` and `eventscope postgres://...` run
//! one): on a tick, without a key, the list and the counts grow, a cursor
//! on the last event moves on with the head, and so does a projection
//! shown there; moved off the head it stays, paused, until G.

use eventscope::ui::{LiveFeed, Msg};
use eventscope::{Json, NewEvent, Timestamp};
use ratatui::crossterm::event::KeyCode;

use super::support::Harness;

/// The sample log (36 events), followed live.
fn live() -> Harness {
    let mut h = Harness::sample(100, 30);
    h.app.follow_live(LiveFeed::new());
    h.settle();
    h
}

/// What the follower writes: `count` more events, then a tick.
fn grows(h: &mut Harness, count: usize) {
    let events: Vec<NewEvent> = (0..count)
        .map(|n| {
            NewEvent::new(
                "customer-1",
                "CustomerNoted",
                Timestamp::from_unix_millis(1_709_300_000_000 + n as i64),
                Json::from_value(&serde_json::json!({"note": n})),
            )
        })
        .collect();
    h.app.event_log().append(events).unwrap();
    h.send(Msg::Tick);
}

#[test]
fn the_list_grows_and_the_cursor_on_the_head_moves_on_until_paused() {
    let mut h = live();
    assert_eq!(h.seq(), 36, "a live log opens at its head");
    assert!(h.screen(100, 30).contains("● following"));

    grows(&mut h, 2);
    assert_eq!(h.seq(), 38);
    let screen = h.screen(100, 30);
    assert!(screen.contains("Log: 38 events"), "{screen}");
    assert!(screen.contains("CustomerNoted"), "{screen}");

    h.press(KeyCode::Char('k'));
    assert!(h.screen(100, 30).contains("‖ paused (G follows)"));
    grows(&mut h, 1);
    assert_eq!(h.seq(), 37, "paused: the cursor stays");
    assert!(h.screen(100, 30).contains("Log: 39 events"));

    h.press(KeyCode::Char('G'));
    assert_eq!(h.seq(), 39);
    assert!(h.screen(100, 30).contains("● following"));
    grows(&mut h, 1);
    assert_eq!(h.seq(), 40, "following again");
}

#[test]
fn a_projection_shown_at_the_head_stays_at_the_head() {
    let mut h = live();
    h.keys("2");
    h.settle();
    assert!(
        h.screen(100, 30).contains("at #36"),
        "{}",
        h.screen(100, 30)
    );
    grows(&mut h, 3);
    h.settle();
    let screen = h.screen(100, 30);
    assert!(screen.contains("at #39"), "{screen}");
}
