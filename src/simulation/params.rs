//! The knobs of a simulation run, with defaults that show both flows working
//! and a check that names what is wrong with a bad value.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Everything a run depends on. Same params + same log = same report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimParams {
    /// Virtual time between two log positions: event `seq` happens at
    /// `seq * event_interval_ms`, so an outage given as a seq range is an
    /// exact window of time.
    pub event_interval_ms: u64,
    /// Time a message spends on the bus, source to consumer.
    pub bus_latency_ms: u64,
    /// Round trip of one call to the source's query API (also how long a
    /// call to a source that is down takes to fail).
    pub query_latency_ms: u64,
    /// Seq ranges of the log during which the source's query API is down.
    pub outages: Vec<SeqRange>,
    /// Share of bus messages lost, 0..=1.
    pub drop_rate: f64,
    /// Share of bus messages delivered twice, 0..=1; the copy comes later.
    pub duplicate_rate: f64,
    /// Share of bus messages held back so that later ones overtake them, 0..=1.
    pub reorder_rate: f64,
    /// Most extra delay of a reordered message or a duplicate copy.
    pub reorder_delay_ms: u64,
    /// Whether the StateTransfer replica checks stream versions (ignores old
    /// and duplicate events, holds events that arrive ahead of a gap).
    pub version_checks: bool,
    /// How long the replica holds events behind a gap before it treats the
    /// missing ones as lost and moves on.
    pub gap_timeout_ms: u64,
    /// What the Notification consumer does when a call fails.
    pub retry: RetryPolicy,
    /// How long a work item may wait for data before it fails.
    pub work_timeout_ms: u64,
    /// Seed for every random draw (faults only; the log itself is the input).
    pub seed: u64,
}

impl Default for SimParams {
    fn default() -> Self {
        SimParams {
            event_interval_ms: 10,
            bus_latency_ms: 20,
            query_latency_ms: 40,
            outages: Vec::new(),
            drop_rate: 0.0,
            duplicate_rate: 0.0,
            reorder_rate: 0.0,
            reorder_delay_ms: 2_000,
            version_checks: true,
            gap_timeout_ms: 10_000,
            retry: RetryPolicy::default(),
            work_timeout_ms: 60_000,
            seed: 0,
        }
    }
}

impl SimParams {
    /// Checks the values a run cannot work with.
    pub fn validate(&self) -> Result<(), ParamError> {
        for (name, value) in [
            ("drop_rate", self.drop_rate),
            ("duplicate_rate", self.duplicate_rate),
            ("reorder_rate", self.reorder_rate),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(ParamError::RateOutOfRange { name, value });
            }
        }
        if self.event_interval_ms == 0 {
            return Err(ParamError::ZeroEventInterval);
        }
        if self.retry.max_attempts == 0 {
            return Err(ParamError::ZeroAttempts);
        }
        if let Some(range) = self.outages.iter().find(|r| r.first > r.last) {
            return Err(ParamError::EmptyOutage(*range));
        }
        Ok(())
    }
}

/// Bounded retries with exponential backoff: attempt `n` failing waits
/// `first_backoff_ms * 2^(n-1)` (at most `max_backoff_ms`) before the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    /// Calls made for one need before giving up, the first included.
    pub max_attempts: u32,
    /// Wait after the first failure; it doubles after each further one.
    pub first_backoff_ms: u64,
    /// The longest wait between two attempts.
    pub max_backoff_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            first_backoff_ms: 250,
            max_backoff_ms: 8_000,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (1-based).
    pub fn backoff_after(&self, attempt: u32) -> u64 {
        let doublings = attempt.saturating_sub(1).min(63);
        self.first_backoff_ms
            .saturating_mul(1u64 << doublings)
            .min(self.max_backoff_ms)
    }
}

/// Log positions `first..=last`. Written `A..=B`, `A..B` (end excluded) or `A`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeqRange {
    /// First log position in the range.
    pub first: u64,
    /// Last log position in the range (included).
    pub last: u64,
}

impl SeqRange {
    /// The positions `first..=last`.
    pub fn new(first: u64, last: u64) -> SeqRange {
        SeqRange { first, last }
    }

    /// Whether log position `seq` is in the range.
    pub fn contains(&self, seq: u64) -> bool {
        (self.first..=self.last).contains(&seq)
    }
}

impl fmt::Display for SeqRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.first, self.last)
    }
}

impl FromStr for SeqRange {
    type Err = ParamError;

    fn from_str(text: &str) -> Result<SeqRange, ParamError> {
        let bad = || ParamError::BadSeqRange(text.to_string());
        let number = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
        let range = if let Some((first, last)) = text.split_once("..=") {
            SeqRange::new(number(first)?, number(last)?)
        } else if let Some((first, end)) = text.split_once("..") {
            let end = number(end)?;
            SeqRange::new(number(first)?, end.checked_sub(1).ok_or_else(bad)?)
        } else {
            let seq = number(text)?;
            SeqRange::new(seq, seq)
        };
        if range.first > range.last {
            return Err(ParamError::EmptyOutage(range));
        }
        Ok(range)
    }
}

/// A parameter a run cannot use.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamError {
    /// A drop, duplicate or reorder rate outside 0..=1 (or NaN).
    RateOutOfRange { name: &'static str, value: f64 },
    /// Log positions must be at least 1 ms apart.
    ZeroEventInterval,
    /// A consumer must be allowed at least one call.
    ZeroAttempts,
    /// An outage whose first seq comes after its last.
    EmptyOutage(SeqRange),
    /// Text that does not read as a seq range.
    BadSeqRange(String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::RateOutOfRange { name, value } => {
                write!(f, "{name} is {value}; give a share between 0 and 1")
            }
            ParamError::ZeroEventInterval => {
                f.write_str("event_interval_ms is 0; give at least 1 ms between log positions")
            }
            ParamError::ZeroAttempts => {
                f.write_str("retry.max_attempts is 0; a consumer must make at least one call")
            }
            ParamError::EmptyOutage(range) => write!(
                f,
                "outage {}..={} is empty; the first seq must not come after the last",
                range.first, range.last
            ),
            ParamError::BadSeqRange(text) => write!(
                f,
                "`{text}` is not a seq range; write FIRST..=LAST, FIRST..END or SEQ"
            ),
        }
    }
}

impl std::error::Error for ParamError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(SimParams::default().validate(), Ok(()));
    }

    #[test]
    fn rates_outside_zero_to_one_are_named() {
        let params = SimParams {
            reorder_rate: 1.5,
            ..SimParams::default()
        };
        let err = params.validate().unwrap_err();
        assert!(err.to_string().starts_with("reorder_rate is 1.5"), "{err}");
        let nan = SimParams {
            drop_rate: f64::NAN,
            ..SimParams::default()
        };
        assert!(nan.validate().is_err());
    }

    #[test]
    fn seq_ranges_read_like_rust_ranges() {
        assert_eq!("5..=9".parse(), Ok(SeqRange::new(5, 9)));
        assert_eq!("5..10".parse(), Ok(SeqRange::new(5, 9)));
        assert_eq!("7".parse(), Ok(SeqRange::new(7, 7)));
        assert!("9..=5".parse::<SeqRange>().is_err());
        assert!("5..5".parse::<SeqRange>().is_err());
        assert!("a..b".parse::<SeqRange>().is_err());
        let range = SeqRange::new(3, 4);
        assert_eq!(range.to_string().parse(), Ok(range));
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let retry = RetryPolicy {
            max_attempts: 10,
            first_backoff_ms: 100,
            max_backoff_ms: 500,
        };
        let waits: Vec<u64> = (1..=5).map(|n| retry.backoff_after(n)).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
        assert_eq!(retry.backoff_after(200), 500);
    }
}
