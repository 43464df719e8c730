//! The explorer on a source that keeps growing: `eventscope postgres://...`
//! copies the Message DB into a log for this session, then follows it
//! while the explorer shows it.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use eventscope::message_db::{self, CopyEvent, Server};
use eventscope::store::EventLog;
use eventscope::ui::{self, FeedStatus, LiveFeed};

use super::explore::TemporaryLog;
use super::progress::Progress;

/// Shows the Message DB at `url`, live.
pub fn postgres(url: &str) -> anyhow::Result<ExitCode> {
    let server = Server::parse(url)?;
    let temporary = TemporaryLog::new("message-db");
    let _ = std::fs::remove_file(temporary.path());
    let mut progress = Progress::new("copying");
    let copied = message_db::copy(&server, temporary.path(), |event| {
        if let CopyEvent::Copied(n) = event {
            progress.update(*n, None);
        }
    });
    progress.finish();
    copied?;
    let log = Arc::new(EventLog::open(temporary.path())?);
    let following = Following::start(server.clone(), log.clone());
    let title = format!("{} (live)", server.describe());
    let shown = ui::run_live(log, Some(&title), following.feed());
    following.stop();
    shown?;
    Ok(ExitCode::SUCCESS)
}

/// A thread writing a source's new events into a log, saying how it goes
/// on a feed the explorer shows.
pub struct Following {
    feed: LiveFeed,
    stop: Arc<AtomicBool>,
    /// Joined on stop; `None` for a follower that may be blocked in a
    /// read nothing can interrupt (standard input), which ends with the
    /// process.
    thread: Option<JoinHandle<()>>,
}

impl Following {
    /// Runs `body` on a thread with the feed to report on and the flag
    /// that asks it to stop.
    pub fn spawn(
        joined: bool,
        body: impl FnOnce(LiveFeed, &dyn Fn() -> bool) + Send + 'static,
    ) -> Following {
        let feed = LiveFeed::new();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (feed, stop) = (feed.clone(), stop.clone());
            std::thread::spawn(move || body(feed, &|| stop.load(Ordering::Relaxed)))
        };
        Following {
            feed,
            stop,
            thread: joined.then_some(thread),
        }
    }

    /// Starts following `server` into `log` (a copy of it).
    pub fn start(server: Server, log: Arc<EventLog>) -> Following {
        Following::spawn(true, move |feed, stop| {
            let outcome = message_db::follow(&server, &log, stop, |event| match event {
                CopyEvent::Retrying { why, delay } => feed.set(FeedStatus::Retrying(format!(
                    "{why}; retrying in {:.1}s",
                    delay.as_secs_f64()
                ))),
                CopyEvent::Reconnected | CopyEvent::CaughtUp | CopyEvent::Copied(_) => {
                    feed.set(FeedStatus::Following)
                }
            });
            if let Err(error) = outcome {
                feed.set(FeedStatus::Stopped(format!("following stopped: {error}")));
            }
        })
    }

    /// What the follower says, for the explorer.
    pub fn feed(&self) -> LiveFeed {
        self.feed.clone()
    }

    /// Stops the follower after the batch it is writing, if any, and
    /// waits for it (when joined): the log is whole when this returns.
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread {
            let _ = thread.join();
        }
    }
}
