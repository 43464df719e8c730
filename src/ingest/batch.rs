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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Json, NewEvent};

    fn at(line: u64) -> Position {
        Position {
            line,
            element: None,
        }
    }

    #[test]
    fn events_come_back_as_they_went_in_and_a_cleared_batch_is_empty() {
        let time = Timestamp::parse_rfc3339("2024-03-01T09:30:00Z").unwrap();
        let full = NewEvent::new(
            "s-1",
            "Placed",
            time,
            Json::parse_text(r#"{"a":1}"#).unwrap(),
        )
        .with_id("e-1")
        .with_metadata(Json::parse_text(r#"{"c":"d"}"#).unwrap())
        .expecting_version(3);
        let bare = NewEvent {
            time: None,
            ..NewEvent::new("s-2", "Paid", time, Json::empty_object())
        };
        let mut batch = Batch::with_capacity(1);
        for round in 0..2 {
            batch.clear();
            assert_eq!(batch.events().count(), 0);
            batch.push(at(1), &EventText::from(&full));
            batch.push(at(2), &EventText::from(&bare));
            let got: Vec<_> = batch
                .events()
                .map(|(at, e)| (at.line, format!("{e:?}")))
                .collect();
            let want = vec![
                (1, format!("{:?}", NewEventRef::from(&full))),
                (2, format!("{:?}", NewEventRef::from(&bare))),
            ];
            assert_eq!(got, want, "round {round}");
        }
    }
}
