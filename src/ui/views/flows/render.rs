//! Drawing the flows view; the layout is sketched in [`super`].

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use serde::Deserialize;

use crate::escape::printable;
use crate::simulation::{EntityView, Flow, FlowMetrics, InFlight, MessageKind, Origin};
use crate::ui::app::App;
use crate::ui::keymap::{Action, BINDINGS, Context};
use crate::ui::msg::Job;
use crate::ui::theme::theme;
use crate::ui::views::flows::notes::{self, Moment};
use crate::ui::views::flows::state::{EntityChoice, FlowsState};
use crate::ui::widgets::bars::{bar, duration, grouped};
use crate::ui::widgets::{cells, fit, lane};

/// Width of a lane's left label (` Source DOWN `).
pub(super) const LANE_LABEL: u16 = 13;
/// Width of the label column of the metrics.
const METRIC_LABEL: usize = 16;
/// Width of the label column of the customer comparison.
const CUSTOMER_LABEL: usize = 20;
/// Width of a metric's value.
const VALUE: usize = 10;
/// Rows of metrics when there is room for all.
const METRIC_ROWS: u16 = 12;

/// How the rows of the view are shared out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Plan {
    captions: bool,
    metric_rows: u16,
    notes: u16,
}

impl Plan {
    fn for_height(height: u16) -> Plan {
        // Lanes (3), three rules, the entity row.
        let fixed = 7;
        let metric_rows = height.saturating_sub(fixed).min(METRIC_ROWS);
        let spare = height.saturating_sub(fixed + METRIC_ROWS);
        let captions = spare >= 2;
        let after_captions = if captions { spare - 2 } else { spare };
        let notes = if after_captions >= 2 {
            after_captions - 1
        } else {
            0
        };
        Plan {
            captions,
            metric_rows,
            notes,
        }
    }
}

/// Draws rows top-down inside the view's border, never below it.
struct Rows<'a, 'f> {
    frame: &'a mut Frame<'f>,
    /// The view with its border.
    outer: Rect,
    inner: Rect,
    y: u16,
}

impl Rows<'_, '_> {
    fn line(&mut self, line: Line) {
        if self.y < self.inner.bottom() {
            let area = Rect::new(self.inner.x, self.y, self.inner.width, 1);
            self.frame.render_widget(line, area);
        }
        self.y += 1;
    }

    /// A rule across the border, `├ title ── more ─┤`, with titles at
    /// columns of the inner area.
    fn rule(&mut self, titles: &[(usize, &str)]) {
        if self.y < self.inner.bottom() {
            let t = theme();
            let width = self.outer.width as usize;
            let mut cells: Vec<Span> = (0..width)
                .map(|x| match x {
                    0 => Span::styled("├", t.border),
                    x if x + 1 == width => Span::styled("┤", t.border),
                    _ => Span::styled("─", t.border),
                })
                .collect();
            for &(column, title) in titles {
                let text = format!(" {title} ");
                for (i, c) in text.chars().enumerate() {
                    let x = column + 1 + i;
                    if x + 1 < width {
                        cells[x] = Span::styled(c.to_string(), t.title);
                    }
                }
            }
            let area = Rect::new(self.outer.x, self.y, self.outer.width, 1);
            self.frame.render_widget(Line::from(cells), area);
        }
        self.y += 1;
    }

    fn left(&self) -> u16 {
        self.inner.bottom().saturating_sub(self.y)
    }
}

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let t = theme();
    let flows = &app.flows;
    let block = Block::bordered()
        .title(title_line(flows, body.width))
        .title_bottom(params_line(flows))
        .border_style(t.border);
    let inner = block.inner(body);
    frame.render_widget(block, body);
    if inner.width < 20 || inner.height == 0 {
        return;
    }
    let plan = Plan::for_height(inner.height);
    let run = &flows.run;
    let simulation = run.simulation();
    let now = simulation.now();
    let in_flight = simulation.in_flight();
    let down = run.source_down_at(run.seq());
    let mut rows = Rows {
        frame,
        outer: body,
        inner,
        y: inner.y,
    };

    let width = inner.width;
    let right = (width * 3 / 10).clamp(16, 32);
    let track = width.saturating_sub(LANE_LABEL + right) as usize;
    let on = |flow: Flow, api: bool| {
        let is_call = |m: &&InFlight| {
            matches!(
                m.kind,
                MessageKind::QueryCall | MessageKind::QueryAnswer | MessageKind::QueryFailure
            )
        };
        in_flight
            .iter()
            .filter(move |m| m.flow == flow)
            .filter(move |m| is_call(m) == api)
    };
    let source = if down {
        Span::styled(pad(" Source DOWN", LANE_LABEL), t.error)
    } else {
        Span::styled(pad(" Source", LANE_LABEL), t.title)
    };
    let calls_open = on(Flow::Notification, true).count();

    // Notification.
    rows.line(lane_line(
        source.clone(),
        lane::track(&lane::cells(on(Flow::Notification, false), now, track), '─'),
        "▶ Consumer".into(),
        right,
    ));
    let api = if down {
        Span::styled(pad(" query API ✗", LANE_LABEL), t.error)
    } else {
        Span::styled(pad(" query API", LANE_LABEL), t.muted)
    };
    rows.line(lane_line(
        api,
        lane::track(&lane::cells(on(Flow::Notification, true), now, track), '╌'),
        match calls_open {
            0 => " no call open".into(),
            1 => " 1 call open".into(),
            n => format!(" {n} calls open"),
        },
        right,
    ));
    if plan.captions {
        rows.line(caption(
            "thin events (type, stream, version); the consumer calls the source's query API for the data",
        ));
    }

    // StateTransfer.
    rows.rule(&[(0, "State transfer")]);
    let replica = simulation.copies_held(Flow::StateTransfer);
    rows.line(lane_line(
        source,
        lane::track(
            &lane::cells(on(Flow::StateTransfer, false), now, track),
            '─',
        ),
        {
            let long = format!("▶ Consumer: replica {}", grouped(replica as u64));
            if cells(&long) < right as usize {
                long
            } else {
                format!("▶ replica {}", grouped(replica as u64))
            }
        },
        right,
    ));
    if plan.captions {
        rows.line(caption(
            "events carry the changed data; the consumer keeps a replica and never calls the source",
        ));
    }

    // Metrics.
    let notification = simulation.metrics(Flow::Notification);
    let state_transfer = simulation.metrics(Flow::StateTransfer);
    let column = (width as usize).saturating_sub(METRIC_LABEL) / 2;
    rows.rule(&[
        (0, "Metrics"),
        (METRIC_LABEL, "Notification"),
        (METRIC_LABEL + column, "StateTransfer"),
    ]);
    for metric in metric_rows(&notification, &state_transfer)
        .into_iter()
        .take(plan.metric_rows as usize)
    {
        rows.line(metric.line(column));
    }

    // The chosen entity.
    let column = (width as usize).saturating_sub(CUSTOMER_LABEL) / 3;
    let source = &flows.running_mapping().def().source_category;
    let title = match flows.entity {
        EntityChoice::Follow => format!("{} (follow)", fit(&printable(source), 10)),
        EntityChoice::Picked(_) => format!("{} (picked)", fit(&printable(source), 10)),
    };
    rows.rule(&[
        (0, &title),
        (CUSTOMER_LABEL, "source truth"),
        (CUSTOMER_LABEL + column, "Notification"),
        (CUSTOMER_LABEL + 2 * column, "StateTransfer"),
    ]);
    rows.line(customer_line(flows, column));

    // What to notice.
    if plan.notes > 0 && rows.left() >= 2 {
        rows.rule(&[(0, "What to notice")]);
        let moment = Moment {
            source_down: down,
            after_outage: run.params().outages.iter().any(|r| r.first <= run.seq()),
            version_checks: run.params().version_checks,
            faults: run.params().drop_rate > 0.0
                || run.params().duplicate_rate > 0.0
                || run.params().reorder_rate > 0.0,
        };
        let mut lines = vec![
            Line::styled(format!("Mapping {}", origin_text(flows)), t.muted),
            legend(),
        ];
        lines.extend(
            notes::observations(&notification, &state_transfer, moment)
                .into_iter()
                .map(Line::raw),
        );
        lines.extend(
            notes::LESSONS
                .iter()
                .map(|lesson| Line::styled(*lesson, t.muted)),
        );
        let area = Rect::new(
            inner.x + 1,
            rows.y,
            inner.width.saturating_sub(2),
            rows.left(),
        );
        rows.frame
            .render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    }
}

/// `text` padded with spaces, or cut, to `width` cells.
pub(super) fn pad(text: &str, width: u16) -> String {
    format!("{:<w$}", fit(text, width as usize), w = width as usize)
}

pub(super) fn lane_line(
    left: Span<'static>,
    track: Line<'static>,
    right: String,
    width: u16,
) -> Line<'static> {
    let mut spans = vec![left];
    spans.extend(track.spans);
    spans.push(Span::styled(
        format!(" {}", fit(&right, width.saturating_sub(1) as usize)),
        theme().title,
    ));
    Line::from(spans)
}

fn caption(text: &str) -> Line<'static> {
    Line::from(Span::styled(format!(" {text}"), theme().muted))
}

fn legend() -> Line<'static> {
    let t = theme();
    let kinds = [
        (MessageKind::ThinEvent, "thin event"),
        (MessageKind::EventWithData, "event with data"),
        (MessageKind::QueryCall, "call"),
        (MessageKind::QueryAnswer, "answer"),
        (MessageKind::QueryFailure, "failed call"),
    ];
    let mut spans = Vec::new();
    for (kind, label) in kinds {
        spans.push(Span::styled(lane::glyph(kind).to_string(), t.marker));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    Line::from(spans)
}

/// One metric, both sides.
struct MetricRow {
    label: &'static str,
    values: [(f64, String); 2],
    /// Drawn as bars; else the values are words.
    bars: bool,
    styles: [Style; 2],
}

impl MetricRow {
    fn line(&self, column: usize) -> Line<'static> {
        let t = theme();
        let max = self.values[0].0.max(self.values[1].0);
        let bar_width = column.saturating_sub(VALUE + 2);
        let mut spans = vec![Span::styled(
            format!(" {:<w$}", self.label, w = METRIC_LABEL - 1),
            t.muted,
        )];
        for ((value, text), style) in self.values.iter().zip(self.styles) {
            spans.push(Span::styled(format!("{text:>VALUE$} "), style));
            let drawn = if self.bars {
                bar(*value, max, bar_width)
            } else {
                String::new()
            };
            let room = column.saturating_sub(VALUE + 1);
            spans.push(Span::styled(format!("{drawn:<room$}"), t.chart));
        }
        Line::from(spans)
    }
}

fn metric_rows(n: &FlowMetrics, s: &FlowMetrics) -> Vec<MetricRow> {
    let t = theme();
    let plain = [Style::new(), Style::new()];
    let count = |label, f: fn(&FlowMetrics) -> u64| MetricRow {
        label,
        values: [n, s].map(|m| (f(m) as f64, grouped(f(m)))),
        bars: true,
        styles: plain,
    };
    let converged = |m: &FlowMetrics| {
        if m.converged {
            ((1.0), "✓ yes".to_string())
        } else {
            (0.0, "✗ no".to_string())
        }
    };
    let converged_style = |m: &FlowMetrics| if m.converged { t.info } else { t.error };
    vec![
        count("bus messages", |m| m.bus_messages),
        count("bus bytes", |m| m.bus_bytes),
        count("remote calls", |m| m.remote_calls),
        count("failed calls", |m| m.failed_calls),
        count("fetched bytes", |m| m.fetched_bytes),
        count("work done", |m| m.work_done),
        count("work delayed", |m| m.work_delayed),
        count("work failed", |m| m.work_failed),
        MetricRow {
            label: "mean staleness",
            values: [n, s].map(|m| (m.mean_staleness_ms, duration(m.mean_staleness_ms))),
            bars: true,
            styles: plain,
        },
        MetricRow {
            label: "max staleness",
            values: [n, s].map(|m| {
                (
                    m.max_staleness_ms as f64,
                    duration(m.max_staleness_ms as f64),
                )
            }),
            bars: true,
            styles: plain,
        },
        count("replica bytes", |m| m.replica_bytes),
        MetricRow {
            label: "converged",
            values: [converged(n), converged(s)],
            bars: false,
            styles: [converged_style(n), converged_style(s)],
        },
    ]
}

/// The part of a value a person recognises: a text without its quotes,
/// an address's city, else its street, else the JSON as it is.
fn place(address: &str) -> Cow<'_, str> {
    if let Ok(Cow::Borrowed(text)) = serde_json::from_str::<Cow<str>>(address) {
        return Cow::Borrowed(text);
    }
    if let Ok(text) = serde_json::from_str::<String>(address) {
        return Cow::Owned(text);
    }
    #[derive(Deserialize)]
    struct Parts<'a> {
        #[serde(borrow)]
        city: Option<Cow<'a, str>>,
        #[serde(borrow)]
        street: Option<Cow<'a, str>>,
    }
    match serde_json::from_str::<Parts>(address) {
        Ok(Parts {
            city: Some(city), ..
        }) => city,
        Ok(Parts {
            street: Some(street),
            ..
        }) => street,
        _ => Cow::Borrowed(address),
    }
}

/// How a consumer's view compares with the source's truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Agreement {
    Same,
    /// An older version: it has not caught up yet.
    Stale,
    /// The same or a newer version with other data: it went wrong.
    Diverged,
    Unknown,
}

pub(super) fn agreement(truth: Option<&EntityView>, view: Option<&EntityView>) -> Agreement {
    let known = view.filter(|v| v.version > 0);
    match (truth, known) {
        // Not knowing what the source has is lagging behind it.
        (Some(truth), None) if truth.version > 0 => Agreement::Stale,
        (_, None) => Agreement::Unknown,
        (None, Some(_)) => Agreement::Diverged,
        (Some(truth), Some(view)) if view.version < truth.version => Agreement::Stale,
        (Some(truth), Some(view))
            if view.version == truth.version && view.fields == truth.fields =>
        {
            Agreement::Same
        }
        _ => Agreement::Diverged,
    }
}

pub(super) fn view_cell(
    view: Option<&EntityView>,
    agreement: Option<Agreement>,
    width: usize,
) -> Vec<Span<'static>> {
    let t = theme();
    let (mark, style) = match agreement {
        Some(Agreement::Stale) => (" STALE", t.warning),
        Some(Agreement::Diverged) => (" DIVERGED", t.error),
        _ => ("", Style::new()),
    };
    let text = match view {
        Some(view) if view.version > 0 || agreement.is_none() => {
            let place = shown_fields(view);
            let version = format!(" v{}", view.version);
            let room = width.saturating_sub(cells(&version) + cells(mark) + 1);
            format!("{}{version}", fit(&printable(&place), room))
        }
        _ => "unknown".to_string(),
    };
    let used = cells(&text) + cells(mark);
    let text_style = if view.is_none_or(|v| v.version == 0) {
        t.muted
    } else {
        Style::new()
    };
    vec![
        Span::styled(text, text_style),
        Span::styled(mark, style),
        Span::raw(" ".repeat(width.saturating_sub(used))),
    ]
}

/// What a view shows of its entity: the value of the one field the work
/// needs (an address as its place), or `field=value` for several.
fn shown_fields(view: &EntityView) -> Cow<'_, str> {
    match view.fields.as_slice() {
        [] => Cow::Borrowed("(no data)"),
        [(_, value)] => place(value),
        fields => Cow::Owned(
            fields
                .iter()
                .map(|(key, value)| format!("{key}={}", place(value)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

fn customer_line(flows: &FlowsState, column: usize) -> Line<'static> {
    let t = theme();
    let Some(customer) = flows.shown_entity() else {
        return Line::from(Span::styled(
            " no change at the source yet: step (. or l) or play (Space)",
            t.muted,
        ));
    };
    let simulation = flows.run.simulation();
    let truth = simulation.source_view(&customer);
    let mut spans = vec![Span::styled(
        format!(
            " {:<w$}",
            fit(&printable(&customer), CUSTOMER_LABEL - 2),
            w = CUSTOMER_LABEL - 1
        ),
        t.stream,
    )];
    spans.extend(view_cell(truth.as_ref(), None, column));
    for flow in Flow::ALL {
        let view = simulation.consumer_view(flow, &customer);
        let agreement = agreement(truth.as_ref(), view.as_ref());
        spans.extend(view_cell(view.as_ref(), Some(agreement), column));
    }
    Line::from(spans)
}

/// The top border: ` Notification ` and the mapping the run reads the
/// log through, after the key that changes it:
/// ` Notification · m mapping 1/3 proposed: source customer · work … `.
fn title_line(flows: &FlowsState, width: u16) -> Line<'static> {
    let t = theme();
    let mut spans = vec![Span::styled(" Notification ", t.title)];
    let room = (width as usize).saturating_sub(cells(" Notification ") + 4);
    if room < 12 {
        return Line::from(spans);
    }
    let key = key_of(Action::NextMapping);
    let text = if flows.finding_mappings {
        " finding a mapping in the log… ".to_string()
    } else {
        let origin = match flows.choice().map(|c| &c.origin) {
            Some(Origin::File(file)) => format!("file {file}"),
            Some(Origin::Flags(_)) => "flags".to_string(),
            Some(Origin::Proposed(_)) => "proposed".to_string(),
            None => "none".to_string(),
        };
        let count = flows.mappings.len().max(1);
        format!(
            " mapping {}/{count} {origin}: {} ",
            flows.mapping + 1,
            flows.running_mapping()
        )
    };
    let text = fit(&printable(&text), room.saturating_sub(cells(&key) + 1));
    spans.push(Span::styled(format!(" {key}"), t.hint_key));
    spans.push(Span::styled(text, t.hint_label));
    Line::from(spans)
}

/// Where the mapping came from, in full.
fn origin_text(flows: &FlowsState) -> String {
    let origin = match flows.choice() {
        Some(choice) => choice.origin.to_string(),
        None => "no mapping: the log has nothing to propose one from".to_string(),
    };
    let text = match &flows.mapping_problem {
        Some(problem) => format!("{origin} (the domain file's is not used: {problem})"),
        None => origin,
    };
    printable(&text).into_owned()
}

/// `0.05` -> `5%`, `0.025` -> `2.5%`.
fn percent(rate: f64) -> String {
    let value = rate * 100.0;
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}%")
    } else {
        format!("{value:.1}%")
    }
}

/// The key the keymap binds to `action` in the flows view.
fn key_of(action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.context == Context::Flows && b.action == action)
        .map_or_else(String::new, |b| b.key.name())
}

/// The parameters of the run, each after the key that changes it, for the
/// bottom border.
pub(super) fn params_line(flows: &FlowsState) -> Line<'static> {
    let t = theme();
    let params = flows.params();
    let outages: Vec<String> = params
        .outages
        .iter()
        .map(|range| {
            if range.last == u64::MAX {
                format!("{}.. DOWN", range.first)
            } else {
                range.to_string()
            }
        })
        .collect();
    let outage = if outages.is_empty() {
        "none".to_string()
    } else {
        outages.join(", ")
    };
    let parts = [
        (Action::ToggleOutage, format!("outage {outage}")),
        (
            Action::CycleDrop,
            format!("drop {}", percent(params.drop_rate)),
        ),
        (
            Action::CycleDuplicate,
            format!("dup {}", percent(params.duplicate_rate)),
        ),
        (
            Action::CycleReorder,
            format!("reorder {}", percent(params.reorder_rate)),
        ),
        (
            Action::ToggleVersionChecks,
            format!(
                "versions {}",
                if params.version_checks { "on" } else { "off" }
            ),
        ),
    ];
    let mut spans = vec![Span::raw(" ")];
    for (i, (action, text)) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.muted));
        }
        spans.push(Span::styled(key_of(action), t.hint_key));
        spans.push(Span::styled(format!(" {text}"), t.hint_label));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// Where the run is, for the status line.
pub fn status_text(app: &App) -> String {
    let flows = &app.flows;
    let run = &flows.run;
    let mut parts = vec![
        format!("seq {} / {}", grouped(run.seq()), grouped(run.last_seq())),
        format!("t={:.2}s", run.now() as f64 / 1_000.0),
    ];
    let restarting = app.jobs.get(Job::Flows).filter(|s| s.running);
    parts.push(match restarting {
        Some(slot) => match slot.progress {
            Some((done, total)) if total > 0 => format!("running again… {}%", done * 100 / total),
            _ => "running again…".to_string(),
        },
        None if flows.playing => format!("▶ playing x{}", flows.speed()),
        None if run.is_over() => "■ over (0 restarts)".to_string(),
        None => format!("⏸ paused x{}", flows.speed()),
    });
    if run.source_down_at(run.seq()) {
        parts.push("source DOWN".to_string());
    }
    parts.join(" │ ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(version: u64, address: &str) -> EntityView {
        EntityView {
            version,
            fields: vec![("address".into(), address.into())],
        }
    }

    #[test]
    fn the_plan_gives_metrics_room_before_captions_and_notes() {
        let small = Plan::for_height(11);
        assert_eq!(
            (small.captions, small.metric_rows, small.notes),
            (false, 4, 0)
        );
        let exact = Plan::for_height(19);
        assert_eq!(
            (exact.captions, exact.metric_rows, exact.notes),
            (false, 12, 0)
        );
        let tall = Plan::for_height(35);
        assert!(tall.captions);
        assert_eq!(tall.notes, 35 - 19 - 2 - 1);
    }

    #[test]
    fn an_older_version_is_stale_and_other_data_is_diverged() {
        let truth = view(4, r#"{"city":"Leeds"}"#);
        assert_eq!(
            agreement(Some(&truth), Some(&truth.clone())),
            Agreement::Same
        );
        let old = view(3, r#"{"city":"Manchester"}"#);
        assert_eq!(agreement(Some(&truth), Some(&old)), Agreement::Stale);
        let wrong = view(4, r#"{"city":"York"}"#);
        assert_eq!(agreement(Some(&truth), Some(&wrong)), Agreement::Diverged);
        assert_eq!(agreement(Some(&truth), None), Agreement::Stale);
        assert_eq!(
            agreement(Some(&truth), Some(&view(0, "{}"))),
            Agreement::Stale
        );
        assert_eq!(agreement(None, None), Agreement::Unknown);
        assert_eq!(agreement(Some(&view(0, "{}")), None), Agreement::Unknown);
    }

    #[test]
    fn a_place_is_the_city_or_the_street_or_the_text() {
        assert_eq!(place(r#"{"street":"1 Main St","city":"Oslo"}"#), "Oslo");
        assert_eq!(place(r#"{"street":"1 Main St"}"#), "1 Main St");
        assert_eq!(place(r#""somewhere""#), "somewhere");
        assert_eq!(place("[1,2]"), "[1,2]");
        assert_eq!(place(r#"{"city":"K\u00f8ge"}"#), "Køge");
        assert_eq!(place(r#""ada@example.org""#), "ada@example.org");
    }

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(0.2), "20%");
        assert_eq!(percent(0.025), "2.5%");
    }
}
