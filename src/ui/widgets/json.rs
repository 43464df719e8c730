//! One line of a JSON tree, coloured by role and marked by a diff.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::escape::printable;
use crate::ui::json_tree::{LineKind, TreeLine};
use crate::ui::theme::theme;

/// How a diff touched a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Added,
    Removed,
    Changed,
}

/// Draws `line`: indent, fold marker, key, value; marked lines get the
/// diff's style and a `+`/`-`/`~` in the margin.
pub fn tree_line(line: &TreeLine, mark: Option<Mark>) -> Line<'static> {
    let t = theme();
    let (margin, mark_style) = match mark {
        Some(Mark::Added) => ("+", Some(t.added)),
        Some(Mark::Removed) => ("-", Some(t.removed)),
        Some(Mark::Changed) => ("~", Some(t.changed)),
        None => (" ", None),
    };
    let fold = match line.kind {
        LineKind::Open { folded: true, .. } if line.is_foldable() => "▸",
        LineKind::Open { .. } if line.is_foldable() => "▾",
        LineKind::Unfetched => "▸",
        _ => " ",
    };
    let mut spans = vec![
        Span::styled(margin, mark_style.unwrap_or_default()),
        Span::raw("  ".repeat(line.depth)),
        Span::styled(fold, t.muted),
    ];
    if let Some(key) = &line.key {
        spans.push(Span::styled(printable(key).into_owned(), t.json_key));
        spans.push(Span::styled(": ", t.json_punct));
    }
    let (text, style): (String, Style) = match &line.kind {
        LineKind::Open { array, folded, len } => {
            let (open, close, unit) = if *array {
                ('[', ']', "item")
            } else {
                ('{', '}', "key")
            };
            match (*len, *folded) {
                (0, _) => (format!("{open}{close}"), t.json_punct),
                (n, true) => {
                    let plural = if n == 1 { "" } else { "s" };
                    (format!("{open}…{close} {n} {unit}{plural}"), t.json_punct)
                }
                _ => (open.to_string(), t.json_punct),
            }
        }
        LineKind::Unfetched => ("{…}".to_string(), t.json_punct),
        LineKind::Close { array } => ((if *array { "]" } else { "}" }).to_string(), t.json_punct),
        LineKind::String(s) => (format!("\"{}\"", printable(s)), t.json_string),
        LineKind::Number(n) => (n.clone(), t.json_number),
        LineKind::Literal(l) => (l.to_string(), t.json_literal),
    };
    spans.push(Span::styled(text, mark_style.unwrap_or(style)));
    Line::from(spans)
}
