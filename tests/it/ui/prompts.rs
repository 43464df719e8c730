//! Every prompt edits its line the same way: the cursor moves (arrows,
//! Home/End, Ctrl-A/E), text goes in where the cursor is, Delete and
//! Backspace either side of it, Ctrl-W a word, Ctrl-U the start; the cursor
//! is drawn where it is.

use super::support::Harness;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;

#[test]
fn the_command_line_edits_at_the_cursor() {
    let mut h = Harness::sample(100, 30);
    h.keys("3");
    h.keys(":Deposit customer-1 amount=5");
    h.press(KeyCode::Home);
    h.keys("x");
    assert_eq!(h.app.cqrs().input, "xDeposit customer-1 amount=5");
    h.press(KeyCode::Delete);
    h.press(KeyCode::Delete);
    assert_eq!(h.app.cqrs().input, "xposit customer-1 amount=5");
    h.press_ctrl(KeyCode::Char('e'));
    h.press(KeyCode::Left);
    h.keys("0");
    assert_eq!(h.app.cqrs().input, "xposit customer-1 amount=05");
    h.press(KeyCode::End);
    // A word is letters and digits: a field's value goes, its key stays.
    h.press_ctrl(KeyCode::Char('w'));
    assert_eq!(h.app.cqrs().input, "xposit customer-1 amount=");
    h.press(KeyCode::Left);
    h.press_ctrl(KeyCode::Char('u'));
    assert_eq!(h.app.cqrs().input, "=");
    h.press_ctrl(KeyCode::Char('a'));
    h.keys("Deposit customer-1 amount");
    h.press(KeyCode::Right);
    h.keys("5");
    assert_eq!(h.app.cqrs().input, "Deposit customer-1 amount=5");
}

/// The cell under the cursor is drawn reversed, in the middle of the text.
#[test]
fn the_cursor_is_drawn_where_it_is() {
    let mut h = Harness::sample(100, 30);
    h.keys("3");
    h.keys(":Deposit");
    h.press(KeyCode::Left);
    h.press(KeyCode::Left);
    let buffer = h.buffer(100, 30);
    let (x, y) = find(&buffer, "> Depos").expect("the command line");
    let under = &buffer[(x + 7, y)];
    assert_eq!(under.symbol(), "i");
    assert!(under.modifier.contains(Modifier::REVERSED));
    assert_eq!(buffer[(x + 8, y)].symbol(), "t");
    assert!(!buffer[(x + 8, y)].modifier.contains(Modifier::REVERSED));
}

fn find(buffer: &ratatui::buffer::Buffer, needle: &str) -> Option<(u16, u16)> {
    let width = buffer.area.width;
    for y in 0..buffer.area.height {
        let row: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        if let Some(at) = row.find(needle) {
            return Some((row[..at].chars().count() as u16, y));
        }
    }
    None
}

#[test]
fn the_jump_prompt_edits_at_the_cursor() {
    let mut h = Harness::sample(100, 30);
    h.keys(":16");
    h.press(KeyCode::Home);
    h.press(KeyCode::Delete);
    h.press(KeyCode::End);
    h.keys("0");
    h.press(KeyCode::Left);
    h.press(KeyCode::Backspace);
    // "16" -> "6" -> "60" -> cursor before 0, Backspace deletes the 6.
    h.press(KeyCode::Home);
    h.keys("1");
    h.press(KeyCode::Enter);
    assert_eq!(h.seq(), 10);
}

#[test]
fn the_search_and_stream_prompts_take_ctrl_u_and_ctrl_w() {
    let mut h = Harness::sample(100, 30);
    h.keys("/nothing like this");
    h.press_ctrl(KeyCode::Char('u'));
    h.keys("order-5/placed");
    h.press(KeyCode::Enter);
    let placed = h.app_event(h.seq());
    assert_eq!(placed.id, "order-5/placed");
    h.keys("sno such");
    h.press_ctrl(KeyCode::Char('w'));
    h.press_ctrl(KeyCode::Char('w'));
    h.keys("order-3");
    h.press(KeyCode::Enter);
    assert_eq!(
        h.app.filter_description().as_deref(),
        Some("stream = order-3")
    );
}
