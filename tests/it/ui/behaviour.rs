//! The explorer driven by keys: moving, paging, jumping, filtering,
//! searching, folding, flows, and drawing hostile data safely.

use super::support::{Harness, sample_events};
use eventscope::ui::{DetailLine, Focus, LineKind, Notice};
use eventscope::{Json, NewEvent, Timestamp};
use ratatui::crossterm::event::KeyCode;
use serde_json::json;

fn count_where(pred: impl Fn(&NewEvent) -> bool) -> usize {
    sample_events().iter().filter(|e| pred(e)).count()
}

#[test]
fn moving_goes_one_event_at_a_time_and_to_either_end() {
    let mut h = Harness::sample(80, 24);
    let total = sample_events().len() as u64;
    assert_eq!(h.seq(), 1);
    h.keys("jj");
    assert_eq!(h.seq(), 3);
    h.press(KeyCode::Up);
    assert_eq!(h.seq(), 2);
    h.keys("G");
    assert_eq!(h.seq(), total);
    h.press(KeyCode::Down);
    assert_eq!(h.seq(), total, "the cursor stops at the last event");
    h.keys("g");
    assert_eq!(h.seq(), 1);
    h.press(KeyCode::Up);
    assert_eq!(h.seq(), 1, "the cursor stops at the first event");
    h.press(KeyCode::End);
    assert_eq!(h.seq(), total);
    h.press(KeyCode::Home);
    assert_eq!(h.seq(), 1);
}

#[test]
fn paging_moves_by_the_rows_on_screen_and_keeps_the_cursor_visible() {
    let mut h = Harness::sample(80, 24);
    let page = h.app.page_size() as u64;
    assert!(page > 1);
    h.press(KeyCode::PageDown);
    assert_eq!(h.seq(), 1 + page);
    let screen = h.screen(80, 24);
    let selected = screen.lines().find(|l| l.contains('▶')).unwrap();
    assert!(selected.contains(&format!(" {} ", 1 + page)), "{screen}");
    h.press(KeyCode::PageUp);
    assert_eq!(h.seq(), 1);
}

#[test]
fn a_smaller_screen_pages_by_fewer_rows() {
    let mut big = Harness::sample(120, 40);
    let mut small = Harness::sample(60, 16);
    assert!(small.app.page_size() < big.app.page_size());
    small.press(KeyCode::PageDown);
    big.press(KeyCode::PageDown);
    assert!(small.seq() < big.seq());
}

#[test]
fn jumping_goes_to_a_seq_and_says_where_the_log_ends() {
    let mut h = Harness::sample(80, 24);
    h.keys(":2x0");
    h.press(KeyCode::Enter);
    assert_eq!(h.seq(), 20, "letters are ignored in the jump prompt");
    h.keys(":999");
    h.press(KeyCode::Enter);
    let total = sample_events().len() as u64;
    assert_eq!(h.seq(), total);
    assert!(
        matches!(h.app.notice(), Some(Notice::Info(text)) if text.contains(&format!("ends at seq {total}")))
    );
    h.keys(":");
    h.press(KeyCode::Esc);
    assert_eq!(h.seq(), total, "Esc leaves the cursor where it was");
    // Nothing typed (letters are not taken), zero, and a number past any
    // seq are each told as what they are, not as a filter's doing.
    let told = |h: &mut Harness, keys: &str| -> String {
        h.keys(keys);
        h.press(KeyCode::Enter);
        match h.app.notice() {
            Some(Notice::Info(text) | Notice::Error(text)) => text.clone(),
            None => String::new(),
        }
    };
    assert_eq!(told(&mut h, ":abc"), "type a seq (digits), then Enter");
    assert_eq!(told(&mut h, ":0"), "seqs start at 1; showing seq 1");
    assert!(told(&mut h, ":99999999999999999999").contains("past any seq"));
}

#[test]
fn the_type_filter_keeps_only_that_type_and_clearing_keeps_the_event() {
    let mut h = Harness::sample(80, 24);
    h.keys("t");
    // The picker lists types most frequent first; find OrderShipped's row.
    let screen = h.screen(80, 24);
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("▶ ") || l.contains("│  "))
        .collect();
    assert!(screen.contains("OrderShipped"), "{screen}");
    let _ = rows;
    let stats_order = [
        "OrderPlaced",
        "PaymentReceived",
        "PaymentRequested",
        "CustomerRegistered",
        "OrderShipped",
    ];
    for _ in 1..stats_order.len() {
        h.keys("j");
    }
    h.press(KeyCode::Enter);
    let shipped = count_where(|e| e.event_type == "OrderShipped");
    assert_eq!(h.app.list_len(), shipped);
    assert_eq!(h.app.filter_description().unwrap(), "type = OrderShipped");
    for _ in 0..shipped {
        assert_eq!(&*h.app.selected_event().unwrap().event_type, "OrderShipped");
        h.keys("j");
    }
    let kept = h.seq();
    h.keys("c");
    assert_eq!(h.app.filter_description(), None);
    assert_eq!(h.seq(), kept, "clearing the filter stays on the event");
    assert_eq!(h.app.list_len(), sample_events().len());
}

#[test]
fn the_stream_filter_completes_names_and_shows_one_stream_in_version_order() {
    let mut h = Harness::sample(80, 24);
    h.keys("scust");
    h.press(KeyCode::Tab);
    h.keys("2");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.filter_description().unwrap(), "stream = customer-2");
    assert_eq!(h.app.list_len(), count_where(|e| e.stream == "customer-2"));
    let mut versions = Vec::new();
    for _ in 0..h.app.list_len() {
        let event = h.app.selected_event().unwrap();
        assert_eq!(&*event.stream, "customer-2");
        versions.push(event.version);
        h.keys("j");
    }
    assert_eq!(versions, (1..=versions.len() as u64).collect::<Vec<_>>());
}

#[test]
fn an_unknown_stream_is_reported_not_applied() {
    let mut h = Harness::sample(80, 24);
    h.keys("snope");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.filter_description(), None);
    assert!(
        matches!(h.app.notice(), Some(Notice::Error(text)) if text.contains("no stream named `nope`"))
    );
}

#[test]
fn search_finds_matches_in_the_data_forwards_backwards_and_wrapping() {
    let mut h = Harness::sample(80, 24);
    let expected: Vec<u64> = sample_events()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.data.as_str().contains("Bergen"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(expected.len(), 2);
    h.keys("/bergen");
    h.press(KeyCode::Enter);
    assert_eq!(h.seq(), expected[0]);
    h.keys("n");
    assert_eq!(h.seq(), expected[1]);
    h.keys("n");
    assert_eq!(h.seq(), expected[0], "the search wraps around the end");
    h.keys("N");
    assert_eq!(h.seq(), expected[1], "backwards wraps around the start");
}

#[test]
fn search_matches_the_row_text_and_reports_no_match() {
    let mut h = Harness::sample(80, 24);
    h.keys("/order-5");
    h.press(KeyCode::Enter);
    assert_eq!(&*h.app.selected_event().unwrap().stream, "order-5");
    h.keys("/zzz-nothing");
    h.press(KeyCode::Enter);
    assert!(matches!(h.app.notice(), Some(Notice::Info(text)) if text.contains("no match")));
}

fn tree_lines(h: &Harness) -> Vec<&eventscope::ui::TreeLine> {
    h.app
        .detail()
        .lines
        .iter()
        .filter_map(|l| match l {
            DetailLine::Tree(t) => Some(t),
            DetailLine::Field(..) => None,
        })
        .collect()
}

#[test]
fn folding_an_object_hides_its_fields_and_unfolding_restores_them() {
    let mut h = Harness::sample(80, 24);
    h.press(KeyCode::Tab);
    assert_eq!(h.app.focus(), Focus::Detail);
    let before = h.app.detail().lines.len();
    let address = h
        .app
        .detail()
        .lines
        .iter()
        .position(|l| matches!(l, DetailLine::Tree(t) if t.path == "data/address"))
        .unwrap();
    for _ in 0..address {
        h.keys("j");
    }
    h.keys(" ");
    let after = h.app.detail().lines.len();
    // The four address fields and the closing bracket are hidden.
    assert_eq!(before - after, 5);
    assert!(
        tree_lines(&h)
            .iter()
            .all(|t| !t.path.starts_with("data/address/"))
    );
    h.press(KeyCode::Enter);
    assert_eq!(h.app.detail().lines.len(), before);
    h.keys("z");
    for line in tree_lines(&h) {
        assert!(
            !matches!(line.kind, LineKind::Open { folded: false, len, .. } if len > 0),
            "{line:?}"
        );
    }
    h.keys("Z");
    assert_eq!(h.app.detail().lines.len(), before);
}

#[test]
fn an_event_in_a_flow_shows_its_chain_by_causation() {
    let mut h = Harness::sample(120, 40);
    let events = sample_events();
    let flow_seqs: Vec<u64> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.metadata
                .as_ref()
                .is_some_and(|m| m.as_str().contains("\"flow-2\""))
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    h.keys(&format!(":{}", flow_seqs[2]));
    h.press(KeyCode::Enter);
    let flow = h.app.flow().expect("the flow is found");
    assert_eq!(flow.correlation_id, "flow-2");
    let mut shown: Vec<u64> = flow.lines.iter().map(|l| l.event.seq).collect();
    shown.sort();
    assert_eq!(shown, flow_seqs);
    // Each event sits one level under the event its causation_id names.
    for (i, line) in flow.lines.iter().enumerate() {
        if line.depth == 0 {
            continue;
        }
        let cause = line.event.causation_id.as_deref().unwrap();
        let parent = flow.lines[..i]
            .iter()
            .rev()
            .find(|l| l.depth == line.depth - 1)
            .unwrap();
        assert_eq!(parent.event.id, cause);
    }
    h.keys("g");
    assert!(h.app.flow().is_none(), "a registration is in no flow");
}

#[test]
fn below_the_minimum_size_the_screen_says_so() {
    let mut h = Harness::sample(59, 16);
    let screen = h.screen(59, 16);
    assert!(screen.contains("at least 60x16"), "{screen}");
    h.send(eventscope::ui::Msg::Resize(60, 16));
    let screen = h.screen(60, 16);
    assert!(!screen.contains("at least"), "{screen}");
    assert!(screen.contains("Log: 36 events"), "{screen}");
}

#[test]
fn below_the_minimum_size_keys_pressed_blind_do_nothing_but_quit() {
    let mut h = Harness::sample(40, 10);
    h.keys("jj4?:");
    h.send(eventscope::ui::Msg::Resize(100, 30));
    assert_eq!(h.app.view(), eventscope::ui::View::Log);
    assert_eq!(h.app.selected_seq(), Some(1));
    let screen = h.screen(100, 30);
    assert!(
        !screen.contains("Jump to seq") && !screen.contains("Everywhere"),
        "{screen}"
    );
    // q quits there even with a prompt open, where it would type.
    h.keys(":");
    h.send(eventscope::ui::Msg::Resize(40, 10));
    h.keys("q");
    assert!(h.app.should_quit());
}

fn hostile_events() -> Vec<NewEvent> {
    let data = json!({"note": "\u{1b}[2J\u{7}", "k\u{1b}]0;title\u{7}": "x", "ok": "fine"});
    let mut events = sample_events();
    events.insert(
        0,
        NewEvent::new(
            "evil\u{1b}[31m",
            "Bell\u{7}Rung",
            Timestamp::from_unix_millis(1_709_283_000_000),
            Json::from_value(&data),
        )
        .with_metadata(Json::from_value(
            &json!({"correlation_id": "c\u{1b}[2J", "causation_id": "x"}),
        )),
    );
    events
}

#[test]
fn control_characters_in_event_data_are_shown_escaped_never_sent() {
    let mut h = Harness::with_events(hostile_events(), 120, 40);
    let mut screens = vec![h.screen(120, 40)];
    h.press(KeyCode::Tab);
    screens.push(h.screen(120, 40));
    h.press(KeyCode::BackTab);
    h.keys("t");
    screens.push(h.screen(120, 40));
    h.press(KeyCode::Esc);
    h.keys("s");
    screens.push(h.screen(120, 40));
    h.press(KeyCode::Esc);
    h.keys("/\u{1b}");
    screens.push(h.screen(120, 40));
    for screen in &screens {
        assert!(!screen.contains('\u{1b}'), "{screen}");
        assert!(!screen.contains('\u{7}'), "{screen}");
    }
    assert!(screens[0].contains("evil\\e[31m"), "{}", screens[0]);
    assert!(screens[0].contains("Bell\\u{7}Rung"), "{}", screens[0]);
    assert!(screens[0].contains("\"\\e[2J\\u{7}\""), "{}", screens[0]);
}

#[test]
fn no_key_panics_at_any_size_in_any_state() {
    let keys: Vec<_> = eventscope::ui::keymap::BINDINGS
        .iter()
        .map(|b| b.key)
        .collect();
    // Keys act at 80x24 (below 60x16 they do nothing but quit); every state
    // they reach is drawn at each size, the terminal resized to it.
    let sizes = [(1, 1), (20, 5), (59, 15), (80, 24)];
    for events in [sample_events(), Vec::new(), hostile_events()] {
        let mut h = Harness::with_events(events, 80, 24);
        for round in 0..2 {
            for key in &keys {
                let modifiers = if key.ctrl {
                    ratatui::crossterm::event::KeyModifiers::CONTROL
                } else {
                    ratatui::crossterm::event::KeyModifiers::NONE
                };
                let event = ratatui::crossterm::event::KeyEvent::new(key.code, modifiers);
                if let Some(msg) = eventscope::ui::map_key(&h.app, event) {
                    h.send(msg);
                }
                for (width, height) in sizes {
                    h.send(eventscope::ui::Msg::Resize(width, height));
                    let _ = h.screen(width, height);
                    // A key pressed at that size, blind.
                    if let Some(msg) = eventscope::ui::map_key(&h.app, event) {
                        h.send(msg);
                    }
                }
                h.send(eventscope::ui::Msg::Resize(80, 24));
                if round == 1 {
                    h.keys("x1");
                }
            }
        }
    }
}
