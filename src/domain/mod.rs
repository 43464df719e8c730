//! The sample domains: the shapes of their events and generators that
//! produce realistic logs of any size.
//!
//! Amounts are integers in cents. Event and command names follow DESIGN.md.

pub mod bank;
pub mod catalogue;
pub mod generate;
pub mod people;
pub mod places;
pub mod retail;
pub mod rng;

#[cfg(test)]
mod sample_tests;

pub use generate::{DomainEvents, generate};

use std::fmt;
use std::str::FromStr;

/// A sample domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Domain {
    Retail,
    Bank,
}

impl Domain {
    pub const ALL: [Domain; 2] = [Domain::Retail, Domain::Bank];

    pub fn name(self) -> &'static str {
        match self {
            Domain::Retail => "retail",
            Domain::Bank => "bank",
        }
    }

    /// The event types of this domain.
    pub fn event_types(self) -> &'static [&'static str] {
        match self {
            Domain::Retail => &retail::EVENT_TYPES,
            Domain::Bank => &bank::EVENT_TYPES,
        }
    }

    /// The stream kinds of this domain, e.g. `customer` and `order`.
    pub fn stream_kinds(self) -> &'static [&'static str] {
        match self {
            Domain::Retail => &["customer", "order"],
            Domain::Bank => &["account"],
        }
    }

    /// The domain whose event types these are, if any.
    pub fn recognise<'a>(mut event_types: impl Iterator<Item = &'a str>) -> Option<Domain> {
        event_types.find_map(|t| {
            if retail::EVENT_TYPES.contains(&t) {
                Some(Domain::Retail)
            } else if bank::EVENT_TYPES.contains(&t) {
                Some(Domain::Bank)
            } else {
                None
            }
        })
    }
}

/// The kind of entity a stream holds: `customer-17` -> `customer`. A stream
/// without a `-<number>` suffix is its own kind.
pub fn stream_kind(stream: &str) -> &str {
    match stream.rsplit_once('-') {
        Some((kind, number))
            if !kind.is_empty()
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            kind
        }
        _ => stream,
    }
}

/// The number of a stream: `order-42` -> 42.
pub fn stream_number(stream: &str) -> Option<u64> {
    let kind = stream_kind(stream);
    stream.get(kind.len() + 1..)?.parse().ok()
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Domain {
    type Err = String;

    fn from_str(s: &str) -> Result<Domain, String> {
        Domain::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| format!("unknown domain `{s}` (expected retail or bank)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_kinds_and_numbers_come_from_the_name() {
        assert_eq!(stream_kind("customer-17"), "customer");
        assert_eq!(stream_number("customer-17"), Some(17));
        assert_eq!(stream_kind("gift-card-3"), "gift-card");
        assert_eq!(stream_kind("inventory"), "inventory");
        assert_eq!(stream_number("inventory"), None);
        assert_eq!(stream_kind("order-x1"), "order-x1");
        assert_eq!(stream_number("order-+1"), None);
        assert_eq!(stream_kind("-5"), "-5");
    }

    #[test]
    fn every_event_type_belongs_to_one_domain() {
        for domain in Domain::ALL {
            for event_type in domain.event_types() {
                assert_eq!(Domain::recognise([*event_type].into_iter()), Some(domain));
            }
            assert_eq!(domain.name().parse::<Domain>(), Ok(domain));
        }
        assert!("shop".parse::<Domain>().is_err());
    }
}
