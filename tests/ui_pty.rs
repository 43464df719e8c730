//! The real binary in a pseudo-terminal: it draws, answers keys, and gives
//! the terminal back as it found it.

mod ui_support;

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

#[test]
fn the_explorer_runs_in_a_terminal_and_restores_it_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pty.redb");
    EventLog::create(&path)
        .unwrap()
        .append(ui_support::sample_events())
        .unwrap();

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_eventscope"));
    command.arg(&path);
    command.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        ROWS.try_into().unwrap(),
        COLS.try_into().unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut writer = pty.master.take_writer().unwrap();
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
    let screen = Screen { parser };
    let mut press = |keys: &[u8]| {
        writer.write_all(keys).unwrap();
        writer.flush().unwrap();
    };

    // The first frame: the list and the hints that say what to press.
    screen.wait_for("Log: 36 events");
    screen.wait_for("? help");
    assert!(screen.parser.lock().unwrap().screen().alternate_screen());

    press(b"jjj");
    screen.wait_for("seq 4 · 4 of 36");

    // Filter by type: the picker, then the most frequent type.
    press(b"t");
    screen.wait_for("Show one event type");
    press(b"\r");
    screen.wait_for("filter type = ");

    press(b"?");
    screen.wait_for("Help: j/k scroll");
    press(b"\x1b");
    // Give crossterm time to tell a lone Esc from an escape sequence.
    std::thread::sleep(Duration::from_millis(100));

    press(b"q");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the explorer did not quit:\n{}",
            screen.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(pty.master);
    let _ = reading.join();
    assert!(status.success(), "exit status {status:?}");
    let parser = screen.parser.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "the alternate screen was left on"
    );
    assert!(!parser.screen().hide_cursor(), "the cursor was left hidden");
}
