//! The domain file's error, drawn at the top of a pane that shows what the
//! file defines (the projections view's state, the CQRS view's decision):
//! where it is wrong, and that the last good version still runs.
//!
//! ```text
//! │ ✗ library.domain.toml:17:24: projection `on-loan`, when …  │
//! │   the last good version runs until the file compiles       │
//! │ (the pane as before)                                       │
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::escape::printable;
use crate::ui::app::App;
use crate::ui::theme::theme;
use crate::ui::widgets::cells;

/// Draws the domain file's error, if any, at the top of `area`; the rest
/// of `area` is returned for the pane's own lines.
pub fn render_error(app: &App, frame: &mut Frame, area: Rect) -> Rect {
    let Some(error) = app.domain_error() else {
        return area;
    };
    let t = theme();
    let running = if app.domain().is_some() {
        "  the last good version runs until the file compiles"
    } else {
        "  the built-in projections and commands run until the file compiles"
    };
    let error = format!("✗ {}", printable(error));
    let width = area.width.max(1) as usize;
    // Words wrap a little later than characters would: one row spare.
    let rows = |text: &str| cells(text).div_ceil(width).max(1);
    let height = ((rows(&error) + rows(running) + 1) as u16).min(area.height / 2);
    let lines = vec![
        Line::from(Span::styled(error, t.error)),
        Line::from(Span::styled(running, t.muted)),
    ];
    let [top, rest] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(height),
        ratatui::layout::Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), top);
    rest
}
