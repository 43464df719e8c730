//! `eventscope follow FILE|-`: a growing log printed (or kept) as it grows.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use eventscope::store::EventLog;
use serde_json::Value;

use crate::support::{binary, s, spawn, stderr};

/// `follow` running with its printed lines arriving on a channel.
struct Following {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Following {
    fn start(args: &[&str]) -> Following {
        Following::with_stdin(args, Stdio::null())
    }

    /// `follow args` reading `stdin`; its lines go to the channel.
    fn with_stdin(args: &[&str], stdin: Stdio) -> Following {
        let mut all = vec!["follow"];
        all.extend_from_slice(args);
        let mut child = spawn(&all, stdin);
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Following { child, lines }
    }

    /// The next printed event (waits for it, up to a generous deadline).
    fn next_event(&self) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(30))
            .expect("an event is printed");
        serde_json::from_str(&line).unwrap()
    }

    /// Nothing printed within a moment (the line is not complete yet).
    fn nothing_yet(&self) {
        assert!(
            self.lines.recv_timeout(Duration::from_millis(300)).is_err(),
            "a line was printed before it was complete"
        );
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn append(path: &std::path::Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

fn event(stream: &str, n: u32) -> String {
    format!(r#"{{"stream":"{stream}","type":"Ticked","data":{{"n":{n}}}}}"#)
}

#[test]
fn lines_appended_by_another_process_are_printed_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.jsonl");
    std::fs::write(&path, format!("{}\n", event("clock-1", 1))).unwrap();
    let following = Following::start(&[s(&path), "--print"]);
    assert_eq!(following.next_event()["data"]["n"], 1);
    // Another process appends.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf '%s\\n%s\\n' '{}' '{}' >> '{}'",
            event("clock-1", 2),
            event("clock-2", 3),
            s(&path)
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let second = following.next_event();
    let third = following.next_event();
    assert_eq!(
        (&second["seq"], &second["data"]["n"], &second["version"]),
        (&2.into(), &2.into(), &2.into())
    );
    assert_eq!(
        (&third["seq"], &third["stream"], &third["version"]),
        (&3.into(), &"clock-2".into(), &1.into())
    );
}

#[test]
fn a_half_written_last_line_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.jsonl");
    let whole = event("clock-1", 1);
    let (head, tail) = whole.split_at(20);
    std::fs::write(&path, head).unwrap();
    let following = Following::start(&[s(&path), "--print"]);
    following.nothing_yet();
    append(&path, tail);
    following.nothing_yet();
    append(&path, "\n");
    assert_eq!(following.next_event()["data"]["n"], 1);
}

#[test]
fn kcat_records_on_standard_input_are_kept_in_a_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("topic.redb");
    // kcat -C -J prints one envelope a line: the payload is the record's
    // value as text.
    let records = [
        r#"{"topic":"orders","partition":0,"offset":0,"tstype":"create","ts":1700000000000,"broker":1,"key":"order-1","payload":"{\"type\":\"OrderPlaced\",\"data\":{\"total\":3}}"}"#,
        r#"{"topic":"orders","partition":1,"offset":0,"tstype":"create","ts":1700000000500,"broker":1,"headers":["source","shop"],"key":"order-2","payload":"{\"type\":\"OrderPlaced\",\"data\":{\"total\":5}}"}"#,
        r#"{"topic":"orders","partition":0,"offset":1,"tstype":"create","ts":1700000001000,"broker":1,"key":"order-1","payload":"{\"type\":\"OrderPaid\",\"data\":{}}"}"#,
    ];
    for round in 0..2 {
        let mut child = spawn(&["follow", "-", "--db", s(&db)], Stdio::piped());
        let mut stdin = child.stdin.take().unwrap();
        // The last record without its line end: the input's end ends it.
        stdin
            .write_all(format!("{}\n{}\n{}", records[0], records[1], records[2]).as_bytes())
            .unwrap();
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let printed = String::from_utf8(output.stdout).unwrap();
        // Following the same topic again into the same log adds nothing.
        assert_eq!(printed.lines().count(), if round == 0 { 3 } else { 0 });
    }
    let log = EventLog::open_read_only(&db).unwrap();
    let events = log.read(1, 10, false).unwrap();
    let shape: Vec<(&str, u64, &str, &str)> = events
        .iter()
        .map(|e| (&*e.stream, e.version, &*e.event_type, e.id.as_str()))
        .collect();
    assert_eq!(
        shape,
        [
            ("order-1", 1, "OrderPlaced", "orders/0/0"),
            ("order-2", 1, "OrderPlaced", "orders/1/0"),
            ("order-1", 2, "OrderPaid", "orders/0/1"),
        ]
    );
    assert_eq!(
        events[1].time.unwrap().to_string(),
        "2023-11-14T22:13:20.5Z"
    );
    let kafka = &events[1].metadata.as_ref().unwrap().value()["kafka"];
    assert_eq!(kafka["partition"], 1);
    assert_eq!(kafka["headers"], serde_json::json!(["source", "shop"]));
}

#[test]
fn a_bad_line_stops_with_its_line_named() {
    let output = binary()
        .args(["follow", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(format!("{}\nnot json\n", event("a", 1)).as_bytes())?;
            drop(stdin);
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(error.starts_with("error: line 2, column 2:"), "{error}");
    assert_eq!(error.lines().count(), 1, "{error}");
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 1);
}

/// kcat keeps its pipe open: each record is printed as it comes, not when
/// the pipe closes.
#[test]
fn records_on_a_pipe_that_stays_open_are_printed_as_they_come() {
    let mut following = Following::with_stdin(&["-", "--print"], Stdio::piped());
    let mut stdin = following.child.stdin.take().unwrap();
    for n in 1..=2 {
        stdin
            .write_all(format!("{}\n", event("pipe-1", n)).as_bytes())
            .unwrap();
        stdin.flush().unwrap();
        assert_eq!(following.next_event()["data"]["n"], n);
    }
    drop(stdin);
    let status = following.child.wait().unwrap();
    assert!(status.success());
}
