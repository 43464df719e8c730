//! Projection snapshots: a cache of saved states keyed by (projection,
//! projection version, seq). Never touches the events.
//!
//! States are stored LZ4-compressed when that pays: a snapshot is read
//! whole on every time travel, and reading a third of the bytes out of redb
//! more than pays for the decompression (and the cache takes a third of the
//! disk). A state that LZ4 would not halve (a map of numbered streams and
//! small figures, already varints, shrinks by a quarter) is stored as it
//! is, which saves a rebuild the compression's time. A CRC-32 over the key and the stored
//! bytes guards each one; a damaged snapshot is passed over for an older
//! one, since the events can always rebuild it.
//!
//! The two stored forms are told apart by their checksums: a state stored
//! as it is has a word folded into its CRC first, so that an eventscope
//! that knows only the compressed form sees a damaged snapshot, passes it
//! over, and never restores the bytes as something else.

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

/// How a state is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Lz4,
    AsItIs,
}

/// The first bytes of a state that are compressed to see whether the
/// whole is worth it.
const SAMPLE: usize = 64 * 1024;

/// A sample that LZ4 leaves at more than this share of its size (in
/// sixteenths) is not worth compressing: the whole is stored as it is.
/// Compressing costs a rebuild about 5 ns a byte on the writer's core;
/// storing and reading back a third more bytes costs far less, and only a
/// state that halves saves disk worth having.
const WORTH_SIXTEENTHS: usize = 8;

/// The form `state` is best stored in: compressed when its first bytes
/// shrink to half or less.
fn form_for(state: &[u8]) -> Form {
    let sample = &state[..state.len().min(SAMPLE)];
    let compressed = lz4_flex::block::get_maximum_output_size(sample.len());
    let mut scratch = vec![0; compressed];
    match lz4_flex::block::compress_into(sample, &mut scratch) {
        Ok(size) if size * 16 <= sample.len() * WORTH_SIXTEENTHS => Form::Lz4,
        _ => Form::AsItIs,
    }
}

fn checksum(form: Form, projection: &str, version: u32, seq: u64, body: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    if form == Form::AsItIs {
        hasher.update(b"stored as it is");
    }
    hasher.update(projection.as_bytes());
    hasher.update(&version.to_le_bytes());
    hasher.update(&seq.to_le_bytes());
    hasher.update(body);
    hasher.finalize()
}

/// The stored form of a snapshot: CRC-32, then the state, LZ4-compressed
/// (its size in front) or as it is (see [`form_for`]).
pub(super) fn pack(projection: &str, version: u32, seq: u64, state: &[u8]) -> Vec<u8> {
    pack_as(form_for(state), projection, version, seq, state)
}

fn pack_as(form: Form, projection: &str, version: u32, seq: u64, state: &[u8]) -> Vec<u8> {
    let compressed;
    let body = match form {
        Form::Lz4 => {
            compressed = lz4_flex::compress_prepend_size(state);
            &compressed[..]
        }
        Form::AsItIs => state,
    };
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&checksum(form, projection, version, seq, body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The state of a stored snapshot, in either form, or `None` if it is
/// damaged.
fn unpack(projection: &str, version: u32, seq: u64, stored: &[u8]) -> Option<Vec<u8>> {
    let (crc, body) = stored.split_at_checked(4)?;
    let crc = u32::from_le_bytes(crc.try_into().ok()?);
    if checksum(Form::Lz4, projection, version, seq, body) == crc {
        return lz4_flex::decompress_size_prepended(body).ok();
    }
    (checksum(Form::AsItIs, projection, version, seq, body) == crc).then(|| body.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an eventscope that knows only the compressed form reads.
    fn unpack_lz4_only(projection: &str, version: u32, seq: u64, stored: &[u8]) -> Option<Vec<u8>> {
        let (crc, body) = stored.split_at_checked(4)?;
        let crc = u32::from_le_bytes(crc.try_into().ok()?);
        if checksum(Form::Lz4, projection, version, seq, body) != crc {
            return None;
        }
        lz4_flex::decompress_size_prepended(body).ok()
    }

    /// Bytes LZ4 cannot shrink (an xorshift's), and bytes it can.
    fn states() -> (Vec<u8>, Vec<u8>) {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise = (0..100_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let text = b"customer-27 ordered 3 items; ".repeat(4_000);
        (noise, text)
    }

    #[test]
    fn a_state_is_stored_compressed_only_when_that_pays() {
        let (noise, text) = states();
        for (state, form) in [
            (&noise, Form::AsItIs),
            (&text, Form::Lz4),
            (&Vec::new(), Form::AsItIs),
        ] {
            assert_eq!(form_for(state), form);
            let stored = pack("orders", 3, 42, state);
            if form == Form::AsItIs {
                assert_eq!(stored.len(), state.len() + 4);
            } else {
                assert!(stored.len() < state.len() / 4);
            }
            assert_eq!(unpack("orders", 3, 42, &stored).as_ref(), Some(state));
            // Another key does not read it.
            assert_eq!(unpack("orders", 3, 43, &stored), None);
            assert_eq!(unpack("order", 3, 42, &stored), None);
        }
    }

    #[test]
    fn a_state_stored_as_it_is_reads_as_damaged_to_a_build_that_only_decompresses() {
        let (noise, text) = states();
        let as_it_is = pack_as(Form::AsItIs, "orders", 3, 42, &text);
        assert_eq!(unpack_lz4_only("orders", 3, 42, &as_it_is), None);
        assert_eq!(unpack("orders", 3, 42, &as_it_is), Some(text.clone()));
        let compressed = pack_as(Form::Lz4, "orders", 3, 42, &noise);
        assert_eq!(
            unpack_lz4_only("orders", 3, 42, &compressed),
            Some(noise.clone())
        );
        assert_eq!(unpack("orders", 3, 42, &compressed), Some(noise));
    }

    #[test]
    fn every_flipped_bit_of_a_stored_snapshot_is_damage_in_either_form() {
        let state: Vec<u8> = (0..300u32).flat_map(|n| (n * 7).to_le_bytes()).collect();
        for form in [Form::Lz4, Form::AsItIs] {
            let stored = pack_as(form, "streams", 2, 9, &state);
            assert_eq!(unpack("streams", 2, 9, &stored), Some(state.clone()));
            for at in 0..stored.len() {
                for bit in 0..8 {
                    let mut flipped = stored.clone();
                    flipped[at] ^= 1 << bit;
                    assert_eq!(
                        unpack("streams", 2, 9, &flipped),
                        None,
                        "{form:?}, byte {at}"
                    );
                }
            }
        }
    }
}
