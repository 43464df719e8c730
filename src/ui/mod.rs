//! The terminal explorer, built the Elm way: an [`App`] state, messages
//! ([`Msg`]) from keys, ticks and worker threads, [`map_key`] driven by one
//! keymap table, [`update`] with no terminal I/O, and [`render`] with no
//! side effects. [`run`] wires them to a real terminal; [`render_text`]
//! draws one screen as text.
//!
//! The house, top-down (a module imports only those below it):
//!
//! ```text
//!   mod, run, update        the loop; routes each Msg to the App or a view
//!   views/                  render (header, bands, overlays) and per view:
//!     log/ projections/     state, update, msg, work, layout, render;
//!     cqrs/ flows/          each update is given a Ctx, not the App (the
//!                           log view's is the App's own: the selection)
//!   app, app_access         what is shared: log, selection, overlay,
//!                           notice, jobs, and each view's state
//!   app_domain, domain_watch the domain file in use, reloaded on save
//!   ctx                     what a view's update may touch: log, jobs, notice
//!   jobs, panic_guard       the one spawner; a worker's panic is an error
//!   msg                     Msg, Job, TICK; each view's messages below it
//!   keymap, line_edit,      one keymap; one line editor (tui-input)
//!   widgets/, layout,       drawing helpers measured in cells; the bands
//!   chain, json_tree, rate, pure data: correlation chain, JSON tree,
//!   payload, sorted_names,  rate chart, payload text, sorted names,
//!   pick_list, open, theme  pick lists, opening a log, the styles
//! ```

mod app;
mod app_access;
mod app_domain;
mod chain;
mod ctx;
mod domain_watch;
mod jobs;
mod json_tree;
pub mod keymap;
mod layout;
pub mod lesson;
mod line_edit;
mod live;
mod msg;
mod open;
mod panic_guard;
mod payload;
mod pick_list;
pub mod present;
mod rate;
mod run;
mod sample_clock;
mod sorted_names;
pub mod theme;
mod update;
mod views;
mod widgets;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub use app::{App, Detail, DetailLine, Focus, Notice, Overlay, PromptKind, View};
pub use chain::{Flow, FlowEvent, FlowLine};
pub use json_tree::{LineKind, TreeLine};
pub use live::{FeedStatus, LiveFeed};
pub use msg::{Job, Msg};
pub use open::open_log;
pub use present::headline;
pub use rate::RateChart;
pub use run::{run, run_live, run_with, settle};
pub use update::{map_key, update};
pub use views::cqrs::state::Clock;
pub use views::cqrs::state::Outcome as CqrsOutcome;
pub use views::flows::msg::FlowsMsg;
pub use views::flows::state::EntityChoice;
pub use views::help::text as help_text;
pub use views::render;
pub use views::{MIN_HEIGHT, MIN_WIDTH};

/// Draws one screen of `width` x `height` as plain text: one line per row,
/// trailing spaces trimmed. The same drawing code as the terminal.
pub fn render_text(app: &App, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(terminal) => terminal,
        Err(never) => match never {},
    };
    if terminal.draw(|frame| render(app, frame)).is_err() {
        return String::new();
    }
    buffer_text(terminal.backend().buffer())
}

/// A buffer's symbols as lines, trailing spaces trimmed.
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let width = buffer.area.width as usize;
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    for row in buffer.content.chunks(width) {
        let line: String = row.iter().map(|cell| cell.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
