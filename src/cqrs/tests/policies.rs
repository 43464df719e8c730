//! Policies: the chain of commands the system issues after a command, with
//! causation and correlation linking every event to the one before.

use super::fixtures::*;
use super::harness::{now, store_with};
use crate::cqrs::policy::{self, REQUEST_PAYMENT_FOR_PLACED_ORDERS, SHIP_PAID_ORDERS};
use crate::cqrs::{Command, CommandHandler, Handled, MemoryStore, Origin, Rejection, StepOutcome};
use crate::domain::retail::{ORDER_PLACED, ORDER_SHIPPED, PAYMENT_RECEIVED, PAYMENT_REQUESTED};
use crate::event::Event;

fn handle(store: &MemoryStore, text: &str, with_policies: bool) -> Handled {
    let command = Command::parse(text).unwrap();
    CommandHandler::new(store, now())
        .handle(command, with_policies)
        .unwrap()
}

fn types(handled: &Handled) -> Vec<&str> {
    handled.events().map(|e| &*e.event_type).collect()
}

fn customer_with_order_awaiting_payment() -> MemoryStore {
    store_with(vec![
        ("customer-7", registered()),
        ("order-5", placed()),
        ("order-5", payment_requested(3000)),
    ])
}

#[test]
fn placing_an_order_requests_payment_in_the_same_flow() {
    let store = store_with(vec![("customer-7", registered())]);
    let handled = handle(
        &store,
        "PlaceOrder order-5 customer=customer-7 item=BOOK:2:1500 correlation_id=checkout-1",
        true,
    );
    assert_eq!(types(&handled), [ORDER_PLACED, PAYMENT_REQUESTED]);
    let events: Vec<&Event> = handled.events().collect();
    let (placed, requested) = (events[0], events[1]);
    assert_eq!(
        placed.causation_id(),
        Some(handled.steps[0].command_id.clone())
    );
    assert_eq!(requested.causation_id(), Some(placed.id.clone()));
    assert_eq!(placed.correlation_id().as_deref(), Some("checkout-1"));
    assert_eq!(requested.correlation_id().as_deref(), Some("checkout-1"));
    assert_eq!(requested.data.value()["amount"], 3000);
    assert_eq!(
        handled.steps[1].command.origin,
        Origin::Policy {
            policy: REQUEST_PAYMENT_FOR_PLACED_ORDERS.name,
            event_id: placed.id.clone()
        }
    );
    assert_eq!((placed.version, requested.version), (1, 2));
    assert_eq!(handled.steps[1].streams_read, [("order-5".to_string(), 1)]);
}

#[test]
fn a_flow_without_a_correlation_id_is_named_after_its_command() {
    let store = store_with(vec![("customer-7", registered())]);
    let handled = handle(
        &store,
        "PlaceOrder order-5 customer=customer-7 item=BOOK:1:1",
        true,
    );
    let command_id = &handled.steps[0].command_id;
    for event in handled.events() {
        assert_eq!(event.correlation_id().as_ref(), Some(command_id));
    }
}

#[test]
fn paying_ships_to_the_customers_current_address() {
    let store = customer_with_order_awaiting_payment();
    handle(
        &store,
        r#"ChangeCustomerAddress customer-7 street="9 Stonegate" city=York postcode="YO1 8AS" country=UK"#,
        true,
    );
    let handled = handle(&store, "PayOrder order-5 amount=3000", true);
    assert_eq!(types(&handled), [PAYMENT_RECEIVED, ORDER_SHIPPED]);
    let events: Vec<&Event> = handled.events().collect();
    assert_eq!(events[1].causation_id(), Some(events[0].id.clone()));
    assert_eq!(events[1].correlation_id(), events[0].correlation_id());
    let shipped_to: crate::domain::retail::OrderShipped = events[1].data.parse().unwrap();
    assert_eq!(shipped_to.address, york());
    assert_eq!(
        handled.steps[1].command.origin,
        Origin::Policy {
            policy: SHIP_PAID_ORDERS.name,
            event_id: events[0].id.clone()
        }
    );
    assert_eq!(handled.steps[1].after()["status"], "shipped");
}

#[test]
fn without_policies_only_the_commands_own_events_are_written() {
    let store = store_with(vec![("customer-7", registered())]);
    let handled = handle(
        &store,
        "PlaceOrder order-5 customer=customer-7 item=BOOK:1:1",
        false,
    );
    assert_eq!(handled.steps.len(), 1);
    assert_eq!(types(&handled), [ORDER_PLACED]);
    assert_eq!(store.len().unwrap(), 2);

    let store = customer_with_order_awaiting_payment();
    let handled = handle(&store, "PayOrder order-5 amount=3000", false);
    assert_eq!(types(&handled), [PAYMENT_RECEIVED]);
}

#[test]
fn a_policy_command_that_is_refused_ends_the_chain_but_keeps_what_was_written() {
    // An order whose customer has no events cannot be shipped.
    let store = store_with(vec![
        ("order-5", placed()),
        ("order-5", payment_requested(3000)),
    ]);
    let handled = handle(&store, "PayOrder order-5 amount=3000", true);
    assert!(handled.is_accepted());
    assert_eq!(types(&handled), [PAYMENT_RECEIVED]);
    assert_eq!(
        handled.steps[1].outcome,
        StepOutcome::Rejected(Rejection::NotFound {
            stream: "customer-7".into(),
            action: "ship to it"
        })
    );
    assert_eq!(store.len().unwrap(), 3);
}

#[test]
fn only_placed_orders_and_payments_provoke_a_reaction() {
    let store = customer_with_order_awaiting_payment();
    let events = store.events().unwrap();
    let reactions: Vec<Option<String>> = events
        .iter()
        .map(|event| policy::react(event).map(|command| command.name().to_owned()))
        .collect();
    assert_eq!(reactions, [None, Some("RequestPayment".into()), None]);
}
