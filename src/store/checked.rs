//! Checksums over everything the store keeps besides the events: the meta
//! figures, stream and type names, counts and the indexes. redb checks its
//! pages' structure, not the bytes of a value, so without these a flipped
//! bit in a name would rename a stream everywhere and pass `verify`.
//!
//! Each CRC-32 covers the entry's key as well as its value, so a value
//! under the wrong key is caught too.

use super::{Result, StoreError};

/// A fresh CRC-32 hasher: a copy of one made once. Making one asks the
/// processor what it can do, which for every record and stream name a
/// scan checks was 1.4% of its instructions.
pub fn hasher() -> crc32fast::Hasher {
    static MADE: std::sync::OnceLock<crc32fast::Hasher> = std::sync::OnceLock::new();
    MADE.get_or_init(crc32fast::Hasher::new).clone()
}

/// The CRC-32 of a key (u64, little-endian) and the bytes kept under it:
/// what an event's record is checked with under its seq, and a block of
/// events under its number.
pub fn crc_under(key: u64, bytes: &[u8]) -> u32 {
    let mut hasher = hasher();
    hasher.update(&key.to_le_bytes());
    hasher.update(bytes);
    hasher.finalize()
}

/// Hands `take` the bytes a sum covers, in order: each part's length (8
/// bytes, little-endian), then the part. The length first, so that moving
/// bytes from one part to the next changes the sum.
fn covered(parts: &[&[u8]], mut take: impl FnMut(&[u8])) {
    for part in parts {
        take(&(part.len() as u64).to_le_bytes());
        take(part);
    }
}

fn crc(parts: &[&[u8]]) -> u32 {
    let mut hasher = hasher();
    let length: usize = parts.iter().map(|part| 8 + part.len()).sum();
    // A small entry (a name, a count) is copied and summed in one update:
    // each update of the hasher costs more than a few bytes.
    let mut small = [0u8; 128];
    match small.get_mut(..length) {
        Some(small) => {
            let mut at = 0;
            covered(parts, |bytes| {
                small[at..at + bytes.len()].copy_from_slice(bytes);
                at += bytes.len();
            });
            hasher.update(small);
        }
        None => covered(parts, |bytes| hasher.update(bytes)),
    }
    hasher.finalize()
}

fn damaged(what: impl std::fmt::Display) -> StoreError {
    StoreError::IndexDamaged {
        what: format!("{what} does not match its checksum"),
    }
}

/// The checksum of a stream entry: its name, id and seqs.
pub fn stream_crc(name: &str, id: u32, seqs: &[u8]) -> u32 {
    crc(&[name.as_bytes(), &id.to_le_bytes(), seqs])
}

/// A stream entry's id and seqs, once its checksum matches.
pub fn open_stream<'a>(
    name: &str,
    (sum, id, seqs): (u32, u32, &'a [u8]),
) -> Result<(u32, &'a [u8])> {
    if stream_crc(name, id, seqs) != sum || !seqs.len().is_multiple_of(8) {
        return Err(damaged("the entry of a stream"));
    }
    Ok((id, seqs))
}

/// The checksum of a type entry: its name, id and count.
pub fn type_crc(name: &str, id: u32, count: u64) -> u32 {
    crc(&[name.as_bytes(), &id.to_le_bytes(), &count.to_le_bytes()])
}

/// A type entry's id and count, once its checksum matches.
pub fn open_type(name: &str, (sum, id, count): (u32, u32, u64)) -> Result<(u32, u64)> {
    if type_crc(name, id, count) != sum {
        return Err(damaged("the entry of an event type"));
    }
    Ok((id, count))
}

/// The checksum of a type id's name.
pub fn type_name_crc(id: u32, name: &str) -> u32 {
    crc(&[&id.to_le_bytes(), name.as_bytes()])
}

/// A type id's name, once its checksum matches.
pub fn open_type_name(id: u32, (sum, name): (u32, &str)) -> Result<&str> {
    if type_name_crc(id, name) != sum {
        return Err(damaged(format!("the name of event type id {id}")));
    }
    Ok(name)
}

/// The checksum of a stream id's name. The word in front keeps it apart
/// from a type name's of the same id and text.
pub fn stream_name_crc(id: u32, name: &str) -> u32 {
    crc(&[b"stream", &id.to_le_bytes(), name.as_bytes()])
}

/// A stream id's name, once its checksum matches.
pub fn open_stream_name(id: u32, (sum, name): (u32, &str)) -> Result<&str> {
    if stream_name_crc(id, name) != sum {
        return Err(damaged(format!("the name of stream id {id}")));
    }
    Ok(name)
}

/// Room for the checksum at the front of a sealed value; see [`seal`].
pub const SEAL: usize = 4;

/// Writes the checksum of `key` and `value[SEAL..]` into `value[..SEAL]`.
pub fn seal(key: &[u8], value: &mut [u8]) {
    let sum = crc(&[key, &value[SEAL..]]);
    value[..SEAL].copy_from_slice(&sum.to_le_bytes());
}

/// `value` with a checksum in front, for tables of plain bytes.
pub fn sealed(key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SEAL + value.len());
    out.extend_from_slice(&[0; SEAL]);
    out.extend_from_slice(value);
    seal(key, &mut out);
    out
}

/// The bytes of a sealed value, once its checksum matches.
pub fn open_sealed<'a>(key: &[u8], stored: &'a [u8], what: &str) -> Result<&'a [u8]> {
    let (sum, value) = stored.split_at_checked(SEAL).ok_or_else(|| damaged(what))?;
    let sum = u32::from_le_bytes(sum.try_into().map_err(|_| damaged(what))?);
    if crc(&[key, value]) != sum {
        return Err(damaged(what));
    }
    Ok(value)
}

/// The key bytes of a type index chunk, for its checksum.
pub fn chunk_key(type_id: u32, chunk: u32) -> [u8; 8] {
    let mut key = [0; 8];
    key[..4].copy_from_slice(&type_id.to_le_bytes());
    key[4..].copy_from_slice(&chunk.to_le_bytes());
    key
}

/// The id index's key for an event id: a 64-bit FNV-1a hash. Fixed-width
/// keys keep the index small and its inserts fast; two ids with one hash
/// share the entry, and every hit is confirmed against the stored event.
pub fn id_key(id: &str) -> u64 {
    id_key_of(&[id.as_bytes()])
}

/// [`id_key`] of the id made of `parts` one after another.
pub fn id_key_of(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flipped_bit_of_a_name_is_caught() {
        let seqs = 7u64.to_le_bytes();
        let sum = stream_crc("customer-27", 3, &seqs);
        assert!(open_stream("customer-27", (sum, 3, &seqs)).is_ok());
        let name = b"customer-27".to_vec();
        for index in 0..name.len() {
            for bit in 0..8 {
                let mut damaged = name.clone();
                damaged[index] ^= 1 << bit;
                let damaged = String::from_utf8_lossy(&damaged).into_owned();
                assert!(open_stream(&damaged, (sum, 3, &seqs)).is_err());
                assert!(open_type_name(3, (type_name_crc(3, "customer-27"), &damaged)).is_err());
            }
        }
        assert!(open_stream("customer-27", (sum, 4, &seqs)).is_err());
    }

    #[test]
    fn a_sealed_value_checks_its_key_and_bytes() {
        let stored = sealed(b"last-seq", &5u64.to_le_bytes());
        assert_eq!(
            open_sealed(b"last-seq", &stored, "x").unwrap(),
            5u64.to_le_bytes()
        );
        assert!(open_sealed(b"last-sep", &stored, "x").is_err());
        let mut flipped = stored.clone();
        flipped[6] ^= 1;
        assert!(open_sealed(b"last-seq", &flipped, "x").is_err());
        assert!(open_sealed(b"last-seq", &stored[..3], "x").is_err());
    }

    /// The sum of `parts` with each length and part handed to the hasher
    /// in turn: what one update over a copy must agree with.
    fn crc_part_by_part(parts: &[&[u8]]) -> u32 {
        let mut hasher = crc32fast::Hasher::new();
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.finalize()
    }

    #[test]
    fn a_sum_is_the_same_in_one_update_as_part_by_part() {
        let long = "n".repeat(200);
        let parts: [&[&[u8]]; 4] = [
            &[b"stream", &7u32.to_le_bytes(), b"order-12"],
            &[long.as_bytes()],
            &[b"a", long.as_bytes()],
            &[],
        ];
        for parts in parts {
            assert_eq!(crc(parts), crc_part_by_part(parts));
        }
        // Stored in every log: it must never change between builds.
        assert_eq!(stream_name_crc(7, "order-12"), 3_383_523_671);
    }

    #[test]
    fn id_keys_are_stable() {
        // The hash is stored: it must never change between builds.
        assert_eq!(id_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(id_key("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
