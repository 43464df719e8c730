//! What a view's update is given: the log, the job spawner and the notice
//! line, and nothing else of the App. [`ctx!`](crate::ui::ctx) lends them
//! from the App field by field, so the view's own state can be borrowed
//! beside them.

use std::sync::Arc;

use crate::store::EventLog;
use crate::ui::jobs::Jobs;

/// A message on the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// The shared things a view may touch.
pub struct Ctx<'a> {
    pub log: &'a Arc<EventLog>,
    pub jobs: &'a mut Jobs,
    pub notice: &'a mut Option<Notice>,
}

impl Ctx<'_> {
    pub fn info(&mut self, text: impl Into<String>) {
        *self.notice = Some(Notice::Info(text.into()));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        *self.notice = Some(Notice::Error(text.into()));
    }
}

/// A [`Ctx`] lent from an App: `ctx!(app)`.
macro_rules! ctx {
    ($app:expr) => {
        $crate::ui::ctx::Ctx {
            log: &$app.log,
            jobs: &mut $app.jobs,
            notice: &mut $app.notice,
        }
    };
}
pub(crate) use ctx;
