//! `balances` (bank): each account's owner, balance and whether it is open,
//! and the total held.

use super::owned;
use serde_json::{Map, Value, json};

use crate::domain::bank;
use crate::event::Event;
use crate::event_view::EventView;
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::path::Path;
use crate::projection::streams_table::StreamMap;
use crate::projection::traits::{Projection, ProjectionError, read_payload};
use crate::projection::views::{AccountOpenedView, AmountView};

#[derive(Clone, Debug, Default)]
struct Account {
    owner: Box<str>,
    balance: i64,
    open: bool,
}

impl Account {
    fn json(&self) -> Value {
        json!({"owner": &*self.owner, "balance": self.balance, "open": self.open})
    }
}

/// Account balances.
#[derive(Clone, Debug, Default)]
pub struct Balances {
    accounts: StreamMap<Account>,
    total: i64,
}

impl Balances {
    pub const NAME: &'static str = "balances";

    fn accounts_json(&self) -> Value {
        let accounts: Map<String, Value> = self
            .accounts
            .iter()
            .map(|(name, account)| (name, account.json()))
            .collect();
        Value::Object(accounts)
    }

    fn credit(&mut self, stream: &str, cents: i64) {
        let account = self.accounts.entry(stream, Account::default);
        account.balance = account.balance.saturating_add(cents);
        self.total = self.total.saturating_add(cents);
    }
}

impl Projection for Balances {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn event_types(&self) -> Option<Vec<String>> {
        Some(owned(&bank::EVENT_TYPES))
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        match &**event.event_type {
            bank::ACCOUNT_OPENED => {
                let view: AccountOpenedView = read_payload(event, bank::ACCOUNT_OPENED)?;
                let account = self.accounts.entry(event.stream, Account::default);
                account.owner = view.owner.as_ref().into();
                account.open = true;
            }
            bank::MONEY_DEPOSITED => {
                let view: AmountView = read_payload(event, bank::MONEY_DEPOSITED)?;
                self.credit(event.stream, view.amount);
            }
            bank::MONEY_WITHDRAWN => {
                let view: AmountView = read_payload(event, bank::MONEY_WITHDRAWN)?;
                self.credit(event.stream, view.amount.saturating_neg());
            }
            bank::ACCOUNT_CLOSED => {
                self.accounts.entry(event.stream, Account::default).open = false;
            }
            _ => {}
        }
        Ok(())
    }

    fn state(&self) -> Value {
        json!({"accounts": self.accounts_json(), "total": self.total})
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        out.begin_object();
        out.key("accounts");
        out.begin_object();
        self.accounts.for_each_named(|name, account| {
            out.key(name);
            out.begin_object();
            out.key("owner");
            out.str(&account.owner);
            out.key("balance");
            out.i64(account.balance);
            out.key("open");
            out.bool(account.open);
            out.end_object();
        });
        out.end_object();
        out.key("total");
        out.i64(self.total);
        out.end_object();
    }

    fn get(&self, path: &Path) -> Option<Value> {
        match (path.first_key(), path.key_at(1)) {
            (Some("accounts"), Some(account)) => path
                .skip(2)
                .lookup(&self.accounts.get(account)?.json())
                .cloned(),
            (Some("total"), None) => Some(json!(self.total)),
            _ => path.lookup(&self.state()).cloned(),
        }
    }

    fn keys_at(&self, path: &Path) -> Option<Vec<String>> {
        match (path.first_key(), path.segments().len()) {
            (None, _) => Some(vec!["accounts".into(), "total".into()]),
            (Some("accounts"), 1) => Some(self.accounts.iter().map(|(name, _)| name).collect()),
            _ => None,
        }
    }

    fn stream_of(&self, path: &Path) -> Option<String> {
        match (path.first_key(), path.key_at(1)) {
            (Some("accounts"), Some(account)) => Some(account.to_string()),
            _ => None,
        }
    }

    fn scope(&self, event: &EventView<'_>) -> Vec<Path> {
        vec![
            Path::keys(["accounts", event.stream]),
            Path::keys(["total"]),
        ]
    }

    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.accounts.save(&mut w, |w, account| {
            w.str(&account.owner);
            w.i64(account.balance);
            w.bool(account.open);
        });
        w.i64(self.total);
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let accounts = StreamMap::restore(&mut r, |r, _| {
            Ok(Account {
                owner: r.str()?.into(),
                balance: r.i64()?,
                open: r.bool()?,
            })
        })?;
        let total = r.i64()?;
        r.finish()?;
        *self = Balances { accounts, total };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::LogBuilder;

    #[test]
    fn given_deposits_withdrawals_and_a_closing_then_balances_add_up() {
        let mut log = LogBuilder::new();
        log.push("account-1", "AccountOpened", json!({"owner": "Ada"}))
            .push("account-2", "AccountOpened", json!({"owner": "Bob"}))
            .push("account-1", "MoneyDeposited", json!({"amount": 1000}))
            .push("account-2", "MoneyDeposited", json!({"amount": 300}))
            .push("account-1", "MoneyWithdrawn", json!({"amount": 250}))
            .push("account-2", "MoneyWithdrawn", json!({"amount": 300}))
            .push("account-2", "AccountClosed", json!({}));
        let mut balances = Balances::default();
        for event in log.events() {
            balances.apply(event).unwrap();
        }
        assert_eq!(
            balances.state(),
            json!({
                "accounts": {
                    "account-1": {"owner": "Ada", "balance": 750, "open": true},
                    "account-2": {"owner": "Bob", "balance": 0, "open": false},
                },
                "total": 750,
            })
        );
    }

    #[test]
    fn an_amount_that_is_not_a_number_is_named() {
        let mut log = LogBuilder::new();
        log.push("account-1", "MoneyDeposited", json!({"amount": "ten"}));
        let err = Balances::default().apply(&log.events()[0]).unwrap_err();
        assert!(err.to_string().contains("MoneyDeposited"), "{err}");
    }
}
