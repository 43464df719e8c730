//! Drawing the projections view; the layout is sketched in [`super`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::escape::printable;
use crate::projection::{RebuildOutcome, Start};
use crate::ui::app::App;
use crate::ui::msg::Job;
use crate::ui::theme::{Theme, theme};
use crate::ui::views::domain_file;
use crate::ui::views::projections::layout::areas;
use crate::ui::views::projections::msg::Agreement;
use crate::ui::views::projections::state::SnapshotPass;
use crate::ui::widgets::{self, json};

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let areas = areas(body);
    render_tree(app, frame, areas.tree);
    render_changes(app, frame, areas.changes);
    render_engine(app, frame, areas.engine);
}

pub(crate) fn render_tree(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let p = &app.projections;
    let event = app.selected_event();
    // A projection of the domain file says so: its code is the person's.
    let shown = p.name().map(|name| match app.domain_file_name() {
        Some(_) if p.is_from_file(name) => format!("{} (jq)", printable(name)),
        _ => printable(name).into_owned(),
    });
    let title = match (shown, event) {
        (Some(name), Some(event)) => format!(
            " {name} at #{} {} ",
            event.seq,
            printable(&event.event_type)
        ),
        (Some(name), None) => format!(" {name} "),
        (None, _) => " Projections ".to_string(),
    };
    let block = widgets::pane(title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = domain_file::render_error(app, frame, inner);
    let computing = app.jobs.is_running(Job::Projection);
    if let Some(problem) = &p.problem {
        // A jq error (its file, line and column, the event) in place of
        // the state, whole: it is what the person must read to fix it.
        let text = Line::from(Span::styled(printable(problem).into_owned(), t.error));
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    let lines: Vec<Line> = if p.state.is_none() {
        let text = match p.name() {
            None => "no projection applies to this log",
            Some(_) if computing => "computing the state…",
            Some(_) => "press Tab or 2 on an event to see the state there",
        };
        vec![Line::from(Span::styled(text, t.muted))]
    } else {
        p.lines
            .iter()
            .enumerate()
            .skip(p.scroll)
            .take(inner.height as usize)
            .map(|(i, line)| {
                let mut drawn = json::tree_line(line, p.mark_of(line));
                if i == p.cursor {
                    if p.mark_of(line).is_none()
                        && let Some(first) = drawn.spans.first_mut()
                    {
                        *first = Span::raw("▶");
                    }
                    drawn = drawn.style(t.selected);
                }
                drawn
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_changes(app: &App, frame: &mut Frame, area: Rect) {
    if super::branch::render(app, frame, area) || super::skip::render(app, frame, area) {
        return;
    }
    let t = theme();
    let state = app.projections.state.as_ref();
    let title = match state {
        Some(state) => format!(" What #{} changed ", state.seq),
        None => " What the event changed ".to_string(),
    };
    let block = widgets::pane(title, false);
    let lines: Vec<Line> = match state {
        None => Vec::new(),
        Some(state) if state.changes.is_empty() => {
            vec![Line::from(Span::styled(
                "nothing: this projection ignores this event",
                t.muted,
            ))]
        }
        Some(state) => state
            .changes
            .iter()
            .map(|change| {
                let text = printable(&change.to_string()).into_owned();
                let style = match text.chars().next() {
                    Some('+') => t.added,
                    Some('-') => t.removed,
                    _ => t.changed,
                };
                Line::from(Span::styled(text, style))
            })
            .collect(),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// How the snapshot pass after a rebuild stands.
fn snapshot_line(pass: Option<&SnapshotPass>, t: &Theme) -> Line<'static> {
    let Some(pass) = pass else {
        return Line::raw("");
    };
    match &pass.outcome {
        None => {
            let percent = pass
                .progress
                .map_or(0, |p| (p.done * 100).checked_div(p.total).unwrap_or(0));
            Line::from(Span::styled(
                format!("saving snapshots for time travel {percent}% · Esc stops"),
                t.muted,
            ))
        }
        Some(Ok(RebuildOutcome::Completed(report))) => Line::raw(format!(
            "{} snapshot(s) saved, took {:.1?}",
            report.snapshots_saved, report.elapsed
        )),
        Some(Ok(RebuildOutcome::Cancelled(report))) => Line::raw(format!(
            "snapshots stopped at {} of {} events",
            report.done, report.total
        )),
        Some(Err(problem)) => Line::from(Span::styled(
            format!("snapshots: {}", printable(problem)),
            t.error,
        )),
    }
}

/// `███░░░ 50%` in `width` characters.
fn bar(done: u64, total: u64, width: usize) -> String {
    let filled = if total == 0 {
        width
    } else {
        (done.min(total) as u128 * width as u128 / total as u128) as usize
    };
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn render_engine(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let p = &app.projections;
    let mut lines = Vec::new();
    let computing = app.jobs.is_running(Job::Projection);
    lines.push(match (&p.state, computing) {
        (_, true) => Line::from(Span::styled("computing the state at the cursor…", t.muted)),
        (Some(state), false) => Line::raw(state.how.clone()),
        (None, false) => Line::raw(""),
    });
    let blaming = app.jobs.is_running(Job::Blame);
    lines.push(match &p.blame {
        _ if blaming => Line::from(Span::styled("blame: replaying…", t.muted)),
        None => Line::from(Span::styled(
            "b on a field: which event last set it",
            t.muted,
        )),
        Some((path, Ok(Some(seq)))) => Line::raw(format!(
            "blame {}: set by seq {seq} (b shows it)",
            printable(path)
        )),
        Some((path, Ok(None))) => Line::raw(format!("blame {}: never set", printable(path))),
        Some((_, Err(problem))) => {
            Line::from(Span::styled(printable(problem).into_owned(), t.error))
        }
    });
    let width = (area.width as usize).saturating_sub(2);
    match &p.rebuild {
        None => lines.push(Line::from(Span::styled("r rebuilds from scratch", t.muted))),
        Some(rebuild) => {
            // A rebuild of another projection than the one shown says whose.
            let of = match p.name() == Some(rebuild.name.as_str()) {
                true => String::new(),
                false => format!("{}: ", printable(&rebuild.name)),
            };
            match &rebuild.outcome {
                None => {
                    let (done, total, rate) = rebuild
                        .progress
                        .map_or((0, 0, 0.0), |pr| (pr.done, pr.total, pr.events_per_sec));
                    let percent = (done * 100).checked_div(total).unwrap_or(0);
                    lines.push(Line::from(Span::styled(
                        bar(done, total, width.saturating_sub(6)) + &format!(" {percent:>3}%"),
                        t.gauge,
                    )));
                    let left = if rate > 0.0 {
                        format!("{:.1}s left", (total - done.min(total)) as f64 / rate)
                    } else {
                        String::new()
                    };
                    lines.push(Line::raw(format!(
                    "{of}rebuilding {done}/{total} · {rate:.0} events/s · {:.1?} so far · {left} · Esc cancels",
                    rebuild.started.elapsed()
                )));
                }
                Some(Ok(RebuildOutcome::Completed(report))) => {
                    lines.push(Line::from(Span::styled(
                        format!(
                            "{of}rebuilt {} events, took {:.1?}",
                            report.done, report.elapsed
                        ),
                        t.info,
                    )));
                    lines.push(snapshot_line(rebuild.snapshots.as_ref(), t));
                }
                Some(Ok(RebuildOutcome::Cancelled(report))) => lines.push(Line::raw(format!(
                    "{of}rebuild cancelled at {} of {} events after {:.1?}",
                    report.done, report.total, report.elapsed
                ))),
                Some(Err(problem)) => lines.push(Line::from(Span::styled(
                    format!("{of}{}", printable(problem)),
                    t.error,
                ))),
            }
        }
    }
    let checking = app.jobs.is_running(Job::Check);
    match &p.agreement {
        _ if checking => lines.push(Line::from(Span::styled(
            "checking snapshot against genesis…",
            t.muted,
        ))),
        None => lines.push(Line::from(Span::styled(
            "a: do snapshot and genesis agree?",
            t.muted,
        ))),
        Some(Ok(Agreement::Agree {
            start,
            replayed,
            genesis_replayed,
        })) => {
            let from = match start {
                Start::Genesis => "no snapshot".to_string(),
                Start::Snapshot(seq) => format!("snapshot #{seq} + {replayed} events"),
            };
            lines.push(Line::from(Span::styled(
                format!("agree: {from} = genesis + {genesis_replayed} events"),
                t.info,
            )));
        }
        Some(Ok(Agreement::Differ(paths))) => {
            lines.push(Line::from(Span::styled(
                "snapshot and genesis DIFFER:",
                t.error,
            )));
            lines.extend(paths.iter().map(|p| Line::raw(printable(p).into_owned())));
        }
        Some(Err(problem)) => lines.push(Line::from(Span::styled(
            printable(problem).into_owned(),
            t.error,
        ))),
    }
    let block = widgets::pane(" Engine ".to_string(), false);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(bar(1, 4, 8), "██░░░░░░");
        assert_eq!(bar(9, 4, 4), "████");
        assert_eq!(bar(0, 0, 3), "███");
    }
}
