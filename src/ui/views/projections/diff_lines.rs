//! The changes a what-if makes to the real state (a command branch, events
//! skipped), as lines for its pane: each change coloured by what it did.

use ratatui::text::{Line, Span};

use crate::escape::printable;
use crate::projection::Change;
use crate::ui::theme::theme;

/// `outcome` is the changes, or why there are none to show; `unchanged`
/// stands alone when there are no changes, `heading` above them otherwise.
pub fn diff_lines(
    outcome: Result<&[Change], &str>,
    unchanged: &'static str,
    heading: &'static str,
) -> Vec<Line<'static>> {
    let t = theme();
    match outcome {
        Err(problem) => vec![Line::from(Span::styled(
            printable(problem).into_owned(),
            t.error,
        ))],
        Ok([]) => vec![Line::from(Span::styled(unchanged, t.muted))],
        Ok(changes) => {
            let mut lines = vec![Line::from(Span::styled(heading, t.muted))];
            lines.extend(changes.iter().map(|change| {
                let style = match change {
                    Change::Added { .. } => t.added,
                    Change::Removed { .. } => t.removed,
                    Change::Changed { .. } => t.changed,
                };
                Line::from(Span::styled(
                    printable(&change.to_string()).into_owned(),
                    style,
                ))
            }));
            lines
        }
    }
}
