//! A small deterministic log and an app driven by keys, for the UI tests.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use eventscope::store::EventLog;
use eventscope::ui::{self, App, Msg};
use eventscope::{Json, NewEvent, Timestamp};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use tempfile::TempDir;

/// The start of the sample's clock: 2024-03-01T09:00:00Z.
const START_MILLIS: i64 = 1_709_283_600_000;

fn at(minute: i64) -> Timestamp {
    Timestamp::from_unix_millis(START_MILLIS + minute * 60_000)
}

pub fn event(stream: &str, event_type: &str, minute: i64, data: serde_json::Value) -> NewEvent {
    NewEvent::new(stream, event_type, at(minute), Json::from_value(&data))
}

fn in_flow(event: NewEvent, flow: &str, cause: &str) -> NewEvent {
    event.with_metadata(Json::from_value(
        &json!({"correlation_id": flow, "causation_id": cause}),
    ))
}

/// 40 events: 6 customers registered, then orders placed, paid and shipped
/// in flows (correlation and causation ids), and address changes.
pub fn sample_events() -> Vec<NewEvent> {
    let mut events = Vec::new();
    for n in 1..=6 {
        events.push(event(
            &format!("customer-{n}"),
            "CustomerRegistered",
            n,
            json!({"name": format!("Customer {n}"), "email": format!("c{n}@example.com"),
                   "address": {"street": format!("{n} Main St"), "city": "Oslo", "postcode": "0150", "country": "NO"}}),
        ));
    }
    let mut minute = 10;
    for n in 1..=8 {
        let order = format!("order-{n}");
        let flow = format!("flow-{n}");
        let customer = format!("customer-{}", (n - 1) % 6 + 1);
        let placed = in_flow(
            event(&order, "OrderPlaced", minute, json!({"customer": customer, "items": [{"sku": "A1", "qty": n, "price": 250}], "total": 250 * n})),
            &flow,
            &format!("cmd-{n}"),
        )
        .with_id(format!("{order}/placed"));
        let requested = in_flow(
            event(
                &order,
                "PaymentRequested",
                minute + 1,
                json!({"amount": 250 * n}),
            ),
            &flow,
            &format!("{order}/placed"),
        )
        .with_id(format!("{order}/requested"));
        let received = in_flow(
            event(
                &order,
                "PaymentReceived",
                minute + 3,
                json!({"amount": 250 * n}),
            ),
            &flow,
            &format!("{order}/requested"),
        )
        .with_id(format!("{order}/received"));
        events.extend([placed, requested, received]);
        if n % 2 == 0 {
            events.push(
                in_flow(
                    event(
                        &order,
                        "OrderShipped",
                        minute + 5,
                        json!({"address": {"street": "1 Main St", "city": "Oslo"}}),
                    ),
                    &flow,
                    &format!("{order}/placed"),
                )
                .with_id(format!("{order}/shipped")),
            );
        }
        minute += 7;
    }
    for n in [2, 5] {
        events.push(event(
            &format!("customer-{n}"),
            "CustomerAddressChanged",
            minute,
            json!({"address": {"street": "9 Harbour Rd", "city": "Bergen", "postcode": "5003", "country": "NO"}}),
        ));
        minute += 2;
    }
    events
}

/// A log at `path` holding `events`: the one way the UI tests write a log.
pub fn write_log(path: &std::path::Path, events: Vec<NewEvent>) -> EventLog {
    let log = EventLog::create(path).unwrap();
    if !events.is_empty() {
        log.append(events).unwrap();
    }
    log
}

/// `eventscope render ARGS --size WxH`: the screen it prints, after
/// checking that it succeeded and drew exactly `width` x `height`.
pub fn render_screen(args: &[&str], width: usize, height: usize) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .arg("render")
        .args(args)
        .args(["--size", &format!("{width}x{height}")])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let screen = String::from_utf8(output.stdout).unwrap();
    assert_eq!(screen.lines().count(), height);
    assert!(screen.lines().all(|line| line.chars().count() <= width));
    screen
}

/// An app on a fresh log, with the channel its workers answer on.
pub struct Harness {
    pub app: App,
    pub rx: Receiver<Msg>,
    _dir: TempDir,
}

impl Harness {
    /// A log named `sample.redb` holding `events`, opened at `width`x`height`.
    pub fn with_events(events: Vec<NewEvent>, width: u16, height: u16) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let log = write_log(&dir.path().join("sample.redb"), events);
        let (tx, rx) = mpsc::channel();
        let app = App::new(Arc::new(log), tx);
        let mut harness = Harness { app, rx, _dir: dir };
        harness.send(Msg::Resize(width, height));
        harness
    }

    pub fn sample(width: u16, height: u16) -> Harness {
        Harness::with_events(sample_events(), width, height)
    }

    /// The bundled retail sample (290 events) imported into `retail.redb`.
    pub fn retail(width: u16, height: u16) -> Harness {
        Harness::bundled("retail", width, height)
    }

    /// The library sample (`library.redb`) with its domain file beside it
    /// (`library.domain.toml`, a copy the test may edit), in use.
    pub fn library(width: u16, height: u16) -> Harness {
        Harness::library_with(
            include_str!("../../../sample-data/library.domain.toml"),
            width,
            height,
        )
    }

    /// The library sample with `domain` as its domain file's text.
    pub fn library_with(domain: &str, width: u16, height: u16) -> Harness {
        Harness::imported("library", Some(domain), width, height)
    }

    /// The bundled sample `name` (`library`, `bank`) imported into
    /// `NAME.redb`, with a copy of its domain file beside it, in use, when
    /// it has one.
    pub fn bundled(name: &str, width: u16, height: u16) -> Harness {
        let file = sample_dir().join(format!("{name}.domain.toml"));
        let domain = file
            .exists()
            .then(|| std::fs::read_to_string(&file).unwrap());
        Harness::imported(name, domain.as_deref(), width, height)
    }

    /// The bundled sample `name` imported into `NAME.redb`, with `domain`
    /// (if any) as the text of `NAME.domain.toml` beside it, in use.
    fn imported(name: &str, domain: Option<&str>, width: u16, height: u16) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{name}.redb"));
        let text = std::fs::read(sample_dir().join(format!("{name}.jsonl"))).unwrap();
        eventscope::ingest::import_into(
            &text[..],
            &path,
            eventscope::format::Format::Native,
            |_| {},
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        let mut app = App::new(Arc::new(EventLog::open(&path).unwrap()), tx);
        if let Some(domain) = domain {
            let domain_path = dir.path().join(format!("{name}.domain.toml"));
            std::fs::write(&domain_path, domain).unwrap();
            app.use_domain_file(&domain_path);
        }
        let mut harness = Harness { app, rx, _dir: dir };
        harness.send(Msg::Resize(width, height));
        harness
    }

    /// The folder the log (and the library's domain file) is in.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Sends ticks (as the terminal's input thread does while idle) until
    /// `done` holds of the app, failing after a few seconds.
    pub fn tick_until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !done(&self.app) {
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{}",
                self.screen(100, 30)
            );
            self.send(Msg::Tick);
            std::thread::yield_now();
        }
    }

    /// Applies a message, then everything the workers send until idle.
    pub fn send(&mut self, msg: Msg) {
        ui::update(&mut self.app, msg);
        self.settle();
    }

    pub fn settle(&mut self) {
        ui::settle(&mut self.app, &self.rx, Duration::from_secs(10));
    }

    /// Presses a key through the keymap, as the terminal would.
    pub fn press(&mut self, code: KeyCode) {
        let modifiers = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        let key = KeyEvent::new(code, modifiers);
        if let Some(msg) = ui::map_key(&self.app, key) {
            self.send(msg);
        }
    }

    /// Presses `code` with Ctrl held.
    pub fn press_ctrl(&mut self, code: KeyCode) {
        let key = KeyEvent::new(code, KeyModifiers::CONTROL);
        if let Some(msg) = ui::map_key(&self.app, key) {
            self.send(msg);
        }
    }

    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// One screen drawn into a buffer, cell by cell.
    pub fn buffer(&self, width: u16, height: u16) -> ratatui::buffer::Buffer {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| ui::render(&self.app, frame)).unwrap();
        terminal.backend().buffer().clone()
    }

    pub fn screen(&self, width: u16, height: u16) -> String {
        ui::render_text(&self.app, width, height)
    }

    /// The stored event at `seq`, read through the app's log.
    pub fn app_event(&self, seq: u64) -> eventscope::Event {
        self.app.event_at(seq).unwrap()
    }

    /// The bytes of the log's file, to show that nothing was written.
    pub fn log_bytes(&self) -> Vec<u8> {
        let file = std::fs::read_dir(self._dir.path())
            .unwrap()
            .flatten()
            .find(|entry| entry.path().extension().is_some_and(|e| e == "redb"))
            .expect("the harness has a log");
        std::fs::read(file.path()).unwrap()
    }

    pub fn seq(&self) -> u64 {
        self.app.selected_seq().unwrap()
    }
}

/// The bundled samples' folder.
fn sample_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}
