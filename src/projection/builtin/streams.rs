//! `streams`: each stream's version, last event type and last event time.
//! Never parses payloads.

use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Value, json};

use std::fmt::Write;

use crate::event::{Event, Timestamp};
use crate::event_view::{EventHead, EventView};
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::path::Path;
use crate::projection::streams_table::StreamMap;
use crate::projection::traits::{Projection, ProjectionError, Reads};

use super::by_stream;

#[derive(Clone, Copy, Debug, Default)]
struct StreamInfo {
    version: u64,
    /// Index into `Streams::types`.
    last_type: u32,
    /// The last event's time; `None` if it has none.
    last_time: Option<Timestamp>,
}

/// The streams of the log and where each one stands.
#[derive(Clone, Debug, Default)]
pub struct Streams {
    streams: StreamMap<StreamInfo>,
    /// Event types, interned.
    types: Vec<Box<str>>,
    /// Type name -> its index in `types`: a log may have any number of
    /// types, and a search through them per event would be quadratic.
    type_ids: HashMap<Box<str>, u32>,
}

impl Streams {
    pub const NAME: &'static str = "streams";

    fn type_index(&mut self, event_type: &str) -> u32 {
        if let Some(&index) = self.type_ids.get(event_type) {
            return index;
        }
        let index = self.types.len() as u32;
        self.types.push(event_type.into());
        self.type_ids.insert(event_type.into(), index);
        index
    }

    fn entity(&self, info: &StreamInfo) -> Value {
        let last_type = self.types.get(info.last_type as usize).map_or("", |t| t);
        json!({
            "version": info.version,
            "last_type": last_type,
            "last_time": info.last_time.map(|time| time.to_string()),
        })
    }
}

impl Streams {
    /// One stream's entry as shown.
    fn entry_json(&self, info: &StreamInfo) -> Value {
        self.entity(info)
    }
}

impl Projection for Streams {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        // 2: a stream's last time may be absent.
        2
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        self.apply_head(&event.head(true))
    }

    fn reads(&self) -> Reads {
        Reads::Heads { streams: true }
    }

    fn apply_head(&mut self, head: &EventHead<'_>) -> Result<(), ProjectionError> {
        let stream = head
            .stream
            .ok_or_else(|| ProjectionError::payload("event head", "its stream was not named"))?;
        let last_type = self.type_index(head.event_type);
        let info = self.streams.entry(stream, StreamInfo::default);
        *info = StreamInfo {
            version: head.version,
            last_type,
            last_time: head.time,
        };
        Ok(())
    }

    fn state(&self) -> Value {
        let streams: Map<String, Value> = self
            .streams
            .iter()
            .map(|(name, info)| (name, self.entity(info)))
            .collect();
        Value::Object(streams)
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        let mut time = String::new();
        by_stream::write_entries(&self.streams, out, |out, info| {
            out.begin_object();
            out.key("version");
            out.u64(info.version);
            out.key("last_type");
            out.str(self.types.get(info.last_type as usize).map_or("", |t| t));
            out.key("last_time");
            match info.last_time {
                Some(last) => {
                    time.clear();
                    let _ = write!(time, "{last}");
                    out.str(&time);
                }
                None => out.null(),
            }
            out.end_object();
        });
    }

    by_stream::answers_by_stream!(streams);

    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u64(self.types.len() as u64);
        for event_type in &self.types {
            w.str(event_type);
        }
        // Times as steps from the entry before: a few bytes instead of nine.
        // A flag before each says whether there is a time at all.
        let mut previous = 0i64;
        self.streams.save(&mut w, |w, info| {
            w.u64(info.version);
            w.u64(u64::from(info.last_type));
            match info.last_time {
                Some(time) => {
                    w.u64(1);
                    let time = time.unix_nanos();
                    w.i64(time.wrapping_sub(previous));
                    previous = time;
                }
                None => w.u64(0),
            }
        });
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let mut types: Vec<Box<str>> = Vec::new();
        for _ in 0..r.count()? {
            types.push(r.str()?.into());
        }
        // The first of equal names, as `type_index` would have found it.
        let mut type_ids = HashMap::default();
        for (index, name) in (0u32..).zip(&types) {
            type_ids.entry(name.clone()).or_insert(index);
        }
        let mut previous = 0i64;
        let streams = StreamMap::restore(&mut r, |r, _| {
            let version = r.u64()?;
            let last_type = u32::try_from(r.u64()?)
                .map_err(|_| ProjectionError::Snapshot("a type index is too large".into()))?;
            let last_time = match r.u64()? {
                0 => None,
                1 => {
                    previous = previous.wrapping_add(r.i64()?);
                    Some(Timestamp::from_unix_nanos(previous))
                }
                _ => {
                    return Err(ProjectionError::Snapshot(
                        "a time flag is not 0 or 1".into(),
                    ));
                }
            };
            Ok(StreamInfo {
                version,
                last_type,
                last_time,
            })
        })?;
        r.finish()?;
        *self = Streams {
            streams,
            types,
            type_ids,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::LogBuilder;

    #[test]
    fn each_stream_shows_its_latest_event() {
        let mut log = LogBuilder::new();
        log.push("order-1", "OrderPlaced", json!({}))
            .push("customer-1", "CustomerRegistered", json!({}))
            .push("order-1", "OrderShipped", json!({}));
        let mut streams = Streams::default();
        for event in log.events() {
            streams.apply(event).unwrap();
        }
        assert_eq!(
            streams.state(),
            json!({
                "customer-1": {"version": 1, "last_type": "CustomerRegistered", "last_time": "2024-01-01T00:01:00Z"},
                "order-1": {"version": 2, "last_type": "OrderShipped", "last_time": "2024-01-01T00:02:00Z"},
            })
        );
        let version = streams.get(&Path::parse("order-1.version").unwrap());
        assert_eq!(version, Some(json!(2)));
        assert_eq!(streams.get(&Path::parse("order-2").unwrap()), None);
    }
}
