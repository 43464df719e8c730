//! The app state: what is open, where the cursor is, what the workers found.
//! Changed only by [`crate::ui::update`]; read by the views.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use crate::event::Event;
use crate::store::{EventLog, LogStats};
use crate::ui::chain::Flow;
pub use crate::ui::ctx::Notice;
use crate::ui::domain_watch::DomainWatch;
use crate::ui::jobs::Jobs;
use crate::ui::json_tree::{self, TreeLine};
use crate::ui::lesson::LessonsState;
use crate::ui::line_edit::LineEdit;
use crate::ui::msg::{Job, Msg};
use crate::ui::payload;
use crate::ui::rate::RateChart;
use crate::ui::views::cqrs::state::CqrsState;
use crate::ui::views::flows::state::FlowsState;
use crate::ui::views::log::layout;
use crate::ui::views::log::list::{self, EventList, Row};
use crate::ui::views::log::work;
use crate::ui::views::projections::state::ProjectionsState;

/// The views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Log,
    Projections,
    Cqrs,
    Flows,
}

/// The focused pane of the log view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What a one-line prompt asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    Jump,
    Stream,
    Search,
    /// A command on a branch at the projections view's seq.
    Branch,
}

/// What is drawn over the view and takes the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help { scroll: u16 },
    Prompt { kind: PromptKind, line: LineEdit },
    TypePicker { selected: usize },
    ProjectionPicker { selected: usize },
    LessonPicker { selected: usize },
}

/// One line of the detail pane.
#[derive(Clone, Debug, PartialEq)]
pub enum DetailLine {
    Field(&'static str, String),
    Tree(TreeLine),
}

/// The detail pane: the selected event, foldable.
#[derive(Clone, Debug, Default)]
pub struct Detail {
    /// Folded paths; kept while moving so that the same shape stays folded.
    pub folded: HashSet<String>,
    pub lines: Vec<DetailLine>,
    pub cursor: usize,
    pub scroll: usize,
}

/// The explorer.
pub struct App {
    pub(crate) log: Arc<EventLog>,
    /// What the header calls the log, when not its file name (the bundled
    /// sample lives under a cache name no one should have to read).
    pub(crate) title: Option<String>,
    pub(crate) size: (u16, u16),
    pub(crate) view: View,
    pub(crate) focus: Focus,
    pub(crate) overlay: Overlay,
    pub(crate) list: EventList,
    /// The selected position in the list.
    pub(crate) cursor: usize,
    /// The first position on screen.
    pub(crate) top: usize,
    /// The rows on screen, from `top`.
    pub(crate) window: Vec<Row>,
    pub(crate) stats: Result<LogStats, String>,
    pub(crate) rate: Option<RateChart>,
    /// The rate chart's count was stopped for a rebuild: counted again
    /// when the rebuild ends.
    pub(crate) rate_after_rebuild: bool,
    /// The log grew while the rate chart was being counted: counted again
    /// once that count is in.
    pub(crate) rate_stale: bool,
    pub(crate) detail: Detail,
    pub(crate) search: Option<String>,
    pub(crate) flow: Option<Flow>,
    pub(crate) streams: Option<Vec<String>>,
    pub(crate) notice: Option<Notice>,
    pub(crate) jobs: Jobs,
    pub(crate) projections: ProjectionsState,
    pub(crate) cqrs: CqrsState,
    pub(crate) flows: FlowsState,
    pub(crate) lessons: LessonsState,
    /// Presenter mode: drawn for a room.
    pub(crate) presenting: bool,
    /// The domain file in use, watched for saves.
    pub(crate) domain: Option<DomainWatch>,
    pub(crate) quit: bool,
    /// Set when a follower grows the log while it is shown.
    pub(crate) live: Option<crate::ui::live::LiveFeed>,
}

impl App {
    /// Opens the explorer on `log` at its first event. Results of background
    /// work are sent on `tx`; feed what arrives on its receiver to
    /// [`crate::ui::update`]. Reading failures become notices, never errors.
    pub fn new(log: Arc<EventLog>, tx: Sender<Msg>) -> App {
        let stats = log.stats().map_err(|e| e.to_string());
        let total = stats.as_ref().map_or(0, |s| s.events);
        let mut app = App {
            log,
            title: None,
            size: (80, 24),
            view: View::Log,
            focus: Focus::List,
            overlay: Overlay::None,
            list: EventList {
                total,
                filter: None,
            },
            cursor: 0,
            top: 0,
            window: Vec::new(),
            notice: stats.as_ref().err().cloned().map(Notice::Error),
            stats,
            rate: None,
            rate_after_rebuild: false,
            rate_stale: false,
            detail: Detail::default(),
            search: None,
            flow: None,
            streams: None,
            jobs: Jobs::new(tx),
            projections: ProjectionsState::default(),
            cqrs: CqrsState::default(),
            flows: FlowsState::new(total, Vec::new()),
            lessons: LessonsState::with_bundled(),
            presenting: false,
            domain: None,
            quit: false,
            live: None,
        };
        if total > 0 {
            app.start_rate();
        }
        app.projections.init(&app.log);
        app.flows.find_mappings(&mut crate::ui::ctx::ctx!(app));
        app.selection_changed();
        app
    }

    /// The seq of the selected event (none in an empty list).
    pub fn selected_seq(&self) -> Option<u64> {
        self.list.seq_at(self.cursor)
    }

    /// The selected event, if it could be read.
    pub fn selected_event(&self) -> Option<&Event> {
        let row = self.window.get(self.cursor.checked_sub(self.top)?)?;
        row.event.as_ref().ok()
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The filter in force, as shown on the status line.
    pub fn filter_description(&self) -> Option<String> {
        self.list.filter.as_ref().map(|f| f.kind.describe())
    }

    /// How many events the list shows.
    pub fn list_len(&self) -> usize {
        self.list.len()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn detail(&self) -> &Detail {
        &self.detail
    }

    /// The flow of the selected event, once found.
    pub fn flow(&self) -> Option<&Flow> {
        self.flow
            .as_ref()
            .filter(|f| Some(f.seq) == self.selected_seq())
    }

    /// Whether any worker is still running.
    pub fn is_busy(&self) -> bool {
        self.jobs.any_running()
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The log's path.
    pub fn log_path(&self) -> String {
        self.log.path().display().to_string()
    }

    /// Names the log in the header and status line instead of its file.
    pub fn set_title(&mut self, title: impl Into<String>) {
        self.title = Some(title.into());
    }

    /// The log's title or file name, for the header.
    pub fn log_name(&self) -> String {
        if let Some(title) = &self.title {
            return title.clone();
        }
        let path = self.log.path();
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// How far page up/down moves the list: the rows it shows.
    pub fn page_size(&self) -> usize {
        self.list_rows().max(1)
    }

    /// Rows of events the list shows at the current size.
    pub(crate) fn list_rows(&self) -> usize {
        layout::list_rows(self.size)
    }

    /// Moves the cursor to `index` (clamped), scrolling to keep it on
    /// screen, and refreshes what depends on the selection.
    pub(crate) fn move_to(&mut self, index: usize) {
        let before = self.selected_seq();
        self.cursor = index.min(self.list.len().saturating_sub(1));
        if before != self.selected_seq() {
            self.selection_changed();
        } else {
            self.scroll_into_view();
        }
    }

    /// Keeps the cursor inside the window and reads the rows on screen.
    pub(crate) fn scroll_into_view(&mut self) {
        let rows = self.list_rows().max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + rows {
            self.top = self.cursor + 1 - rows;
        }
        self.top = self.top.min(self.list.len().saturating_sub(rows));
        let covered = self.window.first().map(|r| r.seq) == self.list.seq_at(self.top)
            && self.window.len() >= rows.min(self.list.len() - self.top.min(self.list.len()));
        if !covered {
            self.window = list::fetch_window(&self.log, &self.list, self.top, rows);
        }
    }

    /// After the selection moved: the window, the detail, the flow and the
    /// projection follow it.
    pub(crate) fn selection_changed(&mut self) {
        self.window.clear();
        self.scroll_into_view();
        self.rebuild_detail();
        self.detail.cursor = 0;
        self.detail.scroll = 0;
        self.request_flow();
        if self.view == View::Projections {
            let seq = self.selected_seq();
            self.projections
                .follow_cursor(&self.log, &mut self.jobs, seq);
        }
    }

    /// Recomputes the detail lines from the selected event and fold state.
    pub(crate) fn rebuild_detail(&mut self) {
        let mut lines = Vec::new();
        let row = self
            .cursor
            .checked_sub(self.top)
            .and_then(|i| self.window.get(i));
        match row.map(|r| &r.event) {
            None => {}
            Some(Err(problem)) => lines.push(DetailLine::Field("error", problem.clone())),
            Some(Ok(event)) => {
                lines.push(DetailLine::Field("seq", event.seq.to_string()));
                lines.push(DetailLine::Field(
                    "stream",
                    format!("{} (version {})", event.stream, event.version),
                ));
                lines.push(DetailLine::Field("type", event.event_type.to_string()));
                lines.push(DetailLine::Field("id", event.id.clone()));
                lines.push(DetailLine::Field("time", event.time_text()));
                let trees = [
                    ("data", Some(&event.data)),
                    ("metadata", event.metadata.as_ref()),
                ];
                for (label, json) in trees {
                    match json.map(payload::tree) {
                        None => {}
                        Some(Ok(value)) => lines.extend(
                            json_tree::flatten(Some(label), label, &value, &self.detail.folded)
                                .into_iter()
                                .map(DetailLine::Tree),
                        ),
                        Some(Err(unreadable)) => {
                            lines.push(DetailLine::Field(label, unreadable.shown()))
                        }
                    }
                }
            }
        }
        self.detail.lines = lines;
        self.detail.cursor = self
            .detail
            .cursor
            .min(self.detail.lines.len().saturating_sub(1));
    }

    fn request_flow(&mut self) {
        let Some((seq, correlation_id)) =
            self.selected_event().map(|e| (e.seq, e.correlation_id()))
        else {
            self.jobs.slot(Job::Flow).cancel_running();
            return;
        };
        if let Some(flow) = &mut self.flow
            && flow.lines.iter().any(|l| l.event.seq == seq)
        {
            // Still inside the flow already shown: keep it, marked at the new event.
            flow.seq = seq;
            self.jobs.slot(Job::Flow).cancel_running();
            return;
        }
        if correlation_id.is_none() {
            self.jobs.slot(Job::Flow).cancel_running();
            self.flow = None;
            return;
        }
        let log = self.log.clone();
        self.jobs
            .spawn(Job::Flow, move |worker| work::flow(&log, worker, seq));
    }

    /// Counts the log's events over time for the rate chart, afresh.
    pub(crate) fn start_rate(&mut self) {
        let log = self.log.clone();
        self.jobs
            .spawn(Job::Rate, move |worker| work::rate(&log, worker));
    }

    /// Whether a rebuild a person asked for, or the snapshot pass after
    /// it, is running.
    fn rebuilding(&self) -> bool {
        self.jobs.is_running(Job::Rebuild) || self.jobs.is_running(Job::Snapshots)
    }

    /// A rebuild a person asked for goes first: the rate chart's count, a
    /// full scan of its own started at open, would take one of the two
    /// cores and halve the rebuild's rate; it is stopped while the rebuild
    /// and its snapshot pass run, and counted afresh after them
    /// ([`App::resume_rate`]).
    pub(crate) fn pause_rate_for_rebuild(&mut self) {
        if self.rebuilding() && self.jobs.is_running(Job::Rate) {
            self.jobs.slot(Job::Rate).cancel_running();
            self.rate_after_rebuild = true;
            // The count after the rebuild takes in any growth.
            self.rate_stale = false;
        }
    }

    /// Counts the rate chart stopped for a rebuild, once that has ended
    /// (finished, failed or cancelled).
    pub(crate) fn resume_rate(&mut self) {
        if self.rate_after_rebuild && !self.rebuilding() {
            self.rate_after_rebuild = false;
            self.start_rate();
        }
    }

    /// Reads the log's stream names once (the stream prompt and the CQRS
    /// view complete from them). Whether they are there.
    pub(crate) fn load_streams(&mut self) -> bool {
        if self.streams.is_none() {
            match self.log.streams() {
                Ok(streams) => {
                    self.streams = Some(streams.into_iter().map(|(name, _)| name).collect())
                }
                Err(e) => {
                    self.notice = Some(Notice::Error(e.to_string()));
                    return false;
                }
            }
        }
        true
    }

    /// After an append: the counts, the list and the stream names follow.
    pub(crate) fn log_grew(&mut self, streams: Vec<String>) {
        self.stats = self.log.stats().map_err(|e| e.to_string());
        if let Ok(stats) = &self.stats {
            self.list.total = stats.events;
            self.flows.run.follow_log(stats.events);
        }
        if let Some(known) = &mut self.streams {
            for stream in streams {
                if let Err(at) = known.binary_search(&stream) {
                    known.insert(at, stream);
                }
            }
        }
        self.window.clear();
        self.scroll_into_view();
        if self.list.total > 0 {
            self.count_rate_again();
        }
    }

    /// The log grew: the rate chart is counted again. A count under way
    /// (a full scan) is let finish and the next one starts after it: on a
    /// live log that grows every tick, restarting it each time would
    /// never let one finish on a large log. None runs beside a rebuild.
    fn count_rate_again(&mut self) {
        if self.rebuilding() {
            self.rate_after_rebuild = true;
        } else if self.jobs.is_running(Job::Rate) {
            self.rate_stale = true;
        } else {
            self.start_rate();
        }
    }

    /// A count of the rate chart is in: the next starts if the log grew
    /// meanwhile.
    pub(crate) fn rate_counted_to_date(&mut self) {
        if std::mem::take(&mut self.rate_stale) {
            self.count_rate_again();
        }
    }
}
