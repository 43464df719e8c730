//! For the tests of domain files: events numbered as the store numbers
//! them, from JSONL text or a generator.

use std::collections::HashMap;

use crate::event::{Event, NewEvent};
use crate::format::{Format, read_events};

/// `new` events as a log holds them: seqs in order, versions per stream.
pub fn stored(new: impl IntoIterator<Item = NewEvent>) -> Vec<Event> {
    let mut versions: HashMap<String, u64> = HashMap::new();
    new.into_iter()
        .enumerate()
        .map(|(at, new)| {
            let version = versions.entry(new.stream.clone()).or_default();
            *version += 1;
            Event::stored(new, at as u64 + 1, *version)
        })
        .collect()
}

/// The events of native JSONL `text`, as a log holds them.
pub fn stored_jsonl(text: &str) -> Vec<Event> {
    let mut new = Vec::new();
    read_events(text.as_bytes(), Format::Native, |event| {
        new.push(event);
        Ok::<(), ()>(())
    })
    .expect("the sample reads");
    stored(new)
}
