//! The Elm-style core: [`map_key`] turns a key into a message using the
//! keymap, and [`update`] applies a message to the app. No terminal I/O
//! happens here; slow work is handed to worker threads.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::domain::Domain;
use crate::ui::app::{App, DetailLine, Focus, Notice, Overlay, PromptKind, View};
use crate::ui::ctx::ctx;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Job, Msg};
use crate::ui::pick_list::{self, Picked};
use crate::ui::views::cqrs::update::Request as CqrsRequest;
use crate::ui::views::log::layout;
use crate::ui::views::log::work;
use crate::ui::views::projections::update::Request;
use crate::ui::{json_tree, payload};

impl App {
    /// The keymap contexts that are live, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.overlay {
            Overlay::Help { .. } => vec![Context::Help],
            Overlay::Prompt { .. } => vec![Context::Prompt],
            Overlay::TypePicker { .. }
            | Overlay::ProjectionPicker { .. }
            | Overlay::LessonPicker { .. } => vec![Context::Picker],
            Overlay::None => match (self.view, self.focus) {
                (View::Log, Focus::List) => vec![Context::List, Context::Global],
                (View::Log, Focus::Detail) => vec![Context::Detail, Context::Global],
                (View::Projections, _) if self.projections.rebuilding() => {
                    vec![Context::Rebuild, Context::Projections, Context::Global]
                }
                (View::Projections, _) => vec![Context::Projections, Context::Global],
                (View::Cqrs, _) if self.editing_command() => vec![Context::CommandLine],
                (View::Cqrs, _) => vec![Context::Cqrs, Context::Global],
                (View::Flows, _) => vec![Context::Flows, Context::Global],
            }
            .into_iter()
            .fold(Vec::new(), |mut live, context| {
                // A lesson's keys come first, except on the command line.
                if live.is_empty() && context != Context::CommandLine && self.lessons.is_playing() {
                    live.push(Context::Lesson);
                }
                live.push(context);
                live
            }),
        }
    }
}

/// The message a key stands for here, if any: a keymap action, or a
/// character for an open prompt.
pub fn map_key(app: &App, key: KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    // Too small a view says only "enlarge it, or press q to quit": q quits
    // whatever was open, a lesson's dock (drawn below) keeps its keys, and a
    // key pressed blind does nothing else.
    let contexts = app.contexts();
    if app.too_small() {
        let quit = key.code == KeyCode::Char('q')
            || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL));
        if quit {
            return Some(Msg::Action(Action::Quit));
        }
        let lesson = contexts.first() == Some(&Context::Lesson);
        return keymap::lookup(&contexts, &key)
            .filter(|action| {
                lesson
                    && matches!(
                        action,
                        Action::NextStep | Action::PreviousStep | Action::LeaveLesson
                    )
            })
            .map(Msg::Action);
    }
    if let Some(action) = keymap::lookup(&contexts, &key) {
        return Some(Msg::Action(action));
    }
    match (&app.overlay, key.code) {
        (Overlay::Prompt { .. }, KeyCode::Char(c))
            if !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            Some(Msg::Input(c))
        }
        (Overlay::None, KeyCode::Char(c))
            if app.editing_command() && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            Some(Msg::Input(c))
        }
        _ => None,
    }
}

/// Applies one message.
pub fn update(app: &mut App, msg: Msg) {
    apply(app, msg);
    app.lesson_settle();
}

fn apply(app: &mut App, msg: Msg) {
    match msg {
        Msg::Key(key) => {
            if let Some(msg) = map_key(app, key) {
                update(app, msg);
            }
        }
        Msg::Action(action) => act(app, action),
        Msg::Input(c) if app.editing_command() => app.cqrs.input(&mut ctx!(app), c),
        Msg::Input(c) => app.prompt_input(c),
        Msg::Resize(width, height) => {
            app.lessons.screen = Some((width, height));
            app.size = crate::ui::lesson::dock::scene_size(app, (width, height));
            app.scroll_into_view();
            app.keep_detail_cursor_visible();
        }
        Msg::Tick => {
            app.watch_domain();
            crate::ui::live::tick(app);
            app.cqrs.tick(&mut ctx!(app));
            let shown = app.view == View::Flows;
            app.flows.tick(&mut ctx!(app), shown);
        }
        Msg::Progress {
            job,
            generation,
            done,
            total,
        } => {
            let slot = app.jobs.slot(job);
            if slot.is_current(generation) {
                slot.progress = Some((done, total));
            }
        }
        Msg::JobFailed {
            job,
            generation,
            problem,
        } => {
            if let Some(text) = app.jobs.failed(job, generation, &problem) {
                app.job_failed(job, &text);
                app.notice = Some(Notice::Error(text));
            }
        }
        Msg::RateReady { generation, chart } => {
            let slot = app.jobs.slot(Job::Rate);
            if slot.is_current(generation) {
                slot.finish();
                match chart {
                    Ok(chart) => app.rate = Some(chart),
                    Err(problem) => app.notice = Some(Notice::Error(problem)),
                }
                app.rate_counted_to_date();
            }
        }
        Msg::SearchDone {
            generation,
            found,
            wrapped,
        } => {
            let slot = app.jobs.slot(Job::Search);
            if slot.is_current(generation) {
                slot.finish();
                app.search_finished(found, wrapped);
            }
        }
        Msg::FlowReady { generation, flow } => {
            let slot = app.jobs.slot(Job::Flow);
            if slot.is_current(generation) {
                slot.finish();
                match flow {
                    Ok(flow) => app.flow = flow,
                    Err(problem) => app.notice = Some(Notice::Error(problem)),
                }
            }
        }
        Msg::Projection { generation, msg } => {
            let (rows, seq) = (projection_rows(app), app.selected_seq());
            app.projections
                .on_msg(&mut ctx!(app), generation, msg, rows, seq);
            app.resume_rate();
        }
        Msg::ReadModels { generation, msg } => app.cqrs.on_msg(&mut ctx!(app), generation, msg),
        Msg::Flows { generation, msg } => app.flows.on_msg(&mut ctx!(app), generation, msg),
    }
}

fn act(app: &mut App, action: Action) {
    match action {
        Action::Quit => {
            app.quit = true;
            return;
        }
        Action::ToggleHelp => {
            app.overlay = match app.overlay {
                Overlay::Help { .. } => Overlay::None,
                _ => Overlay::Help { scroll: 0 },
            };
            return;
        }
        _ => {}
    }
    match app.overlay.clone() {
        Overlay::Help { scroll } => {
            let scroll = match action {
                Action::Down => scroll.saturating_add(1),
                Action::Up => scroll.saturating_sub(1),
                _ => scroll,
            };
            app.overlay = Overlay::Help { scroll };
        }
        Overlay::Prompt { .. } => app.prompt_action(action),
        Overlay::TypePicker { selected } => app.type_picker_action(action, selected),
        Overlay::ProjectionPicker { selected } => projection_picker_action(app, action, selected),
        Overlay::LessonPicker { selected } => app.lesson_picker_action(action, selected),
        Overlay::None => match action {
            Action::Lessons => app.overlay = Overlay::LessonPicker { selected: 0 },
            Action::TogglePresenter => app.toggle_presenter(),
            Action::NextStep | Action::PreviousStep | Action::LeaveLesson => {
                app.lesson_action(action)
            }
            Action::NextFocus => app.cycle_focus(true),
            Action::PreviousFocus => app.cycle_focus(false),
            Action::ShowLog => app.show(View::Log, Focus::List),
            Action::ShowProjections => app.show(View::Projections, Focus::List),
            Action::ShowCqrs => app.show(View::Cqrs, Focus::List),
            Action::ShowFlows => app.show(View::Flows, Focus::List),
            _ => match (app.view, app.focus) {
                (View::Log, Focus::List) => list_action(app, action),
                (View::Log, Focus::Detail) => detail_action(app, action),
                (View::Projections, _) => projections_action(app, action),
                (View::Cqrs, _) => cqrs_action(app, action),
                (View::Flows, _) => app.flows.action(&mut ctx!(app), action),
            },
        },
    }
}

/// The rows the projections view's tree shows at the current size.
fn projection_rows(app: &App) -> usize {
    crate::ui::views::projections::layout::tree_rows(app.size).max(1)
}

fn projections_action(app: &mut App, action: Action) {
    let rows = projection_rows(app);
    let request = app.projections.action(&mut ctx!(app), action, rows);
    app.pause_rate_for_rebuild();
    app.resume_rate();
    let Some(request) = request else {
        return;
    };
    match request {
        Request::Step { forward: true } => app.move_to(app.cursor.saturating_add(1)),
        Request::Step { forward: false } => app.move_to(app.cursor.saturating_sub(1)),
        Request::OpenPicker { selected } => app.overlay = Overlay::ProjectionPicker { selected },
        Request::BranchPrompt => app.open_prompt(PromptKind::Branch),
        Request::ShowInLog { seq } => {
            if !app.list.position_of(seq).1 {
                app.list.filter = None;
            }
            app.view = View::Log;
            app.focus = Focus::List;
            app.move_to(app.list.position_of(seq).0);
        }
    }
}

fn projection_picker_action(app: &mut App, action: Action, selected: usize) {
    match pick_list::step(action, selected, app.projections.names.len()) {
        Picked::Moved(selected) => app.overlay = Overlay::ProjectionPicker { selected },
        Picked::Closed => app.overlay = Overlay::None,
        Picked::Chosen(selected) => {
            app.overlay = Overlay::None;
            let seq = app.selected_seq();
            app.projections.pick(&mut ctx!(app), selected, seq);
        }
        Picked::Unchanged => {}
    }
}

fn cqrs_action(app: &mut App, action: Action) {
    let streams = app.streams.as_deref().unwrap_or(&[]);
    let request = app.cqrs.action(&mut ctx!(app), action, streams);
    match request {
        None => {}
        Some(CqrsRequest::LoadStreams) => {
            app.load_streams();
        }
        Some(CqrsRequest::LogGrew(streams)) => app.log_grew(streams),
    }
}

fn list_action(app: &mut App, action: Action) {
    let page = app.list_rows().max(1);
    match action {
        Action::Down => app.move_to(app.cursor.saturating_add(1)),
        Action::Up => app.move_to(app.cursor.saturating_sub(1)),
        Action::PageDown => app.move_to(app.cursor.saturating_add(page)),
        Action::PageUp => app.move_to(app.cursor.saturating_sub(page)),
        Action::Top => app.move_to(0),
        Action::Bottom => app.move_to(usize::MAX),
        Action::JumpPrompt => app.open_prompt(PromptKind::Jump),
        Action::SearchPrompt => app.open_prompt(PromptKind::Search),
        Action::StreamPrompt => app.open_prompt(PromptKind::Stream),
        Action::TypePicker => app.open_type_picker(),
        Action::ClearFilter => app.clear_filter(),
        Action::SearchNext => app.start_search(true),
        Action::SearchPrevious => app.start_search(false),
        _ => {}
    }
}

fn detail_action(app: &mut App, action: Action) {
    let page = layout::detail_rows(app.size).max(1);
    let last = app.detail.lines.len().saturating_sub(1);
    let cursor = app.detail.cursor;
    match action {
        Action::Down => app.detail.cursor = cursor.saturating_add(1).min(last),
        Action::Up => app.detail.cursor = cursor.saturating_sub(1),
        Action::PageDown => app.detail.cursor = cursor.saturating_add(page).min(last),
        Action::PageUp => app.detail.cursor = cursor.saturating_sub(page),
        Action::ToggleFold => {
            if let Some(DetailLine::Tree(line)) = app.detail.lines.get(cursor)
                && line.is_foldable()
            {
                let path = line.path.clone();
                if !app.detail.folded.remove(&path) {
                    app.detail.folded.insert(path.clone());
                }
                app.rebuild_detail();
                // Stay on the node just folded, not on its closing bracket.
                app.detail.cursor = app
                    .detail
                    .lines
                    .iter()
                    .position(|l| matches!(l, DetailLine::Tree(t) if t.path == path))
                    .unwrap_or(0);
            }
        }
        Action::FoldAll => {
            if let Some(event) = app.selected_event() {
                let mut all = app.detail.folded.clone();
                if let Ok(data) = payload::tree(&event.data) {
                    json_tree::container_paths("data", &data, &mut all);
                }
                if let Some(Ok(metadata)) = event.metadata.as_ref().map(payload::tree) {
                    json_tree::container_paths("metadata", &metadata, &mut all);
                }
                app.detail.folded = all;
                app.rebuild_detail();
            }
        }
        Action::UnfoldAll => {
            app.detail.folded.clear();
            app.rebuild_detail();
        }
        _ => {}
    }
    app.keep_detail_cursor_visible();
}

impl App {
    pub(crate) fn keep_detail_cursor_visible(&mut self) {
        let rows = layout::detail_rows(self.size).max(1);
        let detail = &mut self.detail;
        if detail.cursor < detail.scroll {
            detail.scroll = detail.cursor;
        } else if detail.cursor >= detail.scroll + rows {
            detail.scroll = detail.cursor + 1 - rows;
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let order = [
            (View::Log, Focus::List),
            (View::Log, Focus::Detail),
            (View::Projections, Focus::List),
            (View::Cqrs, Focus::List),
            (View::Flows, Focus::List),
        ];
        let now = order
            .iter()
            .position(|&(v, f)| v == self.view && (v != View::Log || f == self.focus))
            .unwrap_or(0);
        let n = order.len();
        let next = if forward {
            (now + 1) % n
        } else {
            (now + n - 1) % n
        };
        let (view, focus) = order[next];
        self.show(view, focus);
    }

    pub(crate) fn show(&mut self, view: View, focus: Focus) {
        let entering_projections = view == View::Projections && self.view != View::Projections;
        self.view = view;
        self.focus = focus;
        if entering_projections {
            let seq = self.selected_seq();
            self.projections
                .follow_cursor(&self.log, &mut self.jobs, seq);
        }
        if view == View::Cqrs {
            self.load_streams();
            let types = self.stats.as_ref().map_or(&[][..], |s| &s.types[..]);
            let domain = Domain::recognise(types.iter().map(|(t, _)| t.as_str()));
            let foreign = domain.is_none() && !types.is_empty();
            // Borrowed, not taken: a failed read stays unread and is tried
            // again, rather than kept as "no streams".
            let streams = self.streams.as_deref().unwrap_or(&[]);
            self.cqrs.enter(&mut ctx!(self), domain, foreign, streams);
        }
    }

    /// A view waiting for a job that will never answer stops waiting.
    fn job_failed(&mut self, job: Job, problem: &str) {
        match job {
            Job::Projection => self.projections.problem = Some(problem.to_string()),
            Job::Rebuild => {
                if let Some(rebuild) = &mut self.projections.rebuild {
                    rebuild.outcome = Some(Err(problem.to_string()));
                }
            }
            Job::Snapshots => {
                if let Some(pass) = self
                    .projections
                    .rebuild
                    .as_mut()
                    .and_then(|rebuild| rebuild.snapshots.as_mut())
                {
                    pass.outcome = Some(Err(problem.to_string()));
                }
            }
            Job::Flows => self.flows.restarting = false,
            _ => {}
        }
    }

    /// Starts a search for the last query from the cursor.
    pub(crate) fn start_search(&mut self, forward: bool) {
        let Some(query) = self.search.clone().filter(|q| !q.is_empty()) else {
            self.notice = Some(Notice::Info("no search yet: press / to search".into()));
            return;
        };
        if self.list.is_empty() {
            return;
        }
        let request = work::SearchRequest {
            query,
            list: self.list.clone(),
            from: self.cursor,
            forward,
        };
        let log = self.log.clone();
        self.jobs.spawn(Job::Search, move |worker| {
            work::search(&log, worker, &request)
        });
    }

    fn search_finished(&mut self, found: Result<Option<u64>, String>, wrapped: bool) {
        let query = crate::escape::printable(self.search.as_deref().unwrap_or("")).into_owned();
        match found {
            Ok(Some(seq)) => {
                self.move_to(self.list.position_of(seq).0);
                self.notice = Some(Notice::Info(if wrapped {
                    format!("\"{query}\": found at seq {seq} (search wrapped around)")
                } else {
                    format!("\"{query}\": found at seq {seq}")
                }));
            }
            Ok(None) => self.notice = Some(Notice::Info(format!("\"{query}\": no match"))),
            Err(problem) => self.notice = Some(Notice::Error(problem)),
        }
    }
}
