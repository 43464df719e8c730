//! Drawing the log view; the layout is sketched in [`super`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::escape::printable;
use crate::event::Event;
use crate::ui::app::{App, DetailLine, Focus};
use crate::ui::msg::Job;
use crate::ui::theme::theme;
use crate::ui::views::log::layout::areas;
use crate::ui::views::log::{rate_pane, types_pane};
use crate::ui::widgets::{self, json};

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let areas = areas(body);
    render_list(app, frame, areas.list);
    render_detail(app, frame, areas.detail);
    render_flow(app, frame, areas.flow);
    rate_pane::render(app, frame, areas.rate);
    types_pane::render(app, frame, areas.types);
}

/// The widths of the list's columns.
struct Columns {
    seq: usize,
    time: TimeWidth,
    stream: usize,
}

/// How much of an event's time the list has room for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeWidth {
    /// `09:30:00`
    Clock,
    /// `03-01 09:30:00`
    Day,
    /// `2024-03-01 09:30:00`
    Full,
}

impl TimeWidth {
    fn chars(self) -> usize {
        match self {
            TimeWidth::Clock => 8,
            TimeWidth::Day => 14,
            TimeWidth::Full => 19,
        }
    }
}

fn columns(app: &App, width: usize) -> Columns {
    let seq = app.list.total.max(1).to_string().len().max(3);
    let time = match width {
        70.. => TimeWidth::Full,
        50.. => TimeWidth::Day,
        _ => TimeWidth::Clock,
    };
    let rest = width.saturating_sub(2 + seq + 1 + time.chars() + 1);
    let longest = app
        .window
        .iter()
        .filter_map(|row| row.event.as_ref().ok())
        .map(|e| widgets::cells(&printable(&e.stream)))
        .max()
        .unwrap_or(6);
    Columns {
        seq,
        time,
        stream: longest.clamp(6, (rest * 2 / 5).max(6)),
    }
}

/// Shown in the time column for an event that has none.
const NO_TIME: &str = "no time";

/// The event's time in `width`: `2024-03-01 09:30:00`, `03-01 09:30:00`
/// or `09:30:00`.
fn short_time(event: &Event, width: TimeWidth) -> String {
    let Some(time) = event.time else {
        return NO_TIME.to_string();
    };
    let text = time.to_string();
    let clock = text.get(11..19).unwrap_or(&text);
    match width {
        TimeWidth::Full => format!("{} {clock}", text.get(..10).unwrap_or("")),
        TimeWidth::Day => format!("{} {clock}", text.get(5..10).unwrap_or("")),
        TimeWidth::Clock => clock.to_string(),
    }
}

pub(crate) fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let focused = app.focus == Focus::List;
    let title = match &app.list.filter {
        None if app.unreadable().is_some() => " Log: unreadable ".to_string(),
        None => format!(" Log: {} events ", app.list.total),
        Some(filter) => format!(
            " Log: {} of {} events ({}) ",
            filter.seqs.len(),
            app.list.total,
            filter.kind.describe()
        ),
    };
    let block = widgets::pane(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let cols = columns(app, width);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "  {:>sw$} {:<tw$} {:<ssw$} type",
            "seq",
            "time",
            "stream",
            sw = cols.seq,
            tw = cols.time.chars(),
            ssw = cols.stream
        ),
        t.muted,
    ))];
    if let Some(damage) = app.unreadable().filter(|_| app.list.is_empty()) {
        // Damage, never shown as an empty log.
        lines.push(Line::from(Span::styled(
            format!("  {}", printable(damage)),
            t.error,
        )));
        lines.push(Line::from(Span::styled(
            "  `eventscope verify LOG` names every fault it finds",
            t.muted,
        )));
    } else if app.list.is_empty() {
        lines.push(Line::from(Span::styled("  (no events)", t.muted)));
    }
    for (offset, row) in app.window.iter().enumerate() {
        let selected = app.top + offset == app.cursor;
        let marker = if selected { "▶ " } else { "  " };
        let mut spans = vec![
            Span::raw(marker),
            Span::styled(format!("{:>w$} ", row.seq, w = cols.seq), t.seq),
        ];
        match &row.event {
            Ok(event) => {
                spans.push(Span::styled(
                    format!("{} ", short_time(event, cols.time)),
                    t.time,
                ));
                spans.push(Span::styled(
                    format!("{} ", widgets::pad(&printable(&event.stream), cols.stream)),
                    t.stream,
                ));
                let room = width
                    .saturating_sub(2 + cols.seq + 1 + cols.time.chars() + 1 + cols.stream + 1);
                spans.push(Span::styled(
                    widgets::fit(&printable(&event.event_type), room),
                    t.event_type,
                ));
            }
            Err(problem) => spans.push(Span::styled(printable(problem).into_owned(), t.error)),
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(if focused { t.selected } else { t.title });
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_detail(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let focused = app.focus == Focus::Detail;
    let title = match app.selected_seq() {
        Some(seq) => format!(" Event #{seq} "),
        None => " Event ".to_string(),
    };
    let block = widgets::pane(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let detail = &app.detail;
    let lines: Vec<Line> = detail
        .lines
        .iter()
        .enumerate()
        .skip(detail.scroll)
        .take(inner.height as usize)
        .map(|(i, line)| {
            let here = focused && i == detail.cursor;
            let mut drawn = match line {
                DetailLine::Field(label, value) => Line::from(vec![
                    Span::raw(" "),
                    Span::styled(format!("{label:<9}"), t.muted),
                    Span::raw(printable(value).into_owned()),
                ]),
                DetailLine::Tree(tree) => json::tree_line(tree, None),
            };
            if here {
                // The margin shows the cursor, so it stays visible without colour.
                if let Some(first) = drawn.spans.first_mut() {
                    *first = Span::raw("▶");
                }
                drawn = drawn.style(t.selected);
            }
            drawn
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_flow(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let selected = app.selected_seq();
    let flow = app.flow();
    let title = match flow {
        Some(flow) => format!(" Flow {} ", printable(&flow.correlation_id)),
        None => " Flow ".to_string(),
    };
    let block = Block::bordered().title(title).border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let searching = app.jobs.is_running(Job::Flow);
    let lines: Vec<Line> = match flow {
        Some(flow) => {
            let at = flow
                .lines
                .iter()
                .position(|l| Some(l.event.seq) == selected)
                .unwrap_or(0);
            let rows = inner.height as usize;
            let skip = if at < rows { 0 } else { at - rows / 2 };
            let mut lines: Vec<Line> = flow
                .lines
                .iter()
                .skip(skip)
                .map(|l| {
                    let here = Some(l.event.seq) == selected;
                    let branch = if l.depth == 0 {
                        String::new()
                    } else {
                        format!("{}└ ", "  ".repeat(l.depth - 1))
                    };
                    let mut spans = vec![
                        Span::styled(branch, t.muted),
                        Span::styled(format!("#{} ", l.event.seq), t.seq),
                        Span::styled(printable(&l.event.event_type).into_owned(), t.event_type),
                        Span::styled(format!(" {}", printable(&l.event.stream)), t.stream),
                    ];
                    if here {
                        spans.push(Span::styled(" ◀", t.marker));
                    }
                    Line::from(spans)
                })
                .collect();
            if flow.truncated {
                lines.push(Line::from(Span::styled(
                    "… more events in this flow",
                    t.muted,
                )));
            }
            lines
        }
        None if searching => vec![Line::from(Span::styled(
            "following correlation_id…",
            t.muted,
        ))],
        None => vec![Line::from(Span::styled(
            "no correlation_id: this event is not part of a flow",
            t.muted,
        ))],
    };
    let paragraph = Paragraph::new(lines);
    let paragraph = if flow.is_none() {
        paragraph.wrap(Wrap { trim: true })
    } else {
        paragraph
    };
    frame.render_widget(paragraph, inner);
}
