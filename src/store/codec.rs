//! The stored form of an event: a compact binary envelope around the JSON
//! payload, guarded by a CRC-32 that also covers the event's seq, so damage
//! redb cannot see (a flipped byte inside a value, a value under the wrong
//! key) is reported instead of shown as data.
//!
//! ```text
//! crc32 (4, LE) | flags (1) | stream id | version | type id   (varints)
//! [time (8, LE nanos)] | [id len, id] | data len, data | [metadata len, metadata]
//! ```
//! `flags` bit 0: the id is the derived `<stream>/<version>` and not stored;
//! bit 1: metadata present; bit 2: the event has no time, and none is
//! stored (records written before events could lack one never set it).

use std::sync::Arc;

use super::checked::crc_under;
#[cfg(test)]
use crate::event::Event;
use crate::event::{Timestamp, derived_id};
use crate::event_view::{EventView, ViewParts};

const FLAG_DERIVED_ID: u8 = 1;
const FLAG_METADATA: u8 = 2;
const FLAG_NO_TIME: u8 = 4;

/// The parts of an event the store encodes, by reference.
pub struct EventParts<'a> {
    pub seq: u64,
    pub stream_id: u32,
    pub stream: &'a str,
    pub version: u64,
    pub type_id: u32,
    pub time: Option<Timestamp>,
    pub id: Option<&'a str>,
    pub data: &'a str,
    pub metadata: Option<&'a str>,
}

/// Encodes into `out` (cleared first).
pub fn encode(parts: &EventParts<'_>, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&[0; 4]);
    let derived = match parts.id {
        None => true,
        Some(id) => is_derived_id(id, parts.stream, parts.version),
    };
    let mut flags = 0;
    if derived {
        flags |= FLAG_DERIVED_ID;
    }
    if parts.metadata.is_some() {
        flags |= FLAG_METADATA;
    }
    if parts.time.is_none() {
        flags |= FLAG_NO_TIME;
    }
    out.push(flags);
    put_varint(out, u64::from(parts.stream_id));
    put_varint(out, parts.version);
    put_varint(out, u64::from(parts.type_id));
    if let Some(time) = parts.time {
        out.extend_from_slice(&time.unix_nanos().to_le_bytes());
    }
    if let (false, Some(id)) = (derived, parts.id) {
        put_bytes(out, id.as_bytes());
    }
    put_bytes(out, parts.data.as_bytes());
    if let Some(metadata) = parts.metadata {
        put_bytes(out, metadata.as_bytes());
    }
    let crc = crc_under(parts.seq, &out[4..]);
    out[..4].copy_from_slice(&crc.to_le_bytes());
}

fn is_derived_id(id: &str, stream: &str, version: u64) -> bool {
    id.strip_prefix(stream)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|number| number.parse::<u64>().ok())
        .is_some_and(|v| v == version && id.len() == derived_id(stream, version).len())
}

/// Writes a record's checksum again, after a test changed its bytes: what
/// a crafted file would hold.
#[cfg(test)]
pub fn reseal(seq: u64, record: &mut [u8]) {
    let crc = crc_under(seq, &record[4..]);
    record[..4].copy_from_slice(&crc.to_le_bytes());
}

/// Why a stored event could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes do not match their checksum.
    Checksum,
    /// The checksum matched but the layout is impossible, or names an
    /// unknown stream or type.
    Malformed,
}

/// The raw fields of a stored event, before names are resolved.
pub struct Decoded<'a> {
    pub stream_id: u32,
    pub version: u64,
    pub type_id: u32,
    pub time: Option<Timestamp>,
    pub id: Option<&'a str>,
    pub data: &'a str,
    pub metadata: Option<&'a str>,
}

/// The raw fields of a stored event whose checksum matched, its text not
/// yet checked as UTF-8 (see [`RawBytes::checked`]).
pub struct RawBytes<'a> {
    pub stream_id: u32,
    pub version: u64,
    pub type_id: u32,
    pub time: Option<Timestamp>,
    pub id: Option<&'a [u8]>,
    pub data: &'a [u8],
    pub metadata: Option<&'a [u8]>,
}

impl<'a> RawBytes<'a> {
    /// The fields, once each text is valid UTF-8.
    pub fn checked(self) -> Result<Decoded<'a>, DecodeError> {
        let text = |bytes: &'a [u8]| {
            // With SIMD, where the processor has it.
            simdutf8::basic::from_utf8(bytes).map_err(|_| DecodeError::Malformed)
        };
        Ok(Decoded {
            stream_id: self.stream_id,
            version: self.version,
            type_id: self.type_id,
            time: self.time,
            id: self.id.map(text).transpose()?,
            data: text(self.data)?,
            metadata: self.metadata.map(text).transpose()?,
        })
    }
}

/// Checks the checksum and splits the envelope, borrowing from `bytes`.
pub fn decode_raw(seq: u64, bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    decode_raw_bytes(seq, bytes)?.checked()
}

/// [`decode_raw`] but for the UTF-8 check of the text, which a caller
/// checking many events at once does itself.
#[inline]
pub fn decode_raw_bytes(seq: u64, bytes: &[u8]) -> Result<RawBytes<'_>, DecodeError> {
    let (crc, body) = bytes.split_at_checked(4).ok_or(DecodeError::Checksum)?;
    let stored = u32::from_le_bytes(crc.try_into().map_err(|_| DecodeError::Checksum)?);
    if crc_under(seq, body) != stored {
        return Err(DecodeError::Checksum);
    }
    split(body)
}

/// [`decode_raw_bytes`] of a record whose whole block matched its sum
/// (`blocks::sum`): every record of such a block was checked, or made,
/// when its sum was written, so its own checksum is not computed again.
/// Its layout is still checked, and its text is left to be checked as
/// UTF-8 as every record's is.
#[inline]
pub fn decode_summed(bytes: &[u8]) -> Result<RawBytes<'_>, DecodeError> {
    split(bytes.get(4..).ok_or(DecodeError::Checksum)?)
}

/// The fields of a record's body (what follows its checksum).
#[inline]
fn split(body: &[u8]) -> Result<RawBytes<'_>, DecodeError> {
    let mut reader = Reader { bytes: body };
    let flags = reader.byte()?;
    let stream_id = u32::try_from(reader.varint()?).map_err(|_| DecodeError::Malformed)?;
    let version = reader.varint()?;
    let type_id = u32::try_from(reader.varint()?).map_err(|_| DecodeError::Malformed)?;
    let time = if flags & FLAG_NO_TIME == 0 {
        Some(Timestamp::from_unix_nanos(i64::from_le_bytes(
            reader
                .take(8)?
                .try_into()
                .map_err(|_| DecodeError::Malformed)?,
        )))
    } else {
        None
    };
    let id = if flags & FLAG_DERIVED_ID == 0 {
        Some(reader.text()?)
    } else {
        None
    };
    let data = reader.text()?;
    let metadata = if flags & FLAG_METADATA != 0 {
        Some(reader.text()?)
    } else {
        None
    };
    if !reader.bytes.is_empty() {
        return Err(DecodeError::Malformed);
    }
    Ok(RawBytes {
        stream_id,
        version,
        type_id,
        time,
        id,
        data,
        metadata,
    })
}

/// Decodes a stored event, resolving interned names through `streams` and
/// `types` (indexed by id).
#[cfg(test)]
pub fn decode(
    seq: u64,
    bytes: &[u8],
    streams: &[Arc<str>],
    types: &[Arc<str>],
) -> Result<Event, DecodeError> {
    let raw = decode_raw(seq, bytes)?;
    let stream = streams
        .get(raw.stream_id as usize)
        .ok_or(DecodeError::Malformed)?;
    resolve(seq, raw, stream, types).map(|view| view.to_event())
}

/// The view of fields already split (and checked) by [`decode_raw`], with
/// the name of its stream and the type names (indexed by id).
pub fn resolve<'a>(
    seq: u64,
    raw: Decoded<'a>,
    stream: &'a str,
    types: &'a [Arc<str>],
) -> Result<EventView<'a>, DecodeError> {
    let event_type = types
        .get(raw.type_id as usize)
        .ok_or(DecodeError::Malformed)?;
    Ok(EventView::from_trusted(ViewParts {
        seq,
        stream,
        version: raw.version,
        event_type,
        id: raw.id,
        time: raw.time,
        data: raw.data,
        metadata: raw.metadata,
    }))
}

fn put_varint(out: &mut Vec<u8>, value: u64) {
    crate::varint::put(out, value);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, DecodeError> {
        let (&first, rest) = self.bytes.split_first().ok_or(DecodeError::Malformed)?;
        self.bytes = rest;
        Ok(first)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let (value, used) = crate::varint::read(self.bytes).ok_or(DecodeError::Malformed)?;
        self.bytes = &self.bytes[used..];
        Ok(value)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        let (taken, rest) = self
            .bytes
            .split_at_checked(len)
            .ok_or(DecodeError::Malformed)?;
        self.bytes = rest;
        Ok(taken)
    }

    /// A length-prefixed text, its bytes as stored.
    fn text(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = usize::try_from(self.varint()?).map_err(|_| DecodeError::Malformed)?;
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Json;

    fn parts<'a>(id: Option<&'a str>, metadata: Option<&'a str>) -> EventParts<'a> {
        EventParts {
            seq: 42,
            stream_id: 3,
            stream: "customer-7",
            version: 300,
            type_id: 1,
            time: Some(Timestamp::from_unix_millis(1_700_000_000_123)),
            id,
            data: r#"{"name":"Ada"}"#,
            metadata,
        }
    }

    #[test]
    fn round_trips_with_and_without_optional_parts() {
        let streams: Vec<Arc<str>> = ["a", "b", "c", "customer-7"].map(Arc::from).to_vec();
        let types: Vec<Arc<str>> = ["X", "CustomerRegistered"].map(Arc::from).to_vec();
        for (id, metadata) in [
            (None, None),
            (Some("evt-1"), Some(r#"{"correlation_id":"c"}"#)),
            (Some("customer-7/300"), None),
        ] {
            let mut bytes = Vec::new();
            encode(&parts(id, metadata), &mut bytes);
            let event = decode(42, &bytes, &streams, &types).unwrap();
            assert_eq!(&*event.stream, "customer-7");
            assert_eq!(event.version, 300);
            assert_eq!(&*event.event_type, "CustomerRegistered");
            assert_eq!(event.id, id.unwrap_or("customer-7/300"));
            assert_eq!(event.data.as_str(), r#"{"name":"Ada"}"#);
            assert_eq!(event.metadata.as_ref().map(Json::as_str), metadata);
            assert_eq!(event.time.unwrap().unix_millis(), 1_700_000_000_123);
        }
    }

    #[test]
    fn an_event_without_a_time_is_stored_without_one() {
        let streams: Vec<Arc<str>> = ["a", "b", "c", "customer-7"].map(Arc::from).to_vec();
        let types: Vec<Arc<str>> = ["X", "Y"].map(Arc::from).to_vec();
        let mut timed = Vec::new();
        encode(&parts(None, None), &mut timed);
        let mut untimed = Vec::new();
        encode(
            &EventParts {
                time: None,
                ..parts(None, None)
            },
            &mut untimed,
        );
        assert_eq!(untimed.len() + 8, timed.len());
        assert_eq!(decode(42, &untimed, &streams, &types).unwrap().time, None);
        // Records from before bit 2 existed read as they always did.
        assert!(decode(42, &timed, &streams, &types).unwrap().time.is_some());
    }

    #[test]
    fn a_derived_id_is_not_stored_but_a_lookalike_is() {
        let mut derived = Vec::new();
        encode(&parts(Some("customer-7/300"), None), &mut derived);
        let mut lookalike = Vec::new();
        encode(&parts(Some("customer-7/0300"), None), &mut lookalike);
        assert!(derived.len() < lookalike.len());
        let streams: Vec<Arc<str>> = ["a", "b", "c", "customer-7"].map(Arc::from).to_vec();
        let types: Vec<Arc<str>> = ["X", "Y"].map(Arc::from).to_vec();
        assert_eq!(
            decode(42, &lookalike, &streams, &types).unwrap().id,
            "customer-7/0300"
        );
    }

    #[test]
    fn every_flipped_bit_is_caught() {
        let mut bytes = Vec::new();
        encode(&parts(Some("evt-1"), Some("{}")), &mut bytes);
        for index in 0..bytes.len() {
            for bit in 0..8 {
                let mut damaged = bytes.clone();
                damaged[index] ^= 1 << bit;
                assert!(decode_raw(42, &damaged).is_err(), "byte {index} bit {bit}");
            }
        }
        assert!(
            decode_raw(43, &bytes).is_err(),
            "a value under the wrong seq"
        );
        assert!(decode_raw(42, &bytes[..bytes.len() - 1]).is_err());
        assert!(decode_raw(42, &[]).is_err());
    }
}

/// The decoder meets whatever bytes a damaged file holds: it must refuse
/// or decode them, never panic, and never accept a changed record. The
/// case count follows `PROPTEST_CASES` (256 by default), so a longer run
/// is `PROPTEST_CASES=1000000 cargo test --release --lib store::codec`.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    use super::*;
    use crate::store::blocks;

    fn names() -> (Vec<Arc<str>>, Vec<Arc<str>>) {
        let streams = ["a", "customer-7"].map(Arc::from).to_vec();
        let types = ["X", "Y"].map(Arc::from).to_vec();
        (streams, types)
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(seq in any::<u64>(), bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let (streams, types) = names();
            let _ = decode(seq, &bytes, &streams, &types);
            for record in blocks::records(&bytes).flatten() {
                let _ = decode(seq, record, &streams, &types);
            }
        }

        #[test]
        fn a_changed_record_is_refused(
            data in "[ -~]{0,40}",
            id in proptest::option::of("[a-z0-9-]{1,12}"),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let data = serde_json::to_string(&data).unwrap();
            let parts = EventParts {
                seq: 9,
                stream_id: 1,
                stream: "customer-7",
                version: 3,
                type_id: 1,
                time: Some(Timestamp::from_unix_millis(1_700_000_000_000)),
                id: id.as_deref(),
                data: &data,
                metadata: None,
            };
            let mut bytes = Vec::new();
            encode(&parts, &mut bytes);
            let (streams, types) = names();
            prop_assert!(decode(9, &bytes, &streams, &types).is_ok());
            let at = at.index(bytes.len());
            bytes[at] ^= flip;
            prop_assert!(decode(9, &bytes, &streams, &types).is_err());
        }
    }
}
