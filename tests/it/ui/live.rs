//! A log that grows while the explorer shows it (a follower writing into
//! it, as `eventscope LOG --follow` and `eventscope postgres://...` run
//! one): on a tick, without a key, the list and the counts grow, a cursor
//! on the last event moves on with the head, and so does a projection
//! shown there; moved off the head it stays, paused, until G. A command
//! there is refused: the log stays a copy of its source.

use eventscope::message_db::SourceMark;
use eventscope::ui::{CqrsOutcome, LiveFeed, Msg};
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

/// What the Message DB follower writes: `count` more events and its mark,
/// in one batch, then a tick.
fn copied_from_store(h: &mut Harness, count: usize) {
    let log = h.app.event_log();
    let from = log.last_seq().unwrap();
    log.append_with(|appender| {
        for n in 0..count {
            appender.push(&NewEvent::new(
                "customer-1",
                "CustomerNoted",
                Timestamp::from_unix_millis(1_709_300_000_000 + n as i64),
                Json::from_value(&serde_json::json!({"note": n})),
            ))?;
        }
        appender.set_source(&store_mark(from + count as u64).to_bytes());
        Ok::<_, eventscope::store::StoreError>(())
    })
    .unwrap();
    h.send(Msg::Tick);
}

const MOVE_CUSTOMER_2: &str = "ChangeCustomerAddress customer-2 street=\"1 Main St\" city=Leeds postcode=\"LS1 1AA\" country=UK";

fn store_mark(seq: u64) -> SourceMark {
    SourceMark {
        server: "PostgreSQL system 7, database message_store".into(),
        position: seq as i64,
        id: format!("message-{seq}"),
        seq,
        address: Some("postgres://u@h:5432/db".into()),
    }
}

fn last_mark(h: &Harness) -> SourceMark {
    let bytes = h.app.event_log().source().unwrap().unwrap();
    SourceMark::from_bytes(&bytes).unwrap()
}

#[test]
fn a_command_on_a_followed_log_is_refused_and_the_log_stays_a_copy() {
    let mut h = live();
    copied_from_store(&mut h, 1);
    h.keys("3");
    h.settle();
    let (last, bytes) = (h.app.event_log().last_seq().unwrap(), h.log_bytes());
    assert_eq!(last_mark(&h).seq, last);

    h.keys(":");
    h.keys("RegisterCustomer customer-9 name=Ada email=ada@example.com street=\"1 Main St\" city=Leeds postcode=\"LS1 1AA\" country=UK");
    h.press(KeyCode::Enter);
    let sentence = "this log is a copy of postgres://u@h:5432/db that follows it: a command \
                    here would fork it; write to the store itself";
    assert_eq!(
        h.app.cqrs().outcome,
        Some(CqrsOutcome::Refused(sentence.into()))
    );
    assert_eq!(h.app.event_log().last_seq().unwrap(), last);
    assert_eq!(h.log_bytes(), bytes, "the log is byte for byte as it was");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("✗ not sent: this log is a copy of"),
        "{screen}"
    );

    // Writer B is refused the same way.
    h.press(KeyCode::Esc);
    h.keys("w:");
    h.keys(MOVE_CUSTOMER_2);
    h.press(KeyCode::Enter);
    assert_eq!(
        h.app.cqrs().outcome,
        Some(CqrsOutcome::Refused(sentence.into()))
    );
    assert_eq!(h.log_bytes(), bytes);

    copied_from_store(&mut h, 2);
    assert_eq!(h.app.event_log().last_seq().unwrap(), last + 2);
    assert_eq!(last_mark(&h).seq, last + 2, "the mark still ends the log");
}

/// The rate chart's rows as drawn (the sparkline and its marker line).
fn rate_chart_drawn(h: &Harness) -> Vec<String> {
    let screen = h.screen(100, 30);
    let lines: Vec<&str> = screen.lines().collect();
    let title = lines
        .iter()
        .position(|line| line.contains(" Events over time "))
        .expect("the log view shows the rate chart");
    lines[title + 1..]
        .iter()
        .take_while(|line| line.starts_with('│'))
        .map(|line| line.chars().skip(1).take_while(|&c| c != '│').collect())
        .collect()
}

#[test]
fn the_rate_chart_moves_as_the_log_grows_without_a_key() {
    let mut h = live();
    let before = rate_chart_drawn(&h);
    assert!(
        before.iter().any(|row| !row.trim().is_empty()),
        "{before:?}"
    );
    assert_eq!(h.app.rate_chart().map(|c| c.counts.iter().sum()), Some(36));

    // Later than every event before: the chart's span reaches them.
    grows(&mut h, 20);
    h.settle();
    let chart = h.app.rate_chart().expect("counted again");
    assert_eq!(chart.counts.iter().sum::<u64>(), 56);
    assert_eq!(
        chart.end,
        Timestamp::from_unix_millis(1_709_300_000_019).unix_nanos()
    );
    let after = rate_chart_drawn(&h);
    assert_ne!(after, before, "the chart drawn moved");
}

#[test]
fn a_count_of_the_rate_chart_under_way_finishes_before_the_next_starts() {
    let mut h = live();
    let settled = h.app.rate_counts_started();

    // Two growths before the first count's answer is taken in, as on a
    // busy live log where the follower writes every tick.
    for count in [5, 7] {
        let events: Vec<NewEvent> = (0..count)
            .map(|n| {
                NewEvent::new(
                    "customer-2",
                    "CustomerNoted",
                    Timestamp::from_unix_millis(1_709_400_000_000 + n),
                    Json::from_value(&serde_json::json!({"note": n})),
                )
            })
            .collect();
        h.app.event_log().append(events).unwrap();
        eventscope::ui::update(&mut h.app, Msg::Tick);
    }
    assert_eq!(
        h.app.rate_counts_started(),
        settled + 1,
        "the second growth waits for the count under way"
    );

    h.settle();
    assert_eq!(
        h.app.rate_counts_started(),
        settled + 2,
        "then the log is counted again"
    );
    let chart = h.app.rate_chart().expect("counted");
    assert_eq!(chart.counts.iter().sum::<u64>(), 36 + 5 + 7);
}
