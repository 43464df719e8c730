//! The redb log seen through the projection engine's two traits.

use std::ops::ControlFlow;

use crate::event::Event;
use crate::projection::{EventSource, SnapshotStore};
use crate::store::EventLog;

/// Reads events and snapshots from an [`EventLog`] for the engine.
pub struct LogSource<'a>(pub &'a EventLog);

impl EventSource for LogSource<'_> {
    fn last_seq(&self) -> anyhow::Result<u64> {
        Ok(self.0.last_seq()?)
    }

    fn scan(
        &self,
        from: u64,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        Ok(self.0.scan(from..=to, |event| f(&event))?)
    }

    fn scan_stream(
        &self,
        stream: &str,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        for seq in self.0.seqs_of_stream(stream)? {
            if seq > to {
                break;
            }
            let event = self
                .0
                .get(seq)?
                .ok_or_else(|| anyhow::anyhow!("event {seq} of {stream} is missing"))?;
            if f(&event).is_break() {
                break;
            }
        }
        Ok(())
    }
}

impl SnapshotStore for LogSource<'_> {
    fn nearest(
        &self,
        projection: &str,
        version: u32,
        at_or_below: u64,
    ) -> anyhow::Result<Option<(u64, Vec<u8>)>> {
        Ok(self.0.nearest_snapshot(projection, version, at_or_below)?)
    }

    fn put(&self, projection: &str, version: u32, seq: u64, state: &[u8]) -> anyhow::Result<()> {
        Ok(self.0.put_snapshots(&[(projection, version, seq, state)])?)
    }

    fn discard_other_versions(&self, projection: &str, keep_version: u32) -> anyhow::Result<()> {
        self.0.discard_snapshots(projection, Some(keep_version))?;
        Ok(())
    }
}
