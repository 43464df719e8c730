//! Every redb table of a log, in one place. Nothing outside `store/` opens a
//! table. Names carry a version: a change of layout gets a new name.
//!
//! Format 2 put a checksum on every entry besides the events (which had
//! theirs from the start): see `checked.rs`. Format 3 added
//! [`STREAM_NAMES`], so that a log opens without reading every stream.
//! Format 4 added [`HEADS`], so that a fold of the events' fixed fields
//! reads a few bytes an event. Format 5 added [`BLOCK_SUMS`], so that a
//! scan checks a block of events with one checksum instead of one per
//! event. The tables of format 1 are named here only to recognise such a
//! log.

use redb::TableDefinition;

/// Meta key -> value with a checksum in front (`checked::sealed`): the
/// magic, the format version and the log's summary figures (see the
/// `META_*` keys).
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta-2");

/// The meta table of format 1, whose values had no checksum.
pub const META_FORMAT_1: TableDefinition<&str, &[u8]> = TableDefinition::new("meta-1");

/// block number -> the encoded events of seqs `block * BLOCK_EVENTS + 1 ..=
/// (block + 1) * BLOCK_EVENTS`, each length-prefixed (see `blocks.rs`,
/// `codec.rs`). Blocks, not one entry per event: a redb insert costs about
/// as much as encoding a whole block, so this makes imports several times
/// faster and scans touch fewer entries.
pub const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("event-blocks-1");

/// block number -> a checksum (of the key and the rest), then the heads
/// of that block's events in seq order: stream id, version, type id and
/// time, without the texts (see `heads.rs`). Written with every block of
/// [`EVENTS`], in the same transaction (format 4).
pub const HEADS: TableDefinition<u64, &[u8]> = TableDefinition::new("event-heads-1");

/// block number -> the CRC-32 of the block number (u64 LE) and of the
/// bytes of that block of [`EVENTS`] (see `blocks::sum`). Written with
/// every block whose events were all checked at their seqs or made in the
/// writing transaction, and removed with a block that was not (a damaged
/// tail block, or one not holding exactly the events before an append), so
/// that a sum never vouches for bytes nobody checked. A scan that finds a
/// block matching its sum skips the checksum of each of its events; one
/// with no sum, or not matching it, checks every event as before (format
/// 5).
pub const BLOCK_SUMS: TableDefinition<u64, u32> = TableDefinition::new("event-block-sums-1");

/// (type id, chunk number) -> a checksum, then up to `TYPE_CHUNK` seqs of
/// that type, in order (u64 LE each).
pub const TYPE_INDEX: TableDefinition<(u32, u32), &[u8]> = TableDefinition::new("type-seqs-2");

/// stream name -> (checksum, stream id, the seqs of its events in version
/// order, u64 LE each). Version `v` is at index `v - 1`, so the current
/// version is the length / 8. One table serves name -> id, the version and
/// the stream index: one insert per stream an append touches. (In format 2
/// it also gave each id its name, so opening a log read every entry.)
pub const STREAMS: TableDefinition<&str, (u32, u32, &[u8])> = TableDefinition::new("streams-2");

/// stream id -> (checksum, stream name): the name of an event's stream,
/// read where an event is decoded, so that opening a log reads none of
/// them (format 3). Ids are dense, from 0, in the order streams began.
pub const STREAM_NAMES: TableDefinition<u32, (u32, &str)> = TableDefinition::new("stream-names-1");

/// type name -> (checksum, type id, event count).
pub const TYPES: TableDefinition<&str, (u32, u32, u64)> = TableDefinition::new("types-2");

/// type id -> (checksum, type name).
pub const TYPE_NAMES: TableDefinition<u32, (u32, &str)> = TableDefinition::new("type-names-2");

/// Bucket (the top 16 bits of `checked::id_key(event id)`) -> the (id hash,
/// seq) pairs of the events whose ids fall in it, sorted, u64 LE each (see
/// `ids.rs`). Keeps ids unique in a log. No checksum of its own: every hit
/// is checked against the event it names, and `verify` rebuilds the whole
/// index from the events.
pub const IDS: TableDefinition<u64, &[u8]> = TableDefinition::new("ids-1");

/// (projection name, projection version, seq) -> saved projection state.
/// A cache: it can always be thrown away and rebuilt from the events.
pub const SNAPSHOTS: TableDefinition<(&str, u32, u64), &[u8]> = TableDefinition::new("snapshots-1");

/// Marks a redb file as an eventscope log.
pub const META_MAGIC: &str = "magic";
pub const MAGIC: &[u8] = b"eventscope log";
/// The layout version this build writes (u32, little endian).
pub const META_FORMAT: &str = "format";
pub const FORMAT_VERSION: u32 = 5;
/// Format 2 had no [`STREAM_NAMES`]: such a log is read with every stream
/// name loaded at open, and becomes format 3 with its first append.
pub const FORMAT_WITHOUT_STREAM_NAMES: u32 = 2;
/// Format 3 had no [`HEADS`]: such a log is folded from its events alone,
/// and becomes format 4 with its first append, which writes the heads of
/// every event it already holds.
pub const FORMAT_WITHOUT_HEADS: u32 = 3;
/// Format 4 had no [`BLOCK_SUMS`]: its scans check every event's own
/// checksum, and it becomes format 5 with its first append, which sums
/// every block whose events all check.
pub const FORMAT_WITHOUT_BLOCK_SUMS: u32 = 4;
/// The last seq written (u64 LE); 0 for an empty log.
pub const META_LAST_SEQ: &str = "last-seq";
/// The earliest and latest event time (i64 nanoseconds, LE).
pub const META_FIRST_TIME: &str = "first-time";
pub const META_LAST_TIME: &str = "last-time";
/// Where the events were copied from and how far (opaque bytes owned by the
/// importer, e.g. a server's identity and its last position), so that a
/// later import continues exactly where this one stopped.
pub const META_SOURCE: &str = "source";
