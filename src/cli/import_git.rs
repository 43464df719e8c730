//! `eventscope import --git REPO --db LOG`: a git history as an event log,
//! all or nothing like any import.

use std::io::Cursor;
use std::path::Path;

use eventscope::escape::printable;
use eventscope::format::Format;
use eventscope::git;
use eventscope::ingest;
use eventscope::store::AppendSummary;
use serde_json::{Map, Value};

use super::progress::Progress;

pub fn import(repo: &Path, db: &Path, progress: &mut Progress) -> anyhow::Result<AppendSummary> {
    let (commits, sizes) =
        git::read_history(repo).map_err(|e| anyhow::anyhow!("{}", printable(&e.to_string())))?;
    let events =
        git::history_events(&commits, &sizes).map_err(|e| anyhow::anyhow!("{}", printable(&e)))?;
    // Through the native text import, so a git history is written as
    // carefully as any file: one transaction, a new log put in place only
    // when complete.
    let mut text = String::new();
    for event in &events {
        let mut line = Map::new();
        line.insert("stream".into(), event.stream.clone().into());
        line.insert("type".into(), event.event_type.clone().into());
        if let Some(id) = &event.id {
            line.insert("id".into(), id.clone().into());
        }
        if let Some(time) = event.time {
            line.insert("time".into(), time.to_string().into());
        }
        line.insert("data".into(), event.data.value());
        if let Some(metadata) = &event.metadata {
            line.insert("metadata".into(), metadata.value());
        }
        text.push_str(&Value::Object(line).to_string());
        text.push('\n');
    }
    ingest::import_into_with(
        Cursor::new(text),
        db,
        Format::Native,
        ingest::Duplicates::Refuse,
        |n| progress.update(n, None),
    )
}
