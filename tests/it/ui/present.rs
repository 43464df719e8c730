//! Presenter mode: P (or --present) draws the view for a room, with its
//! headline figures large and one pane zoomed to the rest of the screen;
//! P again gives the usual screen back.

use eventscope::ui::{self, View};
use ratatui::crossterm::event::KeyCode;

use super::support::Harness;

/// The row the zoomed pane starts on: under the title and two lines of
/// big figures (four rows each).
const PANE_TOP: usize = 9;

/// Asserts that one pane, the whole width, runs from under the figures to
/// the footer.
fn assert_one_pane_zoomed(screen: &str) {
    let lines: Vec<&str> = screen.lines().collect();
    let tops = lines.iter().filter(|l| l.starts_with('┌')).count();
    assert_eq!(tops, 1, "one pane, not {tops}:\n{screen}");
    let top = lines[PANE_TOP];
    assert!(top.starts_with('┌') && top.ends_with('┐'), "{screen}");
    assert_eq!(top.chars().count(), 100, "the whole width:\n{screen}");
    let bottom = lines[lines.len() - 2];
    assert!(bottom.starts_with('└') && bottom.ends_with('┘'), "{screen}");
}

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
        match view {
            // A command that breaks a rule: the log stays as it was.
            View::Cqrs => {
                harness.keys(":");
                harness.keys("RegisterCustomer customer-1 name=Bob email=bob@example.com street=x city=y postcode=z country=UK");
                harness.press(KeyCode::Enter);
                harness.press(KeyCode::Esc);
            }
            // Into the log, with the source down for a while.
            View::Flows => {
                harness.keys(&"l".repeat(40));
                harness.keys("o");
                harness.keys(&"l".repeat(20));
            }
            _ => {}
        }
        let screen = harness.screen(100, 30);
        // The big font's block characters, and the footer reduced to the
        // presenter's keys.
        assert!(screen.lines().nth(1).unwrap().contains('▀') || screen.contains('█'));
        let footer = screen.lines().last().unwrap();
        assert!(footer.contains("P  presenter off"), "{screen}");
        assert!(!footer.contains("Tab"), "{screen}");
        match view {
            View::Log => {
                assert_one_pane_zoomed(&screen);
                assert!(screen.contains("Log: 290 events"), "{screen}");
                assert!(!screen.contains("Event #217"), "{screen}");
            }
            View::Projections => {
                assert_one_pane_zoomed(&screen);
                assert!(screen.contains("customers at #217"), "{screen}");
                assert!(!screen.contains("What #217 changed"), "{screen}");
            }
            View::Cqrs => {
                // The command line and what became of it, nothing else.
                assert_one_pane_zoomed(&screen);
                assert!(
                    screen
                        .lines()
                        .nth(PANE_TOP)
                        .unwrap()
                        .starts_with("┌ Command")
                );
                assert!(
                    screen.contains("✗ rejected: customer-1 already exists"),
                    "{screen}"
                );
                assert!(!screen.contains("Read models"), "{screen}");
                assert!(!screen.contains("Write model"), "{screen}");
            }
            View::Flows => {
                // The two lanes side by side, each with its figures, the
                // faults under them.
                let lines: Vec<&str> = screen.lines().collect();
                let top = lines[PANE_TOP];
                assert!(top.starts_with("┌ Notification"), "{screen}");
                assert!(top.contains("┐┌ State transfer"), "{screen}");
                assert!(top.ends_with('┐'), "{screen}");
                let bottom = lines[lines.len() - 3];
                assert!(bottom.starts_with('└') && bottom.contains("┘└"), "{screen}");
                assert!(lines[lines.len() - 2].contains("outage"), "{screen}");
                for figure in ["bus messages", "failed calls", "mean staleness"] {
                    let row = lines.iter().find(|l| l.contains(figure)).unwrap();
                    assert_eq!(row.matches(figure).count(), 2, "both sides:\n{screen}");
                }
                assert!(!screen.contains("Metrics"), "{screen}");
            }
        }
        insta::assert_snapshot!(format!("present_{view:?}_100x30"), screen);
    }
    assert_eq!(harness.app.event_log().last_seq().unwrap(), 290);
    harness.press(KeyCode::Char('1'));
    harness.press(KeyCode::Char('P'));
    assert_eq!(harness.screen(100, 30), usual);
    assert_eq!(ui::headline(&harness.app)[0], "#217/290");
}
