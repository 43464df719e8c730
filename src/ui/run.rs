//! The terminal loop: an input thread turns terminal events into messages
//! (and ticks while idle); the loop applies every message and redraws.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::Context;
use ratatui::crossterm::event::{self, Event as TermEvent};

use crate::store::EventLog;
use crate::ui::app::App;
use crate::ui::live::LiveFeed;
use crate::ui::msg::{Msg, TICK};
use crate::ui::{panic_guard, update, views};

/// Runs the explorer on `log` until the user quits, with the domain file
/// at `domain`, if any. The terminal is restored on every exit path,
/// panics included.
pub fn run(log: EventLog, title: Option<&str>, domain: Option<&Path>) -> anyhow::Result<()> {
    run_with(Arc::new(log), title, domain, None, |_| {})
}

/// [`run`] on a log that `feed`'s follower grows meanwhile: the explorer
/// shows new events as they come (see `live.rs`).
pub fn run_live(log: Arc<EventLog>, title: Option<&str>, feed: LiveFeed) -> anyhow::Result<()> {
    run_with(log, title, None, Some(feed), |_| {})
}

/// [`run`], growing with `live`'s follower if given, and with `setup`
/// applied to the App once it knows the screen's size (a lesson to start,
/// presenter mode).
pub fn run_with(
    log: Arc<EventLog>,
    title: Option<&str>,
    domain: Option<&Path>,
    live: Option<LiveFeed>,
    setup: impl FnOnce(&mut App),
) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(log, tx.clone());
    if let Some(feed) = live {
        crate::ui::live::start(&mut app, feed);
    }
    if let Some(title) = title {
        app.set_title(title);
    }
    if let Some(path) = domain {
        app.use_domain_file(path);
    }
    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    // Over ratatui's hook: a worker's panic must not restore the terminal.
    panic_guard::install();
    #[cfg(debug_assertions)]
    start_panic_probe(&mut app);
    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx, stop.clone());
    let result = (|| -> anyhow::Result<()> {
        let size = terminal.size()?;
        update(&mut app, Msg::Resize(size.width, size.height));
        setup(&mut app);
        loop {
            terminal.draw(|frame| views::render(&app, frame))?;
            let Ok(msg) = rx.recv() else { break };
            update(&mut app, msg);
            // Apply whatever else is waiting before drawing again.
            while let Ok(msg) = rx.try_recv() {
                update(&mut app, msg);
            }
            if app.should_quit() {
                break;
            }
        }
        Ok(())
    })();
    stop.store(true, Ordering::Relaxed);
    ratatui::restore();
    let _ = input.join();
    result
}

/// Debug builds only: with `EVENTSCOPE_PANIC_PROBE` set, a worker that
/// panics, so that a test can watch the explorer contain it.
#[cfg(debug_assertions)]
fn start_panic_probe(app: &mut App) {
    if std::env::var_os("EVENTSCOPE_PANIC_PROBE").is_some() {
        app.jobs.spawn(crate::ui::msg::Job::PanicProbe, |_| {
            panic!("the panic probe panicked on purpose")
        });
    }
}

fn spawn_input(tx: Sender<Msg>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let msg = match event::poll(TICK) {
                Ok(true) => match event::read() {
                    Ok(TermEvent::Key(key)) => Msg::Key(key),
                    Ok(TermEvent::Resize(width, height)) => Msg::Resize(width, height),
                    Ok(_) => continue,
                    Err(_) => break,
                },
                Ok(false) => Msg::Tick,
                Err(_) => break,
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    })
}

/// Applies messages from workers until none is running or `timeout`
/// passes; for drawing one settled screen (the `render` command, tests).
pub fn settle(app: &mut App, rx: &Receiver<Msg>, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        while let Ok(msg) = rx.try_recv() {
            update(app, msg);
        }
        if !app.is_busy() {
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(msg) => update(app, msg),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
    }
}
