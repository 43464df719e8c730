//! The projections view's part of `update`: picking a projection, moving
//! in its tree, folding, blame, rebuilds, the check, and workers' answers.

use std::time::Instant;

use serde_json::Value;

use crate::projection::Change;
use crate::ui::app::{App, Focus, Notice, Overlay, View};
use crate::ui::json_tree::{self, TreeLine};
use crate::ui::keymap::Action;
use crate::ui::msg::Job;
use crate::ui::pick_list::{self, Picked};
use crate::ui::views::projections::lazy_state::{self};
use crate::ui::views::projections::msg::{ProjectionMsg, StateAt};
use crate::ui::views::projections::state::*;
use crate::ui::views::projections::work;

impl App {
    /// The projection shown in the projections view.
    pub fn projection_name(&self) -> Option<&'static str> {
        self.projections.name()
    }

    /// The shown projection's state at the cursor, once computed. When a
    /// map of it is large, that map holds only the entries fetched (those
    /// unfolded, or changed by the event at the cursor); the tree lists
    /// all its keys.
    pub fn projection_state(&self) -> Option<&Value> {
        self.projections.state.as_ref().map(|s| &s.value)
    }

    /// The lines of the projections view's tree, as flattened now.
    pub fn projection_lines(&self) -> &[TreeLine] {
        &self.projections.lines
    }

    /// The index of the selected line of the projections view's tree.
    pub fn projection_cursor(&self) -> usize {
        self.projections.cursor
    }

    /// What the event at the cursor changed in the shown projection.
    pub fn projection_changes(&self) -> &[Change] {
        self.projections
            .state
            .as_ref()
            .map_or(&[], |s| s.changes.as_slice())
    }

    /// The seq blame found for the selected field, if it has run.
    pub fn blamed_seq(&self) -> Option<u64> {
        match &self.projections.blame {
            Some((_, Ok(seq))) => *seq,
            _ => None,
        }
    }

    /// One event of the log (for tools and tests).
    pub fn event_at(&self, seq: u64) -> Option<crate::event::Event> {
        self.log.get(seq).ok().flatten()
    }

    /// Shows the projection named `name` in the projections view.
    pub fn select_projection(&mut self, name: &str) -> Result<(), String> {
        let index = self
            .projections
            .names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| {
                format!(
                    "no projection named `{name}` applies to this log; try one of: {}",
                    self.projections.names.join(", ")
                )
            })?;
        self.pick_projection(index);
        Ok(())
    }

    fn pick_projection(&mut self, index: usize) {
        let p = &mut self.projections;
        p.selected = index;
        p.state = None;
        p.wanted = None;
        p.lines.clear();
        p.cursor = 0;
        p.scroll = 0;
        let seq = self.selected_seq();
        self.projections
            .follow_cursor(&self.log, &mut self.jobs, seq);
    }

    pub(crate) fn projections_action(&mut self, action: Action) {
        let rows = crate::ui::views::projections::layout::tree_rows(self.size).max(1);
        let last = self.projections.lines.len().saturating_sub(1);
        let p = &mut self.projections;
        match action {
            Action::StepForward => self.move_to(self.cursor.saturating_add(1)),
            Action::StepBack => self.move_to(self.cursor.saturating_sub(1)),
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
                self.overlay = Overlay::ProjectionPicker {
                    selected: p.selected,
                }
            }
            Action::Rebuild => self.start_rebuild(),
            Action::Cancel => self.jobs.slot(Job::Rebuild).cancel_running(),
            Action::JumpToBlame => self.blame_or_jump(),
            Action::CheckAgreement => self.start_check(),
            _ => {}
        }
        let p = &mut self.projections;
        if p.cursor < p.scroll {
            p.scroll = p.cursor;
        } else if p.cursor >= p.scroll + rows {
            p.scroll = p.cursor + 1 - rows;
        }
    }

    pub(crate) fn projection_picker_action(&mut self, action: Action, selected: usize) {
        match pick_list::step(action, selected, self.projections.names.len()) {
            Picked::Moved(selected) => self.overlay = Overlay::ProjectionPicker { selected },
            Picked::Closed => self.overlay = Overlay::None,
            Picked::Chosen(selected) => {
                self.overlay = Overlay::None;
                self.pick_projection(selected);
            }
            Picked::Unchanged => {}
        }
    }

    fn start_rebuild(&mut self) {
        let Some(name) = self.projections.name() else {
            return;
        };
        let log = self.log.clone();
        self.jobs.spawn(Job::Rebuild, move |worker| {
            work::rebuild(&log, worker, name)
        });
        self.projections.rebuild = Some(RebuildStatus {
            started: Instant::now(),
            progress: None,
            outcome: None,
        });
    }

    /// First `b` on a field: find the event that set it; once found, `b`
    /// again shows that event in the log view.
    fn blame_or_jump(&mut self) {
        let p = &self.projections;
        let (Some(name), Some(state), Some(line)) = (p.name(), &p.state, p.lines.get(p.cursor))
        else {
            return;
        };
        let path = projection_path(&state.value, &line.path);
        if let Some((blamed, Ok(Some(seq)))) = &p.blame
            && *blamed == path.to_string()
        {
            let seq = *seq;
            if !self.list.position_of(seq).1 {
                self.list.filter = None;
            }
            self.view = View::Log;
            self.focus = Focus::List;
            self.move_to(self.list.position_of(seq).0);
            return;
        }
        let (log, seq) = (self.log.clone(), state.seq);
        self.jobs.spawn(Job::Blame, move |worker| {
            work::blame(&log, worker, name, path, seq)
        });
    }

    fn start_check(&mut self) {
        let (Some(name), Some(state)) = (self.projections.name(), &self.projections.state) else {
            return;
        };
        let seq = state.seq;
        let log = self.log.clone();
        self.jobs.spawn(Job::Check, move |worker| {
            work::check(&log, worker, name, seq)
        });
        self.projections.agreement = None;
    }

    pub(crate) fn projection_msg(&mut self, generation: u64, msg: ProjectionMsg) {
        let job = match &msg {
            ProjectionMsg::State(_) => Job::Projection,
            ProjectionMsg::RebuildProgress(_) | ProjectionMsg::Rebuilt(_) => Job::Rebuild,
            ProjectionMsg::Blamed { .. } => Job::Blame,
            ProjectionMsg::Checked(_) => Job::Check,
        };
        let slot = self.jobs.slot(job);
        if !slot.is_current(generation) {
            return;
        }
        match msg {
            ProjectionMsg::RebuildProgress(progress) => {
                slot.progress = Some((progress.done, progress.total));
                if let Some(rebuild) = &mut self.projections.rebuild {
                    rebuild.progress = Some(progress);
                }
                return;
            }
            _ => slot.finish(),
        }
        let p = &mut self.projections;
        match msg {
            ProjectionMsg::State(Ok(state)) if Some(state.seq) == p.wanted => {
                p.show_state(state);
                // Bring the first change into view, a third of the way down.
                let rows = crate::ui::views::projections::layout::tree_rows(self.size).max(1);
                if p.cursor < p.scroll || p.cursor >= p.scroll + rows {
                    p.scroll = p.cursor.saturating_sub(rows / 3);
                }
            }
            ProjectionMsg::State(Ok(_)) => {}
            ProjectionMsg::State(Err(problem)) => p.problem = Some(problem),
            ProjectionMsg::Rebuilt(outcome) => {
                if let Some(rebuild) = &mut p.rebuild {
                    rebuild.outcome = Some(outcome);
                }
                // Snapshots may have changed: compute the state afresh.
                p.state = None;
                p.wanted = None;
                let seq = self.selected_seq();
                self.projections
                    .follow_cursor(&self.log, &mut self.jobs, seq);
            }
            ProjectionMsg::Blamed { path, result } => {
                if let Ok(Some(seq)) = &result {
                    self.notice = Some(Notice::Info(format!(
                        "{path} was last set by seq {seq}: b again shows it"
                    )));
                }
                p.blame = Some((path, result));
            }
            ProjectionMsg::Checked(result) => p.agreement = Some(result),
            ProjectionMsg::RebuildProgress(_) => {}
        }
    }
}
