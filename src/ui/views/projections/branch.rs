//! What if, in the projections view: a branch at the cursor's seq. Commands
//! typed there (`B`) are decided on the write model as it was then, their
//! events kept in memory after that seq, never written; the projection
//! with them is set against the real one; `E` writes the last decision as
//! a given/when/then case beside the log. Moving to another seq, or `U`,
//! leaves the branch, and the log is as it was.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::cqrs::{Branch, Case, Command, CommandHandler};
use crate::escape::printable;
use crate::event::{Event, Timestamp};
use crate::projection::{self, Change, Projection};
use crate::store::EventLog;
use crate::ui::app::App;
use crate::ui::ctx::Ctx;
use crate::ui::theme::theme;
use crate::ui::views::projections::diff_lines::diff_lines;
use crate::ui::views::projections::state::ProjectionsState;
use crate::ui::widgets;

/// A branch and what it did.
#[derive(Debug)]
pub struct BranchPanel {
    /// The seq the branch leaves the real history at.
    pub at: u64,
    /// The branch's events, after `at`.
    pub events: Vec<Event>,
    /// What the last command met: its events, or why it wrote none.
    pub last: String,
    pub last_accepted: bool,
    /// From the real state at `at` to the state with the branch's events.
    pub changes: Result<Vec<Change>, String>,
    /// The last command's decision as a given/when/then case, to export.
    pub case: Option<Case>,
}

impl ProjectionsState {
    /// Decides `text` on the branch at the cursor's seq (one is started
    /// there if none is held, or the one held is at another seq).
    pub fn branch_command(&mut self, ctx: &mut Ctx, text: &str) {
        let Some(at) = self.state.as_ref().map(|s| s.seq) else {
            ctx.error("no state yet: wait for the projection, then branch");
            return;
        };
        let command = match Command::parse(text) {
            Ok(command) => command,
            Err(error) => {
                ctx.error(format!("{error}"));
                return;
            }
        };
        let held = match self.branch.take() {
            Some(panel) if panel.at == at => panel.events,
            _ => Vec::new(),
        };
        let log: &EventLog = ctx.log;
        let branch = Branch::resume(log, at, held);
        // The branch's time is that of the event it leaves from, so that
        // its events read as happening then.
        let now = match log.get(at) {
            Ok(Some(event)) => event.time.unwrap_or(Timestamp::EPOCH),
            _ => Timestamp::EPOCH,
        };
        let outcome = CommandHandler::new(&branch, now).handle(command, true);
        let case = match &outcome {
            Ok(handled) => handled
                .steps
                .first()
                .and_then(|step| Case::of_step(&branch, step, at, now).ok()),
            Err(_) => None,
        };
        let events = branch.events().unwrap_or_default();
        let (last, last_accepted) = match outcome {
            Ok(handled) => match handled.refusal() {
                Some(refusal) => (refusal.to_string(), false),
                None => {
                    let written: Vec<String> = handled
                        .events()
                        .map(|e| format!("#{} {} {}", e.seq, e.event_type, e.stream))
                        .collect();
                    (format!("would write {}", written.join(", ")), true)
                }
            },
            Err(error) => (error.to_string(), false),
        };
        let changes = self.branch_changes(&events);
        ctx.info(format!(
            "branch at #{at}: {} (dry run: nothing written)",
            if last_accepted { "accepted" } else { "refused" }
        ));
        self.branch = Some(BranchPanel {
            at,
            events,
            last,
            last_accepted,
            changes,
            case,
        });
    }

    /// Writes the branch's last decision as a given/when/then case beside
    /// the log, as `LOG.case-SEQ-N.json` under a name not yet taken.
    pub fn export_case(&mut self, ctx: &mut Ctx) {
        let Some(case) = self.branch.as_ref().and_then(|b| b.case.as_ref()) else {
            ctx.error("no decision to export: B tries a command on a branch first");
            return;
        };
        let text = match serde_json::to_string_pretty(case) {
            Ok(text) => text + "\n",
            Err(error) => {
                ctx.error(format!("the case cannot be written: {error}"));
                return;
            }
        };
        let log = ctx.log.path().to_path_buf();
        let name = log.file_stem().map_or_else(
            || "log".to_string(),
            |stem| stem.to_string_lossy().into_owned(),
        );
        for n in 1..1000 {
            let path = log.with_file_name(format!("{name}.case-{}-{n}.json", case.at));
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path);
            match file {
                Ok(mut file) => {
                    use std::io::Write;
                    let shown = printable(&path.display().to_string()).into_owned();
                    match file.write_all(text.as_bytes()) {
                        Ok(()) => ctx.info(format!(
                            "wrote the case to {shown}: `eventscope check-case` decides it again"
                        )),
                        Err(error) => ctx.error(format!("cannot write {shown}: {error}")),
                    }
                    return;
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(error) => {
                    ctx.error(format!("cannot write the case beside the log: {error}"));
                    return;
                }
            }
        }
        ctx.error("cannot write the case: every name is taken");
    }

    /// The changes the branch's events make to the real state at the cursor.
    fn branch_changes(&self, events: &[Event]) -> Result<Vec<Change>, String> {
        let (Some(name), Some(state)) = (self.name(), &self.state) else {
            return Ok(Vec::new());
        };
        let mut branched: Box<dyn Projection> =
            projection::builtin(name).ok_or_else(|| format!("no projection named `{name}`"))?;
        branched
            .restore(&state.projection.save())
            .map_err(|e| e.to_string())?;
        for event in events {
            branched.apply(event).map_err(|e| e.to_string())?;
        }
        Ok(projection::diff(
            &state.projection.state(),
            &branched.state(),
        ))
    }

    /// Leaves a branch held at another seq than the cursor's.
    pub fn leave_branch_elsewhere(&mut self) {
        let at = self.state.as_ref().map(|s| s.seq);
        if self.branch.as_ref().is_some_and(|b| Some(b.at) != at) {
            self.branch = None;
        }
    }
}

/// Draws the branch pane in place of "what the event changed" while a
/// branch is held; false when there is none.
pub fn render(app: &App, frame: &mut Frame, area: Rect) -> bool {
    let Some(panel) = &app.projections.branch else {
        return false;
    };
    let t = theme();
    let title = format!(
        " Branch at #{}: {} event(s), dry run ",
        panel.at,
        panel.events.len()
    );
    let block = widgets::pane(title, false);
    let mut lines = vec![Line::from(Span::styled(
        printable(&panel.last).into_owned(),
        if panel.last_accepted {
            t.added
        } else {
            t.error
        },
    ))];
    lines.extend(diff_lines(
        panel.changes.as_deref().map_err(String::as_str),
        "the projection is as in the real history",
        "real -> branch:",
    ));
    lines.push(Line::from(Span::styled(
        "B another command · E export it as a test case · U leave",
        t.muted,
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
    true
}
