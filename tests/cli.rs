//! The command line, run as a user runs it: exit codes, messages, files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn eventscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

const GOOD: &str = r#"{"stream":"customer-1","type":"CustomerRegistered","time":"2024-03-01T09:30:00Z","data":{"name":"Ada Lovelace","address":{"city":"London"}},"metadata":{"correlation_id":"flow-1"}}
{"stream":"customer-1","version":2,"type":"CustomerAddressChanged","id":"evt-2","time":"2024-03-02T10:30:00+01:00","data":{"address":{"city":"Leeds"}}}
{"stream":"order-1","type":"OrderPlaced","time":"2024-03-03T09:30:00.5Z","data":{"customer":"customer-1","items":[],"total":0,"note":"tab\there \u001b[31m red"},"metadata":{"correlation_id":"flow-2","causation_id":"cmd-9","extra":{"nested":[1,2]}}}
"#;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// A log holding GOOD.
    fn log(&self, name: &str) -> PathBuf {
        let input = self.write(&format!("{name}.jsonl"), GOOD);
        let db = self.path(name);
        let out = eventscope(&["import", s(&input), "--db", s(&db)]);
        assert!(out.status.success(), "{}", stderr(&out));
        db
    }

    fn export(&self, db: &Path, format: &str) -> String {
        let out = eventscope(&["export", "--db", s(db), "--format", format]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    }
}

#[test]
fn import_export_round_trips_are_identical_in_both_formats() {
    let f = Fixture::new();
    for format in ["native", "cloudevents"] {
        let first_db = f.log(&format!("first-{format}"));
        let first = f.export(&first_db, format);
        let exported = f.write(&format!("exported.{format}"), &first);
        let second_db = f.path(&format!("second-{format}"));
        let out = eventscope(&[
            "import",
            s(&exported),
            "--db",
            s(&second_db),
            "--format",
            format,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let second = f.export(&second_db, format);
        assert_eq!(first, second, "{format}");
        assert_eq!(first.lines().count(), 3);
    }
}

#[test]
fn every_field_survives_an_export() {
    let f = Fixture::new();
    let db = f.log("log");
    let native = f.export(&db, "native");
    let lines: Vec<serde_json::Value> = native
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[1]["id"], "evt-2");
    assert_eq!(lines[1]["version"], 2);
    assert_eq!(lines[1]["time"], "2024-03-02T09:30:00Z", "converted to UTC");
    assert_eq!(lines[2]["time"], "2024-03-03T09:30:00.5Z");
    assert_eq!(lines[2]["data"]["note"], "tab\there \u{1b}[31m red");
    assert_eq!(lines[2]["metadata"]["extra"]["nested"][1], 2);
    assert_eq!(lines[0]["id"], "customer-1/1", "a derived id");
    let ce = f.export(&db, "cloudevents");
    let first: serde_json::Value = serde_json::from_str(ce.lines().next().unwrap()).unwrap();
    assert_eq!(first["subject"], "customer-1");
    assert_eq!(first["specversion"], "1.0");
    assert_eq!(first["streamversion"], 1);
}

/// Bad input of every kind: exit 1, the line named, the log as it was.
#[test]
fn bad_input_names_the_line_and_changes_nothing() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = f.export(&db, "native");
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
            f.export(&db, "native"),
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
    assert_eq!(f.export(&db, "native").lines().count(), 3);
}

#[test]
fn read_only_commands_leave_the_file_byte_for_byte() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = std::fs::read(&db).unwrap();
    for args in [
        vec!["info", s(&db)],
        vec!["info", s(&db), "--json"],
        vec!["verify", s(&db)],
        vec!["export", "--db", s(&db)],
    ] {
        let out = eventscope(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn info_reports_counts_in_text_and_json() {
    let f = Fixture::new();
    let db = f.log("log");
    let out = eventscope(&["info", s(&db), "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["events"], 3);
    assert_eq!(info["streams"], 2);
    assert_eq!(info["types"]["OrderPlaced"], 1);
    assert_eq!(info["first_time"], "2024-03-01T09:30:00Z");
    let text = stdout(&eventscope(&["info", s(&db)]));
    assert!(text.contains("events     3"), "{text}");
    assert!(text.contains("CustomerAddressChanged"), "{text}");
}

#[test]
fn damaged_and_foreign_files_get_one_clear_line() {
    let f = Fixture::new();
    let db = f.log("log");
    let empty = f.write("empty.redb", b"");
    let text = f.write("notes.txt", "not a log\n".repeat(500));
    let truncated = f.path("truncated.redb");
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let flipped = f.path("flipped.redb");
    let mut damaged = bytes.clone();
    let at = damaged
        .windows(b"Ada Lovelace".len())
        .position(|w| w == b"Ada Lovelace")
        .unwrap();
    damaged[at + 2] ^= 0x20;
    std::fs::write(&flipped, &damaged).unwrap();

    for (path, expected) in [
        (&empty, "is an empty file"),
        (&text, "not an eventscope log"),
        (&truncated, ""),
        (&f.path("missing.redb"), "does not exist"),
    ] {
        let out = eventscope(&["info", s(path)]);
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let message = stderr(&out);
        let first = message.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{message}");
        assert!(first.contains(expected), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
    // A flipped byte inside an event: counts still read, the event is
    // reported as damaged wherever it is read, never shown.
    for args in [
        vec!["export", "--db", s(&flipped)],
        vec!["verify", s(&flipped)],
    ] {
        let out = eventscope(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("event 1 is damaged"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!stdout(&out).contains("Ada"), "damaged data is never shown");
    }
}

#[test]
fn a_log_held_open_by_another_process_is_locked() {
    let f = Fixture::new();
    let db = f.log("log");
    let held = eventscope::store::EventLog::open(&db).unwrap();
    for args in [vec!["info", s(&db)], vec!["export", "--db", s(&db)]] {
        let out = eventscope(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("is locked"), "{}", stderr(&out));
    }
    let input = f.write("more.jsonl", GOOD);
    let out = eventscope(&["import", s(&input), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is locked"), "{}", stderr(&out));
    drop(held);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(eventscope(&["import"]).status.code(), Some(2));
    assert_eq!(eventscope(&["info"]).status.code(), Some(2));
    assert_eq!(
        eventscope(&["export", "--db", "x", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        eventscope(&["no-such-command", "x", "y"]).status.code(),
        Some(2)
    );
    assert!(eventscope(&["import", "--help"]).status.success());
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

#[test]
fn the_samples_round_trip_and_verify() {
    let f = Fixture::new();
    for name in ["retail.jsonl", "bank.jsonl"] {
        let db = f.path(&format!("{name}.redb"));
        let out = eventscope(&["import", s(&sample(name)), "--db", s(&db)]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let verify = eventscope(&["verify", s(&db)]);
        assert!(verify.status.success(), "{name}: {}", stderr(&verify));
        let native = f.export(&db, "native");
        let original = std::fs::read_to_string(sample(name)).unwrap();
        assert_eq!(native.lines().count(), original.lines().count());
        for format in ["native", "cloudevents"] {
            let first = f.export(&db, format);
            let file = f.write("again.txt", &first);
            let again = f.path(&format!("{name}-{format}-again.redb"));
            let out = eventscope(&["import", s(&file), "--db", s(&again), "--format", format]);
            assert!(out.status.success(), "{name} {format}: {}", stderr(&out));
            assert_eq!(f.export(&again, format), first, "{name} {format}");
        }
    }
}

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
            f.export(&db, "native").into_bytes(),
            a_bytes,
            "the file and the log hold the same events"
        );
    }
}

fn retail_sample(f: &Fixture) -> PathBuf {
    let db = f.path("retail.redb");
    let out = eventscope(&["import", s(&sample("retail.jsonl")), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Ada Lovelace moves London -> Manchester (seq 78) -> Edinburgh (seq 217).
#[test]
fn replay_blames_the_second_move_and_diffs_it() {
    let f = Fixture::new();
    let db = retail_sample(&f);
    for snapshots in [true, false] {
        let mut args = vec![
            "replay",
            s(&db),
            "-p",
            "customers",
            "--blame",
            "customer-1.address.city",
        ];
        if !snapshots {
            args.push("--no-snapshots");
        }
        let blame = json_of(&eventscope(&args));
        assert_eq!(blame["customers"]["value"], "Edinburgh");
        assert_eq!(blame["customers"]["changed_at"], 217);
        assert_eq!(
            blame["customers"]["event"]["type"],
            "CustomerAddressChanged"
        );
    }
    let earlier = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "customers",
        "--blame",
        "customer-1.address.city",
        "--at",
        "200",
    ]));
    assert_eq!(earlier["customers"]["value"], "Manchester");
    assert_eq!(earlier["customers"]["changed_at"], 78);

    let diff = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "customers",
        "--at",
        "217",
        "--diff",
    ]));
    let mut paths: Vec<&str> = diff["customers"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "customer-1.address.city",
            "customer-1.address.postcode",
            "customer-1.address.street"
        ]
    );
}

#[test]
fn replay_travels_in_time_and_lists_projections() {
    let f = Fixture::new();
    let db = retail_sample(&f);
    let list = json_of(&eventscope(&["replay", s(&db), "--list"]));
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for expected in [
        "types",
        "streams",
        "replica",
        "customers",
        "address-book",
        "orders",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    assert!(
        !names.contains(&"balances"),
        "bank projections do not apply to retail"
    );

    // The whole log once (saving snapshots), then as at seq 100.
    let now = json_of(&eventscope(&["replay", s(&db), "-p", "address-book"]));
    assert_eq!(
        now["address-book"]["state"]["customer-1"]["city"],
        "Edinburgh"
    );
    let then = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "address-book",
        "--at",
        "100",
    ]));
    assert_eq!(then["address-book"]["at"], 100);
    assert_eq!(
        then["address-book"]["state"]["customer-1"]["city"],
        "Manchester"
    );
    let genesis = json_of(&eventscope(&[
        "replay",
        s(&db),
        "-p",
        "address-book",
        "--at",
        "100",
        "--no-snapshots",
    ]));
    assert_eq!(
        genesis["address-book"]["state"],
        then["address-book"]["state"]
    );
    assert_eq!(genesis["address-book"]["start"], "genesis");

    let past = eventscope(&["replay", s(&db), "--at", "100000"]);
    assert_eq!(past.status.code(), Some(1));
    assert!(stderr(&past).contains("past the end"), "{}", stderr(&past));
    let unknown = eventscope(&["replay", s(&db), "-p", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("unknown projection `nope`"));
}

#[test]
fn verify_names_the_seq_of_a_flipped_byte() {
    let f = Fixture::new();
    let db = retail_sample(&f);
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

#[test]
fn exec_appends_the_command_and_its_policies_or_rejects_untouched() {
    let f = Fixture::new();
    let db = retail_sample(&f);
    let before_bytes = std::fs::read(&db).unwrap();
    let before = f.export(&db, "native");
    let count = before.lines().count();

    // Rejected: Marco Rossi (customer-12) is deactivated in the sample.
    let out = eventscope(&[
        "exec",
        s(&db),
        r#"{"type":"ChangeCustomerEmail","stream":"customer-12","data":{"email":"m@example.com"}}"#,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.starts_with("error: rejected: "), "{message}");
    assert!(message.contains("customer-12"), "{message}");
    assert_eq!(std::fs::read(&db).unwrap(), before_bytes, "byte for byte");

    // A bad command is a usage-like failure with the reason, also untouched.
    let out = eventscope(&["exec", s(&db), "Teleport customer-1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Teleport"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before_bytes);

    // Without policies: only the order is placed.
    let place = |order: &str, policies: bool| {
        let command = format!("PlaceOrder {order} customer=customer-2 item=BOOK-1:2:1500");
        let mut args = vec!["exec", s(&db), command.as_str()];
        if !policies {
            args.push("--no-policies");
        }
        let out = eventscope(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let alone = place("order-900", false);
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0]["type"], "OrderPlaced");
    assert_eq!(alone[0]["data"]["total"], 3000, "the total is computed");

    // With policies: the order requests its payment, in the same flow.
    let chain = place("order-901", true);
    let types: Vec<&str> = chain.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["OrderPlaced", "PaymentRequested"]);
    assert_eq!(chain[1]["metadata"]["causation_id"], chain[0]["id"]);
    assert_eq!(
        chain[1]["metadata"]["correlation_id"],
        chain[0]["metadata"]["correlation_id"]
    );
    assert_eq!(chain[1]["data"]["amount"], 3000);
    assert_eq!(f.export(&db, "native").lines().count(), count + 3);
    assert!(eventscope(&["verify", s(&db)]).status.success());
}

#[test]
fn simulate_reports_both_flows_in_json_and_as_a_table() {
    let f = Fixture::new();
    let db = retail_sample(&f);
    let report = json_of(&eventscope(&["simulate", s(&db), "--json"]));
    for flow in ["notification", "state_transfer"] {
        for key in [
            "bus_messages",
            "bus_bytes",
            "remote_calls",
            "failed_calls",
            "fetched_bytes",
            "work_done",
            "work_delayed",
            "work_failed",
            "mean_staleness_ms",
            "max_staleness_ms",
            "replica_bytes",
            "converged",
        ] {
            assert!(report[flow].get(key).is_some(), "{flow}.{key}");
        }
    }
    assert_eq!(report["state_transfer"]["remote_calls"], 0);
    assert_eq!(report["notification"]["converged"], true);
    let outage = json_of(&eventscope(&[
        "simulate",
        s(&db),
        "--outage",
        "1..60",
        "--json",
    ]));
    assert!(
        outage["notification"]["work_delayed"].as_u64()
            > report["notification"]["work_delayed"].as_u64(),
        "an outage delays notification work"
    );
    assert!(outage["notification"]["failed_calls"].as_u64() > Some(0));
    assert_eq!(
        outage["state_transfer"], report["state_transfer"],
        "state transfer does not notice the source is down"
    );
    let table = stdout(&eventscope(&["simulate", s(&db)]));
    assert!(
        table.contains("Notification") && table.contains("StateTransfer"),
        "{table}"
    );
    let bad = eventscope(&["simulate", s(&db), "--drop", "2"]);
    assert_eq!(bad.status.code(), Some(1));
}

/// A large bank log as JSONL: every event for a new stream, so an import
/// of it would be accepted whole.
fn big_bank_file(f: &Fixture) -> PathBuf {
    let big = f.path("big.jsonl");
    let out = eventscope(&[
        "generate",
        "--domain",
        "bank",
        "--events",
        "400000",
        "-o",
        s(&big),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    big
}

/// Imports `file` into `db` through a pipe held open, so that the import
/// cannot end by itself, and kills it without warning once it has read
/// the whole file: a pipe accepts no more than its reader takes, so the
/// writes finishing is the sign that the import is well under way.
#[cfg(unix)]
fn kill_an_import_midway(file: &Path, db: &Path) {
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(["import", "-", "--db", s(db)])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = std::fs::read(file).unwrap();
    // Hands the pipe back still open, written or not.
    let feeder = std::thread::spawn(move || {
        let written = stdin.write_all(&text).is_ok();
        (stdin, written)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    while !feeder.is_finished() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        assert!(Instant::now() < deadline, "the import never read its input");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (stdin, written) = feeder.join().unwrap();
    assert!(written, "the import stopped reading its input");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended before it was killed"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed, not ended: {status:?}");
    drop(stdin);
}

/// An import killed part way leaves the log as it was: the transaction
/// never commits.
#[cfg(unix)]
#[test]
fn an_import_killed_part_way_changes_nothing() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = f.export(&db, "native");
    let big = big_bank_file(&f);
    kill_an_import_midway(&big, &db);
    // Opening for writing lets redb recover; the events are those before.
    drop(eventscope::store::EventLog::open(&db).unwrap());
    assert_eq!(f.export(&db, "native"), before);
    assert!(eventscope(&["verify", s(&db)]).status.success());

    // Into a new path: nothing at all is left there.
    let fresh = f.path("fresh.redb");
    kill_an_import_midway(&big, &fresh);
    assert!(
        !fresh.exists(),
        "no half-made log where the user asked for one"
    );
}

/// Event data is untrusted: what the command line prints for people never
/// carries its control characters to the terminal.
#[test]
fn hostile_names_are_printed_escaped() {
    let f = Fixture::new();
    let input = f.write(
        "hostile.jsonl",
        "{\"stream\":\"order-1\\u001b[2J\",\"type\":\"Placed\\u0007\",\"time\":\"2024-03-01T09:30:00Z\"}\n",
    );
    let db = f.path("hostile.redb");
    assert!(
        eventscope(&["import", s(&input), "--db", s(&db)])
            .status
            .success()
    );
    let info = eventscope(&["info", s(&db)]);
    let text = stdout(&info);
    assert!(text.contains("Placed\\u{7}"), "{text}");
    let conflict = f.write(
        "conflict.jsonl",
        "{\"stream\":\"order-1\\u001b[2J\",\"version\":9,\"type\":\"X\",\"time\":\"2024-03-01T09:30:00Z\"}\n",
    );
    let failed = eventscope(&["import", s(&conflict), "--db", s(&db)]);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    assert!(message.contains("order-1\\e[2J"), "{message}");
    for output in [&info.stdout, &info.stderr, &failed.stdout, &failed.stderr] {
        assert!(
            !output.iter().any(|&b| b == 0x1b || b == 0x07),
            "a control character reached the terminal"
        );
    }
}

#[test]
fn export_to_a_file_touches_nothing_else_beside_it() {
    let f = Fixture::new();
    let db = f.log("log");
    let neighbour = f.write("out.partial", "mine");
    let target = f.path("out.jsonl");
    let out = eventscope(&["export", "--db", s(&db), "-o", s(&target)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&neighbour).unwrap(), "mine");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        f.export(&db, "native")
    );
    let files = std::fs::read_dir(f.dir.path()).unwrap().count();
    let missing = eventscope(&["export", "--db", s(&db), "-o", "/no/such/dir/x.jsonl"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("/no/such/dir/x.jsonl"));
    assert_eq!(std::fs::read_dir(f.dir.path()).unwrap().count(), files);
}

/// A log left open by a killed writer is recovered by the next opener,
/// read-only commands included; its committed events are all there.
#[cfg(unix)]
#[test]
fn a_log_left_by_a_killed_writer_opens_again() {
    let f = Fixture::new();
    let db = f.log("log");
    let before = f.export(&db, "native");
    let big = big_bank_file(&f);
    kill_an_import_midway(&big, &db);
    // Straight to a read-only command: no "damaged" on a log that is whole.
    let info = eventscope(&["info", s(&db), "--json"]);
    assert!(info.status.success(), "{}", stderr(&info));
    assert_eq!(f.export(&db, "native"), before);
    let missing = eventscope(&["import", s(&big), "--db", "/no/such/dir/x.redb"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).starts_with("error: cannot create /no/such/dir/x.redb"),
        "{}",
        stderr(&missing)
    );
}
