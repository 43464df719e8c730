//! What the projections whose state is one entry per stream (`customers`,
//! `address-book`, `streams`, `replica`) answer alike: the state's keys are
//! stream names, each path under a key is decided by that stream's events
//! alone, and an event can change only its own stream's entry.

use serde_json::Value;

/// The four answers of such a projection, for inside its `impl Projection`:
/// `$entries` is its `StreamMap` field, and the projection has an inherent
/// `fn entry_json(&self, entry) -> Value` that shows one entry.
macro_rules! answers_by_stream {
    ($entries:ident) => {
        fn get(&self, path: &Path) -> Option<Value> {
            by_stream::get(
                &self.$entries,
                path,
                |entry| self.entry_json(entry),
                || self.state(),
            )
        }

        fn keys_at(&self, path: &Path) -> Option<Vec<String>> {
            by_stream::keys_at(&self.$entries, path)
        }

        fn stream_of(&self, path: &Path) -> Option<String> {
            by_stream::stream_of(path)
        }

        fn scope(&self, event: &$crate::event_view::EventView<'_>) -> Vec<Path> {
            by_stream::scope(event)
        }
    };
}
pub(super) use answers_by_stream;

use crate::event_view::EventView;
use crate::json_writer::JsonWriter;
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

/// The state of such a projection, `{stream: entry, ...}`, each entry
/// written by `write`.
pub fn write_entries<V>(
    map: &StreamMap<V>,
    out: &mut JsonWriter<'_>,
    mut write: impl FnMut(&mut JsonWriter<'_>, &V),
) {
    out.begin_object();
    map.for_each_named(|name, entry| {
        out.key(name);
        write(out, entry);
    });
    out.end_object();
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
pub fn scope(event: &EventView<'_>) -> Vec<Path> {
    vec![Path::keys([event.stream])]
}
