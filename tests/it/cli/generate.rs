//! `eventscope generate`, run as a user runs it.

use crate::support::*;

#[test]
fn generate_is_deterministic_and_its_logs_verify() {
    let f = Fixture::new();
    for domain in ["retail", "bank"] {
        let a = f.path(&format!("{domain}-a.jsonl"));
        let b = f.path(&format!("{domain}-b.jsonl"));
        let c = f.path(&format!("{domain}-c.jsonl"));
        for (path, seed) in [(&a, "5"), (&b, "5"), (&c, "6")] {
            let out = eventscope(&[
                "generate",
                "--domain",
                domain,
                "--events",
                "3000",
                "--seed",
                seed,
                "-o",
                s(path),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let a_bytes = std::fs::read(&a).unwrap();
        assert_eq!(a_bytes, std::fs::read(&b).unwrap(), "same seed, same bytes");
        assert_ne!(
            a_bytes,
            std::fs::read(&c).unwrap(),
            "another seed, another log"
        );
        assert_eq!(String::from_utf8_lossy(&a_bytes).lines().count(), 3000);

        let db = f.path(&format!("{domain}.redb"));
        let out = eventscope(&[
            "generate",
            "--domain",
            domain,
            "--events",
            "3000",
            "--seed",
            "5",
            "--db",
            s(&db),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(eventscope(&["verify", s(&db)]).status.success());
        assert_eq!(
            f.export_as(&db, "native").into_bytes(),
            a_bytes,
            "the file and the log hold the same events"
        );
    }
}

/// Generating into a log whose streams conflict fails and leaves it byte
/// for byte.
#[test]
fn a_generate_into_a_log_that_conflicts_changes_nothing() {
    let f = Fixture::new();
    let db = f.path("bank.redb");
    let args = [
        "generate",
        "--domain",
        "bank",
        "--events",
        "10",
        "--db",
        s(&db),
    ];
    assert!(eventscope(&args).status.success());
    let before = std::fs::read(&db).unwrap();
    let out = eventscope(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("conflict"), "{}", stderr(&out));
    assert!(std::fs::read(&db).unwrap() == before, "the bytes changed");
}
