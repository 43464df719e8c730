//! What `import` stores does not change when the import gets faster: the
//! same input exports as the same bytes, in both formats, as it did when
//! these expectations were taken (from the import before its speed work).

use std::path::Path;

use crate::support::*;

const HERE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/cli/import_bytes");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");

/// FNV-1a, 64 bits: enough to tell two exports apart.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn imported(f: &Fixture, input: &Path, name: &str) -> std::path::PathBuf {
    let db = f.path(&format!("{name}.redb"));
    let out = eventscope(&["import", s(input), "--db", s(&db)]);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    db
}

/// Payloads with whitespace inside and outside strings, escapes, numbers
/// as written, ids that look derived and ones that are: kept as before.
#[test]
fn awkward_payloads_export_as_they_did() {
    let f = Fixture::new();
    for name in ["spaced", "cloud"] {
        let db = imported(&f, &Path::new(HERE).join(format!("{name}.jsonl")), name);
        for (format, suffix) in [("native", ""), ("cloudevents", "-cloudevents")] {
            let want = std::fs::read_to_string(
                Path::new(HERE).join(format!("{name}.exported{suffix}.jsonl")),
            )
            .unwrap();
            assert_eq!(f.export_as(&db, format), want, "{name} as {format}");
        }
    }
}

#[test]
fn the_sample_logs_export_as_they_did() {
    let f = Fixture::new();
    for (name, native, cloudevents) in [
        ("retail", 0xdbd5_2839_f5c3_6af7, 0xd885_6808_3a55_f82b),
        ("bank", 0x0583_3d74_99a5_5f70, 0x6a4f_84b3_4e02_b1cc),
        ("library", 0xd849_689d_0806_e6c8, 0xa0f5_5d33_3a20_891a),
    ] {
        let db = imported(&f, &Path::new(SAMPLES).join(format!("{name}.jsonl")), name);
        let exported = f.export_as(&db, "native");
        assert_eq!(digest(exported.as_bytes()), native, "{name} as native");
        let exported = f.export_as(&db, "cloudevents");
        assert_eq!(
            digest(exported.as_bytes()),
            cloudevents,
            "{name} as cloudevents"
        );
    }
}

/// A generated log is written as an export writes it, so importing it and
/// exporting again gives back its bytes.
#[test]
fn a_generated_log_exports_as_its_file() {
    let f = Fixture::new();
    let file = f.path("retail.jsonl");
    let out = eventscope(&[
        "generate",
        "--domain",
        "retail",
        "--events",
        "20000",
        "--seed",
        "3",
        "-o",
        s(&file),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = imported(&f, &file, "retail");
    assert_eq!(
        f.export_as(&db, "native").into_bytes(),
        std::fs::read(&file).unwrap()
    );
}
