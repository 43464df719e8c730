//! What if: a projection's state as it would be had some events never
//! happened.
//!
//! The kept events are renumbered as a log without the skipped ones would
//! number them (seq counted over the kept events, version over the kept
//! events of each stream), so the skipped state is exactly the state of
//! that shorter log; snapshots are not used, since each holds every event
//! up to its seq.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::ControlFlow;
use std::sync::Arc;

use super::error::ReplayError;
use super::source::EventSource;
use super::traits::Projection;
use crate::event::Event;

/// One rule of a skip selection.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipRule {
    /// The events from..=to (one event when from == to).
    Seqs { from: u64, to: u64 },
    /// Every event of this type.
    Type(String),
    /// Every event of this stream.
    Stream(String),
}

impl fmt::Display for SkipRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipRule::Seqs { from, to } if from == to => write!(f, "{from}"),
            SkipRule::Seqs { from, to } => write!(f, "{from}..{to}"),
            SkipRule::Type(name) => write!(f, "type:{name}"),
            SkipRule::Stream(name) => write!(f, "stream:{name}"),
        }
    }
}

/// The events to leave out: any event that meets one rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skip {
    rules: BTreeSet<SkipRule>,
}

/// Why a skip selection could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipError {
    /// The part at this 1-based column is not a seq, a range, `type:T` or `stream:S`.
    Part { column: usize, part: String },
    /// A range whose end comes before its start.
    BackwardRange { column: usize, from: u64, to: u64 },
    /// Seq 0 names no event.
    Zero { column: usize },
}

impl fmt::Display for SkipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipError::Part { column, part } => write!(
                f,
                "column {column}: `{part}` is not a seq, SEQ..SEQ, type:TYPE or stream:STREAM"
            ),
            SkipError::BackwardRange { column, from, to } => write!(
                f,
                "column {column}: the range {from}..{to} ends before it starts; write {to}..{from}"
            ),
            SkipError::Zero { column } => {
                write!(f, "column {column}: seqs start at 1")
            }
        }
    }
}

impl std::error::Error for SkipError {}

impl Skip {
    pub fn new() -> Skip {
        Skip::default()
    }

    /// Reads `SEQ,FROM..TO,type:T,stream:S` (parts separated by commas).
    pub fn parse(text: &str) -> Result<Skip, SkipError> {
        let mut skip = Skip::new();
        let mut column = 1;
        for part in text.split(',') {
            skip.add(parse_rule(part.trim(), column + leading_spaces(part))?);
            column += part.chars().count() + 1;
        }
        Ok(skip)
    }

    pub fn add(&mut self, rule: SkipRule) {
        self.rules.insert(rule);
    }

    /// Adds the rule when absent, removes it when present.
    pub fn toggle(&mut self, rule: SkipRule) {
        if !self.rules.remove(&rule) {
            self.rules.insert(rule);
        }
    }

    pub fn rules(&self) -> impl Iterator<Item = &SkipRule> {
        self.rules.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn skips(&self, event: &Event) -> bool {
        self.rules.iter().any(|rule| match rule {
            SkipRule::Seqs { from, to } => (*from..=*to).contains(&event.seq),
            SkipRule::Type(name) => *event.event_type == **name,
            SkipRule::Stream(name) => *event.stream == **name,
        })
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.rules.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(","))
    }
}

fn leading_spaces(part: &str) -> usize {
    part.chars().take_while(|c| c.is_whitespace()).count()
}

fn parse_rule(part: &str, column: usize) -> Result<SkipRule, SkipError> {
    let bad = || SkipError::Part {
        column,
        part: part.to_owned(),
    };
    if let Some(name) = part.strip_prefix("type:") {
        return if name.is_empty() {
            Err(bad())
        } else {
            Ok(SkipRule::Type(name.to_owned()))
        };
    }
    if let Some(name) = part.strip_prefix("stream:") {
        return if name.is_empty() {
            Err(bad())
        } else {
            Ok(SkipRule::Stream(name.to_owned()))
        };
    }
    let seq = |text: &str| -> Result<u64, SkipError> {
        match text.parse::<u64>() {
            Ok(0) => Err(SkipError::Zero { column }),
            Ok(seq) => Ok(seq),
            Err(_) => Err(bad()),
        }
    };
    match part.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (seq(from)?, seq(to)?);
            if to < from {
                return Err(SkipError::BackwardRange { column, from, to });
            }
            Ok(SkipRule::Seqs { from, to })
        }
        None => {
            let one = seq(part)?;
            Ok(SkipRule::Seqs { from: one, to: one })
        }
    }
}

/// What a skipping replay did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkipReport {
    /// The seq of the real log the replay went to.
    pub at: u64,
    /// Events left out, and events folded in.
    pub skipped: u64,
    pub kept: u64,
}

/// Fresh `projection` folded over the events 1..=`at` that `skip` does
/// not leave out, each renumbered as the log without the skipped events
/// would number it. A failure names the event by its seq in the real log.
pub fn replay_skipping(
    source: &dyn EventSource,
    mut projection: Box<dyn Projection>,
    skip: &Skip,
    at: u64,
) -> Result<(Box<dyn Projection>, SkipReport), ReplayError> {
    let last_seq = source.last_seq().map_err(ReplayError::Source)?;
    if at > last_seq {
        return Err(ReplayError::PastEnd { seq: at, last_seq });
    }
    let mut versions: HashMap<Arc<str>, u64> = HashMap::new();
    let mut report = SkipReport {
        at,
        skipped: 0,
        kept: 0,
    };
    let mut failure = None;
    source
        .scan(1, at, &mut |event| {
            if skip.skips(event) {
                report.skipped += 1;
                return ControlFlow::Continue(());
            }
            report.kept += 1;
            let version = versions.entry(event.stream.clone()).or_insert(0);
            *version += 1;
            let mut renumbered = event.clone();
            renumbered.seq = report.kept;
            renumbered.version = *version;
            match projection.apply(&renumbered) {
                Ok(()) => ControlFlow::Continue(()),
                Err(error) => {
                    failure = Some(ReplayError::event(projection.name(), &event.view(), error));
                    ControlFlow::Break(())
                }
            }
        })
        .map_err(ReplayError::Source)?;
    match failure {
        Some(failure) => Err(failure),
        None => Ok((projection, report)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_part_is_read() {
        let skip = Skip::parse("3,5..7, type:OrderPlaced,stream:customer-1").unwrap();
        assert_eq!(
            skip.to_string(),
            "3,5..7,type:OrderPlaced,stream:customer-1"
        );
    }

    #[test]
    fn a_bad_part_is_named_with_its_column() {
        assert_eq!(
            Skip::parse("3,x").unwrap_err().to_string(),
            "column 3: `x` is not a seq, SEQ..SEQ, type:TYPE or stream:STREAM"
        );
        assert_eq!(
            Skip::parse("1,9..4").unwrap_err(),
            SkipError::BackwardRange {
                column: 3,
                from: 9,
                to: 4
            }
        );
        assert_eq!(Skip::parse("0").unwrap_err(), SkipError::Zero { column: 1 });
        assert!(Skip::parse("").is_err());
        assert!(Skip::parse("type:").is_err());
    }

    #[test]
    fn toggling_twice_leaves_nothing() {
        let mut skip = Skip::new();
        skip.toggle(SkipRule::Type("A".into()));
        assert!(!skip.is_empty());
        skip.toggle(SkipRule::Type("A".into()));
        assert!(skip.is_empty());
    }
}
