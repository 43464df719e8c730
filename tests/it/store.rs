//! The redb event log: appends, reads, indexes, conflicts and damage.

use std::ops::ControlFlow;

use redb::ReadableTable;

use eventscope::store::{EventLog, StoreError};
use eventscope::{Json, NewEvent, Timestamp};

/// An event `minute`s into 1 March 2024, for the store's tests and the
/// damage sweep.
pub(crate) fn event(stream: &str, event_type: &str, minute: i64, data: &str) -> NewEvent {
    NewEvent::new(
        stream,
        event_type,
        Timestamp::from_unix_millis(1_709_280_000_000 + minute * 60_000),
        Json::parse_text(data).unwrap(),
    )
}

fn sample() -> Vec<NewEvent> {
    vec![
        event("customer-1", "CustomerRegistered", 0, r#"{"name":"Ada"}"#),
        event("customer-2", "CustomerRegistered", 1, r#"{"name":"Grace"}"#),
        event(
            "customer-1",
            "CustomerAddressChanged",
            2,
            r#"{"city":"Leeds"}"#,
        )
        .with_metadata(Json::parse_text(r#"{"correlation_id":"c-1"}"#).unwrap()),
        event("order-1", "OrderPlaced", 3, r#"{"customer":"customer-1"}"#).with_id("evt-own"),
    ]
}

fn new_log() -> (tempfile::TempDir, EventLog) {
    let dir = tempfile::tempdir().unwrap();
    let log = EventLog::create(dir.path().join("log.redb")).unwrap();
    (dir, log)
}

fn all(log: &EventLog) -> Vec<eventscope::Event> {
    let mut out = Vec::new();
    log.scan(1..=u64::MAX, |e| {
        out.push(e);
        ControlFlow::Continue(())
    })
    .unwrap();
    out
}

#[test]
fn appends_assign_seq_and_stream_versions() {
    let (_dir, log) = new_log();
    let written = log.append(sample()).unwrap();
    let seqs: Vec<u64> = written.iter().map(|e| e.seq).collect();
    let versions: Vec<u64> = written.iter().map(|e| e.version).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    assert_eq!(versions, [1, 1, 2, 1]);
    assert_eq!(written[0].id, "customer-1/1", "a missing id is derived");
    assert_eq!(written[3].id, "evt-own", "a given id is kept");
    assert_eq!(all(&log), written, "what is read is what was written");
    assert_eq!(log.last_seq().unwrap(), 4);
    assert_eq!(log.stream_version("customer-1").unwrap(), 2);
    assert_eq!(log.stream_version("nobody").unwrap(), 0);
}

#[test]
fn reads_by_stream_type_and_direction() {
    let (_dir, log) = new_log();
    log.append(sample()).unwrap();
    let stream: Vec<u64> = log
        .read_stream("customer-1")
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(stream, [1, 3]);
    assert_eq!(log.seqs_of_type("CustomerRegistered").unwrap(), [1, 2]);
    assert_eq!(log.seqs_of_type("Unknown").unwrap(), Vec::<u64>::new());
    assert_eq!(log.seqs_of_stream("order-1").unwrap(), [4]);
    let back: Vec<u64> = log
        .read(3, 2, true)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(back, [3, 2]);
    let forward: Vec<u64> = log
        .read(2, 10, false)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(forward, [2, 3, 4]);
    assert_eq!(
        log.get(3).unwrap().unwrap().correlation_id().as_deref(),
        Some("c-1")
    );
    assert!(log.get(99).unwrap().is_none());
}

#[test]
fn stats_count_events_streams_types_and_time() {
    let (_dir, log) = new_log();
    log.append(sample()).unwrap();
    let stats = log.stats().unwrap();
    assert_eq!(stats.events, 4);
    assert_eq!(stats.streams, 3);
    assert_eq!(stats.types[0], ("CustomerRegistered".to_string(), 2));
    assert_eq!(stats.types.len(), 3);
    let (first, last) = stats.time_span.unwrap();
    assert_eq!(last.unix_millis() - first.unix_millis(), 3 * 60_000);
}

#[test]
fn a_version_conflict_writes_nothing() {
    let (dir, log) = new_log();
    log.append(sample()).unwrap();
    let before = all(&log);
    let batch = vec![
        event("customer-3", "CustomerRegistered", 5, "{}").expecting_version(1),
        event("customer-1", "CustomerEmailChanged", 6, "{}").expecting_version(2),
    ];
    match log.append(batch) {
        Err(StoreError::Conflict {
            stream,
            expected,
            actual,
        }) => {
            assert_eq!((stream.as_str(), expected, actual), ("customer-1", 2, 3));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(all(&log), before);
    assert_eq!(log.stream_version("customer-3").unwrap(), 0);
    assert_eq!(log.stats().unwrap().streams, 3);
    drop(log);
    let reopened = EventLog::open(dir.path().join("log.redb")).unwrap();
    assert_eq!(
        all(&reopened),
        before,
        "nothing of the batch reached the file"
    );
    // A correct expectation is accepted, and new names survive reopening.
    reopened
        .append([event("customer-9", "CustomerRegistered", 7, "{}").expecting_version(1)])
        .unwrap();
    assert_eq!(reopened.read_stream("customer-9").unwrap()[0].seq, 5);
}

#[test]
fn names_added_by_one_handle_are_read_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = EventLog::create(&path).unwrap();
    log.append(sample()).unwrap();
    log.append([event("account-1", "AccountOpened", 9, "{}")])
        .unwrap();
    drop(log);
    let log = EventLog::open(&path).unwrap();
    let events = all(&log);
    assert_eq!(&*events[4].event_type, "AccountOpened");
    assert_eq!(&*events[4].stream, "account-1");
    assert_eq!(log.verify(|_| {}).unwrap().events, 5);
}

#[test]
fn snapshots_are_found_at_or_below_a_seq_and_discarded_by_version() {
    let (_dir, log) = new_log();
    log.put_snapshots(&[("types", 1, 10, b"ten"), ("types", 1, 20, b"twenty")])
        .unwrap();
    log.put_snapshots(&[("types", 2, 15, b"v2"), ("orders", 1, 5, b"o")])
        .unwrap();
    assert_eq!(log.nearest_snapshot("types", 1, 9).unwrap(), None);
    assert_eq!(
        log.nearest_snapshot("types", 1, 19).unwrap(),
        Some((10, b"ten".to_vec()))
    );
    assert_eq!(
        log.nearest_snapshot("types", 1, 999).unwrap(),
        Some((20, b"twenty".to_vec()))
    );
    assert_eq!(log.discard_snapshots("types", Some(2)).unwrap(), 2);
    assert_eq!(log.snapshot_seqs("types", 1).unwrap(), Vec::<u64>::new());
    assert_eq!(log.snapshot_seqs("types", 2).unwrap(), [15]);
    assert_eq!(log.snapshot_seqs("orders", 1).unwrap(), [5]);
}

#[test]
fn a_flipped_byte_inside_an_event_is_reported_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = EventLog::create(&path).unwrap();
    log.append(sample()).unwrap();
    drop(log);
    flip_byte_of(&path, b"Grace");
    let log = EventLog::open(&path).unwrap();
    assert!(matches!(
        log.get(2),
        Err(StoreError::EventDamaged { seq: 2 })
    ));
    assert!(log.get(1).unwrap().is_some(), "undamaged events still read");
    let err = log.scan(1..=4, |_| ControlFlow::Continue(())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 2 is damaged: its stored bytes do not match their checksum"
    );
    assert!(matches!(
        log.verify(|_| {}),
        Err(StoreError::EventDamaged { seq: 2 })
    ));
}

/// Flips one bit of the only occurrence of `needle` in the file.
pub fn flip_byte_of(path: &std::path::Path, needle: &[u8]) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the needle is in the file");
    bytes[at + 1] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn files_that_are_not_logs_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.redb");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        EventLog::open(&empty),
        Err(StoreError::Empty { .. })
    ));

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, this is not a database\n".repeat(200)).unwrap();
    let err = EventLog::open(&text).unwrap_err();
    assert!(
        matches!(err, StoreError::NotALog { .. } | StoreError::Damaged { .. }),
        "{err}"
    );

    let other = dir.path().join("other.redb");
    {
        let db = redb::Database::create(&other).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<u64, u64>::new("x"))
            .unwrap()
            .insert(1, 2)
            .unwrap();
        txn.commit().unwrap();
    }
    assert!(matches!(
        EventLog::open(&other),
        Err(StoreError::NotALog { .. })
    ));

    let missing = dir.path().join("missing.redb");
    let err = EventLog::open(&missing).unwrap_err();
    assert!(err.to_string().ends_with("does not exist"), "{err}");
    assert!(!missing.exists(), "open never creates");
}

#[test]
fn a_truncated_log_is_damaged_not_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = EventLog::create(&path).unwrap();
    log.append(sample()).unwrap();
    drop(log);
    let len = std::fs::metadata(&path).unwrap().len();
    for keep in [len / 2, 600, 100] {
        let cut = dir.path().join(format!("cut-{keep}.redb"));
        std::fs::copy(&path, &cut).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&cut)
            .unwrap()
            .set_len(keep)
            .unwrap();
        match EventLog::open(&cut) {
            Err(e) => {
                let text = e.to_string();
                assert!(!text.contains('\n'), "one line: {text}");
                assert!(
                    matches!(e, StoreError::Damaged { .. } | StoreError::NotALog { .. }),
                    "{text}"
                );
            }
            // If redb recovers a consistent earlier state, what it shows
            // must still verify.
            Ok(log) => {
                log.verify(|_| {}).unwrap();
            }
        }
    }
}

#[test]
fn a_second_open_in_the_same_process_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let _log = EventLog::create(&path).unwrap();
    let err = EventLog::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("is locked"));
}

#[test]
fn many_batches_across_block_and_chunk_boundaries_read_back_exactly() {
    let (_dir, log) = new_log();
    let mut expected = Vec::new();
    let mut n = 0;
    // Odd batch sizes so batches end inside blocks and type chunks.
    for batch_size in [1usize, 63, 2, 130, 4095, 1, 4200, 77] {
        let batch: Vec<NewEvent> = (0..batch_size)
            .map(|_| {
                n += 1;
                let kind = if n % 5 == 0 { "Rare" } else { "Common" };
                event(
                    &format!("s-{}", n % 37),
                    kind,
                    n as i64,
                    &format!("{{\"n\":{n}}}"),
                )
            })
            .collect();
        expected.extend(log.append(batch).unwrap());
    }
    let total = expected.len() as u64;
    assert_eq!(all(&log), expected);
    assert_eq!(log.verify(|_| {}).unwrap().events, total);
    for seq in [1, 64, 65, 66, 4096, 4097, total] {
        assert_eq!(
            log.get(seq).unwrap().as_ref(),
            Some(&expected[seq as usize - 1])
        );
    }
    assert!(log.get(total + 1).unwrap().is_none());
    assert!(log.get(0).unwrap().is_none());
    let rare: Vec<u64> = expected
        .iter()
        .filter(|e| &*e.event_type == "Rare")
        .map(|e| e.seq)
        .collect();
    assert_eq!(log.seqs_of_type("Rare").unwrap(), rare);
    let common = log.seqs_of_type("Common").unwrap();
    assert_eq!(common.len() as u64 + rare.len() as u64, total);
    let stream: Vec<&eventscope::Event> = expected.iter().filter(|e| &*e.stream == "s-5").collect();
    let read = log.read_stream("s-5").unwrap();
    assert_eq!(read.len(), stream.len());
    assert!(read.iter().zip(1..).all(|(e, v)| e.version == v));
    let back: Vec<u64> = log
        .read(200, 150, true)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(back, (51..=200).rev().collect::<Vec<u64>>());
    let mut window = Vec::new();
    log.scan(60..=70, |e| {
        window.push(e.seq);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(window, (60..=70).collect::<Vec<u64>>());
}

/// Damage must never read as a shorter log: a missing block is reported
/// wherever a read needs it.
#[test]
fn a_missing_block_is_damage_not_a_shorter_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = EventLog::create(&path).unwrap();
    let batch: Vec<NewEvent> = (0..200)
        .map(|n| event(&format!("s-{}", n % 7), "Tick", n, "{}"))
        .collect();
    log.append(batch).unwrap();
    drop(log);
    {
        // Remove the second block (seqs 65..=128) behind the store's back.
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<u64, &[u8]>::new("event-blocks-1"))
            .unwrap()
            .remove(1)
            .unwrap();
        txn.commit().unwrap();
    }
    let log = EventLog::open(&path).unwrap();
    let damaged = |result: Result<(), StoreError>| match result {
        Err(StoreError::EventDamaged { seq }) => seq,
        other => panic!("expected damage, got {other:?}"),
    };
    assert_eq!(
        damaged(log.scan(1..=200, |_| ControlFlow::Continue(()))),
        65
    );
    assert_eq!(
        damaged(log.scan(70..=80, |_| ControlFlow::Continue(()))),
        70
    );
    assert_eq!(
        damaged(log.scan_types(1..=u64::MAX, &["Tick"], |_| ControlFlow::Continue(()))),
        65
    );
    assert!(matches!(
        log.get(70),
        Err(StoreError::EventDamaged { seq: 70 })
    ));
    assert!(
        log.get(64).unwrap().is_some(),
        "the blocks around it still read"
    );
    assert!(log.get(129).unwrap().is_some());
    assert!(log.get(201).unwrap().is_none(), "past the end is absence");
    assert!(matches!(
        log.read(200, 100, true),
        Err(StoreError::EventDamaged { seq: 128 })
    ));
    assert!(matches!(
        log.read(1, 100, false),
        Err(StoreError::EventDamaged { seq: 65 })
    ));
    assert_eq!(log.read(64, 10, true).unwrap().len(), 10);
    assert!(log.verify(|_| {}).is_err());
}

#[test]
fn appends_from_many_threads_keep_the_log_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = std::sync::Arc::new(EventLog::create(&path).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let log = log.clone();
            std::thread::spawn(move || {
                for n in 0..100 {
                    log.append([event(
                        &format!("t{t}-{}", n % 9),
                        &format!("T{}", n % 3),
                        n,
                        "{}",
                    )])
                    .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(log.verify(|_| {}).unwrap().events, 400);
    drop(log);
    let log = EventLog::open(&path).unwrap();
    let report = log.verify(|_| {}).unwrap();
    assert_eq!((report.events, report.streams, report.types), (400, 36, 3));
}

#[test]
fn a_refused_or_looked_up_new_stream_reserves_no_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = EventLog::create(&path).unwrap();
    log.append(sample()).unwrap();
    log.append_with(|appender| {
        assert_eq!(appender.stream_version("ghost")?, 0);
        // A conflict on a new stream, swallowed: the batch still commits.
        let refused = appender.push(&event("phantom", "X", 1, "{}").expecting_version(2));
        assert!(matches!(refused, Err(StoreError::Conflict { .. })));
        appender.push(&event("real", "X", 2, "{}"))?;
        Ok::<_, StoreError>(())
    })
    .unwrap();
    drop(log);
    let log = EventLog::open(&path).unwrap();
    assert_eq!(&*log.get(5).unwrap().unwrap().stream, "real");
    assert_eq!(log.verify(|_| {}).unwrap().events, 5);
}

#[test]
fn a_damaged_snapshot_is_passed_over_for_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    let log = EventLog::create(&path).unwrap();
    log.put_snapshots(&[("types", 1, 10, b"ten"), ("types", 1, 20, b"twenty")])
        .unwrap();
    drop(log);
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn
                .open_table(redb::TableDefinition::<(&str, u32, u64), &[u8]>::new(
                    "snapshots-1",
                ))
                .unwrap();
            let mut stored = redb::ReadableTable::get(&table, ("types", 1, 20))
                .unwrap()
                .unwrap()
                .value()
                .to_vec();
            let last = stored.len() - 1;
            stored[last] ^= 0x01;
            table.insert(("types", 1, 20), stored.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let log = EventLog::open(&path).unwrap();
    assert_eq!(
        log.nearest_snapshot("types", 1, 25).unwrap(),
        Some((10, b"ten".to_vec()))
    );
}

#[test]
fn verify_catches_a_renamed_type_and_a_repeated_index_entry() {
    let make = |dir: &tempfile::TempDir, name: &str| {
        let path = dir.path().join(name);
        let log = EventLog::create(&path).unwrap();
        log.append((0..10).map(|n| event("s", if n % 2 == 0 { "Even" } else { "Odd" }, n, "{}")))
            .unwrap();
        path
    };
    let dir = tempfile::tempdir().unwrap();

    // A rename with a checksum to match (as a bug, not damage, would
    // write it) is caught by comparing the tables.
    let renamed = make(&dir, "renamed.redb");
    {
        let db = redb::Database::open(&renamed).unwrap();
        let txn = db.begin_write().unwrap();
        let sum = forged_crc(&[&0u32.to_le_bytes(), b"Evem"]);
        txn.open_table(redb::TableDefinition::<u32, (u32, &str)>::new(
            "type-names-2",
        ))
        .unwrap()
        .insert(0, (sum, "Evem"))
        .unwrap();
        txn.commit().unwrap();
    }
    let err = EventLog::open(&renamed)
        .unwrap()
        .verify(|_| {})
        .unwrap_err();
    assert!(err.to_string().contains("two names"), "{err}");

    let repeated = make(&dir, "repeated.redb");
    {
        let db = redb::Database::open(&repeated).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn
                .open_table(redb::TableDefinition::<(u32, u32), &[u8]>::new(
                    "type-seqs-2",
                ))
                .unwrap();
            // The odd events are seqs 2, 4, 6, 8, 10: list 2 twice instead of 4.
            let seqs: Vec<u8> = [2u64, 2, 6, 8, 10]
                .iter()
                .flat_map(|s| s.to_le_bytes())
                .collect();
            let key: Vec<u8> = [1u32.to_le_bytes(), 0u32.to_le_bytes()].concat();
            let mut sealed = forged_crc(&[&key, &seqs]).to_le_bytes().to_vec();
            sealed.extend_from_slice(&seqs);
            table.insert((1, 0), sealed.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = EventLog::open(&repeated)
        .unwrap()
        .verify(|_| {})
        .unwrap_err();
    assert!(err.to_string().contains("at event 2"), "{err}");
}

/// The checksum the store keeps beside each name and index entry: CRC-32
/// over each part's length (u64 LE) and bytes.
fn forged_crc(parts: &[&[u8]]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize()
}

/// Copies of the closed log at `path`, each with one byte of one place
/// where `needle` is stored flipped to its neighbour letter.
fn with_each_copy_of_a_name_flipped(path: &std::path::Path, needle: &[u8]) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    let mut copies = Vec::new();
    let mut from = 0;
    while let Some(at) = bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle)
    {
        let at = from + at;
        let mut copy = bytes.clone();
        copy[at + needle.len() - 4] ^= 0x01;
        copies.push(copy);
        from = at + 1;
    }
    copies
}

#[test]
fn a_flipped_bit_in_a_stream_or_type_name_is_damage_not_a_rename() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    {
        let log = EventLog::create(&path).unwrap();
        log.append([
            event("customer-27", "PaymentReceived", 0, r#"{"amount":53}"#),
            event("customer-28", "PaymentReceived", 1, r#"{"amount":5}"#),
        ])
        .unwrap();
    }
    let damaged = dir.path().join("damaged.redb");
    for (needle, renamed) in [
        (b"customer-27".as_slice(), "customes-27"),
        (b"PaymentReceived".as_slice(), "PaymentReceiwed"),
    ] {
        let copies = with_each_copy_of_a_name_flipped(&path, needle);
        assert!(!copies.is_empty());
        let mut caught = 0;
        for copy in copies {
            std::fs::write(&damaged, copy).unwrap();
            let shown = EventLog::open_read_only(&damaged).and_then(|log| {
                let streams = log.streams()?;
                let stats = log.stats()?;
                let events = log.read(1, 10, false)?;
                log.verify(|_| {})?;
                Ok(format!("{streams:?} {stats:?} {events:?}"))
            });
            match shown {
                Ok(shown) => assert!(!shown.contains(renamed), "shown as data: {shown}"),
                Err(error) => {
                    assert!(error.to_string().contains("damaged"), "{error}");
                    caught += 1;
                }
            }
        }
        assert!(caught > 0, "no copy of {renamed} was caught");
    }
}

#[test]
fn an_id_already_in_the_log_is_refused_with_the_seq_that_holds_it() {
    let (_dir, log) = new_log();
    log.append(sample()).unwrap();
    let again = event("order-2", "OrderPlaced", 9, "{}").with_id("evt-own");
    let err = log.append([again]).unwrap_err();
    assert!(
        matches!(&err, StoreError::DuplicateId { id, seq: 4, earlier_in_batch: false } if id == "evt-own"),
        "{err:?}"
    );
    assert!(err.to_string().contains("at seq 4"), "{err}");
    // A derived id counts too: customer-1's first event is customer-1/1.
    let lookalike = event("order-3", "OrderPlaced", 9, "{}").with_id("customer-1/1");
    assert!(matches!(
        log.append([lookalike]).unwrap_err(),
        StoreError::DuplicateId { seq: 1, .. }
    ));
    // Twice in one batch: the second names the first's seq.
    let twice = [
        event("order-4", "OrderPlaced", 9, "{}").with_id("fresh"),
        event("order-5", "OrderPlaced", 9, "{}").with_id("fresh"),
    ];
    assert!(matches!(
        log.append(twice).unwrap_err(),
        StoreError::DuplicateId {
            seq: 5,
            earlier_in_batch: true,
            ..
        }
    ));
    assert_eq!(log.last_seq().unwrap(), 4);
    log.verify(|_| {}).unwrap();
}

#[test]
fn a_reimport_skips_the_stored_events_and_refuses_changed_ones() {
    let (_dir, log) = new_log();
    let with_ids: Vec<NewEvent> = sample()
        .into_iter()
        .enumerate()
        .map(|(n, e)| e.with_id(format!("e-{n}")))
        .collect();
    log.append(with_ids[..2].to_vec()).unwrap();
    let summary = log
        .append_with(|appender| {
            for event in &with_ids {
                appender.push_or_skip(event)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(
        (summary.first_seq, summary.last_seq, summary.skipped),
        (3, 4, 2)
    );
    assert_eq!(
        all(&log).iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["e-0", "e-1", "e-2", "e-3"]
    );
    let mut changed = with_ids[1].clone();
    changed.data = Json::parse_text(r#"{"name":"Someone else"}"#).unwrap();
    let err = log
        .append_with(|appender| appender.push_or_skip(&changed).map(drop))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotTheStoredEvent { seq: 2, .. }),
        "{err:?}"
    );
    log.verify(|_| {}).unwrap();
}

#[test]
fn verify_catches_an_event_missing_from_the_id_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.redb");
    EventLog::create(&path).unwrap().append(sample()).unwrap();
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut ids = txn
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("ids-1"))
                .unwrap();
            let first = ids.first().unwrap().unwrap().0.value();
            ids.remove(first).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = EventLog::open(&path).unwrap().verify(|_| {}).unwrap_err();
    assert!(err.to_string().contains("id index"), "{err}");
}

#[test]
fn a_log_of_the_older_format_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut meta = txn
                .open_table(redb::TableDefinition::<&str, &[u8]>::new("meta-1"))
                .unwrap();
            meta.insert("magic", b"eventscope log".as_slice()).unwrap();
            meta.insert("format", 1u32.to_le_bytes().as_slice())
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let err = EventLog::open_read_only(&path).unwrap_err();
    assert!(
        err.to_string().contains("older eventscope log format (1)"),
        "{err}"
    );
}

#[test]
fn a_rebuild_replaces_its_snapshots_and_keeps_a_bounded_number() {
    use eventscope::projection::{self, RebuildOptions, SnapshotPolicy, replay};
    let (_dir, log) = new_log();
    let events = (0..500).map(|n| event(&format!("s-{}", n % 7), "Noted", n, "{}"));
    log.append(events).unwrap();
    // A snapshot the rebuild would not take again, of the same version.
    let types = projection::builtin("types").unwrap();
    log.put_snapshots(&[("types", types.version(), 3, b"stale")])
        .unwrap();
    let rebuild = || {
        let mut projections = vec![projection::builtin("types").unwrap()];
        let options = RebuildOptions {
            // As often as it may: every event.
            snapshots: Some((
                &log,
                SnapshotPolicy {
                    min_interval: 1,
                    bytes_per_event: u64::MAX,
                },
            )),
            ..RebuildOptions::default()
        };
        projection::rebuild(&log, &mut projections, &options, &mut |_| {}).unwrap();
        log.snapshot_seqs("types", types.version()).unwrap()
    };
    let first = rebuild();
    assert!(
        first.len() as u64 <= replay::MAX_SNAPSHOTS_PER_REBUILD,
        "{} snapshots",
        first.len()
    );
    assert!(!first.contains(&3), "the stale snapshot is still there");
    assert_eq!(rebuild(), first);
}

/// A batch touching tens of thousands of streams, as a large import does,
/// makes their rows on a second thread: every stream is still stored with
/// its seqs, and the next batch continues them.
#[test]
fn a_batch_of_many_streams_stores_each_one_with_its_seqs() {
    let (_dir, log) = new_log();
    let streams = 20_000;
    // Each stream gets one event, and every tenth a second one at the end.
    let events = (0..streams)
        .map(|n| event(&format!("s-{n}"), "Happened", n, "{}"))
        .chain(
            (0..streams)
                .step_by(10)
                .map(|n| event(&format!("s-{n}"), "Again", n, "{}")),
        );
    log.append(events).unwrap();
    log.append([event("s-7", "Later", 0, "{}")]).unwrap();

    let stored = log.streams().unwrap();
    assert_eq!(stored.len(), streams as usize);
    let mut names: Vec<String> = (0..streams).map(|n| format!("s-{n}")).collect();
    names.sort();
    assert_eq!(
        stored
            .iter()
            .map(|(name, _)| name.clone())
            .collect::<Vec<_>>(),
        names
    );
    assert_eq!(log.seqs_of_stream("s-10").unwrap(), [11, 20_002]);
    assert_eq!(log.seqs_of_stream("s-11").unwrap(), [12]);
    assert_eq!(log.seqs_of_stream("s-7").unwrap(), [8, 22_001]);
    assert_eq!(log.stream_version("s-19990").unwrap(), 2);
    let report = log.verify(|_| {}).unwrap();
    assert_eq!((report.events, report.streams), (22_001, streams as u64));
}
