//! Event blocks: consecutive encoded events stored under one key, each
//! prefixed by its length. Block `b` holds seqs `b * BLOCK_EVENTS + 1` up to
//! `(b + 1) * BLOCK_EVENTS`; only the last block of a log may be shorter.

use super::codec::DecodeError;

/// Events per block: large enough that the per-insert cost of the B-tree
/// is spread thin, small enough that rewriting the tail block for a
/// one-event append stays cheap.
pub const BLOCK_EVENTS: u64 = 64;

/// Seqs of one type per type-index chunk.
pub const TYPE_CHUNK: usize = 4096;

/// The block that holds `seq` (1-based).
pub fn block_of(seq: u64) -> u64 {
    seq.saturating_sub(1) / BLOCK_EVENTS
}

/// The first seq stored in `block`.
/// Saturates for a block number no log reaches (a damaged key), which
/// then matches no seq expected.
pub fn first_seq_of(block: u64) -> u64 {
    block.saturating_mul(BLOCK_EVENTS).saturating_add(1)
}

/// Appends one encoded event to a block.
pub fn push_record(block: &mut Vec<u8>, record: &[u8]) {
    crate::varint::put(block, record.len() as u64);
    block.extend_from_slice(record);
}

/// The checksum of a block of events under its number (`BLOCK_SUMS`):
/// one CRC-32 over the key and the whole value, records, lengths and
/// their own checksums, so that a block moved under another number does not
/// match either.
pub fn sum(block_no: u64, block: &[u8]) -> u32 {
    super::checked::crc_under(block_no, block)
}

/// The records of a block, in order. A damaged length prefix surfaces as
/// an error for the record where the damage is met.
pub struct Records<'a> {
    bytes: &'a [u8],
}

pub fn records(block: &[u8]) -> Records<'_> {
    Records { bytes: block }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<&'a [u8], DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.bytes.is_empty() {
            return None;
        }
        let record = crate::varint::read(self.bytes).and_then(|(len, used)| {
            let len = usize::try_from(len).ok()?;
            Some((used, self.bytes.get(used..used.checked_add(len)?)?))
        });
        match record {
            Some((used, record)) => {
                self.bytes = &self.bytes[used + record.len()..];
                Some(Ok(record))
            }
            None => {
                self.bytes = &[];
                Some(Err(DecodeError::Malformed))
            }
        }
    }
}

/// Appends seqs to an index value.
pub fn push_seq(list: &mut Vec<u8>, seq: u64) {
    list.extend_from_slice(&seq.to_le_bytes());
}

/// The seqs of an index value.
pub fn seqs(list: &[u8]) -> impl Iterator<Item = u64> + '_ {
    list.chunks_exact(8).map(|chunk| {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(chunk);
        u64::from_le_bytes(bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_records_back_out() {
        let mut block = Vec::new();
        let long = vec![7u8; 300];
        push_record(&mut block, b"one");
        push_record(&mut block, &long);
        push_record(&mut block, b"");
        let parts: Vec<&[u8]> = records(&block).map(Result::unwrap).collect();
        assert_eq!(parts, [b"one".as_slice(), long.as_slice(), b"".as_slice()]);
    }

    #[test]
    fn a_length_running_past_the_end_is_an_error() {
        let mut block = Vec::new();
        push_record(&mut block, b"abc");
        block[0] = 10;
        assert!(records(&block).next().unwrap().is_err());
    }

    #[test]
    fn seqs_map_to_blocks() {
        assert_eq!(block_of(1), 0);
        assert_eq!(block_of(BLOCK_EVENTS), 0);
        assert_eq!(block_of(BLOCK_EVENTS + 1), 1);
        assert_eq!(first_seq_of(1), BLOCK_EVENTS + 1);
        // A damaged key far past any log: no seq, and no overflow.
        assert_eq!(first_seq_of(u64::MAX / 2), u64::MAX);
    }
}
