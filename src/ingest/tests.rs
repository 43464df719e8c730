use std::sync::mpsc;
use std::time::Duration;

use super::*;

const T: &str = "2024-03-01T09:30:00Z";

fn line(stream: &str, version: Option<u64>) -> String {
    let version = version.map_or(String::new(), |v| format!(",\"version\":{v}"));
    format!("{{\"stream\":\"{stream}\"{version},\"type\":\"Happened\",\"time\":\"{T}\"}}\n")
}

/// Runs `import` on another thread and waits for it at most `limit`, so a
/// hang fails the test instead of stopping the suite.
fn import_within(
    log: EventLog,
    input: String,
    limit: Duration,
) -> Result<AppendSummary, ImportError> {
    let (done, outcome) = mpsc::channel();
    std::thread::spawn(move || {
        let result = import(&log, input.as_bytes(), Format::Native, |_| {});
        let _ = done.send(result);
    });
    outcome
        .recv_timeout(limit)
        .expect("the import ended in time")
}

#[test]
fn a_rejected_event_ends_the_import_however_much_input_follows() {
    let dir = tempfile::tempdir().unwrap();
    let log = EventLog::create(dir.path().join("log.redb")).unwrap();
    // Line 2 expects version 5 of a new stream: a conflict, with far more
    // lines after it than the batches in flight can hold.
    let mut input = line("a", None) + &line("b", Some(5));
    for n in 0..(4 * BATCH * BATCHES_IN_FLIGHT) {
        input += &line(&format!("c-{n}"), None);
    }
    let error = import_within(log, input, Duration::from_secs(60)).unwrap_err();
    assert!(
        matches!(
            &error,
            ImportError::Rejected { at, error: StoreError::Conflict { .. } } if at.line == 2
        ),
        "{error}"
    );
}
