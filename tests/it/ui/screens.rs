//! Whole screens, driven by keys, at 80x24 and 120x40, as committed
//! snapshots. Review a changed snapshot by eye before accepting it.

use super::support::Harness;
use ratatui::crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snapshot(name: &str, drive: impl Fn(&mut Harness)) {
    for (width, height) in SIZES {
        let mut h = Harness::sample(width, height);
        drive(&mut h);
        insta::assert_snapshot!(
            format!("{name}_{width}x{height}"),
            without_durations(&h.screen(width, height))
        );
    }
}

/// The screen with how long a rebuild took blanked out: wall-clock times
/// differ from run to run.
fn without_durations(screen: &str) -> String {
    screen
        .lines()
        .map(|line| match line.find("took ") {
            Some(start) => {
                let start = start + "took ".len();
                // Up to the pane's border, so that the padding goes too.
                let end = line[start..].find('│').map_or(line.len(), |n| start + n);
                format!("{}<time>{}", &line[..start], &line[end..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn log_view_at_start() {
    snapshot("log_start", |_| {});
}

#[test]
fn log_view_in_a_flow_with_the_detail_focused() {
    snapshot("log_flow_detail", |h| {
        h.keys(":16");
        h.press(KeyCode::Enter);
        h.press(KeyCode::Tab);
        h.keys("jjjjjj");
    });
}

#[test]
fn log_view_filtered_by_stream() {
    snapshot("log_stream_filter", |h| {
        h.keys("sorder-4");
        h.press(KeyCode::Enter);
        h.keys("j");
    });
}

#[test]
fn type_picker() {
    snapshot("type_picker", |h| {
        h.keys("tjj");
    });
}

#[test]
fn stream_prompt_with_completions() {
    snapshot("stream_prompt", |h| {
        h.keys("scustomer-");
    });
}

#[test]
fn help_overlay() {
    snapshot("help", |h| {
        h.keys("?");
    });
}

#[test]
fn search_result() {
    snapshot("search", |h| {
        h.keys("/bergen");
        h.press(KeyCode::Enter);
    });
}

#[test]
fn projections_view_after_an_address_change() {
    snapshot("projections_step", |h| {
        h.keys(":34");
        h.press(KeyCode::Enter);
        h.keys("2l");
    });
}

#[test]
fn projections_view_after_a_rebuild_and_check() {
    snapshot("projections_rebuild", |h| {
        h.keys(":20");
        h.press(KeyCode::Enter);
        h.keys("2ra");
    });
}
