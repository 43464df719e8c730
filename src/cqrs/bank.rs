//! The account write model (`account-<n>` streams) and its decider.

use serde::Serialize;

use super::command::AccountCommand;
use super::domain_event::DomainEvent;
use super::history::HistoryProblem;
use super::model::WriteModel;
use super::rejection::Rejection;
use super::spec::OPEN_ACCOUNT;
use crate::domain::bank::{AccountClosed, AccountOpened, MoneyDeposited, MoneyWithdrawn};

/// An account as the write side knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    pub owner: String,
    /// In cents.
    pub balance: i64,
    pub closed: bool,
}

/// `None` until the account is opened.
impl WriteModel for Option<Account> {
    const KIND: &'static str = "account";

    fn evolve(&mut self, event: &DomainEvent) -> Result<(), HistoryProblem> {
        const KIND: &str = <Option<Account> as WriteModel>::KIND;
        match (event, self.as_mut()) {
            (DomainEvent::AccountOpened(_), Some(_)) => {
                return Err(HistoryProblem::CreatedTwice { kind: KIND });
            }
            (DomainEvent::MoneyDeposited(deposit), Some(account)) => {
                account.balance = account.balance.saturating_add(deposit.amount);
            }
            (DomainEvent::MoneyWithdrawn(withdrawal), Some(account)) => {
                account.balance = account.balance.saturating_sub(withdrawal.amount);
            }
            (DomainEvent::AccountClosed(_), Some(account)) => account.closed = true,
            (DomainEvent::AccountOpened(opened), None) => {
                *self = Some(Account {
                    owner: opened.owner.clone(),
                    balance: 0,
                    closed: false,
                });
            }
            (
                DomainEvent::MoneyDeposited(_)
                | DomainEvent::MoneyWithdrawn(_)
                | DomainEvent::AccountClosed(_),
                None,
            ) => return Err(HistoryProblem::BeforeCreation { kind: KIND }),
            _ => return Err(HistoryProblem::Foreign { kind: KIND }),
        }
        Ok(())
    }
}

/// Decides an account command on `stream`, given the account as folded from
/// that stream (`None`: no events yet).
pub fn decide(
    stream: &str,
    account: Option<&Account>,
    command: &AccountCommand,
) -> Result<Vec<DomainEvent>, Rejection> {
    let event = match command {
        AccountCommand::Open { owner } => {
            if account.is_some() {
                return Err(Rejection::AlreadyExists {
                    stream: stream.into(),
                    command: OPEN_ACCOUNT,
                });
            }
            DomainEvent::AccountOpened(AccountOpened {
                owner: owner.clone(),
            })
        }
        AccountCommand::Deposit { amount } => {
            let account = open(stream, account, "deposit")?;
            positive(stream, "a deposit", *amount)?;
            if account.balance.checked_add(*amount).is_none() {
                return Err(Rejection::TooLarge {
                    stream: stream.into(),
                    what: "the balance",
                });
            }
            DomainEvent::MoneyDeposited(MoneyDeposited { amount: *amount })
        }
        AccountCommand::Withdraw { amount } => {
            let account = open(stream, account, "withdraw")?;
            positive(stream, "a withdrawal", *amount)?;
            if *amount > account.balance {
                return Err(Rejection::Overdraft {
                    account: stream.into(),
                    amount: *amount,
                    balance: account.balance,
                });
            }
            DomainEvent::MoneyWithdrawn(MoneyWithdrawn { amount: *amount })
        }
        AccountCommand::Close => {
            let account = open(stream, account, "close it")?;
            if account.balance != 0 {
                return Err(Rejection::BalanceNotZero {
                    account: stream.into(),
                    balance: account.balance,
                });
            }
            DomainEvent::AccountClosed(AccountClosed {})
        }
    };
    Ok(vec![event])
}

/// The account, if opened and not closed; else why `action` is refused.
fn open<'a>(
    stream: &str,
    account: Option<&'a Account>,
    action: &'static str,
) -> Result<&'a Account, Rejection> {
    let account = account.ok_or_else(|| Rejection::NotFound {
        stream: stream.into(),
        action,
    })?;
    if account.closed {
        Err(Rejection::AccountClosed {
            account: stream.into(),
            action,
        })
    } else {
        Ok(account)
    }
}

fn positive(stream: &str, what: &'static str, amount: i64) -> Result<(), Rejection> {
    if amount > 0 {
        Ok(())
    } else {
        Err(Rejection::NotPositive {
            stream: stream.into(),
            what,
            amount,
        })
    }
}
