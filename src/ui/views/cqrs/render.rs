//! Drawing the cqrs view; the layout is sketched in [`super`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use serde_json::Value;

use crate::cqrs::{Handled, Origin, StepOutcome};
use crate::escape::printable;
use crate::ui::app::App;
use crate::ui::payload;
use crate::ui::theme::theme;
use crate::ui::views::cqrs::complete;
use crate::ui::views::cqrs::read_rows::{ReadRow, RowState};
use crate::ui::views::cqrs::state::{CommandFlow, Outcome};
use crate::ui::views::cqrs::write_model::WriteModelView;
use crate::ui::widgets::{cells, fit, line_input, pane};

/// Most flow lines drawn.
const FLOW_ROWS: usize = 5;

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let read_lines = read_model_lines(app, body.width.saturating_sub(2) as usize);
    let flow_lines = flow_lines(app.cqrs().flow.as_ref());
    let read_height = (read_lines.len() as u16 + 2).min(8);
    let flow_height = (flow_lines.len().min(FLOW_ROWS) as u16 + 2).max(3);
    let [command, middle, reads, flow] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(3),
        Constraint::Length(read_height),
        Constraint::Length(flow_height),
    ])
    .areas(body);
    let [write, decision] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(middle);
    render_command(app, frame, command);
    render_write_model(app, frame, write);
    render_decision(app, frame, decision);
    let block = pane(
        " Read models: + - lag in events, ] [ delay in seconds ".into(),
        false,
    );
    frame.render_widget(Paragraph::new(read_lines).block(block), reads);
    let title = match &app.cqrs().flow {
        Some(flow) => format!(" Flow: correlation {} ", printable(&flow.correlation_id)),
        None => " Flow ".into(),
    };
    frame.render_widget(Paragraph::new(flow_lines).block(pane(title, false)), flow);
    if app.editing_command() {
        render_completions(app, frame, command, middle);
    }
}

fn render_command(app: &App, frame: &mut Frame, area: Rect) {
    let (title, input, hint) = command_lines(app, area.width);
    frame.render_widget(
        Paragraph::new(vec![input, hint]).block(pane(title, app.editing_command())),
        area,
    );
}

/// Presenter mode: the command line and what became of the last command
/// (its events, or the rule's reason, or the conflict) in one pane, since
/// that is what a room watches; the read models and the write model stay
/// on the usual screen.
pub fn render_presented(app: &App, frame: &mut Frame, area: Rect) {
    let (title, input, hint) = command_lines(app, area.width);
    let mut lines = vec![input, hint, Line::raw("")];
    lines.extend(outcome_lines(app, area.width.saturating_sub(2) as usize));
    frame.render_widget(
        Paragraph::new(lines)
            .block(pane(title, app.editing_command()))
            .wrap(Wrap { trim: false }),
        area,
    );
    if app.editing_command() {
        let [command, below] =
            Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(area);
        render_completions(app, frame, command, below);
    }
}

/// The command pane's title, its input line and the hint under it.
fn command_lines(app: &App, width: u16) -> (String, Line<'static>, Line<'static>) {
    let t = theme();
    let state = app.cqrs();
    let editing = app.editing_command();
    let policies = if state.policies { "on" } else { "off" };
    let file = app
        .domain_file_name()
        .map(|file| printable(&file).into_owned());
    let title = match (state.writer_title(), file) {
        (Some(writer), Some(file)) => {
            format!(" Command · {writer} · {file} · policies {policies} ")
        }
        (Some(writer), None) => format!(" Command · {writer} · policies {policies} "),
        (None, Some(file)) => format!(" Command · {file} · policies {policies} (p) "),
        (None, None) => format!(" Command · policies {policies} (p) "),
    };
    let input = if editing {
        line_input::line(&state.input, (width as usize).saturating_sub(4))
    } else if !state.input.is_empty() {
        Line::from(vec![
            Span::styled("> ", t.prompt),
            Span::raw(printable(&state.input).into_owned()),
        ])
    } else {
        Line::from(Span::styled(
            "press : or c to type a command, Enter to send it",
            t.muted,
        ))
    };
    (title, input, hint_line(app))
}

/// Under the command line: the parse error of the text just sent, else
/// the usage of the command typed, else an example.
fn hint_line(app: &App) -> Line<'static> {
    let t = theme();
    let state = app.cqrs();
    if let Some(problem) = state.input_error() {
        return Line::from(Span::styled(format!("✗ {}", printable(problem)), t.error));
    }
    let first = state.input.split_whitespace().next().unwrap_or("");
    if let Some(error) = app.domain_error().filter(|_| first.is_empty()) {
        return Line::from(Span::styled(format!("✗ {}", printable(error)), t.error));
    }
    match state.entry(first) {
        Some(entry) => Line::from(vec![
            Span::styled(printable(&entry.usage).into_owned(), t.hint_key),
            Span::styled(format!("  {}", printable(&entry.summary)), t.muted),
        ]),
        None if first.is_empty() && state.commands_unknown() => {
            Line::from(Span::styled(super::update::NO_COMMANDS, t.muted))
        }
        None if first.is_empty() => Line::from(vec![
            Span::styled("e.g. ", t.muted),
            Span::styled(state.example.clone(), t.hint_label),
        ]),
        None => Line::from(Span::styled(
            "Tab lists the commands that start like this",
            t.muted,
        )),
    }
}

fn render_completions(app: &App, frame: &mut Frame, command: Rect, below: Rect) {
    let t = theme();
    let streams = app.stream_list();
    let text = &app.cqrs().input;
    // Nothing typed yet: the hint line says what to type; a list of every
    // command would only hide the write model.
    if text.trim().is_empty() {
        return;
    }
    let found = complete::candidates(text, streams, &app.cqrs().catalogue);
    let word = &text[found.start.min(text.len())..];
    if found.total == 0 || (found.total == 1 && found.shown.first().is_some_and(|c| c == word)) {
        return;
    }
    let mut lines: Vec<Line> = found
        .shown
        .iter()
        .map(|c| Line::from(Span::raw(printable(c).into_owned())))
        .collect();
    if found.total > found.shown.len() {
        lines.push(Line::from(Span::styled(
            format!("… {} in all", found.total),
            t.muted,
        )));
    }
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 2;
    let height = (lines.len() as u16 + 2).min(below.height);
    let x = (command.x + 3 + found.start as u16).min(command.right().saturating_sub(width));
    let area = Rect::new(x, below.y, width.min(command.width), height).intersection(below);
    frame.render_widget(Clear, area);
    let block = pane(" Tab ".into(), true);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn render_write_model(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let shown = app.cqrs().write_model.as_ref();
    let title = match shown {
        Some(w) => format!(" Write model: {} (v{}) ", printable(&w.stream), w.version),
        None => " Write model ".into(),
    };
    let width = area.width.saturating_sub(2) as usize;
    let lines = match shown {
        None => vec![Line::from(Span::styled(
            "The state of the stream a command names, rebuilt from that stream's own events. \
             The write side decides on it, never on a read model.",
            t.muted,
        ))],
        Some(view) => write_model_lines(view, width),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(pane(title, false))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// One line per top-level field, nested values as compact JSON; what the
/// last command changed is marked.
fn write_model_lines(view: &WriteModelView, width: usize) -> Vec<Line<'static>> {
    let t = theme();
    let state = match &view.state {
        Err(problem) => {
            return vec![Line::from(Span::styled(
                printable(problem).into_owned(),
                t.error,
            ))];
        }
        Ok(Value::Null) => {
            return vec![Line::from(Span::styled(
                format!(
                    "{} has no events yet: nothing to rebuild",
                    printable(&view.stream)
                ),
                t.muted,
            ))];
        }
        Ok(state) => state,
    };
    let Value::Object(fields) = state else {
        return vec![Line::raw(fit(&compact(state), width))];
    };
    let mut lines: Vec<Line<'static>> = fields
        .iter()
        .map(|(key, value)| {
            let before = view.before.as_ref().map(|b| b.get(key));
            let (mark, style) = match before {
                Some(None) | Some(Some(Value::Null)) if !value.is_null() => ("+", t.added),
                Some(Some(old)) if old != value => ("~", t.changed),
                _ => (" ", t.json_string),
            };
            let text = fit(
                &compact(value),
                width.saturating_sub(cells(&printable(key)) + 4),
            );
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(format!(" {}: ", printable(key)), t.json_key),
                Span::styled(text, if mark == " " { t.json_string } else { style }),
            ])
        })
        .collect();
    let plural = if view.version == 1 { "" } else { "s" };
    lines.push(Line::from(Span::styled(
        format!("(rebuilt from its {} event{plural})", view.version),
        t.muted,
    )));
    lines
}

fn render_decision(app: &App, frame: &mut Frame, area: Rect) {
    let lines = outcome_lines(app, area.width.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(lines)
            .block(pane(" Decision ".into(), false))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// What became of the last command, or how to send one.
fn outcome_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = theme();
    let state = app.cqrs();
    match &state.outcome {
        None if state.commands_unknown() => vec![
            Line::from(Span::styled("No command for this log yet.", t.title)),
            Line::from(Span::styled(
                "Its events are of no domain eventscope knows. A domain file, NAME.domain.toml \
                 beside the log, describes its commands: the write model each folds from its \
                 stream, the rules that refuse it, the events it becomes. The README shows one \
                 (\"Your own domain\").",
                t.muted,
            )),
        ],
        None => vec![
            Line::from(Span::styled("No command sent yet.", t.title)),
            Line::from(Span::styled(
                "Press : (or c) and type one like the example above; Tab completes, Enter sends.",
                t.muted,
            )),
            Line::from(Span::styled(
                "The write model turns it into events, or rejects it with a reason.",
                t.muted,
            )),
        ],
        Some(Outcome::Unreadable(problem)) => vec![
            Line::from(Span::styled(
                format!("✗ not a command: {}", printable(problem)),
                t.error,
            )),
            Line::from(Span::styled("nothing was sent", t.muted)),
        ],
        Some(Outcome::Failed(problem)) => vec![
            Line::from(Span::styled(
                format!("✗ could not handle it: {}", printable(problem)),
                t.error,
            )),
            Line::from(Span::styled("nothing was written", t.muted)),
        ],
        Some(Outcome::Refused(why)) => vec![
            Line::from(Span::styled(
                format!("✗ not sent: {}", printable(why)),
                t.error,
            )),
            Line::from(Span::styled("the log is as it was", t.muted)),
        ],
        Some(Outcome::Handled(handled)) => decision_lines(handled, width),
    }
}

fn decision_lines(handled: &Handled, width: usize) -> Vec<Line<'static>> {
    let t = theme();
    let mut lines = Vec::new();
    for step in &handled.steps {
        let by = match &step.command.origin {
            Origin::User => String::new(),
            Origin::Policy { policy, .. } => format!(" (policy: {policy})"),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", step.command.name()), t.title),
            Span::styled(printable(&step.command.stream).into_owned(), t.stream),
            Span::styled(format!(" at v{}{by}", step.version()), t.muted),
        ]));
        match &step.outcome {
            StepOutcome::Accepted { events, .. } => {
                for event in events {
                    lines.push(Line::from(vec![
                        Span::styled("✓ ", t.added),
                        Span::styled(printable(&event.event_type).into_owned(), t.event_type),
                        Span::styled(format!(" v{} ", event.version), t.muted),
                        Span::styled(format!("#{}", event.seq), t.seq),
                    ]));
                    let data = match payload::tree(&event.data) {
                        Ok(value) => compact(&value),
                        Err(unreadable) => unreadable.shown(),
                    };
                    let data = fit(&data, width.saturating_sub(2));
                    lines.push(Line::from(Span::styled(format!("  {data}"), t.muted)));
                }
            }
            StepOutcome::Rejected(rejection) => lines.push(Line::from(Span::styled(
                format!("✗ rejected: {}", printable(&rejection.to_string())),
                t.error,
            ))),
            StepOutcome::Conflict {
                stream,
                expected,
                actual,
            } => lines.push(Line::from(Span::styled(
                format!(
                    "✗ conflict: {} was expected at v{expected} but is at v{actual}; nothing written",
                    printable(stream)
                ),
                t.error,
            ))),
        }
    }
    if let Some(reason) = &handled.interrupted {
        lines.push(Line::from(Span::styled(
            format!("✗ stopped: {}", printable(reason)),
            t.error,
        )));
    }
    lines
}

fn read_model_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let state = app.cqrs();
    let focused = !app.editing_command();
    state
        .rows
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row_lines(row, focused && i == state.selected, width))
        .collect()
}

fn row_lines(row: &ReadRow, selected: bool, width: usize) -> Vec<Line<'static>> {
    let t = theme();
    let marker = if selected { "▶ " } else { "  " };
    let lag = if row.delay_secs > 0 {
        format!("lag {} · {}s", row.lag_events, row.delay_secs)
    } else {
        format!("lag {}", row.lag_events)
    };
    let mut spans = vec![
        Span::styled(marker, t.marker),
        Span::styled(
            format!("{:<13}", printable(&row.name)),
            if selected { t.title } else { t.hint_label },
        ),
        Span::styled(format!("{lag:<11}"), t.muted),
        Span::styled(format!("#{}/{} ", row.applied_seq, row.last_seq), t.seq),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = width.saturating_sub(used);
    let mut lines = Vec::new();
    match &row.state {
        RowState::Building => spans.push(Span::styled("building from the log…", t.muted)),
        RowState::Idle(answers) => {
            spans.push(Span::styled(printable(answers).into_owned(), t.muted))
        }
        RowState::Answer(answer) => {
            let value = answer
                .value
                .as_ref()
                .map_or("(unknown here)".to_string(), compact);
            let entity = printable(&answer.entity).into_owned();
            if answer.stale {
                spans.push(Span::styled("STALE", t.highlight));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    fit(&format!("{entity}: {value}"), room.saturating_sub(6)),
                    t.changed,
                ));
            } else {
                spans.push(Span::styled("✓ ", t.added));
                spans.push(Span::raw(fit(
                    &format!("{entity}: {value}"),
                    room.saturating_sub(2),
                )));
            }
            if !answer.differences.is_empty() {
                let side = |label: &str, pick: fn(&(String, Value, Value)) -> &Value| {
                    let fields: Vec<String> = answer
                        .differences
                        .iter()
                        .map(|d| match d.0.as_str() {
                            "" => compact(pick(d)),
                            field => format!("{field}: {}", compact(pick(d))),
                        })
                        .collect();
                    let text = format!("    {label}{}", fields.join(", "));
                    Line::from(Span::styled(fit(&printable(&text), width), t.changed))
                };
                if answer.value.is_some() {
                    lines.push(side("read model:  ", |d| &d.1));
                }
                lines.push(side("write model: ", |d| &d.2));
            }
        }
    }
    if let Some(problem) = &row.problem {
        lines.push(Line::from(Span::styled(
            format!("    {}", printable(problem)),
            t.error,
        )));
    }
    lines.insert(0, Line::from(spans));
    lines
}

fn flow_lines(flow: Option<&CommandFlow>) -> Vec<Line<'static>> {
    let t = theme();
    let Some(flow) = flow else {
        return vec![Line::from(Span::styled(
            "The events a command writes, as a tree by causation.",
            t.muted,
        ))];
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(printable(&flow.command_id).into_owned(), t.muted),
        Span::styled(format!(" {}", printable(&flow.command)), t.title),
    ])];
    if flow.lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "└ no events: nothing was written",
            t.muted,
        )));
    }
    for (line, via) in flow.lines.iter().zip(&flow.via) {
        let mut spans = vec![
            Span::styled(format!("{}└ ", "  ".repeat(line.depth)), t.muted),
            Span::styled(format!("#{} ", line.event.seq), t.seq),
            Span::styled(printable(&line.event.event_type).into_owned(), t.event_type),
            Span::styled(format!(" {}", printable(&line.event.stream)), t.stream),
        ];
        if let Some(policy) = via {
            spans.push(Span::styled(format!("  via policy: {policy}"), t.muted));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// A value as one line: strings and numbers bare, the rest as compact JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", printable(s)),
        other => printable(&other.to_string()).into_owned(),
    }
}
