//! `import`, and the explorer opening text files: hostile and racing
//! input, interruptions, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use super::fixture::*;
use crate::support::*;

/// Waits for `child` at most `limit`, polling; kills it and fails the test
/// if it is still running then.
fn wait_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs eventscope with `args`, failing the test if it takes over a minute.
fn run_within_a_minute(args: &[&str]) -> Output {
    let mut child = spawn(args, Stdio::null());
    // Output is small; a child that wrote much would block on the pipe.
    let status = wait_within(&mut child, Duration::from_secs(60), &args.join(" "));
    let mut output = child.wait_with_output().unwrap();
    output.status = status;
    output
}

const T: &str = "2024-03-01T09:30:00Z";

fn native_line(stream: &str, version: Option<u64>) -> String {
    let version = version.map_or(String::new(), |v| format!(",\"version\":{v}"));
    format!("{{\"stream\":\"{stream}\"{version},\"type\":\"Happened\",\"time\":\"{T}\"}}\n")
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A file whose second line is a version conflict, with 25,000 lines after.
fn conflict_early(dir: &Path) -> PathBuf {
    let mut text = native_line("a", None) + &native_line("b", Some(5));
    for n in 0..25_000 {
        text += &native_line(&format!("c-{n}"), None);
    }
    let path = dir.join("conflict.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_early_conflict_with_much_input_after_it_ends_every_importer() {
    let dir = temp_dir();
    let file = conflict_early(dir.path());
    let db = dir.path().join("log.redb");
    for args in [
        vec!["import", s(&file), "--db", s(&db)],
        vec!["render", s(&file)],
        vec![s(&file)],
    ] {
        let out = run_within_a_minute(&args);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {message}");
        assert!(
            message.starts_with("error: ") && message.contains("line 2: version conflict on b"),
            "{args:?}: {message}"
        );
        assert!(!db.exists());
    }
}

/// `count` native lines, each a new stream named `{prefix}-{n}`.
fn new_streams(prefix: &str, count: usize) -> String {
    (0..count)
        .map(|n| native_line(&format!("{prefix}-{n}"), None))
        .collect()
}

/// The streams of every event in the log at `db`, in order.
fn streams_in(db: &Path) -> Vec<String> {
    let out = binary()
        .args(["export", "--db", s(db), "--format", "native"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            event["stream"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Two imports racing to create the same log: each either lands whole or
/// fails saying why; one never replaces the other's log.
#[test]
fn racing_imports_into_a_new_log_never_replace_one_another() {
    let dir = temp_dir();
    const EVENTS: usize = 2000;
    let inputs: Vec<PathBuf> = ["a", "b"]
        .iter()
        .map(|prefix| {
            let path = dir.path().join(format!("{prefix}.jsonl"));
            std::fs::write(&path, new_streams(prefix, EVENTS)).unwrap();
            path
        })
        .collect();
    for round in 0..12 {
        let db = dir.path().join(format!("race-{round}.redb"));
        let mut children: Vec<Child> = inputs
            .iter()
            .map(|input| {
                binary()
                    .args(["import", s(input), "--db", s(&db)])
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut landed = Vec::new();
        for (child, prefix) in children.iter_mut().zip(["a", "b"]) {
            let status = wait_within(child, Duration::from_secs(60), "an import");
            let mut message = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut message)
                .unwrap();
            if status.success() {
                landed.push(prefix);
            } else {
                assert_eq!(status.code(), Some(1), "{message}");
                assert!(
                    message.starts_with("error: ") && message.contains("nothing was imported"),
                    "round {round}: {message}"
                );
            }
        }
        assert!(!landed.is_empty(), "round {round}: neither import landed");
        let mut streams = streams_in(&db);
        streams.sort();
        let mut want: Vec<String> = landed
            .iter()
            .flat_map(|prefix| (0..EVENTS).map(move |n| format!("{prefix}-{n}")))
            .collect();
        want.sort();
        assert_eq!(
            streams.len(),
            want.len(),
            "round {round}: every import that said it landed is in the log"
        );
        assert!(streams == want, "round {round}: the log holds what landed");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().contains(".importing-"))
        .map(|entry| entry.file_name())
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// The hidden files an import into `db` builds the new log in.
fn building_files(db: &Path) -> Vec<PathBuf> {
    let prefix = format!(".{}.importing-", db.file_name().unwrap().to_string_lossy());
    std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect()
}

/// An import into a new log interrupted by a signal removes the file it
/// was building, and creates nothing.
#[cfg(unix)]
#[test]
fn a_signal_midway_leaves_no_file_behind() {
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;
    let dir = temp_dir();
    for (signal, number) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let db = dir.path().join(format!("new-{signal}.redb"));
        // Read from a pipe held open: the import cannot end by itself.
        let mut child = binary()
            .args(["import", "-", "--db", s(&db)])
            .stdin(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(new_streams("s", 1000).as_bytes()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while building_files(&db).is_empty() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the import ended early"
            );
            assert!(Instant::now() < deadline, "the import never started");
            std::thread::sleep(Duration::from_millis(10));
        }
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = wait_within(&mut child, Duration::from_secs(60), "the import");
        drop(stdin);
        assert_eq!(status.signal(), Some(number), "{signal}: {status:?}");
        assert_eq!(building_files(&db), Vec::<PathBuf>::new(), "{signal}");
        assert!(!db.exists(), "{signal}");
    }
}

/// What a killed import left is swept by the next import into the folder;
/// what a running one is building is left alone.
#[cfg(unix)]
#[test]
fn a_stale_temporary_file_is_swept_by_the_next_import() {
    let dir = temp_dir();
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let stale = dir.path().join(format!(".old.redb.importing-{dead}"));
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    let running = dir
        .path()
        .join(format!(".other.redb.importing-{}", std::process::id()));
    std::fs::write(&running, b"in use").unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, new_streams("s", 3)).unwrap();
    let db = dir.path().join("new.redb");
    let out = run_within_a_minute(&["import", s(&input), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stale.exists(), "the dead import's file is swept");
    assert!(running.exists(), "a live import's file is kept");
}

const CLOUD_EVENT: &str = r#"{"specversion":"1.0","id":"x-1","source":"https://shop.example","type":"OrderPlaced","subject":"order-9","time":"2024-03-01T09:30:00Z","data":{"total":1200}}"#;

/// The explorer and `render` read a CloudEvents file as `import` does,
/// telling the format from the file.
#[test]
fn a_cloud_events_file_opens_in_the_explorer_and_imports_without_a_format() {
    let dir = temp_dir();
    for (name, text) in [
        ("lines.jsonl", format!("{CLOUD_EVENT}\n")),
        ("array.json", format!("[\n  {CLOUD_EVENT}\n]\n")),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = run_within_a_minute(&["render", s(&file), "--size", "120x20"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let screen = String::from_utf8_lossy(&out.stdout);
        assert!(screen.contains("OrderPlaced"), "{name}: {screen}");
        let db = dir.path().join(format!("{name}.redb"));
        let out = run_within_a_minute(&["import", s(&file), "--db", s(&db)]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(streams_in(&db), ["order-9"], "{name}");
    }
}

/// A pipe is not a file of any kind a log can be: said so, not "empty".
#[cfg(unix)]
#[test]
fn a_fifo_is_named_for_what_it_is() {
    let dir = temp_dir();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for command in ["info", "verify"] {
        let out = run_within_a_minute(&[command, s(&fifo)]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {message}");
        assert!(
            message.contains("is not a regular file") && !message.contains("empty"),
            "{command}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{command}: {message}");
    }
}

fn export(db: &Path, format: &str) -> String {
    let out = binary()
        .args(["export", "--db", s(db), "--format", format])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Events without a time, as a person's own log often has, are imported,
/// shown as having none, and exported without one in both formats.
#[test]
fn events_without_a_time_are_kept_and_shown_as_such() {
    let dir = temp_dir();
    let native = dir.path().join("own.jsonl");
    std::fs::write(
        &native,
        "{\"stream\":\"todo-1\",\"type\":\"TaskAdded\",\"data\":{\"title\":\"milk\"}}\n\
         {\"stream\":\"todo-1\",\"type\":\"TaskDone\",\"time\":null}\n",
    )
    .unwrap();
    let db = dir.path().join("own.redb");
    let out = run_within_a_minute(&["import", s(&native), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = export(&db, "native");
    assert!(!exported.contains("\"time\""), "{exported}");
    let screen = run_within_a_minute(&["render", s(&db), "--size", "120x20", "--at", "1"]);
    assert!(screen.status.success(), "{}", stderr(&screen));
    let screen = String::from_utf8_lossy(&screen.stdout);
    assert!(screen.contains("no time"), "{screen}");
    let cloud = export(&db, "cloudevents");
    assert!(!cloud.contains("\"time\""), "{cloud}");
    // And back: the same events, byte for byte.
    for (format, text) in [("native", &exported), ("cloudevents", &cloud)] {
        let file = dir.path().join(format!("again.{format}"));
        std::fs::write(&file, text).unwrap();
        let again = dir.path().join(format!("again-{format}.redb"));
        let out = run_within_a_minute(&["import", s(&file), "--db", s(&again)]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert_eq!(export(&again, "native"), exported, "{format}");
    }
}

/// Valid CloudEvents 1.0 that were refused: no time, no subject, binary
/// data, a non-JSON content type. Invalid ones that were accepted are
/// refused with the line and column.
#[test]
fn cloud_events_are_read_as_the_spec_says() {
    let dir = temp_dir();
    let valid = [
        r#"{"specversion":"1.0","id":"a","source":"/sensors/7","type":"Reading"}"#,
        r#"{"specversion":"1.0","id":"b","source":"/cam","type":"Shot","subject":"cam-1","datacontenttype":"image/png","data_base64":"iVBORw0KGgo="}"#,
        r#"{"specversion":"1.0","id":"c","source":"/feed","type":"Item","subject":"feed-1","datacontenttype":"text/xml","data":"<item/>"}"#,
    ];
    let file = dir.path().join("valid.jsonl");
    std::fs::write(&file, valid.join("\n")).unwrap();
    let db = dir.path().join("valid.redb");
    let out = run_within_a_minute(&["import", s(&file), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(streams_in(&db), ["/sensors/7", "cam-1", "feed-1"]);
    let cloud = export(&db, "cloudevents");
    assert!(cloud.contains(r#""data_base64":"iVBORw0KGgo=""#), "{cloud}");
    assert!(cloud.contains(r#""datacontenttype":"text/xml""#), "{cloud}");

    let good = r#"{"specversion":"1.0","id":"x","source":"/s","type":"T","subject":"s-1"}"#;
    for (bad, says) in [
        (good.replace("\"/s\"", "null"), "missing attribute `source`"),
        (good.replace("\"/s\"", "12"), "`source` must be a string"),
        (good.replace("\"/s\"", "\"\""), "`source` must not be empty"),
        (
            good.replace("\"id\"", "\"Id\""),
            "`Id` is not a CloudEvents attribute name",
        ),
        (
            good.replace("}", r#","tenant":"a","tenant":"b"}"#),
            "attribute `tenant` is given twice",
        ),
    ] {
        let file = dir.path().join("invalid.jsonl");
        std::fs::write(&file, format!("{good}\n{bad}\n")).unwrap();
        let db = dir.path().join("invalid.redb");
        let out = run_within_a_minute(&["import", s(&file), "--db", s(&db)]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{bad}: {message}");
        assert!(
            message.starts_with("error: line 2, column ") && message.contains(says),
            "{bad}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(!db.exists());
    }
}

/// Payloads no JSON tree can hold were imported and then shown as null:
/// they are refused at import, naming line, column and why.
#[test]
fn payloads_that_would_show_as_null_are_refused_at_import() {
    let dir = temp_dir();
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for payload in ["{\"n\":1e400}", "\"\\ud800\"", deep.as_str()] {
        let file = dir.path().join("odd.jsonl");
        std::fs::write(
            &file,
            format!(
                "{}{{\"stream\":\"s\",\"type\":\"T\",\"time\":\"{T}\",\"data\":{payload}}}\n",
                native_line("s", None)
            ),
        )
        .unwrap();
        let db = dir.path().join("odd.redb");
        for args in [
            vec!["import", s(&file), "--db", s(&db)],
            vec!["render", s(&file)],
        ] {
            let out = run_within_a_minute(&args);
            let message = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {message}");
            assert!(
                message.contains("line 2, column ")
                    && message.contains("`data` cannot be kept as written"),
                "{args:?}: {message}"
            );
            assert_eq!(message.lines().count(), 1, "{message}");
            assert!(!db.exists());
        }
    }
}

/// Bad input of every kind: exit 1, the line named, the log as it was.
#[test]
fn bad_input_names_the_line_and_changes_nothing() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = f.export_as(&db, "native");
    let valid =
        r#"{"stream":"customer-2","type":"CustomerRegistered","time":"2024-03-04T09:30:00Z"}"#;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bad JSON", format!("{valid}\n{{\"stream\": \n").into_bytes(), "line 2"),
        (
            "missing type",
            format!("{valid}\n{valid}\n{{\"stream\":\"x\",\"time\":\"2024-03-04T09:30:00Z\"}}\n")
                .into_bytes(),
            "line 3",
        ),
        (
            "missing stream",
            b"{\"type\":\"X\",\"time\":\"2024-03-04T09:30:00Z\"}\n".to_vec(),
            "line 1",
        ),
        (
            "wrong version",
            format!(
                "{valid}\n{{\"stream\":\"customer-1\",\"version\":2,\"type\":\"X\",\"time\":\"2024-03-04T09:30:00Z\"}}\n"
            )
            .into_bytes(),
            "line 2",
        ),
        (
            "invalid UTF-8",
            [valid.as_bytes(), b"\n", &valid.as_bytes()[..40], b"\xff\xfe", &valid.as_bytes()[40..], b"\n"].concat(),
            "line 2",
        ),
        (
            "bad time",
            b"{\"stream\":\"s\",\"type\":\"X\",\"time\":\"yesterday\"}\n".to_vec(),
            "line 1",
        ),
    ];
    for (what, input, line) in cases {
        let file = f.write("bad.jsonl", input);
        let out = eventscope(&["import", s(&file), "--db", s(&db)]);
        assert_eq!(out.status.code(), Some(1), "{what}");
        let message = stderr(&out);
        let first = message.lines().next().unwrap_or_default();
        assert!(first.contains(line), "{what}: {message}");
        assert!(first.starts_with("error: "), "{what}: {message}");
        assert_eq!(
            f.export_as(&db, "native"),
            before,
            "{what}: the log is as it was"
        );
    }
}

#[test]
fn a_failed_import_into_a_new_path_leaves_no_file() {
    let f = Fixture::new();
    let bad = f.write("bad.jsonl", "{\"stream\":\"s\"}\n");
    let db = f.path("new.redb");
    let out = eventscope(&["import", s(&bad), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!db.exists());
}

#[test]
fn import_reads_standard_input() {
    let f = Fixture::new();
    let db = f.path("log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(["import", "-", "--db", s(&db)])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(GOOD.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(f.export_as(&db, "native").lines().count(), 3);
}

/// An import killed part way leaves the log as it was: the transaction
/// never commits.
#[cfg(unix)]
#[test]
fn an_import_killed_part_way_changes_nothing() {
    let f = Fixture::new();
    let db = f.log_apart_from_the_bank("log");
    let before = f.export_as(&db, "native");
    let big = big_bank_file(&f);
    kill_an_import_midway(&big, &db);
    // Opening for writing lets redb recover; the events are those before.
    drop(eventscope::store::EventLog::open(&db).unwrap());
    assert_eq!(f.export_as(&db, "native"), before);
    assert!(eventscope(&["verify", s(&db)]).status.success());

    // Into a new path: nothing at all is left there.
    let fresh = f.path("fresh.redb");
    kill_an_import_midway(&big, &fresh);
    assert!(
        !fresh.exists(),
        "no half-made log where the user asked for one"
    );
}

/// A failed import into an existing log leaves the file itself byte for
/// byte as it was, its length too, not only its events: redb's own
/// bookkeeping of the open, the aborted transaction and the close is undone.
#[test]
fn a_failed_import_leaves_the_existing_file_byte_for_byte() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = std::fs::read(&db).unwrap();
    let events_before = f.export_as(&db, "native");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "a bad line after many batches",
            new_streams("many", 30_000) + "{\"stream\": \n",
            "line 30001",
        ),
        (
            "a version conflict in the first batch",
            native_line("fresh", None) + &native_line("customer-1", Some(5)),
            "line 2: version conflict on customer-1",
        ),
        (
            "a duplicate id",
            native_line("fresh", None)
                + r#"{"stream":"other","type":"X","id":"ada-moves-2","time":"2024-03-04T09:30:00Z"}"#
                + "\n",
            "ada-moves-2",
        ),
    ];
    for (what, input, expected) in cases {
        let file = f.write("failing.jsonl", input);
        let out = run_within_a_minute(&["import", s(&file), "--db", s(&db)]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: {message}");
        assert!(message.contains(expected), "{what}: {message}");
        let after = std::fs::read(&db).unwrap();
        assert_eq!(after.len(), before.len(), "{what}: the length is as it was");
        assert!(after == before, "{what}: the bytes are as they were");
        assert_eq!(f.export_as(&db, "native"), events_before, "{what}");
        let verify = eventscope(&["verify", s(&db)]);
        assert!(verify.status.success(), "{what}: {}", stderr(&verify));
    }
    // The log still takes an import, which stays.
    let file = f.write("good.jsonl", native_line("fresh", None));
    let out = eventscope(&["import", s(&file), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(streams_in(&db).last().map(String::as_str), Some("fresh"));
}

/// Input that never ends (a device, a binary file without line ends) is
/// refused promptly with its place, never read into memory for ever; so is
/// a domain file or a case that never ends.
#[test]
fn input_that_never_ends_is_refused_promptly_and_changes_nothing() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = std::fs::read(&db).unwrap();
    for format in ["native", "cloudevents"] {
        let out = run_within_a_minute(&["import", "/dev/zero", "--db", s(&db), "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let message = stderr(&out);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(
            message.contains("line 1, column 1") && message.contains("U+0000"),
            "{message}"
        );
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{format}: the bytes are as they were"
        );
    }
    for args in [
        vec!["replay", s(&db), "--domain", "/dev/zero"],
        vec!["check-case", "/dev/zero"],
    ] {
        let out = run_within_a_minute(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("larger than 16 MiB"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(std::fs::read(&db).unwrap() == before);
}

/// An import that writes no event, of an empty file or of events all
/// already stored, leaves the log byte for byte as it was.
#[test]
fn an_import_that_writes_nothing_leaves_the_log_byte_for_byte() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = std::fs::read(&db).unwrap();
    let empty = f.write("empty.jsonl", "");
    // Exported, every event has its stream version: each is found stored.
    let again = f.write("again.jsonl", f.export_as(&db, "native"));
    for args in [
        vec!["import", s(&empty), "--db", s(&db)],
        vec!["import", s(&again), "--db", s(&db), "--skip-existing"],
    ] {
        let out = run_within_a_minute(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?}: the bytes changed"
        );
    }
    // An import that writes keeps what it wrote.
    let out = run_within_a_minute(&[
        "import",
        s(&f.write("one.jsonl", native_line("fresh", None))),
        "--db",
        s(&db),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&db).unwrap() != before);
    assert!(f.export_as(&db, "native").contains("\"fresh\""));
}
