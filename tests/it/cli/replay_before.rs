//! `replay` prints, byte for byte, what it printed before its states were
//! written straight from the projections.
//!
//! The files in `replay_before/` are the stdout of `eventscope replay` as
//! printed by commit dddec3a, when every state went through a
//! `serde_json::Value`, `to_string_pretty` and a second pass escaping for
//! the terminal. `hostile.jsonl` holds control, format, bidi and zero-width
//! characters, text that looks like escapes, a 300-character stream name
//! and numbers beyond 2^53, in stream names, types and payloads.

use crate::support::*;

/// The logs the cases read.
#[derive(Clone, Copy)]
enum Log {
    Hostile,
    Retail,
    Bank,
    Library,
    /// `generate --domain retail --events 300 --seed 3`.
    Generated,
}

/// (recorded file, log, arguments after the log).
const CASES: [(&str, Log, &[&str]); 9] = [
    ("hostile-all", Log::Hostile, &["--no-snapshots"]),
    ("hostile-rebuild", Log::Hostile, &[]),
    (
        "hostile-at-12",
        Log::Hostile,
        &["--no-snapshots", "--at", "12"],
    ),
    (
        "hostile-diff-16",
        Log::Hostile,
        &["--no-snapshots", "--at", "16", "--diff"],
    ),
    (
        "hostile-skip-16",
        Log::Hostile,
        &["--no-snapshots", "--skip", "16"],
    ),
    (
        "retail-at-12",
        Log::Retail,
        &["--no-snapshots", "--at", "12"],
    ),
    ("bank-all", Log::Bank, &["--no-snapshots"]),
    ("library-all", Log::Library, &["--no-snapshots"]),
    (
        "gen-at-12",
        Log::Generated,
        &["--no-snapshots", "--at", "12"],
    ),
];

fn recorded(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/it/cli/replay_before/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap()
}

/// A fresh copy of `log` (a replay with snapshots may write to it) and
/// the domain file its replay reads.
fn imported(f: &Fixture, log: Log, name: &str) -> (std::path::PathBuf, Option<std::path::PathBuf>) {
    let db = f.path(&format!("{name}.redb"));
    let (file, domain) = match log {
        Log::Hostile => (
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/it/cli/replay_before/hostile.jsonl"),
            None,
        ),
        Log::Retail => (sample("retail.jsonl"), None),
        Log::Bank => (sample("bank.jsonl"), Some(sample("bank.domain.toml"))),
        Log::Library => (sample("library.jsonl"), Some(sample("library.domain.toml"))),
        Log::Generated => {
            let out = eventscope(&[
                "generate",
                "--domain",
                "retail",
                "--events",
                "300",
                "--seed",
                "3",
                "--db",
                s(&db),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            return (db, None);
        }
    };
    let out = eventscope(&["import", s(&file), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    (db, domain)
}

#[test]
fn replay_prints_the_bytes_it_printed_through_values() {
    let f = Fixture::new();
    for (name, log, flags) in CASES {
        let (db, domain) = imported(&f, log, name);
        let mut args = vec!["replay", s(&db)];
        if let Some(domain) = &domain {
            args.extend(["--domain", s(domain)]);
        }
        args.extend(flags);
        let out = eventscope(&args);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let expected = recorded(name);
        if out.stdout != expected {
            let at = out
                .stdout
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(out.stdout.len().min(expected.len()));
            let from = at.saturating_sub(80);
            panic!(
                "{name}: differs from byte {at}:\nnow:    {:?}\nbefore: {:?}",
                String::from_utf8_lossy(&out.stdout[from..(at + 80).min(out.stdout.len())]),
                String::from_utf8_lossy(&expected[from..(at + 80).min(expected.len())]),
            );
        }
    }
}
