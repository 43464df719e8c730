//! What the projections whose state is one entry per stream (`customers`,
//! `address-book`, `streams`, `replica`) answer alike: the state's keys are
//! stream names, each path under a key is decided by that stream's events
//! alone, and an event can change only its own stream's entry.

use serde_json::Value;

use crate::event::Event;
use crate::projection::path::Path;
use crate::projection::streams_table::StreamMap;

/// The value at `path`: the stream's entry shown as JSON by `show`, then
/// the rest of the path inside it; the root is `whole()`.
pub fn get<V>(
    map: &StreamMap<V>,
    path: &Path,
    show: impl FnOnce(&V) -> Value,
    whole: impl FnOnce() -> Value,
) -> Option<Value> {
    match path.first_key() {
        Some(stream) => path.skip(1).lookup(&show(map.get(stream)?)).cloned(),
        None => path.lookup(&whole()).cloned(),
    }
}

/// The stream names, for the root only.
pub fn keys_at<V>(map: &StreamMap<V>, path: &Path) -> Option<Vec<String>> {
    path.segments()
        .is_empty()
        .then(|| map.iter().map(|(name, _)| name).collect())
}

/// The stream whose events alone decide `path`.
pub fn stream_of(path: &Path) -> Option<String> {
    path.first_key().map(str::to_string)
}

/// An event changes only its own stream's entry.
pub fn scope(event: &Event) -> Vec<Path> {
    vec![Path::keys([&*event.stream])]
}
