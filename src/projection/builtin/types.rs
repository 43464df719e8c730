//! `types`: how many events of each type, and how many per time bucket (for
//! a rate chart).
//!
//! The bucket width is chosen by the log itself: it starts at one second and
//! steps up a ladder of widths, each a multiple of the one before, whenever
//! the buckets would span more than [`MAX_BUCKETS`]. The fold stays exact
//! (fine buckets merge into coarse ones) and depends only on the events
//! seen, so a snapshot resumes it exactly. Never parses payloads.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::event::{Event, Timestamp};
use crate::projection::codec::{Reader, Writer};
use crate::projection::traits::{Projection, ProjectionError};

/// Bucket widths in seconds: 1s 5s 10s 30s 1m 5m 15m 30m 1h 3h 6h 12h 1d 7d 28d 364d.
const WIDTHS: [i64; 16] = [
    1, 5, 10, 30, 60, 300, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400, 604_800, 2_419_200,
    31_449_600,
];

/// The most buckets the chart is given.
pub const MAX_BUCKETS: i64 = 240;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Counts by event type and over time.
#[derive(Clone, Debug, Default)]
pub struct TypeCounts {
    total: u64,
    /// In order of first appearance; few enough that a linear search wins.
    by_type: Vec<(Box<str>, u64)>,
    width_level: usize,
    /// Bucket start (unix seconds) -> events.
    buckets: BTreeMap<i64, u64>,
}

impl TypeCounts {
    pub const NAME: &'static str = "types";

    /// The bucket width in seconds and the non-empty buckets, oldest first.
    pub fn rate(&self) -> (i64, Vec<(Timestamp, u64)>) {
        let buckets = self
            .buckets
            .iter()
            .map(|(start, count)| (bucket_time(*start), *count))
            .collect();
        (self.width(), buckets)
    }

    fn width(&self) -> i64 {
        WIDTHS[self.width_level.min(WIDTHS.len() - 1)]
    }

    fn count_type(&mut self, event_type: &str) {
        match self
            .by_type
            .iter_mut()
            .find(|(name, _)| &**name == event_type)
        {
            Some((_, count)) => *count += 1,
            None => self.by_type.push((event_type.into(), 1)),
        }
    }

    fn count_time(&mut self, time: Timestamp) {
        let seconds = time.unix_nanos().div_euclid(NANOS_PER_SECOND);
        let width = self.width();
        *self
            .buckets
            .entry(seconds - seconds.rem_euclid(width))
            .or_default() += 1;
        while self.span() > MAX_BUCKETS && self.width_level + 1 < WIDTHS.len() {
            self.width_level += 1;
            let width = self.width();
            let mut coarse = BTreeMap::new();
            for (start, count) in std::mem::take(&mut self.buckets) {
                *coarse.entry(start - start.rem_euclid(width)).or_default() += count;
            }
            self.buckets = coarse;
        }
    }

    /// How many buckets lie between the first and the last, inclusive.
    fn span(&self) -> i64 {
        match (self.buckets.keys().next(), self.buckets.keys().next_back()) {
            (Some(first), Some(last)) => (last - first) / self.width() + 1,
            _ => 0,
        }
    }
}

fn bucket_time(start_seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(start_seconds.saturating_mul(NANOS_PER_SECOND))
}

impl Projection for TypeCounts {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.total += 1;
        self.count_type(&event.event_type);
        self.count_time(event.time);
        Ok(())
    }

    fn state(&self) -> Value {
        let mut by_type: Vec<_> = self.by_type.iter().collect();
        by_type.sort();
        let by_type: Map<String, Value> = by_type
            .into_iter()
            .map(|(name, count)| (name.to_string(), json!(count)))
            .collect();
        let counts: Map<String, Value> = self
            .buckets
            .iter()
            .map(|(start, count)| (bucket_time(*start).to_string(), json!(count)))
            .collect();
        json!({
            "total": self.total,
            "by_type": by_type,
            "over_time": {"bucket_seconds": self.width(), "counts": counts},
        })
    }

    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u64(self.total);
        w.u64(self.by_type.len() as u64);
        for (name, count) in &self.by_type {
            w.str(name);
            w.u64(*count);
        }
        w.u64(self.width_level as u64);
        w.u64(self.buckets.len() as u64);
        for (start, count) in &self.buckets {
            w.i64(*start);
            w.u64(*count);
        }
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let total = r.u64()?;
        let mut by_type = Vec::new();
        for _ in 0..r.count()? {
            by_type.push((r.str()?.into(), r.u64()?));
        }
        let width_level = r.u64()? as usize;
        if width_level >= WIDTHS.len() {
            return Err(ProjectionError::Snapshot(format!(
                "bucket level {width_level} is unknown"
            )));
        }
        let mut buckets = BTreeMap::new();
        for _ in 0..r.count()? {
            buckets.insert(r.i64()?, r.u64()?);
        }
        r.finish()?;
        *self = TypeCounts {
            total,
            by_type,
            width_level,
            buckets,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::event_at;

    #[test]
    fn counts_types_and_seconds() {
        let mut types = TypeCounts::default();
        for (seq, kind, second) in [(1, "A", 0), (2, "B", 0), (3, "A", 2)] {
            types
                .apply(&event_at(seq, "s-1", kind, "{}", second))
                .unwrap();
        }
        let state = types.state();
        assert_eq!(state["total"], 3);
        assert_eq!(state["by_type"], json!({"A": 2, "B": 1}));
        assert_eq!(state["over_time"]["bucket_seconds"], 1);
        assert_eq!(
            state["over_time"]["counts"],
            json!({"2024-01-01T00:00:00Z": 2, "2024-01-01T00:00:02Z": 1})
        );
    }

    #[test]
    fn a_long_span_moves_to_wider_buckets_without_losing_counts() {
        let mut types = TypeCounts::default();
        // One event an hour for ten days: 240 hours needs hourly buckets or wider.
        for hour in 0..240 {
            types
                .apply(&event_at(hour + 1, "s-1", "A", "{}", hour as i64 * 3_600))
                .unwrap();
        }
        let (width, buckets) = types.rate();
        assert!(width >= 3_600, "width {width}");
        assert!(buckets.len() as i64 <= MAX_BUCKETS);
        assert_eq!(buckets.iter().map(|(_, n)| n).sum::<u64>(), 240);
    }
}
