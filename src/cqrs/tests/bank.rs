//! Account commands: each acceptance and each rejection.

use super::fixtures::*;
use super::harness::given;
use crate::cqrs::{DomainEvent, Rejection};

const A3: &str = "account-3";

fn account_with(events: Vec<DomainEvent>) -> Vec<(&'static str, DomainEvent)> {
    let mut history = vec![(A3, opened("Ada"))];
    history.extend(events.into_iter().map(|event| (A3, event)));
    history
}

fn closed_account() -> Vec<(&'static str, DomainEvent)> {
    account_with(vec![closed()])
}

fn not_found(action: &'static str) -> Rejection {
    Rejection::NotFound {
        stream: A3.into(),
        action,
    }
}

fn is_closed(action: &'static str) -> Rejection {
    Rejection::AccountClosed {
        account: A3.into(),
        action,
    }
}

#[test]
fn opening_an_account_records_its_owner() {
    given(vec![])
        .when(r#"OpenAccount account-3 owner="Ada Lovelace""#)
        .then_events(vec![opened("Ada Lovelace")]);
}

#[test]
fn opening_an_existing_account_is_refused() {
    given(account_with(vec![]))
        .when("OpenAccount account-3 owner=Bob")
        .then_rejected_with(Rejection::AlreadyExists {
            stream: A3.into(),
            command: "OpenAccount",
        });
}

#[test]
fn depositing_records_the_amount() {
    given(account_with(vec![deposited(100)]))
        .when("Deposit account-3 amount=500")
        .then_events(vec![deposited(500)]);
}

#[test]
fn depositing_nothing_or_less_is_refused() {
    for amount in [0, -500] {
        let message = given(account_with(vec![]))
            .when(&format!("Deposit account-3 amount={amount}"))
            .then_rejected_with(Rejection::NotPositive {
                stream: A3.into(),
                what: "a deposit",
                amount,
            });
        assert!(
            message.starts_with("a deposit must be positive"),
            "{message}"
        );
    }
}

#[test]
fn depositing_into_an_unknown_or_closed_account_is_refused() {
    given(vec![])
        .when("Deposit account-3 amount=500")
        .then_rejected_with(not_found("deposit"));
    given(closed_account())
        .when("Deposit account-3 amount=500")
        .then_rejected_with(is_closed("deposit"));
}

#[test]
fn depositing_past_the_largest_balance_is_refused() {
    given(account_with(vec![deposited(i64::MAX)]))
        .when("Deposit account-3 amount=1")
        .then_rejected_with(Rejection::TooLarge {
            stream: A3.into(),
            what: "the balance",
        });
}

#[test]
fn withdrawing_up_to_the_balance_is_accepted() {
    given(account_with(vec![deposited(2000), withdrawn(500)]))
        .when("Withdraw account-3 amount=1500")
        .then_events(vec![withdrawn(1500)]);
}

#[test]
fn withdrawing_more_than_the_balance_is_refused() {
    let message = given(account_with(vec![deposited(2000)]))
        .when("Withdraw account-3 amount=5000")
        .then_rejected_with(Rejection::Overdraft {
            account: A3.into(),
            amount: 5000,
            balance: 2000,
        });
    assert_eq!(
        message,
        "withdrawal of 50.00 would overdraw account-3 (balance 20.00)"
    );
}

#[test]
fn withdrawing_nothing_or_less_is_refused() {
    for amount in [0, -1] {
        given(account_with(vec![deposited(2000)]))
            .when(&format!("Withdraw account-3 amount={amount}"))
            .then_rejected_with(Rejection::NotPositive {
                stream: A3.into(),
                what: "a withdrawal",
                amount,
            });
    }
}

#[test]
fn withdrawing_from_an_unknown_or_closed_account_is_refused() {
    given(vec![])
        .when("Withdraw account-3 amount=1")
        .then_rejected_with(not_found("withdraw"));
    given(closed_account())
        .when("Withdraw account-3 amount=1")
        .then_rejected_with(is_closed("withdraw"));
}

#[test]
fn closing_an_empty_account_is_accepted() {
    given(account_with(vec![deposited(700), withdrawn(700)]))
        .when("CloseAccount account-3")
        .then_events(vec![closed()]);
}

#[test]
fn closing_an_account_that_holds_money_is_refused() {
    let message = given(account_with(vec![deposited(2000)]))
        .when("CloseAccount account-3")
        .then_rejected_with(Rejection::BalanceNotZero {
            account: A3.into(),
            balance: 2000,
        });
    assert_eq!(
        message,
        "account-3 still holds 20.00: withdraw it before closing"
    );
}

#[test]
fn closing_an_unknown_or_closed_account_is_refused() {
    given(vec![])
        .when("CloseAccount account-3")
        .then_rejected_with(not_found("close it"));
    given(closed_account())
        .when("CloseAccount account-3")
        .then_rejected_with(is_closed("close it"));
}
