//! Event heads: the fixed fields of every event (stream id, version, type
//! id, time), block by block, stored apart from the events' texts.
//!
//! A fold that reads nothing else (counts by type and over time, each
//! stream's version and last event) reads these instead of the events: a
//! few bytes an event instead of a few hundred, as a column store reads one
//! column. Every block of heads carries its own checksum (over its key and
//! bytes), written in the same transaction as the block of events it
//! mirrors; `verify` checks that the two agree event for event.
//!
//! One head is, each as a LEB128 varint: the stream id, the version, the
//! type id shifted left by one with the low bit set when the event has a
//! time, and then, for a timed event, the step from the last time in the
//! block (zigzag, wrapping: any two times have an exact step).

use super::checked;
use super::codec::{DecodeError, Decoded};
use crate::event::Timestamp;
use crate::varint;

/// The fixed fields of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub stream_id: u32,
    pub version: u64,
    pub type_id: u32,
    pub time: Option<Timestamp>,
}

impl Head {
    /// The head of a decoded event.
    pub fn of(event: &Decoded<'_>) -> Head {
        Head {
            stream_id: event.stream_id,
            version: event.version,
            type_id: event.type_id,
            time: event.time,
        }
    }
}

/// The heads of one block being written: room for the checksum in front,
/// then each head.
#[derive(Debug)]
pub struct BlockHeads {
    bytes: Vec<u8>,
    /// The last time written in this block (its nanoseconds), 0 before one.
    last_time: i64,
}

impl BlockHeads {
    pub fn new() -> BlockHeads {
        let mut bytes = Vec::with_capacity(checked::SEAL + 64 * 12);
        bytes.extend_from_slice(&[0; checked::SEAL]);
        BlockHeads {
            bytes,
            last_time: 0,
        }
    }

    pub fn push(&mut self, head: &Head) {
        varint::put(&mut self.bytes, u64::from(head.stream_id));
        varint::put(&mut self.bytes, head.version);
        let timed = u64::from(head.time.is_some());
        varint::put(&mut self.bytes, (u64::from(head.type_id) << 1) | timed);
        if let Some(time) = head.time {
            let nanos = time.unix_nanos();
            varint::put(&mut self.bytes, zigzag(nanos.wrapping_sub(self.last_time)));
            self.last_time = nanos;
        }
    }

    /// The stored form of the block's heads, sealed with its number.
    pub fn sealed(&mut self, block_no: u64) -> &[u8] {
        checked::seal(&block_no.to_le_bytes(), &mut self.bytes);
        &self.bytes
    }

    pub fn clear(&mut self) {
        self.bytes.truncate(checked::SEAL);
        self.last_time = 0;
    }
}

/// The heads of a stored block, in seq order, once its checksum matches.
/// A head cut short is an error where it is met.
pub fn open(block_no: u64, stored: &[u8]) -> Result<Heads<'_>, DecodeError> {
    let bytes = checked::open_sealed(&block_no.to_le_bytes(), stored, "")
        .map_err(|_| DecodeError::Checksum)?;
    Ok(Heads {
        bytes,
        last_time: 0,
    })
}

/// The heads of one block; see [`open`].
pub struct Heads<'a> {
    bytes: &'a [u8],
    last_time: i64,
}

impl Heads<'_> {
    fn varint(&mut self) -> Result<u64, DecodeError> {
        // Most fields (ids, versions, types) take one byte.
        if let Some((&byte, rest)) = self.bytes.split_first()
            && byte < 0x80
        {
            self.bytes = rest;
            return Ok(u64::from(byte));
        }
        let (value, used) = varint::read(self.bytes).ok_or(DecodeError::Malformed)?;
        self.bytes = &self.bytes[used..];
        Ok(value)
    }

    fn head(&mut self) -> Result<Head, DecodeError> {
        let stream_id = u32::try_from(self.varint()?).map_err(|_| DecodeError::Malformed)?;
        let version = self.varint()?;
        let typed = self.varint()?;
        let type_id = u32::try_from(typed >> 1).map_err(|_| DecodeError::Malformed)?;
        let time = if typed & 1 == 1 {
            self.last_time = self.last_time.wrapping_add(unzigzag(self.varint()?));
            Some(Timestamp::from_unix_nanos(self.last_time))
        } else {
            None
        };
        Ok(Head {
            stream_id,
            version,
            type_id,
            time,
        })
    }
}

impl Iterator for Heads<'_> {
    type Item = Result<Head, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.bytes.is_empty() {
            return None;
        }
        let head = self.head();
        if head.is_err() {
            self.bytes = &[];
        }
        Some(head)
    }
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn head() -> impl Strategy<Value = Head> {
        (
            any::<u32>(),
            any::<u64>(),
            0u32..=u32::MAX,
            proptest::option::of(any::<i64>()),
        )
            .prop_map(|(stream_id, version, type_id, time)| Head {
                stream_id,
                version,
                type_id,
                time: time.map(Timestamp::from_unix_nanos),
            })
    }

    proptest! {
        #[test]
        fn every_head_reads_back_as_written(
            heads in proptest::collection::vec(head(), 0..80),
            block_no in any::<u64>(),
        ) {
            let mut block = BlockHeads::new();
            for head in &heads {
                block.push(head);
            }
            let stored = block.sealed(block_no).to_vec();
            let read: Vec<Head> = open(block_no, &stored)
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            prop_assert_eq!(&read, &heads);
        }

        #[test]
        fn a_flipped_bit_or_another_block_number_is_damage(
            heads in proptest::collection::vec(head(), 1..10),
            at in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let mut block = BlockHeads::new();
            for head in &heads {
                block.push(head);
            }
            let stored = block.sealed(7).to_vec();
            prop_assert!(open(8, &stored).is_err());
            let mut flipped = stored.clone();
            flipped[at.index(stored.len())] ^= 1 << bit;
            prop_assert!(open(7, &flipped).is_err());
        }
    }

    /// A log of one or more appends of `batches` events each (so that
    /// blocks are continued across appends), of 7 streams and 3 types,
    /// every fifth event without a time and the times going back and forth.
    fn a_log(path: &std::path::Path, batches: &[usize]) -> crate::store::EventLog {
        let log = crate::store::EventLog::create(path).unwrap();
        let mut n = 0i64;
        for &size in batches {
            log.append((0..size).map(|_| {
                n += 1;
                let mut event = crate::event::NewEvent::new(
                    format!("s-{}", n * 5 % 7),
                    format!("T{}", n % 3),
                    Timestamp::from_unix_millis((n % 11 - 5) * 86_400_000 + n),
                    crate::event::Json::parse_text(&format!(r#"{{"n":{n}}}"#)).unwrap(),
                );
                if n % 5 == 0 {
                    event.time = None;
                }
                event
            }))
            .unwrap();
        }
        log
    }

    /// An event head, owned: what a scan gave.
    type Owned = (u64, Option<String>, u64, String, Option<Timestamp>);

    fn owned(head: &crate::event_view::EventHead<'_>) -> Owned {
        let stream = head.stream.map(str::to_owned);
        (
            head.seq,
            stream,
            head.version,
            head.event_type.to_string(),
            head.time,
        )
    }

    type Seen = (Vec<Owned>, Result<(), String>);

    /// The heads a scan of heads gives, and how it ends.
    fn heads_of(log: &crate::store::EventLog, scan: &Scan) -> Seen {
        let mut seen = Vec::new();
        let outcome = log.scan_heads(scan.from..=scan.to, scan.types(), scan.streams, |head| {
            seen.push(owned(head));
            match seen.len() >= scan.stop_after {
                true => ControlFlow::Break(()),
                false => ControlFlow::Continue(()),
            }
        });
        (seen, outcome.map_err(|error| error.to_string()))
    }

    /// The heads of the events a scan of whole events gives.
    fn heads_of_events(log: &crate::store::EventLog, scan: &Scan) -> Seen {
        let mut seen = Vec::new();
        let outcome = log.scan_views(scan.from..=scan.to, scan.types(), |view| {
            seen.push(owned(&view.head(scan.streams)));
            match seen.len() >= scan.stop_after {
                true => ControlFlow::Break(()),
                false => ControlFlow::Continue(()),
            }
        });
        (seen, outcome.map_err(|error| error.to_string()))
    }

    #[derive(Debug, Clone)]
    struct Scan {
        from: u64,
        to: u64,
        types: Option<Vec<&'static str>>,
        streams: bool,
        stop_after: usize,
    }

    impl Scan {
        fn types(&self) -> Option<&[&'static str]> {
            self.types.as_deref()
        }

        fn whole() -> Scan {
            Scan {
                from: 1,
                to: u64::MAX,
                types: None,
                streams: true,
                stop_after: usize::MAX,
            }
        }
    }

    fn a_scan() -> impl Strategy<Value = Scan> {
        (
            1u64..700,
            0u64..700,
            proptest::option::of(proptest::sample::subsequence(
                vec!["T0", "T1", "T2", "T9"],
                0..=4,
            )),
            any::<bool>(),
            1usize..800,
        )
            .prop_map(|(from, length, types, streams, stop_after)| Scan {
                from,
                to: from + length,
                types,
                streams,
                stop_after,
            })
    }

    use std::ops::ControlFlow;

    use redb::{ReadableDatabase, ReadableTable};

    use crate::store::tables::{FORMAT_VERSION, FORMAT_WITHOUT_HEADS, HEADS, META};

    /// Rewrites the heads of `block` with `change`, sealed again: damage
    /// that the checksum cannot see, as only `verify` can find it.
    fn rewrite_heads(path: &std::path::Path, block: u64, change: impl Fn(&mut Vec<Head>)) {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(HEADS).unwrap();
            let stored = table.get(block).unwrap().unwrap().value().to_vec();
            let mut heads: Vec<Head> = open(block, &stored).unwrap().map(Result::unwrap).collect();
            change(&mut heads);
            let mut again = BlockHeads::new();
            for head in &heads {
                again.push(head);
            }
            table.insert(block, again.sealed(block)).unwrap();
        }
        txn.commit().unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Read apart from the events, each head is the one of its event:
        /// over any range, types, with or without streams, stopped
        /// anywhere, after appends that continue each other's blocks; and
        /// a log of format 3 gives the same from its events.
        #[test]
        fn the_heads_are_those_of_the_events(
            batches in proptest::collection::vec(1usize..150, 1..6),
            scans in proptest::collection::vec(a_scan(), 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("log.redb");
            let log = a_log(&path, &batches);
            let mut seen = Vec::new();
            for scan in scans.iter().chain([&Scan::whole()]) {
                let heads = heads_of(&log, scan);
                prop_assert_eq!(&heads, &heads_of_events(&log, scan), "{:?}", scan);
                seen.push(heads);
            }
            prop_assert_eq!(seen.last().unwrap().0.len(), batches.iter().sum::<usize>());
            drop(log);
            crate::store::make_format(&path, FORMAT_WITHOUT_HEADS);
            let log = crate::store::EventLog::open_read_only(&path).unwrap();
            for (scan, heads) in scans.iter().chain([&Scan::whole()]).zip(&seen) {
                prop_assert_eq!(&heads_of(&log, scan), heads, "format 3, {:?}", scan);
            }
        }
    }

    #[test]
    fn a_log_of_format_3_gets_the_heads_of_every_event_with_its_first_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path, &[100, 30]));
        crate::store::make_format(&path, FORMAT_WITHOUT_HEADS);
        let log = crate::store::EventLog::open(&path).unwrap();
        let before = heads_of(&log, &Scan::whole());
        assert_eq!(before.0.len(), 130);
        log.append([crate::event::NewEvent::new(
            "s-new".to_string(),
            "T0".to_string(),
            Timestamp::from_unix_millis(5),
            crate::event::Json::parse_text("{}").unwrap(),
        )])
        .unwrap();
        log.verify(|_| {}).unwrap();
        let after = heads_of(&log, &Scan::whole());
        assert_eq!(after, heads_of_events(&log, &Scan::whole()));
        assert_eq!(after.0[..130], before.0[..]);
        assert_eq!(
            after.0[130],
            (
                131,
                Some("s-new".into()),
                1,
                "T0".into(),
                Some(Timestamp::from_unix_millis(5))
            )
        );
        drop(log);
        assert_eq!(crate::store::format_of(&path), FORMAT_VERSION);
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        // The heads of the 131 events: three blocks.
        assert_eq!(txn.open_table(HEADS).unwrap().iter().unwrap().count(), 3);
    }

    #[test]
    fn damaged_or_missing_heads_are_damage_never_a_shorter_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path, &[300]));
        let whole = {
            let log = crate::store::EventLog::open_read_only(&path).unwrap();
            heads_of(&log, &Scan::whole()).0
        };
        // A flipped byte in the heads of block 2 (events 129..=192).
        {
            let db = redb::Database::open(&path).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut table = txn.open_table(HEADS).unwrap();
                let mut stored = table.get(2).unwrap().unwrap().value().to_vec();
                stored[9] ^= 0x10;
                table.insert(2, stored.as_slice()).unwrap();
            }
            txn.commit().unwrap();
        }
        let log = crate::store::EventLog::open_read_only(&path).unwrap();
        let (seen, outcome) = heads_of(&log, &Scan::whole());
        assert_eq!(seen, whole[..128]);
        let error = outcome.unwrap_err();
        assert!(
            error.contains("damaged") && error.contains("from 129 on"),
            "{error}"
        );
        assert!(error.contains("checksum"), "{error}");
        // The events themselves are whole: a scan of them is not stopped.
        assert_eq!(heads_of_events(&log, &Scan::whole()).1, Ok(()));
        let verified = log.verify(|_| {}).unwrap_err().to_string();
        assert!(
            verified.contains("event 129") && verified.contains("head"),
            "{verified}"
        );
        drop(log);

        // The heads of block 2 missing.
        {
            let db = redb::Database::open(&path).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(HEADS).unwrap().remove(2).unwrap();
            txn.commit().unwrap();
        }
        let log = crate::store::EventLog::open_read_only(&path).unwrap();
        let (seen, outcome) = heads_of(&log, &Scan::whole());
        assert_eq!(seen, whole[..128]);
        let error = outcome.unwrap_err();
        assert!(error.contains("from 129 on are missing"), "{error}");
        // From within the missing block too.
        let from_inside = Scan {
            from: 150,
            ..Scan::whole()
        };
        let error = heads_of(&log, &from_inside).1.unwrap_err();
        assert!(error.contains("from 129 on are missing"), "{error}");
        assert!(log.verify(|_| {}).is_err());
    }

    /// Flips a bit at `offset` of the stored value of `block` in `table`.
    fn flip(
        path: &std::path::Path,
        table: redb::TableDefinition<u64, &[u8]>,
        block: u64,
        offset: usize,
    ) {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(table).unwrap();
            let mut stored = table.get(block).unwrap().unwrap().value().to_vec();
            stored[offset] ^= 0x10;
            table.insert(block, stored.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }

    fn one_more(log: &crate::store::EventLog, n: usize) {
        log.append((0..n).map(|k| {
            crate::event::NewEvent::new(
                format!("s-more-{k}"),
                "T1".to_string(),
                Timestamp::from_unix_millis(k as i64),
                crate::event::Json::parse_text("{}").unwrap(),
            )
        }))
        .unwrap();
    }

    #[test]
    fn the_tail_block_s_heads_are_made_again_from_its_events_at_each_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        // Block 1 holds events 65..=100 when the next append comes.
        drop(a_log(&path, &[100]));
        flip(&path, HEADS, 1, 9);
        let log = crate::store::EventLog::open(&path).unwrap();
        assert!(heads_of(&log, &Scan::whole()).1.is_err());
        one_more(&log, 10);
        let whole = heads_of(&log, &Scan::whole());
        assert_eq!(whole.1, Ok(()));
        assert_eq!(whole, heads_of_events(&log, &Scan::whole()));
        assert_eq!(whole.0.len(), 110);
        log.verify(|_| {}).unwrap();
    }

    #[test]
    fn an_older_log_with_a_damaged_event_is_still_appended_to_and_its_heads_report_the_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path, &[200]));
        crate::store::make_format(&path, FORMAT_WITHOUT_HEADS);
        // An event of block 1 (65..=128) and one of the tail block, 3
        // (193..=200), damaged.
        flip(&path, crate::store::tables::EVENTS, 1, 40);
        flip(&path, crate::store::tables::EVENTS, 3, 40);
        let log = crate::store::EventLog::open(&path).unwrap();
        one_more(&log, 70);
        assert_eq!(format_of_open(&log), FORMAT_VERSION);
        let (seen, outcome) = heads_of(&log, &Scan::whole());
        assert_eq!(seen.len(), 64);
        assert!(outcome.unwrap_err().contains("from 65 on are missing"));
        // The blocks after the damage have their heads, those the append
        // began included; the damaged tail block has none.
        let after = |from| Scan {
            from,
            ..Scan::whole()
        };
        assert_eq!(heads_of(&log, &after(129)).0.len(), 64);
        assert!(
            heads_of(&log, &after(129))
                .1
                .unwrap_err()
                .contains("from 193 on are missing")
        );
        let (seen, outcome) = heads_of(&log, &after(257));
        assert_eq!((seen.len(), outcome), (14, Ok(())));
        assert_eq!(
            heads_of(&log, &after(257)),
            heads_of_events(&log, &after(257))
        );
        assert!(heads_of_events(&log, &Scan::whole()).1.is_err());
    }

    fn format_of_open(log: &crate::store::EventLog) -> u32 {
        let txn = log.read_txn().unwrap();
        crate::store::read_format(&txn.open_table(META).unwrap()).unwrap()
    }

    #[test]
    fn a_block_of_heads_holding_more_than_its_events_gives_none_of_another_block_s_seqs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path, &[200]));
        // Block 1 (65..=128) with a 65th head, under a good checksum.
        rewrite_heads(&path, 1, |heads| heads.push(heads[0]));
        let log = crate::store::EventLog::open_read_only(&path).unwrap();
        let (seen, outcome) = heads_of(&log, &Scan::whole());
        assert_eq!(seen.len(), 128);
        let error = outcome.unwrap_err();
        assert!(error.contains("more than the block holds"), "{error}");
    }

    #[test]
    fn heads_that_disagree_with_their_events_under_a_good_checksum_fail_verify() {
        type Change = fn(&mut Vec<Head>);
        let changes: [(&str, Change); 4] = [
            ("another version", |heads| heads[3].version += 1),
            ("another time", |heads| heads[3].time = None),
            ("one head fewer", |heads| {
                heads.pop();
            }),
            ("one head more", |heads| heads.push(heads[0])),
        ];
        for (what, change) in changes {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("log.redb");
            drop(a_log(&path, &[200]));
            rewrite_heads(&path, 1, change);
            let log = crate::store::EventLog::open_read_only(&path).unwrap();
            let error = log.verify(|_| {}).unwrap_err().to_string();
            assert!(error.contains("head"), "{what}: {error}");
        }
        // Heads of a block the log does not hold.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path, &[200]));
        {
            let db = redb::Database::open(&path).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(HEADS)
                .unwrap()
                .insert(9, BlockHeads::new().sealed(9))
                .unwrap();
            txn.commit().unwrap();
        }
        let log = crate::store::EventLog::open_read_only(&path).unwrap();
        let error = log.verify(|_| {}).unwrap_err().to_string();
        assert!(error.contains("heads hold blocks"), "{error}");
    }

    #[test]
    fn a_head_cut_short_is_malformed_where_it_is_met() {
        let mut block = BlockHeads::new();
        let head = Head {
            stream_id: 300,
            version: 2,
            type_id: 1,
            time: Some(Timestamp::from_unix_nanos(1_700_000_000_000_000_000)),
        };
        block.push(&head);
        block.push(&head);
        let mut stored = block.sealed(0).to_vec();
        stored.pop();
        checked::seal(&0u64.to_le_bytes(), &mut stored);
        let read: Vec<_> = open(0, &stored).unwrap().collect();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0], Ok(head));
        assert_eq!(read[1], Err(DecodeError::Malformed));
    }
}
