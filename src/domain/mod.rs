//! The sample domains: the shapes of their events and generators that
//! produce realistic logs of any size.
//!
//! Amounts are integers in cents. Event and command names follow DESIGN.md.

pub mod bank;
pub mod retail;

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
