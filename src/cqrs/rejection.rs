//! Why the write model refused a command, in words a person can act on.

use std::fmt;

use super::order_status::OrderStatus;

/// A command the write model refused. Nothing is written for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The command creates something, but the stream already has events.
    AlreadyExists {
        stream: String,
        command: &'static str,
    },
    /// The command needs something that has no events yet.
    NotFound {
        stream: String,
        action: &'static str,
    },
    CustomerDeactivated {
        customer: String,
        action: &'static str,
    },
    /// The change would leave things as they are; an event must record a change.
    Unchanged {
        stream: String,
        what: &'static str,
    },
    NoItems {
        order: String,
    },
    InvalidItem {
        order: String,
        /// 1-based, as a person counts.
        position: usize,
        sku: String,
        problem: ItemProblem,
    },
    OrderInWrongState {
        order: String,
        status: OrderStatus,
        action: &'static str,
    },
    PaymentMismatch {
        order: String,
        amount: i64,
        total: i64,
    },
    AccountClosed {
        account: String,
        action: &'static str,
    },
    NotPositive {
        stream: String,
        /// e.g. "a deposit".
        what: &'static str,
        amount: i64,
    },
    Overdraft {
        account: String,
        amount: i64,
        balance: i64,
    },
    BalanceNotZero {
        account: String,
        balance: i64,
    },
    /// A sum would not fit in 64-bit cents.
    TooLarge {
        stream: String,
        /// e.g. "the total".
        what: &'static str,
    },
    /// A rule of a domain file held: its reason, as the file words it.
    Rule {
        stream: String,
        command: String,
        reason: String,
    },
}

/// What is wrong with one order item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemProblem {
    QuantityNotPositive(i64),
    QuantityTooLarge(i64),
    PriceNotPositive(i64),
}

impl Rejection {
    /// The stream whose state refused the command (for `PlaceOrder` by a
    /// deactivated customer, the customer's).
    pub fn stream(&self) -> &str {
        match self {
            Rejection::AlreadyExists { stream, .. }
            | Rejection::NotFound { stream, .. }
            | Rejection::Unchanged { stream, .. }
            | Rejection::NotPositive { stream, .. }
            | Rejection::TooLarge { stream, .. }
            | Rejection::Rule { stream, .. } => stream,
            Rejection::CustomerDeactivated { customer, .. } => customer,
            Rejection::NoItems { order }
            | Rejection::InvalidItem { order, .. }
            | Rejection::OrderInWrongState { order, .. }
            | Rejection::PaymentMismatch { order, .. } => order,
            Rejection::AccountClosed { account, .. }
            | Rejection::Overdraft { account, .. }
            | Rejection::BalanceNotZero { account, .. } => account,
        }
    }
}

/// Cents as money: `2050` -> `20.50`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::AlreadyExists { stream, command } => {
                write!(f, "{stream} already exists: {command} needs a new stream")
            }
            Rejection::NotFound { stream, action } => {
                write!(f, "{stream} does not exist: cannot {action}")
            }
            Rejection::CustomerDeactivated { customer, action } => {
                write!(f, "{customer} is deactivated: cannot {action}")
            }
            Rejection::Unchanged { stream, what } => {
                write!(f, "{stream} already has this {what}: nothing to change")
            }
            Rejection::NoItems { order } => {
                write!(f, "{order} has no items: an order needs at least one")
            }
            Rejection::InvalidItem {
                order,
                position,
                sku,
                problem,
            } => write!(f, "item {position} ({sku}) of {order}: {problem}"),
            Rejection::OrderInWrongState {
                order,
                status,
                action,
            } => write!(f, "{order} is {}: cannot {action}", status.describe()),
            Rejection::PaymentMismatch {
                order,
                amount,
                total,
            } => write!(
                f,
                "payment of {} does not match the total of {order} ({})",
                money(*amount),
                money(*total)
            ),
            Rejection::AccountClosed { account, action } => {
                write!(f, "{account} is closed: cannot {action}")
            }
            Rejection::NotPositive { what, amount, .. } => {
                write!(f, "{what} must be positive, not {}", money(*amount))
            }
            Rejection::Overdraft {
                account,
                amount,
                balance,
            } => write!(
                f,
                "withdrawal of {} would overdraw {account} (balance {})",
                money(*amount),
                money(*balance)
            ),
            Rejection::BalanceNotZero { account, balance } => write!(
                f,
                "{account} still holds {}: withdraw it before closing",
                money(*balance)
            ),
            Rejection::TooLarge { stream, what } => {
                write!(f, "{what} of {stream} would be too large to count in cents")
            }
            Rejection::Rule { reason, .. } => f.write_str(reason),
        }
    }
}

impl fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemProblem::QuantityNotPositive(qty) => {
                write!(f, "quantity must be positive, not {qty}")
            }
            ItemProblem::QuantityTooLarge(qty) => write!(f, "quantity {qty} is too large"),
            ItemProblem::PriceNotPositive(price) => {
                write!(f, "price must be positive, not {}", money(*price))
            }
        }
    }
}

impl std::error::Error for Rejection {}
