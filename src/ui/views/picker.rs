//! Pop-ups: the one-line prompt (with stream completion) and the pick lists
//! of event types and projections.
//!
//! ```text
//!            ┌ Event types ───────────┐
//!            │▶ OrderPlaced       400 │
//!            │  PaymentReceived   300 │
//!            └────────────────────────┘
//! ┌ Stream (Tab completes) ──────────────────┐
//! │ order-1█                                 │
//! │ order-1  order-10  order-11 …            │
//! └──────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::escape::printable;
use crate::ui::app::{App, PromptKind};
use crate::ui::line_edit::LineEdit;
use crate::ui::theme::theme;
use crate::ui::views::log::prompt::CANDIDATES_SHOWN;
use crate::ui::widgets::line_input;
use crate::ui::widgets::{cells, pad};

pub fn render_prompt(app: &App, frame: &mut Frame, body: Rect, kind: PromptKind, line: &LineEdit) {
    let t = theme();
    let title = match kind {
        PromptKind::Jump => " Jump to seq (Enter goes, Esc cancels) ",
        PromptKind::Stream => " Show one stream (Tab completes, Enter filters) ",
        PromptKind::Search => " Search events (Enter searches; n/N next/previous) ",
        PromptKind::Branch => " Branch here: a command, dry run (Enter tries, Esc cancels) ",
    };
    let candidates = if kind == PromptKind::Stream {
        app.stream_candidates(line.value())
    } else {
        &[]
    };
    let height = if kind == PromptKind::Stream { 4 } else { 3 };
    let area = Rect::new(
        body.x,
        body.bottom().saturating_sub(height),
        body.width,
        height,
    )
    .intersection(body);
    frame.render_widget(Clear, area);
    let room = (area.width as usize).saturating_sub(2 + 2);
    let mut lines = vec![line_input::line(line, room)];
    if kind == PromptKind::Stream {
        let mut shown: Vec<String> = candidates
            .iter()
            .take(CANDIDATES_SHOWN)
            .map(|s| printable(s).into_owned())
            .collect();
        if candidates.len() > CANDIDATES_SHOWN {
            shown.push(format!("… {} streams", candidates.len()));
        }
        if candidates.is_empty() {
            shown.push("no stream starts with this".into());
        }
        lines.push(Line::from(Span::styled(shown.join("  "), t.muted)));
    }
    let block = Block::bordered()
        .title(title)
        .border_style(t.border_focused);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A centred pick list of `(name, detail)` entries with one selected.
fn render_list(
    frame: &mut Frame,
    body: Rect,
    title: &str,
    entries: &[(String, String)],
    selected: usize,
) {
    let t = theme();
    let width = entries
        .iter()
        .map(|(name, detail)| cells(name) + cells(detail) + 6)
        .max()
        .unwrap_or(20)
        .max(cells(title) + 4) as u16;
    let height = (entries.len() as u16 + 2).min(body.height);
    let area = body.centered(
        Constraint::Length(width.min(body.width)),
        Constraint::Length(height),
    );
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(title.to_string())
        .border_style(t.border_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let skip = selected.saturating_sub(rows.saturating_sub(1));
    let name_width = (inner.width as usize).saturating_sub(2);
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(i, (name, detail))| {
            let marker = if i == selected { "▶ " } else { "  " };
            let room = name_width.saturating_sub(cells(detail) + 1);
            let line = Line::from(vec![
                Span::raw(marker),
                Span::raw(format!("{} ", pad(name, room))),
                Span::styled(detail.clone(), t.seq),
            ]);
            if i == selected {
                line.style(t.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn render_types(app: &App, frame: &mut Frame, body: Rect, selected: usize) {
    let types = app
        .stats
        .as_ref()
        .map(|s| s.types.as_slice())
        .unwrap_or(&[]);
    let entries: Vec<(String, String)> = types
        .iter()
        .map(|(name, count)| (printable(name).into_owned(), count.to_string()))
        .collect();
    render_list(
        frame,
        body,
        " Show one event type (Enter picks) ",
        &entries,
        selected,
    );
}

pub fn render_projections(app: &App, frame: &mut Frame, body: Rect, selected: usize) {
    let entries = app.projections.picker_entries();
    render_list(
        frame,
        body,
        " Pick a projection (Enter picks) ",
        &entries,
        selected,
    );
}
