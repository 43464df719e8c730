//! A prompt's line as drawn: `> ` then the text, the cursor shown as a
//! block on the cell it is on (or after the text at its end).

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::ui::line_edit::LineEdit;
use crate::ui::theme::theme;

/// `> text█` in `width` cells after the `> `.
pub fn line(edit: &LineEdit, width: usize) -> Line<'static> {
    let t = theme();
    let drawn = edit.drawn(width);
    let cursor = if drawn.under.is_empty() {
        Span::styled("█", t.prompt)
    } else {
        Span::styled(drawn.under, t.prompt.add_modifier(Modifier::REVERSED))
    };
    Line::from(vec![
        Span::styled("> ", t.prompt),
        Span::raw(drawn.before),
        cursor,
        Span::raw(drawn.after),
    ])
}
