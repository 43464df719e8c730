//! The counts by event type, most frequent first; the selected event's
//! type is highlighted. From the store's type table: no scan needed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::escape::printable;
use crate::ui::app::App;
use crate::ui::theme::theme;
use crate::ui::widgets::fit;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let types = app
        .stats
        .as_ref()
        .map(|s| s.types.as_slice())
        .unwrap_or(&[]);
    let title = match app.unreadable() {
        Some(_) => " Types: unreadable ".to_string(),
        None => format!(" Types ({}) ", types.len()),
    };
    let block = Block::bordered().title(title).border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let current = app.selected_event().map(|e| e.event_type.clone());
    let count_width = types.first().map_or(1, |(_, n)| n.to_string().len());
    let name_width = (inner.width as usize).saturating_sub(count_width + 1);
    let lines: Vec<Line> = types
        .iter()
        .take(inner.height as usize)
        .map(|(name, count)| {
            let line = Line::from(vec![
                Span::styled(format!("{count:>count_width$} "), t.seq),
                Span::styled(fit(&printable(name), name_width), t.event_type),
            ]);
            if current.as_deref() == Some(name.as_str()) {
                line.style(t.highlight)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
