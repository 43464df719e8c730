//! The explorer driven by keys: moving, paging, jumping, filtering,
//! searching, folding, and drawing hostile data safely.

mod ui_support;

use ratatui::crossterm::event::KeyCode;
use ui_support::Harness;

#[test]
fn peek() {
    let mut h = Harness::sample(80, 24);
    println!("{}", h.screen(80, 24));
    h.keys("jjjjjjj");
    println!("{}", h.screen(120, 40));
    h.press(KeyCode::Char('?'));
    println!("{}", h.screen(80, 24));
}
