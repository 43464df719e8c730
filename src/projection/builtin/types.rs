//! `types`: how many events of each type, and how many per time bucket (for
//! a rate chart).
//!
//! The bucket width is chosen by the log itself: it starts at one second and
//! steps up a ladder of widths, each a multiple of the one before, whenever
//! the buckets would span more than [`MAX_BUCKETS`]. The fold stays exact
//! (fine buckets merge into coarse ones) and depends only on the events
//! seen, so a snapshot resumes it exactly. Never parses payloads.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Value, json};

use crate::event::{Event, Timestamp};
use crate::event_view::{EventHead, EventView};
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::path::Path;
use crate::projection::traits::{Projection, ProjectionError, Reads};
use crate::projection::type_slots::TypeSlots;

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
    /// In order of first appearance.
    by_type: Vec<(Box<str>, u64)>,
    /// Type name -> its index in `by_type`: a log may have any number of
    /// types, and a search through them per event would be quadratic.
    index: HashMap<Box<str>, usize>,
    /// Finds a type's place in `by_type` by its shared name's address.
    slots: TypeSlots,
    width_level: usize,
    /// Start (unix seconds) of the bucket counted in `buckets[0]`.
    origin: i64,
    /// Events per bucket from `origin` on, empty ones included: at most
    /// [`MAX_BUCKETS`], so a dense vector beats a map.
    buckets: Vec<u64>,
    /// The bucket counted last (its start, end and index in `buckets`):
    /// the next event's, nearly always, found without dividing.
    hot: Option<(i64, i64, usize)>,
}

impl TypeCounts {
    pub const NAME: &'static str = "types";

    /// The bucket width in seconds and the non-empty buckets, oldest first.
    pub fn rate(&self) -> (i64, Vec<(Timestamp, u64)>) {
        (self.width(), self.non_empty().collect())
    }

    fn non_empty(&self) -> impl Iterator<Item = (Timestamp, u64)> + '_ {
        let width = self.width();
        (0i64..)
            .zip(&self.buckets)
            .filter(|(_, count)| **count > 0)
            .map(move |(index, count)| (bucket_time(self.origin + index * width), *count))
    }

    fn width(&self) -> i64 {
        WIDTHS[self.width_level.min(WIDTHS.len() - 1)]
    }

    fn count_type(&mut self, event_type: &Arc<str>) {
        let (index, by_type) = (&mut self.index, &mut self.by_type);
        let at = self.slots.find(event_type, |name| match index.get(name) {
            Some(&at) => at,
            None => {
                index.insert(name.into(), by_type.len());
                by_type.push((name.into(), 0));
                by_type.len() - 1
            }
        });
        self.by_type[at].1 += 1;
    }

    fn count_of(&self, event_type: &str) -> Option<u64> {
        self.index.get(event_type).map(|&at| self.by_type[at].1)
    }

    fn count_time(&mut self, time: Timestamp) {
        let seconds = time.unix_nanos().div_euclid(NANOS_PER_SECOND);
        if let Some((start, end, at)) = self.hot
            && (start..end).contains(&seconds)
        {
            self.buckets[at] += 1;
            return;
        }
        // Widen first, so that a far-off time never allocates a huge vector.
        while self.span_with(seconds) > MAX_BUCKETS && self.width_level + 1 < WIDTHS.len() {
            self.width_level += 1;
            let fine_width = WIDTHS[self.width_level - 1];
            let fine_origin = self.origin;
            for (index, count) in (0i64..).zip(std::mem::take(&mut self.buckets)) {
                if count > 0 {
                    self.add_to_bucket(fine_origin + index * fine_width, count);
                }
            }
        }
        self.add_to_bucket(seconds, 1);
        // Remembered as the buckets now are; only this path changes them.
        let width = self.width();
        let start = seconds - seconds.rem_euclid(width);
        let at = ((start - self.origin) / width) as usize;
        self.hot = Some((start, start.saturating_add(width), at));
    }

    /// How many buckets the chart would span with `seconds` counted.
    fn span_with(&self, seconds: i64) -> i64 {
        let width = self.width();
        let start = seconds - seconds.rem_euclid(width);
        if self.buckets.is_empty() {
            return 1;
        }
        let last = self.origin + (self.buckets.len() as i64 - 1) * width;
        let (first, last) = (self.origin.min(start), last.max(start));
        (last - first) / width + 1
    }

    /// Adds `count` to the bucket holding `seconds`, growing the vector at
    /// either end as needed.
    fn add_to_bucket(&mut self, seconds: i64, count: u64) {
        let width = self.width();
        let start = seconds - seconds.rem_euclid(width);
        if self.buckets.is_empty() {
            self.origin = start;
        }
        if start < self.origin {
            let missing = ((self.origin - start) / width) as usize;
            self.buckets.splice(0..0, std::iter::repeat_n(0, missing));
            self.origin = start;
        }
        let index = ((start - self.origin) / width) as usize;
        if index >= self.buckets.len() {
            self.buckets.resize(index + 1, 0);
        }
        self.buckets[index] += count;
    }

    /// One top-level member of the state.
    fn section(&self, key: &str) -> Option<Value> {
        match key {
            "total" => Some(json!(self.total)),
            "by_type" => {
                let mut by_type: Vec<_> = self.by_type.iter().collect();
                by_type.sort();
                let by_type: Map<String, Value> = by_type
                    .into_iter()
                    .map(|(name, count)| (name.to_string(), json!(count)))
                    .collect();
                Some(Value::Object(by_type))
            }
            "over_time" => {
                let counts: Map<String, Value> = self
                    .non_empty()
                    .map(|(start, count)| (start.to_string(), json!(count)))
                    .collect();
                Some(json!({"bucket_seconds": self.width(), "counts": counts}))
            }
            _ => None,
        }
    }
}

fn bucket_time(start_seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(start_seconds.saturating_mul(NANOS_PER_SECOND))
}

impl Projection for TypeCounts {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        self.apply_head(&event.head(false))
    }

    fn reads(&self) -> Reads {
        Reads::Heads { streams: false }
    }

    fn apply_head(&mut self, head: &EventHead<'_>) -> Result<(), ProjectionError> {
        self.total += 1;
        self.count_type(head.event_type);
        // An event with no time is counted, in no time bucket.
        if let Some(time) = head.time {
            self.count_time(time);
        }
        Ok(())
    }

    fn state(&self) -> Value {
        let sections = ["total", "by_type", "over_time"];
        Value::Object(
            sections
                .into_iter()
                .filter_map(|key| Some((key.to_string(), self.section(key)?)))
                .collect(),
        )
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        out.begin_object();
        out.key("total");
        out.u64(self.total);
        out.key("by_type");
        out.begin_object();
        let mut by_type: Vec<_> = self.by_type.iter().collect();
        by_type.sort();
        for (name, count) in by_type {
            out.key(name);
            out.u64(*count);
        }
        out.end_object();
        out.key("over_time");
        out.begin_object();
        out.key("bucket_seconds");
        out.i64(self.width());
        out.key("counts");
        out.begin_object();
        for (start, count) in self.non_empty() {
            out.key(&start.to_string());
            out.u64(count);
        }
        out.end_object();
        out.end_object();
        out.end_object();
    }

    fn get(&self, path: &Path) -> Option<Value> {
        match (path.first_key(), path.key_at(1)) {
            (Some("by_type"), Some(event_type)) => {
                let count = self.count_of(event_type)?;
                path.skip(2).lookup(&json!(count)).cloned()
            }
            (Some(section), _) => path.skip(1).lookup(&self.section(section)?).cloned(),
            (None, _) => path.lookup(&self.state()).cloned(),
        }
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
        w.i64(self.origin);
        w.u64(self.buckets.len() as u64);
        for count in &self.buckets {
            w.u64(*count);
        }
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let total = r.u64()?;
        let mut by_type: Vec<(Box<str>, u64)> = Vec::new();
        for _ in 0..r.count()? {
            by_type.push((r.str()?.into(), r.u64()?));
        }
        let width_level = r.u64()? as usize;
        if width_level >= WIDTHS.len() {
            return Err(ProjectionError::Snapshot(format!(
                "bucket level {width_level} is unknown"
            )));
        }
        let origin = r.i64()?;
        let mut buckets = Vec::new();
        for _ in 0..r.count()? {
            buckets.push(r.u64()?);
        }
        r.finish()?;
        let index = by_type
            .iter()
            .enumerate()
            .map(|(at, (name, _))| (name.clone(), at))
            .collect();
        *self = TypeCounts {
            total,
            by_type,
            index,
            slots: TypeSlots::default(),
            hot: None,
            width_level,
            origin,
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
    fn many_types_are_each_counted_and_survive_a_snapshot() {
        let mut types = TypeCounts::default();
        for seq in 1..=3_000u64 {
            let kind = format!("Type{}", seq % 1_000);
            types.apply(&event_at(seq, "s-1", &kind, "{}", 0)).unwrap();
        }
        let mut restored = TypeCounts::default();
        restored.restore(&types.save()).unwrap();
        restored
            .apply(&event_at(3_001, "s-1", "Type7", "{}", 0))
            .unwrap();
        let by_type = &restored.state()["by_type"];
        assert_eq!(by_type.as_object().unwrap().len(), 1_000);
        assert_eq!(by_type["Type7"], 4);
        assert_eq!(by_type["Type8"], 3);
        let path = Path::parse("by_type.Type7").unwrap();
        assert_eq!(restored.get(&path), Some(json!(4)));
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

    proptest::proptest! {
        /// Whatever the order of times and types, and whether a type's name
        /// comes as the shared one or a copy: each type's count, and each
        /// bucket's at the width chosen, are the events' own.
        #[test]
        fn the_counts_are_those_of_the_events(
            events in proptest::collection::vec(
                (0usize..6, proptest::prelude::any::<bool>(), -5_000i64..5_000, 0i64..4),
                0..400,
            ),
        ) {
            let names: Vec<Arc<str>> = (0..6).map(|n| Arc::from(format!("T{n}"))).collect();
            let mut types = TypeCounts::default();
            let mut by_name = std::collections::BTreeMap::new();
            let mut seconds_seen = Vec::new();
            for (seq, &(kind, shared, second, scale)) in (1..).zip(&events) {
                // Seconds, hours or days apart, or none.
                let seconds = second * [1, 3_600, 86_400, 0][scale as usize];
                let copy: Arc<str> = Arc::from(&*names[kind]);
                let head = EventHead {
                    seq,
                    stream: None,
                    version: 1,
                    event_type: if shared { &names[kind] } else { &copy },
                    time: (scale != 3).then(|| Timestamp::from_unix_nanos(seconds * NANOS_PER_SECOND)),
                };
                types.apply_head(&head).unwrap();
                *by_name.entry(names[kind].to_string()).or_insert(0u64) += 1;
                if scale != 3 {
                    seconds_seen.push(seconds);
                }
            }
            let counted: std::collections::BTreeMap<String, u64> =
                types.by_type.iter().map(|(name, n)| (name.to_string(), *n)).collect();
            proptest::prop_assert_eq!(counted, by_name);
            proptest::prop_assert_eq!(types.total, events.len() as u64);
            let (width, buckets) = types.rate();
            let mut expected = std::collections::BTreeMap::new();
            for seconds in seconds_seen {
                let start = seconds - seconds.rem_euclid(width);
                *expected.entry(bucket_time(start)).or_insert(0u64) += 1;
            }
            let expected: Vec<(Timestamp, u64)> = expected.into_iter().collect();
            proptest::prop_assert_eq!(buckets, expected);
            proptest::prop_assert!(types.buckets.len() as i64 <= MAX_BUCKETS);
        }
    }

    #[test]
    fn times_far_apart_and_out_of_order_stay_within_the_bucket_limit() {
        let mut types = TypeCounts::default();
        let seconds = [0, -40 * 365 * 86_400, 3, 100 * 365 * 86_400, 5];
        for (seq, second) in (1..).zip(seconds) {
            types
                .apply(&event_at(seq, "s-1", "A", "{}", second))
                .unwrap();
        }
        let (width, buckets) = types.rate();
        assert_eq!(width, 31_449_600);
        assert!(types.buckets.len() as i64 <= MAX_BUCKETS);
        assert_eq!(buckets.iter().map(|(_, n)| n).sum::<u64>(), 5);
        assert!(buckets.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
