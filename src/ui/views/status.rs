//! The status line (where the cursor is, the filter, what is running, the
//! last notice) and the footer of key hints, read from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::escape::printable;
use crate::ui::app::{App, Notice, View};
use crate::ui::keymap;
use crate::ui::msg::Job;
use crate::ui::theme::theme;
use crate::ui::widgets::fit_end;

/// `…/long/path` cut from the start to `width` characters.
pub fn ellipsize_start(text: &str, width: usize) -> String {
    fit_end(text, width)
}

pub fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let mut parts = vec![printable(&app.log_name()).into_owned()];
    if let Some(file) = app.domain_file_name() {
        let broken = if app.domain_error().is_some() {
            " ✗"
        } else {
            ""
        };
        parts.push(format!("domain {}{broken}", printable(&file)));
    }
    match app.selected_seq() {
        _ if app.view == View::Flows => parts.push(super::flows::status_text(app)),
        Some(seq) => parts.push(format!(
            "seq {seq} · {} of {}",
            app.cursor + 1,
            app.list.len()
        )),
        None if app.unreadable().is_some() => parts.push("unreadable".into()),
        None => parts.push("empty".into()),
    }
    if let Some(mark) = crate::ui::live::mark(app) {
        parts.push(mark);
    }
    if let Some(filter) = app.filter_description() {
        parts.push(format!("filter {filter}"));
    }
    if let Some(query) = &app.search {
        parts.push(format!("/{}", printable(query)));
    }
    if let Some(slot) = app.jobs.get(Job::Search).filter(|s| s.running) {
        parts.push(match slot.progress {
            Some((done, total)) if total > 0 => format!("searching… {}%", done * 100 / total),
            _ => "searching…".into(),
        });
    }
    let mut spans = vec![Span::raw(format!(" {} ", parts.join(" │ ")))];
    match &app.notice {
        Some(Notice::Info(text)) => {
            spans.push(Span::styled(format!(" {} ", printable(text)), t.info))
        }
        Some(Notice::Error(text)) => {
            spans.push(Span::styled(format!(" {} ", printable(text)), t.error))
        }
        None => {}
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(t.status), area);
}

pub fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let mut spans = Vec::new();
    for (i, (keys, label)) in keymap::hints(&app.contexts(), 2).into_iter().enumerate() {
        let gap = if i == 0 { "" } else { "  " };
        spans.push(Span::styled(format!("{gap}{keys}"), t.hint_key));
        spans.push(Span::styled(format!(" {label}"), t.hint_label));
    }
    frame.render_widget(Line::from(spans), area);
}

#[cfg(test)]
mod tests {
    use super::ellipsize_start;

    #[test]
    fn long_paths_keep_their_end() {
        assert_eq!(ellipsize_start("/a/b/log.redb", 20), "/a/b/log.redb");
        assert_eq!(ellipsize_start("/a/b/log.redb", 9), "…log.redb");
    }
}
