//! Presenter mode's flows pane: the two lanes side by side, each with the
//! figures a room compares (bus messages, failed calls, staleness) and the
//! followed entity as that side sees it; the run's faults under them.
//!
//! ```text
//! ┌ Notification ───────────────┐┌ State transfer ─────────────┐
//! │ Source ──•──•──▶ Consumer    ││ Source ──■──■──▶ replica 30  │
//! │ query API ╌◁╌✗╌ 2 calls open ││                              │
//! │ bus messages            120  ││ bus messages            120  │
//! │ failed calls              4  ││ failed calls              0  │
//! │ customer-7 Manchester STALE  ││ customer-7 Leeds v4          │
//! └──────────────────────────────┘└──────────────────────────────┘
//!  o outage 120..=179 · d drop 5% · u dup 0% · r reorder 0% · v versions on
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::render::{LANE_LABEL, agreement, lane_line, pad, params_line, view_cell};
use crate::escape::printable;
use crate::simulation::{Flow, FlowMetrics, InFlight, MessageKind};
use crate::ui::app::App;
use crate::ui::theme::theme;
use crate::ui::widgets::bars::{duration, grouped};
use crate::ui::widgets::{fit, lane, pane};

/// Width of a figure's label.
const LABEL: usize = 16;
/// Width of a figure's value.
const VALUE: usize = 10;

pub fn render_presented(app: &App, frame: &mut Frame, area: Rect) {
    let [lanes, params] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lanes);
    for (flow, area) in [(Flow::Notification, left), (Flow::StateTransfer, right)] {
        let title = match flow {
            Flow::Notification => " Notification ",
            Flow::StateTransfer => " State transfer ",
        };
        let block = pane(title.to_string(), false);
        let inner = block.inner(area);
        frame.render_widget(
            Paragraph::new(side_lines(app, flow, inner.width)).block(block),
            area,
        );
    }
    frame.render_widget(params_line(&app.flows), params);
}

/// One side: its lanes, a blank line, its figures, a blank line, the
/// followed entity beside the source's truth.
fn side_lines(app: &App, flow: Flow, width: u16) -> Vec<Line<'static>> {
    let t = theme();
    let run = &app.flows.run;
    let simulation = run.simulation();
    let now = simulation.now();
    let in_flight = simulation.in_flight();
    let down = run.source_down_at(run.seq());
    let right = (width * 3 / 10).clamp(12, 24);
    let track = width.saturating_sub(LANE_LABEL + right) as usize;
    let is_call = |m: &InFlight| {
        matches!(
            m.kind,
            MessageKind::QueryCall | MessageKind::QueryAnswer | MessageKind::QueryFailure
        )
    };
    let on = |api: bool| {
        in_flight
            .iter()
            .filter(move |m| m.flow == flow && is_call(m) == api)
    };
    let source = if down {
        Span::styled(pad(" Source DOWN", LANE_LABEL), t.error)
    } else {
        Span::styled(pad(" Source", LANE_LABEL), t.title)
    };
    let mut lines = Vec::new();
    match flow {
        Flow::Notification => {
            lines.push(lane_line(
                source,
                lane::track(&lane::cells(on(false), now, track), '─'),
                "▶ Consumer".into(),
                right,
            ));
            let api = if down {
                Span::styled(pad(" query API ✗", LANE_LABEL), t.error)
            } else {
                Span::styled(pad(" query API", LANE_LABEL), t.muted)
            };
            let open = match on(true).count() {
                0 => " no call open".to_string(),
                1 => " 1 call open".to_string(),
                n => format!(" {n} calls open"),
            };
            lines.push(lane_line(
                api,
                lane::track(&lane::cells(on(true), now, track), '╌'),
                open,
                right,
            ));
        }
        Flow::StateTransfer => {
            let replica = simulation.copies_held(Flow::StateTransfer);
            lines.push(lane_line(
                source,
                lane::track(&lane::cells(on(false), now, track), '─'),
                format!("▶ replica {}", grouped(replica as u64)),
                right,
            ));
            lines.push(Line::raw(""));
        }
    }
    lines.push(Line::raw(""));
    lines.extend(
        figures(&simulation.metrics(flow))
            .into_iter()
            .map(|(label, value)| {
                Line::from(vec![
                    Span::styled(format!(" {label:<LABEL$}"), t.muted),
                    Span::styled(format!("{value:>VALUE$}"), t.title),
                ])
            }),
    );
    lines.push(Line::raw(""));
    lines.extend(entity_lines(app, flow, width as usize));
    lines
}

/// The figures a room compares, in the order they matter.
fn figures(m: &FlowMetrics) -> Vec<(&'static str, String)> {
    vec![
        ("bus messages", grouped(m.bus_messages)),
        ("remote calls", grouped(m.remote_calls)),
        ("failed calls", grouped(m.failed_calls)),
        ("mean staleness", duration(m.mean_staleness_ms)),
        ("max staleness", duration(m.max_staleness_ms as f64)),
        (
            "converged",
            if m.converged { "✓ yes" } else { "✗ no" }.to_string(),
        ),
    ]
}

/// The followed entity as `flow`'s consumer sees it, then the source's
/// truth under it.
fn entity_lines(app: &App, flow: Flow, width: usize) -> Vec<Line<'static>> {
    let t = theme();
    let flows = &app.flows;
    let Some(entity) = flows.shown_entity() else {
        return vec![Line::styled(" no change at the source yet", t.muted)];
    };
    let simulation = flows.run.simulation();
    let truth = simulation.source_view(&entity);
    let view = simulation.consumer_view(flow, &entity);
    let room = width.saturating_sub(LABEL + 1);
    let mut seen = vec![Span::styled(
        format!(" {:<LABEL$}", fit(&printable(&entity), LABEL - 1)),
        t.stream,
    )];
    seen.extend(view_cell(
        view.as_ref(),
        Some(agreement(truth.as_ref(), view.as_ref())),
        room,
    ));
    let mut source = vec![Span::styled(
        format!(" {:<LABEL$}", "source truth"),
        t.muted,
    )];
    source.extend(view_cell(truth.as_ref(), None, room));
    vec![Line::from(seen), Line::from(source)]
}
