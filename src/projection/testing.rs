//! Event builders for the crate's unit tests (projections and the
//! explorer's view states): in-memory logs, no store.

use std::collections::HashMap;

use serde_json::Value;

use super::replay::{RebuildOptions, SnapshotPolicy, rebuild};
use super::source::{MemoryLog, MemorySnapshots};
use super::traits::Projection;
use crate::event::{Event, Json, Timestamp};

/// The snapshots a rebuild of `projections` over `log` saves when it may
/// save one every `interval` events, however large the states.
pub fn snapshots_every(
    log: &MemoryLog,
    projections: &mut [Box<dyn Projection>],
    interval: u64,
) -> MemorySnapshots {
    let store = MemorySnapshots::new();
    let options = RebuildOptions {
        snapshots: Some((
            &store,
            SnapshotPolicy {
                min_interval: interval,
                bytes_per_event: u64::MAX,
            },
        )),
        ..RebuildOptions::default()
    };
    rebuild(log, projections, &options, &mut |_| {}).unwrap();
    store
}

/// 2024-01-01T00:00:00Z.
pub const BASE_SECONDS: i64 = 1_704_067_200;

/// One event `seconds` after [`BASE_SECONDS`], version 1.
pub fn event_at(seq: u64, stream: &str, event_type: &str, data: &str, seconds: i64) -> Event {
    Event {
        seq,
        stream: stream.into(),
        version: 1,
        event_type: event_type.into(),
        id: format!("e{seq}"),
        time: Some(Timestamp::from_unix_nanos(
            (BASE_SECONDS + seconds) * 1_000_000_000,
        )),
        data: Json::parse_text(data).unwrap(),
        metadata: None,
    }
}

/// Builds a gapless log, one event a minute, versions counted per stream.
#[derive(Default)]
pub struct LogBuilder {
    events: Vec<Event>,
    versions: HashMap<String, u64>,
}

impl LogBuilder {
    pub fn new() -> LogBuilder {
        LogBuilder::default()
    }

    pub fn push(&mut self, stream: &str, event_type: &str, data: Value) -> &mut LogBuilder {
        self.push_at(stream, event_type, data, self.events.len() as i64 * 60)
    }

    pub fn push_at(
        &mut self,
        stream: &str,
        event_type: &str,
        data: Value,
        seconds: i64,
    ) -> &mut LogBuilder {
        let seq = self.events.len() as u64 + 1;
        let version = self.versions.entry(stream.to_string()).or_default();
        *version += 1;
        let mut event = event_at(seq, stream, event_type, &data.to_string(), seconds);
        event.version = *version;
        self.events.push(event);
        self
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn build(&self) -> MemoryLog {
        MemoryLog::new(self.events.clone()).unwrap()
    }
}
