//! An event log in memory, for tests and for trying commands without a file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::anyhow;

use super::store::{AppendError, EventStore};
use crate::event::{Event, NewEvent, derived_id};

/// An [`EventStore`] held in memory; safe to share between threads.
#[derive(Debug, Default)]
pub struct MemoryStore {
    log: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    events: Vec<Event>,
    /// Stream -> positions in `events`, in version order.
    streams: HashMap<Arc<str>, Vec<usize>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Every event, in log order.
    pub fn events(&self) -> anyhow::Result<Vec<Event>> {
        Ok(self.lock()?.events.clone())
    }

    /// How many events the log holds.
    pub fn len(&self) -> anyhow::Result<usize> {
        Ok(self.lock()?.events.len())
    }

    pub fn is_empty(&self) -> anyhow::Result<bool> {
        Ok(self.len()? == 0)
    }

    fn lock(&self) -> anyhow::Result<MutexGuard<'_, Log>> {
        self.log
            .lock()
            .map_err(|_| anyhow!("the in-memory log was left half-written by a panic"))
    }
}

impl EventStore for MemoryStore {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        let log = self.lock()?;
        let positions = log.streams.get(stream).map(Vec::as_slice).unwrap_or(&[]);
        Ok(positions.iter().map(|&at| log.events[at].clone()).collect())
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        let mut guard = self.lock()?;
        let log: &mut Log = &mut guard;
        // Check the whole batch before writing any of it.
        let mut versions: HashMap<&str, u64> = HashMap::new();
        for event in &events {
            let version = versions.entry(&event.stream).or_insert_with(|| {
                log.streams
                    .get(event.stream.as_str())
                    .map_or(0, |p| p.len() as u64)
            });
            if let Some(expected) = event.expected_version {
                if expected == 0 {
                    return Err(AppendError::Other(anyhow!(
                        "expected version 0 for an event of {} is not a version: they start at 1",
                        event.stream
                    )));
                }
                if expected != *version + 1 {
                    return Err(AppendError::Conflict {
                        stream: event.stream.clone(),
                        expected: expected - 1,
                        actual: *version,
                    });
                }
            }
            *version += 1;
        }

        let mut appended = Vec::with_capacity(events.len());
        for new in events {
            let stream: Arc<str> = Arc::from(new.stream.as_str());
            let positions = log.streams.entry(stream.clone()).or_default();
            let version = positions.len() as u64 + 1;
            let at = log.events.len();
            positions.push(at);
            let event = Event {
                seq: at as u64 + 1,
                id: new.id.unwrap_or_else(|| derived_id(&stream, version)),
                stream,
                version,
                event_type: Arc::from(new.event_type),
                time: new.time,
                data: new.data,
                metadata: new.metadata,
            };
            log.events.push(event.clone());
            appended.push(event);
        }
        Ok(appended)
    }
}
