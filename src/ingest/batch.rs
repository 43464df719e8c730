//! A batch of parsed events on its way from the parser to the writer: the
//! text of all their fields in one buffer, each event a set of ranges into
//! it. Filling a batch copies each event's fields instead of allocating
//! them, and a batch sent back for reuse keeps its buffers, so after the
//! first few batches parsing allocates nothing per event.

use std::ops::Range;

use crate::event::Timestamp;
use crate::format::{EventText, Position};
use crate::store::NewEventRef;

#[derive(Default)]
pub(super) struct Batch {
    text: String,
    events: Vec<Entry>,
}

/// One event: where it was read, and its fields' places in the text.
struct Entry {
    at: Position,
    stream: Range<usize>,
    event_type: Range<usize>,
    id: Option<Range<usize>>,
    time: Option<Timestamp>,
    data: Range<usize>,
    metadata: Option<Range<usize>>,
    expected_version: Option<u64>,
}

impl Batch {
    pub(super) fn with_capacity(events: usize) -> Batch {
        Batch {
            // Room for events of a few hundred bytes each.
            text: String::with_capacity(events * 256),
            events: Vec::with_capacity(events),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.events.len()
    }

    /// Empties the batch, keeping its buffers for the next one.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.events.clear();
    }

    /// Copies `event`'s fields in.
    pub(super) fn push(&mut self, at: Position, event: &EventText<'_>) {
        let text = &mut self.text;
        let mut put = |field: &str| {
            let start = text.len();
            text.push_str(field);
            start..text.len()
        };
        let entry = Entry {
            at,
            stream: put(event.stream()),
            event_type: put(event.event_type()),
            id: event.id().map(&mut put),
            time: event.time(),
            data: put(event.data()),
            metadata: event.metadata().map(&mut put),
            expected_version: event.expected_version(),
        };
        self.events.push(entry);
    }

    /// Each event in order, with where it was read.
    pub(super) fn events(&self) -> impl Iterator<Item = (Position, NewEventRef<'_>)> {
        let text = self.text.as_str();
        self.events.iter().map(move |entry| {
            let event = NewEventRef {
                stream: &text[entry.stream.clone()],
                event_type: &text[entry.event_type.clone()],
                id: entry.id.clone().map(|id| &text[id]),
                time: entry.time,
                data: &text[entry.data.clone()],
                metadata: entry.metadata.clone().map(|metadata| &text[metadata]),
                expected_version: entry.expected_version,
            };
            (entry.at, event)
        })
    }
}
