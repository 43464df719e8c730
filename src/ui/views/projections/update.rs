//! The projections view's part of `update`: picking a projection, moving
//! in its tree, folding, blame, rebuilds, the check, and workers' answers.
//! Given only the log, the job spawner and the notice line ([`Ctx`]), the
//! rows the tree shows and the selected seq; what only the App can do
//! (step the cursor, open the picker, show an event in the log view) comes
//! back as a [`Request`].

use std::time::Instant;

use crate::projection::RebuildOutcome;
use crate::ui::ctx::Ctx;
use crate::ui::json_tree;
use crate::ui::keymap::Action;
use crate::ui::msg::Job;
use crate::ui::views::projections::lazy_state::{self};
use crate::ui::views::projections::msg::{ProjectionMsg, StateAt};
use crate::ui::views::projections::skip::SkipWhat;
use crate::ui::views::projections::state::*;
use crate::ui::views::projections::work;

/// What the view asks of the App.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Move the selected event one on (true) or back.
    Step { forward: bool },
    /// Open the projection picker at this entry.
    OpenPicker { selected: usize },
    /// Show this event in the log view.
    ShowInLog { seq: u64 },
    /// Open the prompt for a command on a branch at the cursor.
    BranchPrompt,
}

impl ProjectionsState {
    /// Shows the projection at `index` of the names, at `seq`.
    pub fn pick(&mut self, ctx: &mut Ctx, index: usize, seq: Option<u64>) {
        self.selected = index;
        self.state = None;
        self.wanted = None;
        self.lines.clear();
        self.cursor = 0;
        self.scroll = 0;
        self.follow_cursor(ctx.log, ctx.jobs, seq);
    }

    /// A key in the view, with the tree `rows` high.
    pub fn action(&mut self, ctx: &mut Ctx, action: Action, rows: usize) -> Option<Request> {
        let last = self.lines.len().saturating_sub(1);
        let p = &mut *self;
        let mut request = None;
        match action {
            Action::StepForward => request = Some(Request::Step { forward: true }),
            Action::StepBack => request = Some(Request::Step { forward: false }),
            Action::Down => p.cursor = (p.cursor + 1).min(last),
            Action::Up => p.cursor = p.cursor.saturating_sub(1),
            Action::PageDown => p.cursor = (p.cursor + rows).min(last),
            Action::PageUp => p.cursor = p.cursor.saturating_sub(rows),
            Action::ToggleFold => {
                if let Some(line) = p.lines.get(p.cursor).filter(|l| l.is_foldable()) {
                    let path = line.path.clone();
                    if line.kind == json_tree::LineKind::Unfetched {
                        // Fetched on demand, then shown unfolded.
                        if let Some(state) = &mut p.state {
                            let StateAt {
                                projection,
                                value,
                                lazy,
                                ..
                            } = &mut **state;
                            lazy_state::fetch_entry(projection.as_ref(), value, lazy, &path);
                        }
                        p.folded.remove(&path);
                    } else if !p.folded.remove(&path) {
                        p.folded.insert(path.clone());
                    }
                    p.reflatten();
                    p.cursor = p.lines.iter().position(|l| l.path == path).unwrap_or(0);
                }
            }
            Action::FoldAll => {
                if let Some(state) = &p.state {
                    json_tree::container_paths("", &state.value, &mut p.folded);
                    p.folded.remove("");
                    p.reflatten();
                }
            }
            Action::UnfoldAll => {
                p.folded.clear();
                p.reflatten();
            }
            Action::ProjectionPicker => {
                request = Some(Request::OpenPicker {
                    selected: p.selected,
                })
            }
            Action::Rebuild => self.start_rebuild(ctx),
            // Both answer how far they got.
            Action::Cancel => {
                ctx.jobs.slot(Job::Rebuild).stop();
                ctx.jobs.slot(Job::Snapshots).stop();
            }
            Action::JumpToBlame => request = self.blame_or_jump(ctx),
            Action::CheckAgreement => self.start_check(ctx),
            Action::SkipEvent => self.toggle_skip(ctx, SkipWhat::Event),
            Action::SkipType => self.toggle_skip(ctx, SkipWhat::Type),
            Action::SkipStream => self.toggle_skip(ctx, SkipWhat::Stream),
            Action::ClearSkips => {
                self.branch = None;
                self.toggle_skip(ctx, SkipWhat::Nothing);
            }
            Action::BranchPrompt => request = Some(Request::BranchPrompt),
            Action::ExportCase => self.export_case(ctx),
            _ => {}
        }
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + rows {
            self.scroll = self.cursor + 1 - rows;
        }
        request
    }

    fn start_rebuild(&mut self, ctx: &mut Ctx) {
        let Some(name) = self.name().map(str::to_owned) else {
            return;
        };
        // A snapshot pass of the rebuild before would share the cores.
        ctx.jobs.slot(Job::Snapshots).cancel_running();
        let log = ctx.log.clone();
        let registry = self.registry.clone();
        let rebuilt = name.clone();
        ctx.jobs.spawn(Job::Rebuild, move |worker| {
            work::rebuild(&log, worker, &registry, &rebuilt)
        });
        self.rebuild = Some(RebuildStatus {
            name,
            started: Instant::now(),
            progress: None,
            outcome: None,
            snapshots: None,
        });
    }

    /// After a completed rebuild: its snapshots, saved on a second pass.
    fn start_snapshots(&mut self, ctx: &mut Ctx) {
        let Some(rebuild) = &mut self.rebuild else {
            return;
        };
        let log = ctx.log.clone();
        let registry = self.registry.clone();
        let name = rebuild.name.clone();
        ctx.jobs.spawn(Job::Snapshots, move |worker| {
            work::save_snapshots(&log, worker, &registry, &name)
        });
        rebuild.snapshots = Some(SnapshotPass {
            progress: None,
            outcome: None,
        });
    }

    /// First `b` on a field: find the event that set it; once found, `b`
    /// again shows that event in the log view.
    fn blame_or_jump(&mut self, ctx: &mut Ctx) -> Option<Request> {
        let p = &*self;
        let (Some(name), Some(state), Some(line)) = (p.name(), &p.state, p.lines.get(p.cursor))
        else {
            return None;
        };
        let path = projection_path(&state.value, &line.path);
        if let Some((blamed, Ok(Some(seq)))) = &p.blame
            && *blamed == path.to_string()
        {
            return Some(Request::ShowInLog { seq: *seq });
        }
        let (log, seq) = (ctx.log.clone(), state.seq);
        let (registry, name) = (p.registry.clone(), name.to_owned());
        ctx.jobs.spawn(Job::Blame, move |worker| {
            work::blame(&log, worker, &registry, &name, path, seq)
        });
        None
    }

    fn start_check(&mut self, ctx: &mut Ctx) {
        let (Some(name), Some(state)) = (self.name(), &self.state) else {
            return;
        };
        let seq = state.seq;
        let log = ctx.log.clone();
        let (registry, name) = (self.registry.clone(), name.to_owned());
        ctx.jobs.spawn(Job::Check, move |worker| {
            work::check(&log, worker, &registry, &name, seq)
        });
        self.agreement = None;
    }

    /// A worker's answer, with the tree `rows` high and `seq` selected.
    pub fn on_msg(
        &mut self,
        ctx: &mut Ctx,
        generation: u64,
        msg: ProjectionMsg,
        rows: usize,
        seq: Option<u64>,
    ) {
        let job = match &msg {
            ProjectionMsg::State(_) => Job::Projection,
            ProjectionMsg::RebuildProgress(_) | ProjectionMsg::Rebuilt(_) => Job::Rebuild,
            ProjectionMsg::SnapshotProgress(_) | ProjectionMsg::SnapshotsSaved(_) => Job::Snapshots,
            ProjectionMsg::Blamed { .. } => Job::Blame,
            ProjectionMsg::Checked(_) => Job::Check,
        };
        let slot = ctx.jobs.slot(job);
        if !slot.is_current(generation) {
            return;
        }
        match msg {
            ProjectionMsg::RebuildProgress(progress) => {
                slot.progress = Some((progress.done, progress.total));
                if let Some(rebuild) = &mut self.rebuild {
                    rebuild.progress = Some(progress);
                }
                return;
            }
            ProjectionMsg::SnapshotProgress(progress) => {
                slot.progress = Some((progress.done, progress.total));
                if let Some(pass) = self.rebuild.as_mut().and_then(|r| r.snapshots.as_mut()) {
                    pass.progress = Some(progress);
                }
                return;
            }
            _ => slot.finish(),
        }
        let p = &mut *self;
        match msg {
            ProjectionMsg::State(Ok(state)) if Some(state.seq) == p.wanted => {
                p.show_state(state);
                p.refresh_skip(ctx.log);
                p.leave_branch_elsewhere();
                // Bring the first change into view, a third of the way down.
                if p.cursor < p.scroll || p.cursor >= p.scroll + rows {
                    p.scroll = p.cursor.saturating_sub(rows / 3);
                }
            }
            ProjectionMsg::State(Ok(_)) => {}
            ProjectionMsg::State(Err(problem)) => p.problem = Some(problem),
            ProjectionMsg::Rebuilt(outcome) => {
                // The state at the cursor is the one shown: a rebuild
                // reaches the same states. Time travel's snapshots follow.
                let completed = matches!(outcome, Ok(RebuildOutcome::Completed(_)));
                if let Some(rebuild) = &mut p.rebuild {
                    rebuild.outcome = Some(outcome);
                }
                if completed {
                    self.start_snapshots(ctx);
                }
            }
            ProjectionMsg::SnapshotsSaved(outcome) => {
                let Some(rebuild) = &mut p.rebuild else {
                    return;
                };
                if let Some(pass) = &mut rebuild.snapshots {
                    pass.outcome = Some(outcome);
                }
                // The snapshots changed: the state at the cursor is reached
                // afresh, from the new ones.
                let rebuilt = rebuild.name.clone();
                if p.name() == Some(rebuilt.as_str()) {
                    p.state = None;
                    p.wanted = None;
                    self.follow_cursor(ctx.log, ctx.jobs, seq);
                }
            }
            ProjectionMsg::Blamed { path, result } => {
                if let Ok(Some(seq)) = &result {
                    ctx.info(format!(
                        "{path} was last set by seq {seq}: b again shows it"
                    ));
                }
                p.blame = Some((path, result));
            }
            ProjectionMsg::Checked(result) => p.agreement = Some(result),
            ProjectionMsg::RebuildProgress(_) | ProjectionMsg::SnapshotProgress(_) => {}
        }
    }
}
