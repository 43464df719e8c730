//! The lesson picker: the lessons on offer, which run on the open log, how
//! far each got, and any file that could not be read (with its place).
//!
//! ```text
//! ┌ Lessons (Enter plays, Esc closes) ─────────────────┐
//! │ ▶ Introduction: a shop as a log   5 steps  2/5 ✓1  │
//! │   Event Sourcing                  7 steps   new    │
//! │   ✗ broken.toml:12: step 3: seq 999 is not ...     │
//! └────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::escape::printable;
use crate::ui::app::App;
use crate::ui::theme::theme;

/// One line of the picker per lesson, in order.
pub fn entries(app: &App) -> Vec<(String, String, bool)> {
    app.lessons
        .available
        .iter()
        .map(|lesson| match lesson {
            Ok(lesson) => {
                let progress = app.lessons.progress.get(&lesson.name);
                let tasks = lesson.steps.iter().filter(|s| s.try_it.is_some()).count();
                let how_far = match progress {
                    None => "new".to_string(),
                    Some(p) => format!(
                        "step {}/{} · {}/{} tasks",
                        p.reached,
                        lesson.steps.len(),
                        p.passed.len(),
                        tasks
                    ),
                };
                let fits = app.lessons.fits(lesson, app.log.path());
                let detail = if fits {
                    how_far
                } else {
                    format!("on {}: eventscope --lesson {}", lesson.log, lesson.name)
                };
                (lesson.title.clone(), detail, fits)
            }
            Err(error) => (format!("✗ {error}"), String::new(), false),
        })
        .collect()
}

pub fn render(app: &App, frame: &mut Frame, body: Rect, selected: usize) {
    let t = theme();
    let entries = entries(app);
    let height = (entries.len() as u16 * 2 + 3).min(body.height);
    let area = body.centered(Constraint::Percentage(90), Constraint::Length(height));
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Lessons: Enter plays, Esc closes ")
        .border_style(t.border_focused);
    let mut lines = Vec::new();
    for (i, (title, detail, fits)) in entries.iter().enumerate() {
        let marker = if i == selected { "▶ " } else { "  " };
        let style = if *fits { t.title } else { t.muted };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(printable(title).into_owned(), style),
        ]));
        lines.push(Line::from(Span::styled(
            format!("    {}", printable(detail)),
            t.seq,
        )));
    }
    if app.lessons.is_playing() {
        lines.push(Line::from(Span::styled(
            "  X in a lesson leaves it, and puts the explorer back as it was",
            t.muted,
        )));
    }
    let inner = block.inner(area);
    let skip = (selected * 2).saturating_sub(inner.height.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((skip as u16, 0)),
        area,
    );
}
