//! The built-in projections and their registry.
//!
//! Generic ones (`types`, `streams`, `replica`) read any log; domain ones
//! apply when the log holds their domain's event types.

mod address_book;
mod balances;
mod by_stream;
mod customers;
mod git;
mod orders;
mod replica;
mod streams;
mod types;

pub use address_book::AddressBook;
pub use balances::Balances;
pub use customers::Customers;
pub use git::{GitAuthors, GitHotFiles, GitTree};
pub use orders::{OrderStatus, Orders};
pub use replica::{DELETED_FIELD, Replica, is_deleting};
pub use streams::Streams;
pub use types::{MAX_BUCKETS, TypeCounts};

use super::traits::Projection;
use crate::domain::{bank, retail};

/// Projections that read any log.
pub const GENERIC: [&str; 3] = [TypeCounts::NAME, Streams::NAME, Replica::NAME];
/// Projections of the retail domain.
pub const RETAIL: [&str; 3] = [Customers::NAME, AddressBook::NAME, Orders::NAME];
/// Projections of the bank domain.
pub const BANK: [&str; 1] = [Balances::NAME];

/// Projections of a git history (`import --git`).
pub const GIT: [&str; 3] = [GitTree::NAME, GitAuthors::NAME, GitHotFiles::NAME];

/// A list of event type names, owned, for [`Projection::event_types`].
fn owned(types: &[&str]) -> Vec<String> {
    types.iter().map(|t| (*t).to_owned()).collect()
}

/// Every built-in projection's name.
pub fn names() -> Vec<&'static str> {
    GENERIC
        .into_iter()
        .chain(RETAIL)
        .chain(BANK)
        .chain(GIT)
        .collect()
}

/// A fresh built-in projection, or None for an unknown name.
pub fn builtin(name: &str) -> Option<Box<dyn Projection>> {
    Some(match name {
        TypeCounts::NAME => Box::new(TypeCounts::default()),
        Streams::NAME => Box::new(Streams::default()),
        Replica::NAME => Box::new(Replica::default()),
        Customers::NAME => Box::new(Customers::default()),
        AddressBook::NAME => Box::new(AddressBook::default()),
        Orders::NAME => Box::new(Orders::default()),
        Balances::NAME => Box::new(Balances::default()),
        GitTree::NAME => Box::new(GitTree::default()),
        GitAuthors::NAME => Box::new(GitAuthors::default()),
        GitHotFiles::NAME => Box::new(GitHotFiles::default()),
        _ => return None,
    })
}

/// The projections worth showing for a log with these event types: the
/// generic ones always, a domain's when any of its event types occurs.
pub fn applicable(event_types: &[&str]) -> Vec<&'static str> {
    let has_any = |domain_types: &[&str]| event_types.iter().any(|t| domain_types.contains(t));
    let mut names = GENERIC.to_vec();
    if has_any(&retail::EVENT_TYPES) {
        names.extend(RETAIL);
    }
    if has_any(&bank::EVENT_TYPES) {
        names.extend(BANK);
    }
    if has_any(&crate::git::EVENT_TYPES) {
        names.extend(GIT);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_builds_a_projection_of_that_name() {
        for name in names() {
            let projection = builtin(name).unwrap();
            assert_eq!(projection.name(), name);
        }
        assert!(builtin("nope").is_none());
    }

    #[test]
    fn domain_projections_apply_only_to_their_logs() {
        assert_eq!(applicable(&["Foo"]), GENERIC);
        let retail = applicable(&["Foo", "OrderPlaced"]);
        assert!(retail.contains(&"orders") && !retail.contains(&"balances"));
        let bank = applicable(&["MoneyDeposited"]);
        assert!(bank.contains(&"balances") && !bank.contains(&"customers"));
    }
}
