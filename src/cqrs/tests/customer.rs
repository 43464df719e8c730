//! Customer commands: each acceptance and each rejection.

use super::fixtures::*;
use super::harness::given;
use crate::cqrs::Rejection;

const C7: &str = "customer-7";

fn active() -> Vec<(&'static str, crate::cqrs::DomainEvent)> {
    vec![(C7, registered())]
}

#[test]
fn registering_a_new_customer_records_them() {
    given(vec![])
        .when(r#"RegisterCustomer customer-7 name=Ada email=ada@example.com street="1 Main St" city=Leeds postcode="LS1 1AA" country=UK"#)
        .then_events(vec![registered()]);
}

#[test]
fn registering_twice_is_refused() {
    let message = given(active())
        .when(r#"RegisterCustomer customer-7 name=Bob email=bob@example.com street=x city=y postcode=z country=UK"#)
        .then_rejected_with(Rejection::AlreadyExists {
            stream: C7.into(),
            command: "RegisterCustomer",
        });
    assert_eq!(
        message,
        "customer-7 already exists: RegisterCustomer needs a new stream"
    );
}

#[test]
fn moving_records_the_new_address() {
    given(active())
        .when(r#"ChangeCustomerAddress customer-7 street="9 Stonegate" city=York postcode="YO1 8AS" country=UK"#)
        .then_events(vec![moved(york())]);
}

#[test]
fn moving_back_after_a_move_is_a_change() {
    given(vec![(C7, registered()), (C7, moved(york()))])
        .when(r#"ChangeCustomerAddress customer-7 street="1 Main St" city=Leeds postcode="LS1 1AA" country=UK"#)
        .then_events(vec![moved(leeds())]);
}

#[test]
fn moving_to_the_same_address_is_refused() {
    let message = given(active())
        .when(r#"ChangeCustomerAddress customer-7 street="1 Main St" city=Leeds postcode="LS1 1AA" country=UK"#)
        .then_rejected_with(Rejection::Unchanged {
            stream: C7.into(),
            what: "address",
        });
    assert_eq!(
        message,
        "customer-7 already has this address: nothing to change"
    );
}

#[test]
fn moving_an_unknown_customer_is_refused() {
    given(vec![])
        .when("ChangeCustomerAddress customer-7 street=a city=b postcode=c country=d")
        .then_rejected_with(Rejection::NotFound {
            stream: C7.into(),
            action: "change the address",
        });
}

#[test]
fn moving_a_deactivated_customer_is_refused() {
    given(vec![(C7, registered()), (C7, deactivated("left"))])
        .when("ChangeCustomerAddress customer-7 street=a city=b postcode=c country=d")
        .then_rejected_with(Rejection::CustomerDeactivated {
            customer: C7.into(),
            action: "change the address",
        });
}

#[test]
fn changing_the_email_records_it() {
    given(active())
        .when("ChangeCustomerEmail customer-7 email=ada@lovelace.org")
        .then_events(vec![email_changed("ada@lovelace.org")]);
}

#[test]
fn changing_the_email_to_the_same_one_is_refused() {
    given(vec![(C7, registered()), (C7, email_changed("a@b.c"))])
        .when("ChangeCustomerEmail customer-7 email=a@b.c")
        .then_rejected_with(Rejection::Unchanged {
            stream: C7.into(),
            what: "email",
        });
}

#[test]
fn changing_an_unknown_customers_email_is_refused() {
    given(vec![("customer-8", registered())])
        .when("ChangeCustomerEmail customer-7 email=a@b.c")
        .then_rejected_with(Rejection::NotFound {
            stream: C7.into(),
            action: "change the email",
        });
}

#[test]
fn changing_a_deactivated_customers_email_is_refused() {
    given(vec![(C7, registered()), (C7, deactivated("left"))])
        .when("ChangeCustomerEmail customer-7 email=a@b.c")
        .then_rejected_with(Rejection::CustomerDeactivated {
            customer: C7.into(),
            action: "change the email",
        });
}

#[test]
fn deactivating_records_the_reason() {
    given(active())
        .when(r#"DeactivateCustomer customer-7 reason="moved abroad""#)
        .then_events(vec![deactivated("moved abroad")]);
}

#[test]
fn deactivating_an_unknown_customer_is_refused() {
    given(vec![])
        .when("DeactivateCustomer customer-7 reason=x")
        .then_rejected_with(Rejection::NotFound {
            stream: C7.into(),
            action: "deactivate it",
        });
}

#[test]
fn deactivating_twice_is_refused() {
    let message = given(vec![(C7, registered()), (C7, deactivated("left"))])
        .when("DeactivateCustomer customer-7 reason=again")
        .then_rejected_with(Rejection::CustomerDeactivated {
            customer: C7.into(),
            action: "deactivate it again",
        });
    assert_eq!(
        message,
        "customer-7 is deactivated: cannot deactivate it again"
    );
}
