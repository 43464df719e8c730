//! The real binary in a pseudo-terminal: it draws, answers keys, and gives
//! the terminal back as it found it.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eventscope::store::EventLog;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// The screen as a vt100 parser sees the bytes the program wrote.
struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen holds `needle`.
    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {needle:?}:\n{}", self.text());
    }
}

/// The real binary running in a pseudo-terminal.
struct Session {
    screen: Screen,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    reading: std::thread::JoinHandle<()>,
}

impl Session {
    fn start(args: &[&std::ffi::OsStr], env: &[(&str, &std::ffi::OsStr)]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_eventscope"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let reading = {
            let parser = parser.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                }
            })
        };
        Session {
            screen: Screen { parser },
            child,
            writer,
            master: pty.master,
            reading,
        }
    }

    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
    }

    /// Presses `q` and waits for the exit; asserts exit 0 and a restored
    /// terminal.
    fn quit(mut self) {
        self.press(b"q");
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the explorer did not quit:\n{}",
                self.screen.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(self.master);
        let _ = self.reading.join();
        assert!(status.success(), "exit status {status:?}");
        let parser = self.screen.parser.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "the alternate screen was left on"
        );
        assert!(!parser.screen().hide_cursor(), "the cursor was left hidden");
    }
}

#[test]
fn the_explorer_runs_in_a_terminal_and_restores_it_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pty.redb");
    super::support::write_log(&path, super::support::sample_events());
    let mut session = Session::start(&[path.as_os_str()], &[]);
    let screen = &session.screen;

    // The first frame: the list and the hints that say what to press.
    screen.wait_for("Log: 36 events");
    screen.wait_for("? help");
    assert!(screen.parser.lock().unwrap().screen().alternate_screen());

    session.press(b"jjj");
    session.screen.wait_for("seq 4 · 4 of 36");

    // Filter by type: the picker, then the most frequent type.
    session.press(b"t");
    session.screen.wait_for("Show one event type");
    session.press(b"\r");
    session.screen.wait_for("filter type = ");

    session.press(b"?");
    session.screen.wait_for("Help: j/k scroll");
    session.press(b"\x1b");
    // Give crossterm time to tell a lone Esc from an escape sequence.
    std::thread::sleep(Duration::from_millis(100));
    session.quit();
}

/// A worker that panics (the debug-only probe) ends as an error on the
/// status line; the terminal stays in the explorer's mode (the alternate
/// screen, keys read one at a time) and the explorer keeps answering keys.
#[cfg(debug_assertions)]
#[test]
fn a_worker_that_panics_is_reported_and_the_explorer_keeps_its_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pty.redb");
    super::support::write_log(&path, super::support::sample_events());
    let probe = [("EVENTSCOPE_PANIC_PROBE", std::ffi::OsStr::new("1"))];
    let mut session = Session::start(&[path.as_os_str()], &probe);
    session
        .screen
        .wait_for("the panic probe failed: the panic probe panicked on purpose");
    {
        let parser = session.screen.parser.lock().unwrap();
        assert!(
            parser.screen().alternate_screen(),
            "the terminal was restored while the explorer runs"
        );
        assert!(parser.screen().hide_cursor(), "the cursor was shown");
    }
    // A `j` without Enter moves the cursor only in raw mode.
    session.press(b"j");
    session.screen.wait_for("seq 2 · 2 of 36");
    session.quit();
}

/// A log whose file is not writable opens read-only: it can be explored,
/// and a command submitted in the CQRS view says so, writing nothing.
#[test]
fn a_read_only_log_is_explored_and_commands_say_it_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pty.redb");
    drop(super::support::write_log(
        &path,
        super::support::sample_events(),
    ));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut session = Session::start(&[path.as_os_str()], &[]);
    session.screen.wait_for("Log: 36 events");
    session.press(b"3");
    session.screen.wait_for("CQRS");
    session.press(b":");
    session.press(b"DeactivateCustomer customer-1 reason=moved\r");
    session
        .screen
        .wait_for("opened read-only and cannot be changed");
    session.press(b"\x1b");
    session.screen.wait_for("press : or c to type a command");
    session.quit();
    assert!(std::fs::read(&path).unwrap() == before, "the file changed");
}

/// `eventscope` with no argument: the bundled sample, imported into the
/// cache on first run and reused after.
#[test]
fn with_no_argument_the_bundled_sample_opens_from_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().as_os_str())];
    let cached = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(cache.path().join("eventscope"))
            .map(|dir| dir.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    };
    assert!(cached().is_empty());
    let sample_lines = include_str!("../../../sample-data/retail.jsonl")
        .lines()
        .count();
    let first_frame = format!("Log: {sample_lines} events");
    for run in 0..2 {
        let mut session = Session::start(&[], &env);
        session.screen.wait_for(&first_frame);
        session.screen.wait_for("Ada Lovelace");
        session.press(b"G");
        session.screen.wait_for(&format!(
            "seq {sample_lines} · {sample_lines} of {sample_lines}"
        ));
        session.quit();
        let files = cached();
        assert_eq!(files.len(), 1, "run {run}: one cached log");
        let log = EventLog::open(&files[0]).unwrap();
        assert_eq!(log.last_seq().unwrap(), sample_lines as u64);
    }
}

#[test]
fn a_second_explorer_on_the_sample_says_so_on_screen() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().as_os_str())];
    let first = Session::start(&[], &env);
    first.screen.wait_for("Ada Lovelace");
    let mut second = Session::start(&[], &env);
    second.screen.wait_for("Ada Lovelace");
    second.screen.wait_for("open in another explorer");
    second.press(b"q");
    first.quit();
    drop(second);
}

/// The explorer on the cached sample (in `env`'s cache), where a class
/// has paid order-67 from the CQRS view.
fn class_pays_order_67(env: &[(&str, &std::ffi::OsStr)]) -> Session {
    let mut session = Session::start(&[], env);
    session.screen.wait_for("Ada Lovelace");
    session.press(b"3:PayOrder order-67 amount=4896\r");
    session.screen.wait_for("PaymentReceived");
    session
}

#[test]
fn fresh_starts_the_sample_over_and_a_broken_lesson_is_said_on_screen() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().as_os_str())];
    let mut session = class_pays_order_67(&env);
    session.press(b"1G");
    session.screen.wait_for("of 292");
    session.quit();
    // A broken lesson file alongside: the explorer opens and says where.
    let lesson = cache.path().join("broken.toml");
    std::fs::write(
        &lesson,
        "title = \"B\"\nlog = \"retail\"\n\n[[step]]\ntitle = \"a\"\nnarration = \"n\"\nscene = { view = \"timeline\" }\n",
    )
    .unwrap();
    let args = [
        std::ffi::OsStr::new("--fresh"),
        std::ffi::OsStr::new("--lesson"),
        lesson.as_os_str(),
    ];
    let mut session = Session::start(&args, &env);
    session.screen.wait_for("broken.toml:7: step 1");
    session.press(b"G");
    session.screen.wait_for("seq 290 · 290 of 290");
    session.quit();
}

/// A lesson's tasks are written for its sample as bundled: on a sample a
/// class has already paid order-67 in, "pay order-67" would be rejected.
#[test]
fn a_lesson_plays_on_a_fresh_copy_of_its_sample_and_the_cache_is_kept() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().as_os_str())];
    class_pays_order_67(&env).quit();
    let args = [
        std::ffi::OsStr::new("--lesson"),
        std::ffi::OsStr::new("cqrs"),
    ];
    let mut session = Session::start(&args, &env);
    session.screen.wait_for("step 1 of 6");
    session.screen.wait_for("a fresh copy of the retail sample");
    // Step 3 types `PayOrder order-67 amount=4896`: accepted on the copy.
    session.press(b">");
    session.screen.wait_for("step 2 of 6");
    session.press(b"\r");
    session.screen.wait_for("rejected");
    session.press(b">");
    session.screen.wait_for("step 3 of 6");
    session.press(b"\r");
    session.screen.wait_for("✓ done");
    session.quit();
    let cached: Vec<_> = std::fs::read_dir(cache.path().join("eventscope"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "redb"))
        .collect();
    assert_eq!(cached.len(), 1);
    let lines = include_str!("../../../sample-data/retail.jsonl")
        .lines()
        .count() as u64;
    let log = EventLog::open(&cached[0]).unwrap();
    assert_eq!(
        log.last_seq().unwrap(),
        lines + 2,
        "the class's command, not the lesson's"
    );
}

#[test]
fn saving_the_domain_file_while_the_explorer_runs_reloads_it() {
    let dir = tempfile::tempdir().unwrap();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let log = dir.path().join("library.jsonl");
    let domain = dir.path().join("library.domain.toml");
    std::fs::copy(samples.join("library.jsonl"), &log).unwrap();
    let text = std::fs::read_to_string(samples.join("library.domain.toml")).unwrap();
    std::fs::write(&domain, &text).unwrap();
    // Found beside the log, as every command finds it.
    let mut session = Session::start(&[log.as_os_str()], &[]);
    session.screen.wait_for("domain library.domain.toml");
    session.press(b"2");
    session.screen.wait_for("catalogue (jq)");

    let broken = text.replace("[projections.on-loan]", "[projections.on-loan");
    std::fs::write(&domain, broken).unwrap();
    session.screen.wait_for("✗ library.domain.toml:14:");
    session.screen.wait_for("the last good version runs");

    let renamed = text.replace("[projections.catalogue]", "[projections.books]");
    std::fs::write(&domain, renamed).unwrap();
    // The projection shown is gone by that name: the file's first is shown.
    session.screen.wait_for("books (jq) at #1");
    session.quit();
}

/// `eventscope follow FILE` on a terminal: the explorer opens on the
/// growing file and shows what another process appends, without a key.
#[test]
fn following_a_growing_file_shows_new_events_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.jsonl");
    let line = |n: usize| {
        format!(
            "{{\"stream\":\"tail-{n}\",\"type\":\"Appended{n}\",\"time\":\"2024-03-01T09:30:0{}Z\",\"data\":{{}}}}\n",
            n % 10
        )
    };
    std::fs::write(&path, line(1)).unwrap();
    let session = Session::start(&["follow".as_ref(), path.as_os_str()], &[]);
    session.screen.wait_for("Log: 1 events");
    session.screen.wait_for("● following");
    for n in 2..=4 {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(line(n).as_bytes()).unwrap();
        drop(file);
        session.screen.wait_for(&format!("Log: {n} events"));
        session.screen.wait_for(&format!("seq {n} · {n} of {n}"));
        session.screen.wait_for(&format!("Appended{n}"));
    }
    session.quit();
}

/// `eventscope postgres://...`: messages written with Message DB's
/// `write_message` while the explorer shows the store appear on screen.
#[test]
fn the_explorer_on_a_message_db_shows_new_messages_without_a_key() {
    let server = crate::support::postgres::Postgres::start();
    let mut client = server.client(crate::support::postgres::DATABASE);
    let write = |client: &mut postgres::Client, n: i64| {
        client
            .execute(
                "SELECT write_message(gen_random_uuid()::varchar, 'account-1', \
                 'Deposited' || $1::text, '{}'::jsonb)",
                &[&n.to_string()],
            )
            .unwrap();
    };
    write(&mut client, 1);
    let url = server.url(crate::support::postgres::DATABASE);
    let session = Session::start(&[url.as_ref()], &[]);
    session.screen.wait_for("Log: 1 events");
    for n in 2..=3 {
        write(&mut client, n);
        session.screen.wait_for(&format!("Log: {n} events"));
        session.screen.wait_for(&format!("Deposited{n}"));
    }
    session.screen.wait_for("● following");
    session.quit();
}

/// `eventscope LOG --follow` on a log imported from a Message DB: the
/// explorer resumes following the store the log records, writing into the
/// log, and shows what `write_message` writes without a key; quit and
/// opened again, it continues where the log stopped.
#[test]
fn following_a_log_copied_from_a_message_db_resumes_its_source_without_a_key() {
    use crate::support::postgres::{DATABASE, PASSWORD, Postgres};
    let server = Postgres::start();
    let mut client = server.client(DATABASE);
    let write = |client: &mut postgres::Client, n: i64| {
        client
            .execute(
                "SELECT write_message(gen_random_uuid()::varchar, 'account-' || $1::text, \
                 'Deposited' || $1::text, '{}'::jsonb, '{\"correlationStreamName\": \"tests\"}'::jsonb)",
                &[&n.to_string()],
            )
            .unwrap();
    };
    write(&mut client, 1);
    write(&mut client, 2);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.redb");
    let url = server.url(DATABASE);
    let imported = crate::support::eventscope(&["import", &url, "--db", crate::support::s(&db)]);
    assert!(imported.status.success());
    // The password is not recorded in the log: it comes from PGPASSWORD.
    let env = [("PGPASSWORD", std::ffi::OsStr::new(PASSWORD))];
    let follow = [db.as_os_str(), "--follow".as_ref()];

    let session = Session::start(&follow, &env);
    session.screen.wait_for("Log: 2 events");
    session.screen.wait_for("● following");
    for n in 3..=5 {
        write(&mut client, n);
        session.screen.wait_for(&format!("Log: {n} events"));
        session.screen.wait_for(&format!("seq {n} · {n} of {n}"));
        session.screen.wait_for(&format!("Deposited{n}"));
    }
    session.quit();

    // Written while no one followed: the next session catches up first.
    write(&mut client, 6);
    let session = Session::start(&follow, &env);
    session.screen.wait_for("Log: 6 events");
    write(&mut client, 7);
    session.screen.wait_for("Log: 7 events");
    session.screen.wait_for("Deposited7");
    session.quit();

    let log = EventLog::open_read_only(&db).unwrap();
    crate::message_db::assert_log_equals_store(&server, &log);
}

/// `eventscope LOG --follow` on a log `follow FILE --db LOG` filled: the
/// explorer resumes the file from the line after the last one the log
/// took, so lines without ids (which nothing else could tell apart) are
/// neither taken twice nor missed.
#[test]
fn following_a_log_filled_from_a_file_resumes_the_file_without_a_key() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.jsonl");
    let db = dir.path().join("kept.redb");
    let line = |n: usize| {
        format!(
            "{{\"stream\":\"tail\",\"type\":\"Appended{n}\",\"time\":\"2024-03-01T09:30:0{n}Z\",\"data\":{{}}}}\n"
        )
    };
    let append = |n: usize| {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(line(n).as_bytes()).unwrap();
    };
    std::fs::write(&path, format!("{}{}", line(1), line(2))).unwrap();
    let mut filler = crate::support::spawn(
        &[
            "follow",
            crate::support::s(&path),
            "--db",
            crate::support::s(&db),
            "--print",
        ],
        std::process::Stdio::null(),
    );
    // Each event is printed once its batch is in the log.
    let mut printed = std::io::BufReader::new(filler.stdout.take().unwrap()).lines();
    for n in 1..=2 {
        let event = printed.next().expect("an event printed").unwrap();
        assert!(event.contains(&format!("Appended{n}")), "{event}");
    }
    filler.kill().unwrap();
    filler.wait().unwrap();

    append(3);
    let session = Session::start(&[db.as_os_str(), "--follow".as_ref()], &[]);
    session.screen.wait_for("Log: 3 events");
    session.screen.wait_for("● following");
    append(4);
    session.screen.wait_for("Log: 4 events");
    session.screen.wait_for("Appended4");
    session.quit();

    let log = EventLog::open_read_only(&db).unwrap();
    let types: Vec<String> = log
        .read(1, usize::MAX, false)
        .unwrap()
        .iter()
        .map(|event| event.event_type.to_string())
        .collect();
    assert_eq!(
        types,
        ["Appended1", "Appended2", "Appended3", "Appended4"],
        "every line once, in order"
    );
}
