//! The JSON form: what it reads, and errors that name the field at fault.

use serde_json::json;

use super::fixtures::leeds;
use crate::cqrs::{
    AccountCommand, Command, CommandBody, CommandError, CustomerCommand, OrderCommand, OrderLine,
};

fn error(text: &str) -> String {
    Command::from_json(text).unwrap_err().to_string()
}

#[test]
fn a_full_command_is_read_with_its_envelope() {
    let command = Command::from_json(
        r#"{"type": "ChangeCustomerAddress", "stream": "customer-7", "expected_version": 3,
            "data": {"address": {"street": "1 Main St", "city": "Leeds", "postcode": "LS1 1AA", "country": "UK"}},
            "id": "cmd-1", "correlation_id": "move-1"}"#,
    )
    .unwrap();
    let expected = Command::new(
        "customer-7",
        CommandBody::Customer(CustomerCommand::ChangeAddress { address: leeds() }),
    )
    .expecting_version(3)
    .with_id("cmd-1")
    .with_correlation_id("move-1");
    assert_eq!(command, expected);
    assert_eq!(Command::from_value(&command.to_json()).unwrap(), command);
}

#[test]
fn optional_parts_may_be_left_out() {
    let ship = Command::from_json(r#"{"type": "ShipOrder", "stream": "order-5"}"#).unwrap();
    assert_eq!(
        ship,
        Command::new("order-5", CommandBody::Order(OrderCommand::Ship))
    );
    let place = Command::parse(
        r#" {"type": "PlaceOrder", "stream": "order-5", "data": {"customer": "customer-7",
             "items": [{"sku": "BOOK", "qty": 2, "price": 1500}]}, "expected_version": null}"#,
    )
    .unwrap();
    let items = vec![OrderLine {
        sku: "BOOK".into(),
        qty: 2,
        price: 1500,
    }];
    let customer = "customer-7".into();
    assert_eq!(
        place,
        Command::new(
            "order-5",
            CommandBody::Order(OrderCommand::Place { customer, items })
        )
    );
}

#[test]
fn an_unknown_command_lists_the_known_ones() {
    let message = error(r#"{"type": "ChangeAddress", "stream": "customer-7"}"#);
    assert!(
        message.starts_with("unknown command `ChangeAddress`; the known ones are "),
        "{message}"
    );
    for name in [
        "ChangeCustomerAddress",
        "PlaceOrder",
        "RequestPayment",
        "CloseAccount",
    ] {
        assert!(message.contains(name), "{message}");
    }
}

#[test]
fn missing_fields_are_named() {
    assert_eq!(
        error(r#"{"stream": "customer-7"}"#),
        "the command needs field `type`"
    );
    assert_eq!(
        error(r#"{"type": "Deposit"}"#),
        "the command needs field `stream`"
    );
    assert_eq!(
        error(r#"{"type": "ChangeCustomerEmail", "stream": "customer-7", "data": {}}"#),
        "ChangeCustomerEmail needs field `email`"
    );
    assert_eq!(
        error(r#"{"type": "Deposit", "stream": "account-3"}"#),
        "Deposit needs field `amount`"
    );
    assert_eq!(
        error(
            r#"{"type": "ChangeCustomerAddress", "stream": "customer-7",
                "data": {"address": {"street": "x", "postcode": "y", "country": "z"}}}"#
        ),
        "ChangeCustomerAddress needs field `address.city`"
    );
}

#[test]
fn invalid_fields_are_named_with_what_they_should_be() {
    let cases = [
        (
            json!({"type": "Deposit", "stream": "account-3", "data": {"amount": "abc"}}),
            r#"field `amount` of Deposit must be a whole number of cents, not "abc""#,
        ),
        (
            json!({"type": "Withdraw", "stream": "account-3", "data": {"amount": 5.5}}),
            "field `amount` of Withdraw must be a whole number of cents, not 5.5",
        ),
        (
            json!({"type": "Deposit", "stream": "account-3", "data": {"amount": 1}, "expected_version": -1}),
            "field `expected_version` of Deposit must be a whole number (0 for a new stream), not -1",
        ),
        (
            json!({"type": "OpenAccount", "stream": "account-3", "data": {"owner": "  "}}),
            r#"field `owner` of OpenAccount must be non-blank text, not "  ""#,
        ),
        (
            json!({"type": "ChangeCustomerEmail", "stream": "customer-7", "data": {"email": "ada"}}),
            r#"field `email` of ChangeCustomerEmail must be an email address like someone@example.com, not "ada""#,
        ),
        (
            json!({"type": "PlaceOrder", "stream": "order-5", "data": {"customer": "order-1", "items": []}}),
            r#"field `customer` of PlaceOrder must be a customer stream like customer-7, not "order-1""#,
        ),
        (
            json!({"type": "PlaceOrder", "stream": "order-5", "data": {"customer": "customer-1",
                "items": [{"sku": "A", "qty": 1, "price": 1}, {"sku": "B", "qty": "two", "price": 1}]}}),
            r#"field `items[1].qty` of PlaceOrder must be a whole number, not "two""#,
        ),
        (
            json!({"type": "CancelOrder", "stream": "order-5", "data": ["reason"]}),
            r#"field `data` of CancelOrder must be an object, not ["reason"]"#,
        ),
        (
            json!({"type": 7, "stream": "order-5"}),
            "field `type` of the command must be non-blank text, not 7",
        ),
    ];
    for (command, message) in cases {
        assert_eq!(
            Command::from_value(&command).unwrap_err().to_string(),
            message
        );
    }
}

#[test]
fn unknown_fields_are_refused_so_typos_do_not_pass_silently() {
    assert_eq!(
        error(
            r#"{"type": "Deposit", "stream": "account-3", "data": {"amount": 1}, "expectedVersion": 2}"#
        ),
        "the command has no field `expectedVersion` (its fields: type, stream, data, expected_version, id, correlation_id)"
    );
    assert_eq!(
        error(
            r#"{"type": "PlaceOrder", "stream": "order-5", "data": {"customer": "customer-1", "items": [], "total": 5}}"#
        ),
        "PlaceOrder has no field `total` (its fields: customer, items)"
    );
    assert_eq!(
        error(r#"{"type": "ShipOrder", "stream": "order-5", "data": {"address": "x"}}"#),
        "ShipOrder has no field `address` (it takes none)"
    );
}

#[test]
fn a_command_for_the_wrong_kind_of_stream_is_refused() {
    let refused =
        Command::from_json(r#"{"type": "Deposit", "stream": "customer-7", "data": {"amount": 1}}"#);
    assert_eq!(
        refused,
        Err(CommandError::WrongStream {
            command: "Deposit",
            stream: "customer-7".into(),
            prefix: "account-"
        })
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "Deposit applies to account-<n> streams, not `customer-7`"
    );
    assert!(Command::from_json(r#"{"type": "CloseAccount", "stream": "account-"}"#).is_err());
}

#[test]
fn text_that_is_not_json_says_so() {
    let message = error(r#"{"type": "Deposit", "#);
    assert!(
        message.starts_with("the command is not valid JSON: "),
        "{message}"
    );
    assert_eq!(error("[1]"), "a command is a JSON object, not [1]");
    let close = Command::new("account-3", CommandBody::Account(AccountCommand::Close));
    assert_eq!(
        Command::parse(r#"{"type":"CloseAccount","stream":"account-3"}"#),
        Ok(close)
    );
}
