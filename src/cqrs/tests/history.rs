//! Write models rebuilt from history: a stream they cannot hold is an error
//! that names the event, never a silent guess.

use super::fixtures::*;
use super::harness::{now, store_with};
use crate::cqrs::{Command, CommandHandler, DomainEvent, EventStore, HandleError, HistoryProblem};
use crate::event::{Json, NewEvent};

fn history_problem(history: Vec<(&str, DomainEvent)>, command: &str) -> (HistoryProblem, String) {
    let store = store_with(history);
    let error = CommandHandler::new(&store, now())
        .handle(Command::parse(command).unwrap(), false)
        .unwrap_err();
    let message = error.to_string();
    match error {
        HandleError::History(error) => (error.problem, message),
        other => panic!("expected a history error, got {other}"),
    }
}

#[test]
fn an_event_of_another_kind_of_stream_is_named() {
    let (problem, message) = history_problem(
        vec![("account-3", opened("Ada")), ("account-3", placed())],
        "CloseAccount account-3",
    );
    assert_eq!(problem, HistoryProblem::Foreign { kind: "account" });
    assert_eq!(
        message,
        "cannot rebuild account-3: event 2 (OrderPlaced, id account-3/2) is not an event of account streams"
    );
}

#[test]
fn changes_before_creation_and_second_creations_are_named() {
    let (problem, _) = history_problem(
        vec![("customer-7", moved(york()))],
        "DeactivateCustomer customer-7 reason=x",
    );
    assert_eq!(problem, HistoryProblem::BeforeCreation { kind: "customer" });
    let (problem, _) = history_problem(
        vec![("order-5", placed()), ("order-5", placed())],
        "ShipOrder order-5",
    );
    assert_eq!(problem, HistoryProblem::CreatedTwice { kind: "order" });
}

#[test]
fn unknown_types_and_misshapen_payloads_are_named() {
    let store = store_with(vec![]);
    let odd = |event_type: &str, data: &str| {
        NewEvent::new(
            "account-3",
            event_type,
            now(),
            Json::parse_text(data).unwrap(),
        )
    };
    store
        .append(vec![
            odd("AccountOpened", r#"{"owner": "Ada"}"#),
            odd("Audited", "{}"),
        ])
        .unwrap();
    let error = CommandHandler::new(&store, now())
        .handle(Command::parse("CloseAccount account-3").unwrap(), false)
        .unwrap_err();
    assert!(matches!(&error, HandleError::History(e) if e.problem == HistoryProblem::UnknownType));

    let store = store_with(vec![]);
    store
        .append(vec![odd("AccountOpened", r#"{"name": "Ada"}"#)])
        .unwrap();
    let error = CommandHandler::new(&store, now())
        .handle(Command::parse("CloseAccount account-3").unwrap(), false)
        .unwrap_err();
    assert!(
        error.to_string().contains("missing field `owner`"),
        "{error}"
    );
}
