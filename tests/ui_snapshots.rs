//! Whole screens, driven by keys, at 80x24 and 120x40, as committed
//! snapshots. Review a changed snapshot by eye before accepting it.

mod ui_support;

use ratatui::crossterm::event::KeyCode;
use ui_support::Harness;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snapshot(name: &str, drive: impl Fn(&mut Harness)) {
    for (width, height) in SIZES {
        let mut h = Harness::sample(width, height);
        drive(&mut h);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.screen(width, height));
    }
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
