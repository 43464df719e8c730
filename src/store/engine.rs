//! The log as the projection engine's source and snapshot cache.

use std::ops::ControlFlow;

use redb::{Durability, ReadableTable};

use super::tables::SNAPSHOTS;
use super::{EventLog, Result};
use crate::event::Event;
use crate::event_view::{EventHead, EventView};
use crate::projection::source::NewSnapshot;
use crate::projection::{EventSource, SnapshotStore, Visitor};

impl EventSource for EventLog {
    fn last_seq(&self) -> anyhow::Result<u64> {
        Ok(EventLog::last_seq(self)?)
    }

    fn scan(
        &self,
        from: u64,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        Ok(EventLog::scan(self, from..=to, |event| f(&event))?)
    }

    /// Skips the other types without decoding them.
    fn scan_types(
        &self,
        from: u64,
        to: u64,
        types: &[&str],
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        Ok(EventLog::scan_types(self, from..=to, types, |event| {
            f(&event)
        })?)
    }

    /// Views of the stored bytes: nothing allocated per event.
    fn scan_views(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        f: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        Ok(EventLog::scan_views(self, from..=to, types, f)?)
    }

    /// The heads alone, read apart from the events' texts.
    fn scan_heads(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        streams: bool,
        f: &mut dyn FnMut(&EventHead<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        Ok(EventLog::scan_heads(self, from..=to, types, streams, f)?)
    }

    /// The log read and checked once for both visitors.
    fn scan_views_beside(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        first: &mut dyn Visitor,
        second: &mut (dyn Visitor + Send),
    ) {
        EventLog::scan_views_beside(self, from..=to, types, first, second);
    }

    /// Through the stream index: as fast for the first stream as the last.
    fn scan_stream(
        &self,
        stream: &str,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        for seq in self.seqs_of_stream(stream)? {
            if seq > to {
                break;
            }
            if let Some(event) = self.get(seq)?
                && f(&event).is_break()
            {
                break;
            }
        }
        Ok(())
    }
}

impl SnapshotStore for EventLog {
    fn nearest(
        &self,
        projection: &str,
        version: u32,
        at_or_below: u64,
    ) -> anyhow::Result<Option<(u64, Vec<u8>)>> {
        Ok(self.nearest_snapshot(projection, version, at_or_below)?)
    }

    fn put(&self, projection: &str, version: u32, seq: u64, state: &[u8]) -> anyhow::Result<()> {
        Ok(self.cache_snapshot(projection, version, seq, state)?)
    }

    /// In one transaction: the snapshots a rebuild takes at one seq (one
    /// per projection) arrive together.
    fn put_all(&self, snapshots: &[NewSnapshot<'_>]) -> Result<(), (usize, anyhow::Error)> {
        self.cache_snapshots(snapshots)
            .map_err(|error| (0, error.into()))
    }

    fn discard_other_versions(&self, projection: &str, keep_version: u32) -> anyhow::Result<()> {
        self.discard_snapshots(projection, Some(keep_version))?;
        Ok(())
    }

    /// In a durable commit, so that the space they held is free for the
    /// snapshots that replace them (space freed by a commit without
    /// durability is not reused until a durable one).
    fn discard_all(&self, projection: &str) -> anyhow::Result<()> {
        self.discard_snapshots(projection, None)?;
        Ok(())
    }
}

impl EventLog {
    /// Saves one snapshot without waiting for the disk: snapshots are a
    /// cache, so a crash may lose them but never the events. The next
    /// durable commit (any append, or [`EventLog::persist_snapshots`])
    /// makes them permanent.
    pub fn cache_snapshot(
        &self,
        projection: &str,
        version: u32,
        seq: u64,
        state: &[u8],
    ) -> Result<()> {
        self.cache_snapshots(&[NewSnapshot {
            projection,
            version,
            seq,
            state,
        }])
    }

    /// [`EventLog::cache_snapshot`] for several snapshots, in one
    /// transaction: all of them are saved, or none.
    pub fn cache_snapshots(&self, snapshots: &[NewSnapshot<'_>]) -> Result<()> {
        self.guarded(|| {
            let mut txn = self.db.begin_write()?;
            txn.set_durability(Durability::None)
                .map_err(super::StoreError::storage)?;
            {
                let mut table = txn.open_table(SNAPSHOTS)?;
                for snapshot in snapshots {
                    let packed = super::snapshots::pack(
                        snapshot.projection,
                        snapshot.version,
                        snapshot.seq,
                        snapshot.state,
                    );
                    table.insert(
                        (snapshot.projection, snapshot.version, snapshot.seq),
                        packed.as_slice(),
                    )?;
                }
            }
            txn.commit()?;
            Ok(())
        })
    }

    /// Makes snapshots cached by [`EventLog::cache_snapshot`] durable.
    pub fn persist_snapshots(&self) -> Result<()> {
        self.guarded(|| {
            let txn = self.db.begin_write()?;
            txn.commit()?;
            Ok(())
        })
    }

    /// How many snapshots the log holds, and their bytes.
    pub fn snapshot_stats(&self) -> Result<(u64, u64)> {
        self.guarded(|| {
            let txn = self.db.begin_read()?;
            let table = txn.open_table(SNAPSHOTS)?;
            let mut count = 0;
            let mut bytes = 0;
            for entry in table.iter()? {
                let (_, state) = entry?;
                count += 1;
                bytes += state.value().len() as u64;
            }
            Ok((count, bytes))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_put_together_are_each_found_where_they_were_taken() {
        let dir = tempfile::tempdir().unwrap();
        let log = EventLog::create(dir.path().join("log.redb")).unwrap();
        let states: [&[u8]; 3] = [b"first", b"second", b"other"];
        let snapshots = [
            NewSnapshot {
                projection: "orders",
                version: 2,
                seq: 10,
                state: states[0],
            },
            NewSnapshot {
                projection: "orders",
                version: 2,
                seq: 20,
                state: states[1],
            },
            NewSnapshot {
                projection: "types",
                version: 1,
                seq: 20,
                state: states[2],
            },
        ];
        SnapshotStore::put_all(&log, &snapshots).unwrap();
        assert_eq!(log.snapshot_seqs("orders", 2).unwrap(), [10, 20]);
        let nearest = |projection, version, seq| {
            SnapshotStore::nearest(&log, projection, version, seq).unwrap()
        };
        assert_eq!(nearest("orders", 2, 15), Some((10, b"first".to_vec())));
        assert_eq!(nearest("orders", 2, 99), Some((20, b"second".to_vec())));
        assert_eq!(nearest("types", 1, 20), Some((20, b"other".to_vec())));
        assert_eq!(nearest("types", 1, 19), None);
    }
}
