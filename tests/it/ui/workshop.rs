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

#[test]
fn two_writers_the_second_to_write_is_refused_as_a_conflict() {
    let mut harness = Harness::retail(100, 30);
    harness.press(KeyCode::Char('3'));
    harness.press(KeyCode::Char('w'));
    // Writer B reads Ada at version 3 and types a change, not sent yet.
    harness.press(KeyCode::Char(':'));
    harness.keys("ChangeCustomerEmail customer-1 email=b@example.com");
    harness.press(KeyCode::Esc);
    assert!(
        harness
            .screen(100, 30)
            .contains("writer B (read customer-1 at v3")
    );
    // Writer A reads her at version 3 too, and sends first.
    harness.press(KeyCode::Char('w'));
    harness.press(KeyCode::Char(':'));
    harness.keys("ChangeCustomerEmail customer-1 email=a@example.com");
    harness.press(KeyCode::Enter);
    assert_eq!(harness.app.event_log().last_seq().unwrap(), 291);
    // B's line is as B left it; sent, it expects version 3 and is refused.
    harness.press(KeyCode::Char('w'));
    assert_eq!(
        harness.app.cqrs().input.value(),
        "ChangeCustomerEmail customer-1 email=b@example.com"
    );
    // Enter takes the line, Enter sends it.
    harness.press(KeyCode::Enter);
    harness.press(KeyCode::Enter);
    assert!(
        harness.app.cqrs().conflicted(),
        "{}",
        harness.screen(100, 30)
    );
    assert_eq!(
        harness.app.event_log().last_seq().unwrap(),
        291,
        "nothing written"
    );
    let screen = harness.screen(100, 30);
    assert!(screen.contains("conflict"), "{screen}");
}

#[test]
fn expected_version_is_offered_in_completion_and_explained_in_help() {
    let mut harness = Harness::retail(100, 30);
    harness.press(KeyCode::Char('3'));
    harness.press(KeyCode::Char(':'));
    harness.keys("ChangeCustomerEmail customer-1 e");
    let (shown, _) = harness.app.command_completions();
    assert!(
        shown.iter().any(|c| c.contains("expected_version")),
        "{shown:?}"
    );
    harness.press(KeyCode::Esc);
    harness.press(KeyCode::Char('?'));
    let help: String = eventscope::ui::help_text();
    assert!(help.contains("expected_version=N"), "{help}");
    assert!(help.contains("w switches between writers A and B"));
}
