//! A log that grows while the explorer shows it (a follower appends to it
//! on another thread): on each tick the list, the counts and the rate
//! chart catch up, and a cursor on the last event moves on with the head,
//! so that the event list and a projection at the head stay at the head.
//! Moving the cursor off the last event pauses that; going to the last
//! event (G) follows again.

use std::sync::{Arc, Mutex, PoisonError};

use crate::ui::app::App;

/// What the follower feeding the log last said, shared with its thread.
#[derive(Clone, Debug, Default)]
pub struct LiveFeed {
    status: Arc<Mutex<FeedStatus>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FeedStatus {
    /// Copying as events arrive.
    #[default]
    Following,
    /// The source is unreachable; the follower says why and retries.
    Retrying(String),
    /// The follower stopped for good (the input ended, or an error).
    Stopped(String),
}

impl LiveFeed {
    pub fn new() -> LiveFeed {
        LiveFeed::default()
    }

    pub fn set(&self, status: FeedStatus) {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner) = status;
    }

    pub fn status(&self) -> FeedStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl App {
    /// Shows the log as `feed`'s follower grows it (see [`start`]).
    pub fn follow_live(&mut self, feed: LiveFeed) {
        start(self, feed);
    }
}

/// Makes `app` follow `feed`'s log, from its last event.
pub(crate) fn start(app: &mut App, feed: LiveFeed) {
    app.live = Some(feed);
    app.flows.live = true;
    app.cqrs.refuse_commands();
    app.move_to(app.list.len().saturating_sub(1));
}

/// Catches the explorer up with a log that grew since the last tick.
pub(crate) fn tick(app: &mut App) {
    if app.live.is_none() {
        return;
    }
    let Ok(last) = app.log.last_seq() else {
        return;
    };
    if last <= app.list.total {
        return;
    }
    let at_head = at_head(app);
    // New streams may have come: read the names afresh when next needed.
    app.streams = None;
    app.log_grew(Vec::new());
    if at_head && app.list.filter.is_none() {
        app.move_to(app.list.len().saturating_sub(1));
    }
}

fn at_head(app: &App) -> bool {
    app.cursor + 1 >= app.list.len()
}

/// The status line's mark: following, paused, or what the feed says.
pub(crate) fn mark(app: &App) -> Option<String> {
    let feed = app.live.as_ref()?;
    Some(match feed.status() {
        FeedStatus::Retrying(why) => format!("⟳ {why}"),
        FeedStatus::Stopped(why) => format!("■ {why}"),
        FeedStatus::Following if at_head(app) => "● following".into(),
        FeedStatus::Following => "‖ paused (G follows)".into(),
    })
}
