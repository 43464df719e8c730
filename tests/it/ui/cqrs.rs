//! The CQRS view, driven by keys: commands go to the write side and land in
//! the log, or are rejected and leave it as it was; read models trail by the
//! lag asked for, and their answers are marked stale until they catch up.
//! Screens are committed snapshots at 80x24 and 120x40; review a changed
//! one by eye before accepting it.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use super::support::Harness;
use eventscope::store::EventLog;
use eventscope::ui::Msg;
use eventscope::{Event, Timestamp};
use ratatui::crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Two hours after the sample's first event: later than all of them.
const NOW_MILLIS: i64 = 1_709_283_600_000 + 2 * 3_600_000;

const MOVE_CUSTOMER_2: &str = "ChangeCustomerAddress customer-2 street=\"1 Main St\" city=Leeds postcode=\"LS1 1AA\" country=UK";

/// The sample log at `width`x`height` on a clock that stands still unless
/// the returned handle moves it, in the CQRS view.
fn cqrs_view(width: u16, height: u16) -> (Harness, Arc<AtomicI64>) {
    let mut h = Harness::sample(width, height);
    let millis = Arc::new(AtomicI64::new(NOW_MILLIS));
    let clock = millis.clone();
    h.app.set_clock(Arc::new(move || {
        Timestamp::from_unix_millis(clock.load(Ordering::Relaxed))
    }));
    h.keys("3");
    (h, millis)
}

/// Types `command` on the command line, sends it, and leaves the line.
fn send_command(h: &mut Harness, command: &str) {
    h.keys(":");
    h.keys(command);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Esc);
}

fn snapshot(name: &str, drive: impl Fn(&mut Harness)) {
    for (width, height) in SIZES {
        let (mut h, _) = cqrs_view(width, height);
        drive(&mut h);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.screen(width, height));
    }
}

fn every_event(log: &EventLog) -> Vec<Event> {
    let mut events = Vec::new();
    log.scan(1..=log.last_seq().unwrap(), |event| {
        events.push(event);
        ControlFlow::Continue(())
    })
    .unwrap();
    events
}

fn read_model_line<'a>(screen: &'a str, name: &str) -> &'a str {
    screen
        .lines()
        .find(|line| line.contains(&format!(" {name} ")))
        .unwrap_or_else(|| panic!("no {name} row in\n{screen}"))
}

#[test]
fn empty_state_says_what_to_type() {
    snapshot("cqrs_empty", |_| {});
    let (h, _) = cqrs_view(100, 30);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("e.g. ChangeCustomerAddress customer-1"),
        "{screen}"
    );
}

#[test]
fn an_accepted_order_shows_the_events_the_policies_chain() {
    snapshot("cqrs_accepted", |h| {
        send_command(
            h,
            "PlaceOrder order-9 customer=customer-2 item=BOOK-1:2:1500",
        );
    });
    let (mut h, _) = cqrs_view(120, 40);
    let before = h.app.event_log().last_seq().unwrap();
    send_command(
        &mut h,
        "PlaceOrder order-9 customer=customer-2 item=BOOK-1:2:1500",
    );
    let log = h.app.event_log();
    assert_eq!(
        log.last_seq().unwrap(),
        before + 2,
        "OrderPlaced and PaymentRequested"
    );
    let types: Vec<String> = log
        .read_stream("order-9")
        .unwrap()
        .iter()
        .map(|e| e.event_type.to_string())
        .collect();
    assert_eq!(types, ["OrderPlaced", "PaymentRequested"]);
    // The log view counts the new events.
    assert_eq!(h.app.list_len() as u64, before + 2);
}

#[test]
fn with_policies_off_only_the_commands_own_event_is_written() {
    let (mut h, _) = cqrs_view(120, 40);
    let before = h.app.event_log().last_seq().unwrap();
    h.keys("p");
    send_command(
        &mut h,
        "PlaceOrder order-9 customer=customer-2 item=BOOK-1:2:1500",
    );
    assert_eq!(h.app.event_log().last_seq().unwrap(), before + 1);
    assert!(h.screen(120, 40).contains("policies off"));
}

#[test]
fn a_rejected_command_says_why_and_leaves_the_log_unchanged() {
    snapshot("cqrs_rejected", |h| {
        send_command(h, "DeactivateCustomer customer-3 reason=moved");
        send_command(h, "ChangeCustomerEmail customer-3 email=new@example.com");
    });
    let (mut h, _) = cqrs_view(120, 40);
    send_command(&mut h, "DeactivateCustomer customer-3 reason=moved");
    let before = every_event(h.app.event_log());
    send_command(
        &mut h,
        "ChangeCustomerEmail customer-3 email=new@example.com",
    );
    let after = every_event(h.app.event_log());
    assert_eq!(before.len(), after.len());
    assert_eq!(before, after);
    assert!(h.screen(120, 40).contains("rejected"));
}

#[test]
fn a_command_that_does_not_parse_shows_the_error_and_keeps_the_text() {
    let (mut h, _) = cqrs_view(120, 40);
    let before = h.app.event_log().last_seq().unwrap();
    h.keys(":");
    h.keys("Deposit customer-1 amount=5");
    h.press(KeyCode::Enter);
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("✗ Deposit applies to account-<n> streams"),
        "{screen}"
    );
    assert_eq!(h.app.cqrs().input, "Deposit customer-1 amount=5");
    assert_eq!(h.app.event_log().last_seq().unwrap(), before);
}

#[test]
fn a_lagging_read_model_answers_stale_until_it_catches_up() {
    let drive_to_stale = |h: &mut Harness| {
        h.keys("j++");
        send_command(h, MOVE_CUSTOMER_2);
    };
    snapshot("cqrs_stale", drive_to_stale);
    snapshot("cqrs_caught_up", |h| {
        drive_to_stale(h);
        h.keys("--");
    });

    let (mut h, _) = cqrs_view(120, 40);
    drive_to_stale(&mut h);
    let screen = h.screen(120, 40);
    let address_book = read_model_line(&screen, "address-book");
    assert!(
        address_book.contains("STALE") && address_book.contains("Bergen"),
        "{screen}"
    );
    assert!(
        screen.contains("write model: street: \"1 Main St\", city: \"Leeds\""),
        "{screen}"
    );
    // The read model without lag already has the new address.
    let customers = read_model_line(&screen, "customers");
    assert!(
        !customers.contains("STALE") && customers.contains("✓"),
        "{screen}"
    );

    h.keys("--");
    let screen = h.screen(120, 40);
    let address_book = read_model_line(&screen, "address-book");
    assert!(
        !address_book.contains("STALE") && address_book.contains("Leeds"),
        "{screen}"
    );
}

#[test]
fn a_delayed_read_model_catches_up_as_time_passes() {
    let (mut h, clock) = cqrs_view(120, 40);
    // customers sees events 3 seconds after they are written.
    h.keys("]]]");
    send_command(&mut h, MOVE_CUSTOMER_2);
    assert!(read_model_line(&h.screen(120, 40), "customers").contains("STALE"));

    clock.fetch_add(2_000, Ordering::Relaxed);
    h.send(Msg::Tick);
    assert!(read_model_line(&h.screen(120, 40), "customers").contains("STALE"));

    clock.fetch_add(1_000, Ordering::Relaxed);
    h.send(Msg::Tick);
    let screen = h.screen(120, 40);
    let customers = read_model_line(&screen, "customers");
    assert!(
        !customers.contains("STALE") && customers.contains("✓"),
        "{screen}"
    );
}

#[test]
fn tab_completes_command_names_streams_and_keys() {
    let (mut h, _) = cqrs_view(120, 40);
    h.keys(":");
    h.keys("Cha");
    h.press(KeyCode::Tab);
    assert!(
        h.app.cqrs().input.starts_with("ChangeCustomer"),
        "{}",
        h.app.cqrs().input
    );
    let (names, _) = h.app.command_completions();
    assert!(
        names.iter().all(|n| n.starts_with("ChangeCustomer")) && names.len() == 2,
        "{names:?}"
    );

    h.keys("Email ");
    h.press(KeyCode::Tab);
    assert_eq!(h.app.cqrs().input, "ChangeCustomerEmail customer-");
    let (streams, total) = h.app.command_completions();
    let customers: Vec<String> = (1..=6).map(|n| format!("customer-{n}")).collect();
    assert_eq!(total, 6);
    assert_eq!(streams, customers);
    assert!(h.screen(120, 40).contains("customer-6"));

    h.keys("4 em");
    h.press(KeyCode::Tab);
    assert_eq!(h.app.cqrs().input, "ChangeCustomerEmail customer-4 email=");
}

#[test]
fn history_brings_back_commands_sent() {
    let (mut h, _) = cqrs_view(120, 40);
    send_command(&mut h, "DeactivateCustomer customer-3 reason=moved");
    send_command(&mut h, "DeactivateCustomer customer-4 reason=moved");
    h.keys(":");
    h.press(KeyCode::Up);
    assert_eq!(
        h.app.cqrs().input,
        "DeactivateCustomer customer-4 reason=moved"
    );
    h.press(KeyCode::Up);
    assert_eq!(
        h.app.cqrs().input,
        "DeactivateCustomer customer-3 reason=moved"
    );
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    assert_eq!(h.app.cqrs().input, "");
}

#[test]
fn the_render_command_draws_the_cqrs_view() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("render.redb");
    super::support::write_log(&path, super::support::sample_events());
    let screen =
        super::support::render_screen(&[path.to_str().unwrap(), "--view", "cqrs"], 100, 30);
    for part in [
        "Command",
        "Write model",
        "Decision",
        "Read models",
        "address-book",
        "Flow",
    ] {
        assert!(screen.contains(part), "no {part} in\n{screen}");
    }
}

#[test]
fn help_explains_what_the_cqrs_view_shows_and_its_keys() {
    let (mut h, _) = cqrs_view(120, 40);
    h.keys("?");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("CQRS view: commands and queries use separate models"),
        "{screen}"
    );
    h.keys("jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("the selected read model trails the log by one event more"),
        "{screen}"
    );
}

#[test]
fn on_an_empty_log_an_account_is_opened_and_an_overdraft_refused() {
    let mut h = Harness::with_events(Vec::new(), 120, 40);
    h.keys("3");
    assert!(
        h.screen(120, 40)
            .contains("e.g. RegisterCustomer customer-1")
    );
    send_command(&mut h, "OpenAccount account-1 owner=Ada");
    send_command(&mut h, "Deposit account-1 amount=500");
    let before = every_event(h.app.event_log());
    send_command(&mut h, "Withdraw account-1 amount=800");
    assert_eq!(every_event(h.app.event_log()), before);
    let screen = h.screen(120, 40);
    assert!(screen.contains("✗ rejected"), "{screen}");
    let balances = read_model_line(&screen, "balances");
    assert!(
        balances.contains("\"balance\":500") && balances.contains("#2/2"),
        "{screen}"
    );
    // Only the bank's read model answers about an account.
    assert!(!screen.contains(" customers "), "{screen}");
}

#[test]
fn the_parse_error_goes_once_the_text_is_edited() {
    let (mut h, _) = cqrs_view(120, 40);
    h.keys(":Deposit customer-1 amount=5");
    h.press(KeyCode::Enter);
    assert!(h.screen(120, 40).contains("│✗ Deposit applies to"));
    h.press(KeyCode::Backspace);
    let screen = h.screen(120, 40);
    assert!(!screen.contains("│✗ Deposit applies to"), "{screen}");
    assert!(
        screen.contains("Deposit account-<n> amount=<cents>"),
        "{screen}"
    );
}
