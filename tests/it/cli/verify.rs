//! `eventscope verify`, run as a user runs it.

use crate::support::*;

#[test]
fn the_samples_round_trip_and_verify() {
    let f = Fixture::new();
    for name in ["retail.jsonl", "bank.jsonl"] {
        let db = f.path(&format!("{name}.redb"));
        let out = eventscope(&["import", s(&sample(name)), "--db", s(&db)]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let verify = eventscope(&["verify", s(&db)]);
        assert!(verify.status.success(), "{name}: {}", stderr(&verify));
        let native = f.export_as(&db, "native");
        let original = std::fs::read_to_string(sample(name)).unwrap();
        assert_eq!(native.lines().count(), original.lines().count());
        for format in ["native", "cloudevents"] {
            let first = f.export_as(&db, format);
            let file = f.write("again.txt", &first);
            let again = f.path(&format!("{name}-{format}-again.redb"));
            let out = eventscope(&["import", s(&file), "--db", s(&again), "--format", format]);
            assert!(out.status.success(), "{name} {format}: {}", stderr(&out));
            assert_eq!(f.export_as(&again, format), first, "{name} {format}");
        }
    }
}

#[test]
fn verify_names_the_seq_of_a_flipped_byte() {
    let f = Fixture::new();
    let db = f.retail();
    assert!(eventscope(&["verify", s(&db)]).status.success());
    let mut bytes = std::fs::read(&db).unwrap();
    // Grace Hopper registers at seq 2; damage her name.
    let at = bytes
        .windows(b"Grace Hopper".len())
        .position(|w| w == b"Grace Hopper")
        .unwrap();
    bytes[at + 3] ^= 0x01;
    std::fs::write(&db, bytes).unwrap();
    let out = eventscope(&["verify", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    let first = stderr(&out).lines().next().unwrap_or_default().to_string();
    let seq_of_grace = std::fs::read_to_string(sample("retail.jsonl"))
        .unwrap()
        .lines()
        .position(|l| l.contains("Grace Hopper"))
        .unwrap()
        + 1;
    assert_eq!(
        first,
        format!(
            "error: event {seq_of_grace} is damaged: its stored bytes do not match their checksum"
        )
    );
}

/// A table of the log that redb finds missing, or of other types than the
/// log writes, is damage, said as such: never a storage engine's message.
#[test]
fn a_table_missing_or_of_other_types_is_reported_as_damage() {
    for (what, name) in [("missing", "type-names-2"), ("other types", "types-2")] {
        let f = Fixture::new();
        let db = f.retail();
        {
            let database = redb::Database::open(&db).unwrap();
            let txn = database.begin_write().unwrap();
            assert!(
                txn.delete_table(redb::TableDefinition::<u32, u32>::new(name))
                    .unwrap()
            );
            if what == "other types" {
                let table = redb::TableDefinition::<u64, u64>::new(name);
                txn.open_table(table).unwrap().insert(1, 1).unwrap();
            }
            txn.commit().unwrap();
        }
        for command in ["verify", "info"] {
            let out = eventscope(&[command, s(&db)]);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{what}, {command}: {}",
                stderr(&out)
            );
            let message = stderr(&out);
            assert!(
                message.contains("the log is damaged"),
                "{what}, {command}: {message}"
            );
            assert!(
                !message.contains("storage error"),
                "{what}, {command}: {message}"
            );
        }
    }
}
