//! Event text a terminal would draw wrongly, and payloads a tree cannot
//! hold: the explorer shows each truly, never shifted, never as `null`.

use super::support::Harness;
use eventscope::{Json, NewEvent, Timestamp};
use ratatui::crossterm::event::KeyCode;
use serde_json::value::RawValue;

fn raw(text: &str) -> Json {
    Json::from_raw(&RawValue::from_string(text.to_string()).unwrap())
}

fn with_data(data: Json) -> NewEvent {
    NewEvent::new(
        "odd-1",
        "OddThing",
        Timestamp::from_unix_millis(1_709_283_600_000),
        data,
    )
}

/// Payloads a log written before the import refused them may hold.
#[test]
fn a_payload_that_cannot_be_a_tree_shows_why_never_null() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let cases = [
        (deep.as_str(), "nesting deeper than 127"),
        (
            r#"{"n":1e400}"#,
            "a number beyond what a 64-bit float holds",
        ),
        (r#"{"s":"\ud800"}"#, "a lone surrogate escape in a string"),
    ];
    for (text, why) in cases {
        let mut h = Harness::with_events(vec![with_data(raw(text))], 200, 30);
        assert_eq!(h.app_event(1).data.as_str(), text, "stored as written");
        let screen = h.screen(200, 30);
        assert!(!screen.contains("data: null"), "{text}:\n{screen}");
        let shown = format!("(cannot be shown: {why})");
        assert!(
            screen
                .lines()
                .any(|row| row.contains("│ data ") && row.contains(&shown)),
            "{text}:\n{screen}"
        );
        // The CQRS view and the projections view draw it too, and live.
        h.keys("3");
        let _ = h.screen(120, 30);
        h.keys("2");
        let _ = h.screen(120, 30);
    }
}

/// Characters a terminal draws unpredictably (zero-width, format, joiners,
/// flags, variation selectors) and wide ones, in every field.
fn tricky_events() -> Vec<NewEvent> {
    let streams = ["漢字漢字-\u{200B}1", "plain-2", "🇳🇴-3"];
    let mut events = Vec::new();
    for (n, stream) in streams.iter().enumerate() {
        let data = serde_json::json!({
            "k\u{200B}ey": "v🇳🇴l\u{FE0F}",
            "wide": "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字",
            "joined": "👩\u{200D}💻 \u{FEFF}x",
        });
        let metadata = serde_json::json!({
            "correlation_id": "c\u{200B}1",
            "causation_id": format!("x{n}"),
            "note": "\u{FEFF}\u{200D}",
        });
        events.push(
            NewEvent::new(
                *stream,
                "Thing\u{200D}Done\u{FEFF}",
                Timestamp::from_unix_millis(1_709_283_600_000 + n as i64 * 60_000),
                Json::from_value(&data),
            )
            .with_id(format!("id-👩\u{200D}💻-{n}"))
            .with_metadata(Json::from_value(&metadata)),
        );
    }
    events
}

/// Drawn unpredictably by terminals: must never reach the screen raw.
fn is_unpredictable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F1E6}'..='\u{1F1FF}')
}

/// Every screen check: no unpredictable character in any cell, every cell
/// one or two columns wide (a wide one followed by the cell it covers), and
/// (where no pop-up covers the panes) every pane's side borders straight
/// down from its corners.
fn check_screen(h: &Harness, what: &str) -> ratatui::buffer::Buffer {
    check(h, what, true)
}

/// [`check_screen`] for a screen with a pop-up over the panes.
fn check_popup(h: &Harness, what: &str) {
    check(h, what, false);
}

fn check(h: &Harness, what: &str, panes_whole: bool) -> ratatui::buffer::Buffer {
    let buffer = h.buffer(80, 24);
    let text = eventscope::ui::buffer_text(&buffer);
    let (width, height) = (buffer.area.width, buffer.area.height);
    for y in 0..height {
        let mut x = 0;
        while x < width {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                !symbol.chars().any(is_unpredictable),
                "{what}: raw {symbol:?} at {x},{y}:\n{text}"
            );
            let cells = unicode_width::UnicodeWidthStr::width(symbol);
            assert!(
                cells == 1 || cells == 2,
                "{what}: {symbol:?} at {x},{y} takes {cells} cells:\n{text}"
            );
            x += cells as u16;
        }
        assert_eq!(x, width, "{what}: row {y} overflows:\n{text}");
    }
    if !panes_whole {
        return buffer;
    }
    for y in 0..height {
        for x in 0..width {
            let (corner, joint, end) = match buffer[(x, y)].symbol() {
                "┌" => ("┌", "├", "└"),
                "┐" => ("┐", "┤", "┘"),
                _ => continue,
            };
            let mut below = y + 1;
            while below < height && ["│", joint].contains(&buffer[(x, below)].symbol()) {
                below += 1;
            }
            assert!(
                below < height && buffer[(x, below)].symbol() == end,
                "{what}: the border under {corner} at {x},{y} breaks at row {below}:\n{text}"
            );
        }
    }
    buffer
}

#[test]
fn tricky_characters_in_every_field_leave_every_panel_in_place() {
    let mut h = Harness::with_events(tricky_events(), 80, 24);
    let log = check_screen(&h, "log view");
    // The list's columns: the type starts at the same column on every row.
    let text = eventscope::ui::buffer_text(&log);
    let rows: Vec<&str> = text.lines().collect();
    let header = rows.iter().position(|r| r.contains("seq time")).unwrap();
    let type_x = (0..log.area.width)
        .find(|&x| {
            (x..x + 4)
                .map(|x| log[(x, header as u16)].symbol())
                .collect::<String>()
                == "type"
        })
        .unwrap();
    for y in header + 1..header + 4 {
        let at = log[(type_x, y as u16)].symbol();
        let before = log[(type_x - 1, y as u16)].symbol();
        assert!(
            at == "T" && before == " ",
            "row {y}: the type column moved (found {before:?}{at:?}):\n{text}"
        );
    }
    h.press(KeyCode::Tab);
    check_screen(&h, "detail");
    h.press(KeyCode::BackTab);
    h.keys("t");
    check_popup(&h, "type picker");
    h.press(KeyCode::Enter);
    check_screen(&h, "type filter");
    h.keys("c");
    h.keys("s漢");
    h.press(KeyCode::Tab);
    check_popup(&h, "stream prompt");
    h.press(KeyCode::Enter);
    check_screen(&h, "stream filter");
    h.keys("c");
    h.keys("/\u{200B}漢🇳🇴");
    check_popup(&h, "search prompt");
    h.press(KeyCode::Enter);
    check_screen(&h, "search echo");
    h.keys("2");
    check_screen(&h, "projections");
    h.keys("3");
    check_screen(&h, "cqrs");
    h.keys(":Deposit 漢字\u{200B}🇳🇴");
    check_screen(&h, "cqrs command line");
    for _ in 0..8 {
        h.press(KeyCode::Backspace);
    }
    h.press(KeyCode::Tab);
    check_screen(&h, "cqrs completions");
    h.press(KeyCode::Esc);
    h.keys("4");
    check_screen(&h, "flows");
}
