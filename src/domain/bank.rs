//! Bank: accounts (streams `account-<n>`) that are opened, credited, debited
//! and closed.

use serde::{Deserialize, Serialize};

pub const ACCOUNT_OPENED: &str = "AccountOpened";
pub const MONEY_DEPOSITED: &str = "MoneyDeposited";
pub const MONEY_WITHDRAWN: &str = "MoneyWithdrawn";
pub const ACCOUNT_CLOSED: &str = "AccountClosed";

pub const EVENT_TYPES: [&str; 4] = [
    ACCOUNT_OPENED,
    MONEY_DEPOSITED,
    MONEY_WITHDRAWN,
    ACCOUNT_CLOSED,
];

pub const ACCOUNT_PREFIX: &str = "account-";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOpened {
    pub owner: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyDeposited {
    /// In cents, positive.
    pub amount: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyWithdrawn {
    /// In cents, positive.
    pub amount: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountClosed {}

/// The stream of account `n`: `account-<n>`.
pub fn account_stream(n: u64) -> String {
    format!("{ACCOUNT_PREFIX}{n}")
}
