//! Projection snapshots: a cache of saved states keyed by (projection,
//! projection version, seq). Never touches the events.
//!
//! States are stored LZ4-compressed: a snapshot is read whole on every time
//! travel, and reading a third of the bytes out of redb more than pays for
//! the decompression (and the cache takes a third of the disk). A CRC-32
//! over the key and the stored bytes guards each one; a damaged snapshot is
//! passed over for an older one, since the events can always rebuild it.

use redb::ReadableTable;

use super::tables::SNAPSHOTS;
use super::{EventLog, Result};

impl EventLog {
    /// The latest snapshot of `projection` at `version` taken at or below
    /// `seq`: its seq and saved state.
    pub fn nearest_snapshot(
        &self,
        projection: &str,
        version: u32,
        seq: u64,
    ) -> Result<Option<(u64, Vec<u8>)>> {
        self.guarded(|| {
            let txn = self.db.begin_read()?;
            let table = txn.open_table(SNAPSHOTS)?;
            let range = table.range((projection, version, 0)..=(projection, version, seq))?;
            for entry in range.rev() {
                let (key, stored) = entry?;
                let seq = key.value().2;
                if let Some(state) = unpack(projection, version, seq, stored.value()) {
                    return Ok(Some((seq, state)));
                }
            }
            Ok(None)
        })
    }

    /// The seqs of the snapshots of `projection` at `version`.
    pub fn snapshot_seqs(&self, projection: &str, version: u32) -> Result<Vec<u64>> {
        self.guarded(|| {
            let txn = self.db.begin_read()?;
            let table = txn.open_table(SNAPSHOTS)?;
            let mut seqs = Vec::new();
            for entry in table.range((projection, version, 0)..=(projection, version, u64::MAX))? {
                seqs.push(entry?.0.value().2);
            }
            Ok(seqs)
        })
    }

    /// Saves snapshots in one transaction.
    pub fn put_snapshots(&self, snapshots: &[(&str, u32, u64, &[u8])]) -> Result<()> {
        self.guarded(|| {
            let txn = self.db.begin_write()?;
            {
                let mut table = txn.open_table(SNAPSHOTS)?;
                for &(projection, version, seq, state) in snapshots {
                    let packed = pack(projection, version, seq, state);
                    table.insert((projection, version, seq), packed.as_slice())?;
                }
            }
            txn.commit()?;
            Ok(())
        })
    }

    /// Removes the snapshots of `projection` at any version but `keep`
    /// (`None`: all of them).
    pub fn discard_snapshots(&self, projection: &str, keep: Option<u32>) -> Result<u64> {
        self.guarded(|| {
            let txn = self.db.begin_write()?;
            let mut removed = 0;
            {
                let mut table = txn.open_table(SNAPSHOTS)?;
                let mut doomed = Vec::new();
                for entry in table.range((projection, 0, 0)..=(projection, u32::MAX, u64::MAX))? {
                    let (key, _) = entry?;
                    let (_, version, seq) = key.value();
                    if Some(version) != keep {
                        doomed.push((version, seq));
                    }
                }
                for (version, seq) in doomed {
                    table.remove((projection, version, seq))?;
                    removed += 1;
                }
            }
            txn.commit()?;
            Ok(removed)
        })
    }
}

fn checksum(projection: &str, version: u32, seq: u64, body: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(projection.as_bytes());
    hasher.update(&version.to_le_bytes());
    hasher.update(&seq.to_le_bytes());
    hasher.update(body);
    hasher.finalize()
}

/// The stored form of a snapshot: CRC-32, then the LZ4-compressed state.
pub(super) fn pack(projection: &str, version: u32, seq: u64, state: &[u8]) -> Vec<u8> {
    let body = lz4_flex::compress_prepend_size(state);
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&checksum(projection, version, seq, &body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// The state of a stored snapshot, or `None` if it is damaged.
fn unpack(projection: &str, version: u32, seq: u64, stored: &[u8]) -> Option<Vec<u8>> {
    let (crc, body) = stored.split_at_checked(4)?;
    let crc = u32::from_le_bytes(crc.try_into().ok()?);
    if checksum(projection, version, seq, body) != crc {
        return None;
    }
    lz4_flex::decompress_size_prepended(body).ok()
}
