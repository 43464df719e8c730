//! A branch: the write side as it was at a seq, with new events kept in
//! memory after that point, so commands can be tried against the past
//! without writing anything to the log.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use anyhow::anyhow;

use super::store::{AppendError, EventStore};
use crate::event::{Event, NewEvent};

/// Reads `base` as it was at seq `at`; appends go to memory, numbered as
/// they would have been had they followed `at`.
pub struct Branch<'b> {
    base: &'b dyn EventStore,
    at: u64,
    staged: Mutex<Vec<Event>>,
}

impl<'b> Branch<'b> {
    pub fn new(base: &'b dyn EventStore, at: u64) -> Branch<'b> {
        Branch {
            base,
            at,
            staged: Mutex::new(Vec::new()),
        }
    }

    /// A branch at `at` already holding `events` after it (as
    /// [`Branch::events`] gave them), to go on from.
    pub fn resume(base: &'b dyn EventStore, at: u64, events: Vec<Event>) -> Branch<'b> {
        Branch {
            base,
            at,
            staged: Mutex::new(events),
        }
    }

    /// The seq the branch leaves the real history at.
    pub fn at(&self) -> u64 {
        self.at
    }

    /// The events the branch holds after `at`, in order.
    pub fn events(&self) -> anyhow::Result<Vec<Event>> {
        Ok(self.lock()?.clone())
    }

    fn lock(&self) -> anyhow::Result<MutexGuard<'_, Vec<Event>>> {
        self.staged
            .lock()
            .map_err(|_| anyhow!("the branch was left half-written by a panic"))
    }

    fn past(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        let mut events = self.base.read_stream(stream)?;
        events.retain(|event| event.seq <= self.at);
        Ok(events)
    }
}

impl EventStore for Branch<'_> {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        let mut events = self.past(stream)?;
        let staged = self.lock()?;
        events.extend(staged.iter().filter(|e| &*e.stream == stream).cloned());
        Ok(events)
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        let mut versions: HashMap<String, u64> = HashMap::new();
        let mut written = Vec::with_capacity(events.len());
        let mut staged = self.lock()?;
        for new in events {
            let version = match versions.get(&new.stream) {
                Some(version) => *version,
                None => {
                    let past = self.past(&new.stream)?.last().map_or(0, |e| e.version);
                    let later = staged.iter().filter(|e| *e.stream == *new.stream).count();
                    past + later as u64
                }
            };
            if let Some(expected) = new.expected_version
                && expected != version + 1
            {
                return Err(AppendError::Conflict {
                    stream: new.stream,
                    expected: expected.saturating_sub(1),
                    actual: version,
                });
            }
            versions.insert(new.stream.clone(), version + 1);
            let seq = self.at + (staged.len() + written.len()) as u64 + 1;
            written.push(Event::stored(new, seq, version + 1));
        }
        staged.extend(written.iter().cloned());
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cqrs::MemoryStore;
    use crate::event::{Json, Timestamp};

    fn new(stream: &str, event_type: &str) -> NewEvent {
        NewEvent::new(
            stream,
            event_type,
            Timestamp::from_unix_millis(0),
            Json::empty_object(),
        )
    }

    #[test]
    fn the_branch_sees_the_past_and_its_own_events_only() {
        let real = MemoryStore::new();
        real.append(vec![new("a", "One"), new("b", "One"), new("a", "Two")])
            .unwrap();
        let branch = Branch::new(&real, 2);
        assert_eq!(branch.read_stream("a").unwrap().len(), 1);
        let written = branch
            .append(vec![new("a", "Other").expecting_version(2)])
            .unwrap();
        assert_eq!((written[0].seq, written[0].version), (3, 2));
        let a: Vec<String> = branch
            .read_stream("a")
            .unwrap()
            .iter()
            .map(|e| e.event_type.to_string())
            .collect();
        assert_eq!(a, ["One", "Other"]);
        assert_eq!(real.len().unwrap(), 3);
    }

    #[test]
    fn a_stale_expected_version_conflicts() {
        let real = MemoryStore::new();
        real.append(vec![new("a", "One")]).unwrap();
        let branch = Branch::new(&real, 1);
        let refused = branch.append(vec![new("a", "Two").expecting_version(1)]);
        assert!(matches!(
            refused,
            Err(AppendError::Conflict { actual: 1, .. })
        ));
        assert!(branch.events().unwrap().is_empty());
    }
}
