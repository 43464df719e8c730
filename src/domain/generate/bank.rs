//! The bank generator: accounts are opened with a first deposit, then see
//! salaries, card payments, cash withdrawals and bills; a few are closed,
//! after the rest of their money is withdrawn. No withdrawal overdraws.

use super::envelope::{Cause, Envelope, Header, Pace};
use crate::domain::bank;
use crate::domain::people::PersonName;
use crate::domain::rng::SplitMix64;
use crate::event::NewEvent;

/// Relative weights of the new actions: open, deposit, withdraw, close.
const ACTION_WEIGHTS: [u64; 4] = [75, 440, 470, 15];

#[derive(Clone, Copy, Debug)]
struct Account {
    version: u32,
    balance: i64,
    /// Index in the list of active accounts; `None` while it is being opened
    /// or closed, and after.
    active_slot: Option<u32>,
}

/// The second event of a two-event flow, due next.
#[derive(Clone, Copy, Debug)]
enum FollowUp {
    FirstDeposit {
        account: u32,
        amount: i64,
        flow: u64,
        cause: u64,
    },
    Close {
        account: u32,
        flow: u64,
        cause: u64,
    },
}

/// An endless, deterministic stream of bank events for one seed.
#[derive(Debug)]
pub struct BankEvents {
    rng: SplitMix64,
    envelope: Envelope,
    /// Account `n` is at index `n - 1`.
    accounts: Vec<Account>,
    active: Vec<u32>,
    follow_up: Option<FollowUp>,
    flows: u64,
}

impl BankEvents {
    pub fn new(seed: u64) -> BankEvents {
        BankEvents {
            rng: SplitMix64::new(seed),
            envelope: Envelope::new(),
            accounts: Vec::new(),
            active: Vec::new(),
            follow_up: None,
            flows: 0,
        }
    }

    fn next_event(&mut self) -> NewEvent {
        if let Some(follow_up) = self.follow_up.take() {
            return self.follow(follow_up);
        }
        if self.active.len() < 5 {
            return self.open();
        }
        match self.rng.weighted(&ACTION_WEIGHTS) {
            0 => self.open(),
            1 => self.deposit(),
            2 => self.withdraw(),
            _ if self.active.len() < 20 => self.deposit(),
            _ => self.close(),
        }
    }

    fn new_flow(&mut self) -> u64 {
        self.flows += 1;
        self.flows
    }

    fn account_mut(&mut self, number: u32) -> &mut Account {
        &mut self.accounts[(number as usize).saturating_sub(1)]
    }

    /// Records the account's new balance and returns its next version.
    fn record(&mut self, number: u32, balance_change: i64) -> u64 {
        let account = self.account_mut(number);
        account.version += 1;
        account.balance += balance_change;
        u64::from(account.version)
    }

    fn header(&mut self, number: u32, event_type: &'static str, version: u64) -> Header<'static> {
        let flow = self.new_flow();
        Header {
            stream: bank::account_stream(u64::from(number)),
            event_type,
            version,
            flow,
            cause: Cause::Command(flow),
        }
    }

    fn pick_active(&mut self) -> u32 {
        let slot = self.rng.index(self.active.len());
        self.active.get(slot).copied().unwrap_or(1)
    }

    fn make_active(&mut self, number: u32) {
        self.account_mut(number).active_slot = Some(self.active.len() as u32);
        self.active.push(number);
    }

    fn make_inactive(&mut self, number: u32) {
        if let Some(slot) = self.account_mut(number).active_slot.take() {
            self.active.swap_remove(slot as usize);
            if let Some(&moved) = self.active.get(slot as usize) {
                self.account_mut(moved).active_slot = Some(slot);
            }
        }
    }

    fn open(&mut self) -> NewEvent {
        self.accounts.push(Account {
            version: 0,
            balance: 0,
            active_slot: None,
        });
        let number = self.accounts.len() as u32;
        let owner = PersonName::random(&mut self.rng);
        let version = self.record(number, 0);
        let header = self.header(number, bank::ACCOUNT_OPENED, version);
        let amount = 100 * self.rng.between(10, 1_000) as i64;
        self.follow_up = Some(FollowUp::FirstDeposit {
            account: number,
            amount,
            flow: header.flow,
            cause: self.envelope.next_number(),
        });
        let payload = bank::AccountOpened {
            owner: owner.full(),
        };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn deposit(&mut self) -> NewEvent {
        let number = self.pick_active();
        let amount = match self.rng.weighted(&[55, 35, 10]) {
            // Small transfers in, refunds.
            0 => self.rng.between(500, 20_000),
            // A salary, to the euro.
            1 => 100 * self.rng.between(1_800, 4_200),
            // A larger transfer.
            _ => 100 * self.rng.between(200, 1_500),
        } as i64;
        let version = self.record(number, amount);
        let header = self.header(number, bank::MONEY_DEPOSITED, version);
        let payload = bank::MoneyDeposited { amount };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn withdraw(&mut self) -> NewEvent {
        let number = self.pick_active();
        let balance = self.account_mut(number).balance;
        if balance < 100 {
            return self.deposit();
        }
        let balance = balance as u64;
        let amount = match self.rng.weighted(&[65, 20, 15]) {
            // A card payment.
            0 => self.rng.between(100, balance.min(15_000)),
            // Cash, in tens.
            1 if balance >= 1_000 => 1_000 * self.rng.between(1, (balance / 1_000).min(40)),
            // Rent or a bill: a good part of what is there.
            _ => self.rng.between(balance / 10, balance / 2).max(1),
        } as i64;
        let version = self.record(number, -amount);
        let header = self.header(number, bank::MONEY_WITHDRAWN, version);
        let payload = bank::MoneyWithdrawn { amount };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn close(&mut self) -> NewEvent {
        let number = self.pick_active();
        self.make_inactive(number);
        let balance = self.account_mut(number).balance;
        if balance == 0 {
            let version = self.record(number, 0);
            let header = self.header(number, bank::ACCOUNT_CLOSED, version);
            return self.envelope.seal(
                &mut self.rng,
                Pace::Independent,
                header,
                &bank::AccountClosed {},
            );
        }
        // Closing needs a zero balance: pay out the rest first.
        let version = self.record(number, -balance);
        let header = self.header(number, bank::MONEY_WITHDRAWN, version);
        self.follow_up = Some(FollowUp::Close {
            account: number,
            flow: header.flow,
            cause: self.envelope.next_number(),
        });
        let payload = bank::MoneyWithdrawn { amount: balance };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn follow(&mut self, follow_up: FollowUp) -> NewEvent {
        match follow_up {
            FollowUp::FirstDeposit {
                account,
                amount,
                flow,
                cause,
            } => {
                let version = self.record(account, amount);
                self.make_active(account);
                let header = Header {
                    stream: bank::account_stream(u64::from(account)),
                    event_type: bank::MONEY_DEPOSITED,
                    version,
                    flow,
                    cause: Cause::Event(cause),
                };
                let payload = bank::MoneyDeposited { amount };
                self.envelope
                    .seal(&mut self.rng, Pace::FollowUp, header, &payload)
            }
            FollowUp::Close {
                account,
                flow,
                cause,
            } => {
                let version = self.record(account, 0);
                let header = Header {
                    stream: bank::account_stream(u64::from(account)),
                    event_type: bank::ACCOUNT_CLOSED,
                    version,
                    flow,
                    cause: Cause::Event(cause),
                };
                self.envelope.seal(
                    &mut self.rng,
                    Pace::FollowUp,
                    header,
                    &bank::AccountClosed {},
                )
            }
        }
    }
}

impl Iterator for BankEvents {
    type Item = NewEvent;

    fn next(&mut self) -> Option<NewEvent> {
        Some(self.next_event())
    }
}
