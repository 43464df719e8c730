//! What if, in the projections view: events marked as skipped (one, a
//! selection, every event of a type or a stream), and the state without
//! them set against the real one at the cursor, the difference marked.
//!
//! The skipped state is a replay from genesis (snapshots hold every event),
//! so it is computed here only up to [`SKIP_REPLAY_LIMIT`] events; beyond,
//! the pane says to use `replay --skip`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::escape::printable;
use crate::projection::{self, Change, Skip, SkipRule};
use crate::store::EventLog;
use crate::ui::app::App;
use crate::ui::ctx::Ctx;
use crate::ui::theme::theme;
use crate::ui::views::projections::diff_lines::diff_lines;
use crate::ui::views::projections::state::ProjectionsState;
use crate::ui::widgets;

/// The most events a skipped state is replayed over in the explorer.
pub const SKIP_REPLAY_LIMIT: u64 = 200_000;

/// The skip selection and what it does at the cursor.
#[derive(Debug, Default)]
pub struct SkipPanel {
    pub skip: Skip,
    pub result: Option<Result<SkipView, String>>,
}

/// The state without the skipped events, against the real one.
#[derive(Debug)]
pub struct SkipView {
    pub at: u64,
    pub skipped: u64,
    /// From the real state to the skipped one.
    pub changes: Vec<Change>,
}

/// Which rule a key adds for the event at the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipWhat {
    Event,
    Type,
    Stream,
    Nothing,
}

impl ProjectionsState {
    /// Marks (or unmarks) the event at the cursor, its type or its stream
    /// as skipped; `Nothing` clears the selection.
    pub fn toggle_skip(&mut self, ctx: &mut Ctx, what: SkipWhat) {
        let Some(seq) = self.state.as_ref().map(|s| s.seq) else {
            return;
        };
        if what == SkipWhat::Nothing {
            self.skip = SkipPanel::default();
            ctx.info("no event is skipped: the real state only");
            return;
        }
        let event = match ctx.log.get(seq) {
            Ok(Some(event)) => event,
            Ok(None) => return,
            Err(error) => {
                ctx.error(format!("the event cannot be read: {error}"));
                return;
            }
        };
        let rule = match what {
            SkipWhat::Event => SkipRule::Seqs { from: seq, to: seq },
            SkipWhat::Type => SkipRule::Type(event.event_type.to_string()),
            SkipWhat::Stream => SkipRule::Stream(event.stream.to_string()),
            SkipWhat::Nothing => return,
        };
        self.skip.skip.toggle(rule);
        self.refresh_skip(ctx.log);
    }

    /// Computes the skipped state at the cursor afresh.
    pub fn refresh_skip(&mut self, log: &EventLog) {
        let (Some(name), Some(state)) = (self.name(), &self.state) else {
            self.skip.result = None;
            return;
        };
        if self.skip.skip.is_empty() {
            self.skip.result = None;
            return;
        }
        let at = state.seq;
        if at > SKIP_REPLAY_LIMIT {
            self.skip.result = Some(Err(format!(
                "past #{SKIP_REPLAY_LIMIT} the skipped state is too long to replay here: \
                 use `eventscope replay LOG --skip {}`",
                self.skip.skip
            )));
            return;
        }
        let result = projection::builtin(name)
            .ok_or_else(|| format!("no projection named `{name}`"))
            .and_then(|fresh| {
                projection::replay_skipping(log, fresh, &self.skip.skip, at)
                    .map_err(|e| e.to_string())
            })
            .map(|(without, report)| SkipView {
                at,
                skipped: report.skipped,
                changes: projection::diff(&state.projection.state(), &without.state()),
            });
        self.skip.result = Some(result);
    }
}

/// Draws the skip pane in place of "what the event changed" while a skip
/// selection is held; false when there is none.
pub fn render(app: &App, frame: &mut Frame, area: Rect) -> bool {
    let panel = &app.projections.skip;
    let Some(result) = &panel.result else {
        return false;
    };
    let t = theme();
    let title = match result {
        Ok(view) => format!(" Without {} skipped, at #{} ", view.skipped, view.at),
        Err(_) => " Without the skipped events ".to_string(),
    };
    let block = widgets::pane(title, false);
    let mut lines = vec![Line::from(vec![
        Span::styled("skip ", t.muted),
        Span::styled(printable(&panel.skip.to_string()).into_owned(), t.warning),
    ])];
    lines.extend(diff_lines(
        result
            .as_ref()
            .map(|view| view.changes.as_slice())
            .map_err(String::as_str),
        "the same as the real state",
        "real -> without them:",
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
    true
}
