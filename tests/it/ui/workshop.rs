//! Workshop hygiene, as met in a class: the command line lets go of the
//! keyboard after Enter, commands on a sample continue its clock, the flows
//! view follows the log, two writers in the CQRS view.

use eventscope::ui::View;
use ratatui::crossterm::event::KeyCode;

use super::support::Harness;

#[test]
fn after_enter_the_command_line_lets_go_of_the_keyboard() {
    let mut harness = Harness::retail(100, 30);
    harness.press(KeyCode::Char('3'));
    harness.press(KeyCode::Char(':'));
    harness.keys("ShipOrder order-68");
    assert!(harness.app.editing_command());
    harness.press(KeyCode::Enter);
    assert!(
        !harness.app.editing_command(),
        "the command line still holds the keyboard after Enter"
    );
    // The digits switch views again.
    harness.press(KeyCode::Char('1'));
    assert_eq!(harness.app.view(), View::Log);
}

#[test]
fn ctrl_u_clears_the_command_line_and_esc_leaves_it() {
    let mut harness = Harness::retail(100, 30);
    harness.press(KeyCode::Char('3'));
    harness.press(KeyCode::Char(':'));
    harness.keys("PayOrder order-67 amount=4896");
    // Ctrl-U deletes what is before the cursor: at the end, the whole line.
    harness.press_ctrl(KeyCode::Char('u'));
    assert_eq!(
        harness.app.cqrs().input.value(),
        "",
        "Ctrl-U clears the line"
    );
    harness.keys("Pay");
    harness.press(KeyCode::Esc);
    assert!(!harness.app.editing_command());
    harness.press(KeyCode::Char('4'));
    assert_eq!(harness.app.view(), View::Flows);
}

#[test]
fn the_flows_view_follows_the_log_the_cqrs_view_writes() {
    let mut harness = Harness::retail(100, 30);
    harness.press(KeyCode::Char('3'));
    harness.press(KeyCode::Char(':'));
    harness.keys("PayOrder order-67 amount=4896");
    harness.press(KeyCode::Enter);
    let last = harness.app.event_log().last_seq().unwrap();
    // The payment, and the shipment a policy issued in reaction.
    assert_eq!(last, 292);
    assert_eq!(
        harness.app_event(292).event_type.to_string(),
        "OrderShipped"
    );
    harness.press(KeyCode::Char('4'));
    harness.app.seek_flows(u64::MAX);
    harness.settle();
    assert_eq!(
        harness.app.flows_seq(),
        last,
        "the flows view stops at the log's end as it was at startup"
    );
}

#[test]
fn commands_on_a_sample_continue_the_log_s_clock() {
    let mut harness = Harness::retail(100, 30);
    harness.app.set_sample("retail");
    let end = harness.app_event(290).time.unwrap();
    harness.press(KeyCode::Char('3'));
    harness.press(KeyCode::Char(':'));
    harness.keys("PayOrder order-67 amount=4896");
    harness.press(KeyCode::Enter);
    let written = harness.app_event(291).time.unwrap();
    let after_ms = written.unix_millis() - end.unix_millis();
    // After the sample's last event, within the hour: not today's date.
    assert!(
        (1..3_600_000).contains(&after_ms),
        "{} is {after_ms} ms after the log's end, {}",
        harness.app_event(291).time_text(),
        harness.app_event(290).time_text()
    );
}
