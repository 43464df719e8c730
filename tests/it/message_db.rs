//! Message DB on a real PostgreSQL (see `support::postgres`): messages
//! written with Message DB's own `write_message`, imported and followed,
//! and checked event by event against the store.

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eventscope::message_db::{self, CopyEvent, Server};
use eventscope::store::EventLog;
use serde_json::Value;

use crate::support::postgres::{DATABASE, Postgres};
use crate::support::{eventscope, s, stderr};

/// Writes `count` messages with `write_message`: `writers` connections at
/// once, each over its own streams of one category shared by all, every
/// message after a stream's first naming the previous as its cause, all of
/// a writer's in one correlation.
fn write_concurrently(server: &Postgres, writers: usize, count: usize, tag: &str) {
    std::thread::scope(|scope| {
        for writer in 0..writers {
            scope.spawn(move || {
                let mut client = server.client(DATABASE);
                let mut last_in_stream: Vec<Option<i64>> = vec![None; 5];
                for n in 0..count {
                    let slot = n % 5;
                    let stream = format!("account-{tag}{writer}x{slot}");
                    let mut metadata = serde_json::json!({
                        "correlationStreamName": format!("signup-{tag}{writer}"),
                    });
                    if let Some(cause) = last_in_stream[slot] {
                        metadata["causationMessageGlobalPosition"] = cause.into();
                    }
                    let data = serde_json::json!({ "n": n, "writer": writer }).to_string();
                    client
                        .execute(
                            "SELECT write_message(gen_random_uuid()::varchar, $1::text, \
                             'Deposited', $2::text::jsonb, $3::text::jsonb)",
                            &[&stream, &data, &metadata.to_string()],
                        )
                        .expect("write_message");
                    let row = client
                        .query_one(
                            "SELECT max(global_position) FROM messages WHERE stream_name = $1",
                            &[&stream],
                        )
                        .expect("the stream's last position");
                    last_in_stream[slot] = row.get(0);
                }
            });
        }
    });
}

/// Every event of the log against every message of the store, in order.
pub(crate) fn assert_log_equals_store(server: &Postgres, log: &EventLog) {
    let mut client = server.client(DATABASE);
    let rows = client
        .query(
            "SELECT m.global_position, m.position, m.stream_name, m.type, m.id::text, \
             m.data::text, m.metadata::text, c.id::text \
             FROM messages m LEFT JOIN messages c \
             ON c.global_position = (m.metadata->>'causationMessageGlobalPosition')::bigint \
             ORDER BY m.global_position",
            &[],
        )
        .expect("the store's messages");
    let events = log.read(1, usize::MAX, false).expect("the log's events");
    assert_eq!(events.len(), rows.len(), "the log holds every message");
    for (event, row) in events.iter().zip(&rows) {
        let global_position: i64 = row.get(0);
        let at = format!("global position {global_position}, seq {}", event.seq);
        assert_eq!(event.version, row.get::<_, i64>(1) as u64 + 1, "{at}");
        assert_eq!(&*event.stream, row.get::<_, &str>(2), "{at}");
        assert_eq!(&*event.event_type, row.get::<_, &str>(3), "{at}");
        assert_eq!(event.id, row.get::<_, &str>(4), "{at}");
        let data: Value = serde_json::from_str(row.get(5)).unwrap();
        assert_eq!(event.data.value(), data, "{at}");
        let stored: Value = serde_json::from_str(row.get(6)).unwrap();
        let metadata = event.metadata.as_ref().expect("metadata").value();
        assert_eq!(
            metadata["correlation_id"], stored["correlationStreamName"],
            "{at}"
        );
        let cause: Option<&str> = row.get(7);
        assert_eq!(event.causation_id().as_deref(), cause, "{at}");
        for (key, value) in stored.as_object().unwrap() {
            assert_eq!(&metadata[key], value, "{at}: {key} is kept");
        }
    }
}

fn import(from: &str, db: &Path) -> Output {
    eventscope(&["import", from, "--db", s(db)])
}

fn assert_stderr_has(output: &Output, wanted: &[&str]) {
    let error = stderr(output);
    assert!(wanted.iter().all(|w| error.contains(w)), "{error}");
}

fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn store_count(server: &Postgres) -> u64 {
    let row = server
        .client(DATABASE)
        .query_one("SELECT count(*) FROM messages", &[])
        .unwrap();
    row.get::<_, i64>(0) as u64
}

#[test]
fn an_import_copies_every_message_as_the_store_holds_it() {
    let server = Postgres::start();
    write_concurrently(&server, 4, 60, "a");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    let output = import(&server.url(DATABASE), &db);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_stderr_has(&output, &["copied 240 messages"]);
    let log = EventLog::open_read_only(&db).unwrap();
    assert_log_equals_store(&server, &log);
    // The flows link up: a stream's second event names its first as cause.
    let second = log.read(1, usize::MAX, false).unwrap();
    assert!(second.iter().any(|e| e.causation_id().is_some()));
}

#[test]
fn a_later_import_continues_where_the_log_stopped() {
    let server = Postgres::start();
    write_concurrently(&server, 2, 20, "a");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    let url = server.url(DATABASE);
    assert!(import(&url, &db).status.success());
    write_concurrently(&server, 2, 15, "b");
    let output = import(&url, &db);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_stderr_has(&output, &["copied 30 messages", "seq 41..70"]);
    let output = import(&url, &db);
    assert_stderr_has(&output, &["copied no messages"]);
    assert_log_equals_store(&server, &EventLog::open_read_only(&db).unwrap());
}

#[test]
fn an_import_refuses_another_store_and_leaves_the_log_as_it_was() {
    let server = Postgres::start();
    write_concurrently(&server, 1, 5, "a");
    server.install_message_db_into("other_store");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    assert!(import(&server.url(DATABASE), &db).status.success());
    let before = std::fs::read(&db).unwrap();

    let output = import(&server.url("other_store"), &db);
    assert_eq!(output.status.code(), Some(1));
    assert_stderr_has(
        &output,
        &[
            "database message_store",
            "database other_store",
            "import into a new log",
        ],
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "byte for byte");

    // The store cleared and written again: the log's last message is gone.
    let mut client = server.client(DATABASE);
    client.batch_execute("DELETE FROM messages").unwrap();
    drop(client);
    write_concurrently(&server, 1, 8, "b");
    let output = import(&server.url(DATABASE), &db);
    assert_eq!(output.status.code(), Some(1));
    assert_stderr_has(
        &output,
        &["no longer holds the message at global position 5"],
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "byte for byte");

    // A log of other events is not continued from a server.
    let other = dir.path().join("other.redb");
    let sample = crate::support::sample("retail.jsonl");
    assert!(import(s(&sample), &other).status.success());
    let output = import(&server.url(DATABASE), &other);
    assert_stderr_has(&output, &["not copied from a Message DB"]);
}

#[test]
fn the_servers_errors_are_one_sentence_each_and_make_no_log() {
    let server = Postgres::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.redb");
    let port = server.port;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let cases = [
        (
            format!("postgres://postgres:wrong@127.0.0.1:{port}/{DATABASE}"),
            "the server refused user postgres: password authentication failed".to_string(),
        ),
        (
            format!("postgres://postgres:x@127.0.0.1:{closed}/{DATABASE}"),
            format!(
                "cannot connect to PostgreSQL at 127.0.0.1:{closed}: the connection was refused"
            ),
        ),
        (
            server.url("postgres"),
            "database postgres holds no Message DB: there is no message_store.messages table"
                .to_string(),
        ),
        (
            server.url("nowhere"),
            "the server has no database named nowhere".to_string(),
        ),
        (
            "postgres://postgres@127.0.0.1:notaport/x".to_string(),
            "not a PostgreSQL address".to_string(),
        ),
    ];
    for (url, sentence) in cases {
        let output = crate::support::binary()
            .args(["import", &url, "--db", s(&db)])
            .env_remove("PGPASSWORD")
            .output()
            .unwrap();
        let error = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{url}: {error}");
        assert!(
            error.starts_with(&format!("error: {sentence}")),
            "{url}: {error}"
        );
        assert_eq!(error.lines().count(), 1, "{url}: one line: {error}");
        assert!(
            !error.contains("wrong"),
            "the password is never shown: {error}"
        );
        assert!(!db.exists(), "{url}: no log is made");
    }
}

/// Follows in a thread until dropped; what it reported is kept.
struct Follower {
    stop: Arc<AtomicBool>,
    events: Arc<Mutex<Vec<CopyEvent>>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Follower {
    fn start(url: &str, log: Arc<EventLog>) -> Follower {
        let server = Server::parse(url).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let events = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, events) = (stop.clone(), events.clone());
            std::thread::spawn(move || {
                message_db::follow(&server, &log, &|| stop.load(Ordering::Relaxed), |event| {
                    events.lock().unwrap().push(event.clone())
                })
                .map_err(|e| e.to_string())
            })
        };
        Follower {
            stop,
            events,
            thread: Some(thread),
        }
    }

    fn saw(&self, wanted: impl Fn(&CopyEvent) -> bool) -> bool {
        self.events.lock().unwrap().iter().any(wanted)
    }

    fn finish(mut self) -> Result<(), String> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap()
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Imports the store into a new log, then follows it from there; the
/// directory holds the log and must outlive the follower.
fn copy_then_follow(server: &Postgres) -> (tempfile::TempDir, Arc<EventLog>, Follower) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    let url = server.url(DATABASE);
    message_db::copy(&Server::parse(&url).unwrap(), &db, |_| {}).unwrap();
    let log = Arc::new(EventLog::open(&db).unwrap());
    let follower = Follower::start(&url, log.clone());
    (dir, log, follower)
}

#[test]
fn following_while_writers_write_ends_with_the_log_equal_to_the_store() {
    let server = Postgres::start();
    write_concurrently(&server, 2, 10, "a");
    let (_dir, log, follower) = copy_then_follow(&server);
    write_concurrently(&server, 4, 50, "b");
    let expected = store_count(&server);
    wait_for("the follower to copy every message", || {
        log.last_seq().unwrap() == expected
    });
    follower.finish().unwrap();
    assert_log_equals_store(&server, &log);
}

#[test]
fn following_retries_while_the_server_is_down_then_catches_up() {
    let server = Postgres::start();
    write_concurrently(&server, 1, 5, "a");
    let (_dir, log, follower) = copy_then_follow(&server);
    wait_for("the follower to catch up", || {
        follower.saw(|e| *e == CopyEvent::CaughtUp)
    });

    server.stop();
    wait_for("a retry", || {
        follower.saw(|e| {
            matches!(e, CopyEvent::Retrying { why, .. }
                if why.contains("connection") || why.contains("PostgreSQL"))
        })
    });
    server.start_again();
    write_concurrently(&server, 2, 10, "b");
    let expected = store_count(&server);
    wait_for("the catch-up", || log.last_seq().unwrap() == expected);
    assert!(follower.saw(|e| *e == CopyEvent::Reconnected));
    follower.finish().unwrap();
    assert_log_equals_store(&server, &log);
}

#[test]
fn following_a_log_an_importer_is_writing_says_what_to_run_instead() {
    use std::io::BufRead;
    let server = Postgres::start();
    write_concurrently(&server, 1, 3, "a");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    let url = server.url(DATABASE);
    let mut importer = crate::support::spawn(
        &["import", &url, "--db", s(&db), "--follow"],
        std::process::Stdio::null(),
    );
    // It says so once it holds the log open for following.
    let mut said = std::io::BufReader::new(importer.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("following ") {
        line.clear();
        let read = said.read_line(&mut line).unwrap();
        assert!(read > 0, "the importer ended without following");
    }

    let output = crate::support::eventscope(&[s(&db), "--follow"]);
    let error = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    assert!(
        error.contains(&format!("{} is held by another process", db.display())),
        "{error}"
    );
    assert!(
        error.contains(&format!("run `eventscope {} --follow`", db.display())),
        "{error}"
    );
    importer.kill().unwrap();
    importer.wait().unwrap();

    // With the importer gone, the log records where to resume from.
    let log = EventLog::open_read_only(&db).unwrap();
    let mark = message_db::SourceMark::from_bytes(&log.source().unwrap().unwrap()).unwrap();
    assert_eq!(
        mark.address.as_deref(),
        Some(&*format!(
            "postgres://postgres@127.0.0.1:{}/{DATABASE}",
            server.port
        ))
    );
    assert_eq!(mark.seq, 3);
}

#[test]
fn following_waits_for_a_server_that_is_down_at_the_start() {
    let server = Postgres::start();
    write_concurrently(&server, 1, 3, "a");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    let url = server.url(DATABASE);
    message_db::copy(&Server::parse(&url).unwrap(), &db, |_| {}).unwrap();
    // As `eventscope LOG --follow` finds it: the log there, its server not.
    server.stop();
    let log = Arc::new(EventLog::open(&db).unwrap());
    let follower = Follower::start(&url, log.clone());
    wait_for("a retry", || {
        follower.saw(|e| matches!(e, CopyEvent::Retrying { .. }))
    });
    server.start_again();
    write_concurrently(&server, 1, 4, "b");
    let expected = store_count(&server);
    wait_for("the catch-up", || log.last_seq().unwrap() == expected);
    assert!(follower.saw(|e| *e == CopyEvent::Reconnected));
    follower.finish().unwrap();
    assert_log_equals_store(&server, &log);
}
