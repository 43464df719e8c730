//! Presenter mode: P (or --present) draws the view for a room, with its
//! headline figures large; P again gives the usual screen back.

use eventscope::ui::{self, View};
use ratatui::crossterm::event::KeyCode;

use super::support::Harness;

#[test]
fn presenter_mode_draws_each_view_large_and_p_gives_it_back() {
    let mut harness = Harness::retail(100, 30);
    harness.keys(":217");
    harness.press(KeyCode::Enter);
    let usual = harness.screen(100, 30);
    harness.press(KeyCode::Char('P'));
    for (key, view) in [
        ('1', View::Log),
        ('2', View::Projections),
        ('3', View::Cqrs),
        ('4', View::Flows),
    ] {
        harness.press(KeyCode::Char(key));
        assert_eq!(harness.app.view(), view);
        let screen = harness.screen(100, 30);
        // The big font's block characters, and the footer reduced to the
        // presenter's keys.
        assert!(screen.lines().nth(1).unwrap().contains('▀') || screen.contains('█'));
        let footer = screen.lines().last().unwrap();
        assert!(footer.contains("P  presenter off"), "{screen}");
        assert!(!footer.contains("Tab"), "{screen}");
        insta::assert_snapshot!(format!("present_{view:?}_100x30"), screen);
    }
    harness.press(KeyCode::Char('1'));
    harness.press(KeyCode::Char('P'));
    assert_eq!(harness.screen(100, 30), usual);
    assert_eq!(ui::headline(&harness.app)[0], "#217/290");
}
