//! Order commands: each acceptance and each rejection.

use super::fixtures::*;
use super::harness::given;
use crate::cqrs::retail::OrderStatus;
use crate::cqrs::{DomainEvent, ItemProblem, Rejection};
use crate::domain::retail::OrderPlaced;

const C7: &str = "customer-7";
const O5: &str = "order-5";

/// customer-7 registered, then the order's own events.
fn order_with(events: Vec<DomainEvent>) -> Vec<(&'static str, DomainEvent)> {
    let mut history = vec![(C7, registered())];
    history.extend(events.into_iter().map(|event| (O5, event)));
    history
}

fn wrong_state(status: OrderStatus, action: &'static str) -> Rejection {
    Rejection::OrderInWrongState {
        order: O5.into(),
        status,
        action,
    }
}

fn not_found(action: &'static str) -> Rejection {
    Rejection::NotFound {
        stream: O5.into(),
        action,
    }
}

#[test]
fn placing_an_order_computes_its_total() {
    given(order_with(vec![]))
        .when("PlaceOrder order-5 customer=customer-7 item=BOOK:2:1500 item=MUG:3:250")
        .then_events(vec![DomainEvent::OrderPlaced(OrderPlaced {
            customer: C7.into(),
            items: vec![item("BOOK", 2, 1500), item("MUG", 3, 250)],
            total: 3750,
        })]);
}

#[test]
fn placing_an_order_on_an_existing_order_stream_is_refused() {
    given(order_with(vec![placed()]))
        .when("PlaceOrder order-5 customer=customer-7 item=BOOK:1:100")
        .then_rejected_with(Rejection::AlreadyExists {
            stream: O5.into(),
            command: "PlaceOrder",
        });
}

#[test]
fn placing_an_order_for_an_unknown_customer_is_refused() {
    let message = given(order_with(vec![]))
        .when("PlaceOrder order-5 customer=customer-9 item=BOOK:1:100")
        .then_rejected_with(Rejection::NotFound {
            stream: "customer-9".into(),
            action: "place an order",
        });
    assert_eq!(message, "customer-9 does not exist: cannot place an order");
}

#[test]
fn placing_an_order_for_a_deactivated_customer_is_refused() {
    let message = given(vec![(C7, registered()), (C7, deactivated("left"))])
        .when("PlaceOrder order-5 customer=customer-7 item=BOOK:1:100")
        .then_rejected_with(Rejection::CustomerDeactivated {
            customer: C7.into(),
            action: "place an order",
        });
    assert_eq!(message, "customer-7 is deactivated: cannot place an order");
}

#[test]
fn placing_an_order_without_items_is_refused() {
    given(order_with(vec![]))
        .when(r#"{"type": "PlaceOrder", "stream": "order-5", "data": {"customer": "customer-7", "items": []}}"#)
        .then_rejected_with(Rejection::NoItems { order: O5.into() });
}

#[test]
fn placing_an_order_with_a_bad_item_is_refused_naming_the_item() {
    let cases = [
        ("item=MUG:0:250", ItemProblem::QuantityNotPositive(0)),
        ("item=MUG:-2:250", ItemProblem::QuantityNotPositive(-2)),
        (
            "item=MUG:4294967296:1",
            ItemProblem::QuantityTooLarge(4_294_967_296),
        ),
        ("item=MUG:1:0", ItemProblem::PriceNotPositive(0)),
        ("item=MUG:1:-5", ItemProblem::PriceNotPositive(-5)),
    ];
    for (second_item, problem) in cases {
        let message = given(order_with(vec![]))
            .when(&format!(
                "PlaceOrder order-5 customer=customer-7 item=BOOK:1:100 {second_item}"
            ))
            .then_rejected_with(Rejection::InvalidItem {
                order: O5.into(),
                position: 2,
                sku: "MUG".into(),
                problem,
            });
        assert!(
            message.starts_with("item 2 (MUG) of order-5: "),
            "{message}"
        );
    }
}

#[test]
fn placing_an_order_whose_total_overflows_is_refused() {
    given(order_with(vec![]))
        .when(&format!(
            "PlaceOrder order-5 customer=customer-7 item=A:2:{} item=B:1:2",
            i64::MAX / 2
        ))
        .then_rejected_with(Rejection::TooLarge {
            stream: O5.into(),
            what: "the total",
        });
}

#[test]
fn requesting_payment_asks_for_the_total() {
    given(order_with(vec![placed()]))
        .when("RequestPayment order-5")
        .then_events(vec![payment_requested(3000)]);
}

#[test]
fn requesting_payment_is_refused_unless_the_order_is_just_placed() {
    given(order_with(vec![]))
        .when("RequestPayment order-5")
        .then_rejected_with(not_found("request payment"));
    given(order_with(vec![placed(), payment_requested(3000)]))
        .when("RequestPayment order-5")
        .then_rejected_with(wrong_state(
            OrderStatus::PaymentRequested,
            "request payment",
        ));
}

#[test]
fn paying_the_total_records_the_payment() {
    given(order_with(vec![placed(), payment_requested(3000)]))
        .when("PayOrder order-5 amount=3000")
        .then_events(vec![paid(3000)]);
}

#[test]
fn paying_an_unknown_order_is_refused() {
    given(order_with(vec![]))
        .when("PayOrder order-5 amount=3000")
        .then_rejected_with(not_found("pay"));
}

#[test]
fn paying_before_payment_is_requested_is_refused() {
    let message = given(order_with(vec![placed()]))
        .when("PayOrder order-5 amount=3000")
        .then_rejected_with(wrong_state(OrderStatus::Placed, "pay"));
    assert_eq!(
        message,
        "order-5 is waiting for a payment request: cannot pay"
    );
}

#[test]
fn paying_twice_is_refused() {
    given(order_with(vec![
        placed(),
        payment_requested(3000),
        paid(3000),
    ]))
    .when("PayOrder order-5 amount=3000")
    .then_rejected_with(wrong_state(OrderStatus::Paid, "pay"));
}

#[test]
fn paying_a_cancelled_order_is_refused() {
    given(order_with(vec![
        placed(),
        payment_requested(3000),
        cancelled("no stock"),
    ]))
    .when("PayOrder order-5 amount=3000")
    .then_rejected_with(wrong_state(OrderStatus::Cancelled, "pay"));
}

#[test]
fn paying_another_amount_than_the_total_is_refused() {
    let message = given(order_with(vec![placed(), payment_requested(3000)]))
        .when("PayOrder order-5 amount=1000")
        .then_rejected_with(Rejection::PaymentMismatch {
            order: O5.into(),
            amount: 1000,
            total: 3000,
        });
    assert_eq!(
        message,
        "payment of 10.00 does not match the total of order-5 (30.00)"
    );
}

#[test]
fn shipping_goes_to_the_address_the_customer_has_now() {
    let mut history = order_with(vec![placed(), payment_requested(3000), paid(3000)]);
    history.push((C7, moved(york())));
    given(history)
        .when("ShipOrder order-5")
        .then_events(vec![shipped(york())]);
}

#[test]
fn shipping_an_unknown_order_is_refused() {
    given(order_with(vec![]))
        .when("ShipOrder order-5")
        .then_rejected_with(not_found("ship"));
}

#[test]
fn shipping_an_unpaid_order_is_refused() {
    given(order_with(vec![placed(), payment_requested(3000)]))
        .when("ShipOrder order-5")
        .then_rejected_with(wrong_state(OrderStatus::PaymentRequested, "ship"));
}

#[test]
fn shipping_twice_is_refused() {
    given(order_with(vec![
        placed(),
        payment_requested(3000),
        paid(3000),
        shipped(leeds()),
    ]))
    .when("ShipOrder order-5")
    .then_rejected_with(wrong_state(OrderStatus::Shipped, "ship"));
}

#[test]
fn shipping_to_a_customer_with_no_events_is_refused() {
    let history = vec![
        (O5, placed()),
        (O5, payment_requested(3000)),
        (O5, paid(3000)),
    ];
    given(history)
        .when("ShipOrder order-5")
        .then_rejected_with(Rejection::NotFound {
            stream: C7.into(),
            action: "ship to it",
        });
}

#[test]
fn cancelling_records_the_reason_until_the_order_ships() {
    let before_shipping = [
        vec![placed()],
        vec![placed(), payment_requested(3000)],
        vec![placed(), payment_requested(3000), paid(3000)],
    ];
    for events in before_shipping {
        given(order_with(events))
            .when(r#"CancelOrder order-5 reason="changed my mind""#)
            .then_events(vec![cancelled("changed my mind")]);
    }
}

#[test]
fn cancelling_an_unknown_order_is_refused() {
    given(order_with(vec![]))
        .when("CancelOrder order-5 reason=x")
        .then_rejected_with(not_found("cancel"));
}

#[test]
fn cancelling_a_shipped_order_is_refused() {
    let message = given(order_with(vec![
        placed(),
        payment_requested(3000),
        paid(3000),
        shipped(leeds()),
    ]))
    .when("CancelOrder order-5 reason=late")
    .then_rejected_with(wrong_state(OrderStatus::Shipped, "cancel"));
    assert_eq!(message, "order-5 is shipped: cannot cancel");
}

#[test]
fn cancelling_twice_is_refused() {
    given(order_with(vec![placed(), cancelled("first")]))
        .when("CancelOrder order-5 reason=second")
        .then_rejected_with(wrong_state(OrderStatus::Cancelled, "cancel"));
}
