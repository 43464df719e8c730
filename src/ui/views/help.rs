//! The help overlay: what each view teaches, then every key, read from the
//! keymap.
//!
//! ```text
//! ┌ Help (? or Esc closes) ──────────────────┐
//! │ The log is the source of truth ...       │
//! │                                          │
//! │ Log view: the event list                 │
//! │   j k ↓ ↑     next event                 │
//! └──────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::ui::app::App;
use crate::ui::keymap::{BINDINGS, Context};
use crate::ui::theme::theme;

/// What the explorer shows, in a few sentences per view.
const INTRO: &[&str] = &[
    "Event sourcing: every change is recorded as an event, and the log is the source of truth. \
     State is never stored as such: it is rebuilt by replaying the events, like a working tree \
     rebuilt from commits.",
    "Log view: step through the events in order. The detail pane shows the selected event; the \
     flow pane follows its correlation_id and causation_id, so a process spread over many small \
     events becomes one visible tree. The chart shows when the events happened; the types list \
     how many there are of each.",
    "Projections view: a projection (read model) is a fold over the events. Step with h/l and \
     watch its state change: what each event added, removed or changed is marked. Blame shows \
     which event last set a field. Rebuild replays the whole log, then saves snapshots on a \
     second pass: a cache that makes time travel fast, and must agree with a replay from the \
     first event.",
    "CQRS view: commands and queries use separate models. A command you type is judged by the \
     write model, the target stream's state rebuilt from its own events: it becomes new events \
     (appended to the log) or is rejected with a reason. The read models (projections) are fed \
     by the same events but may trail behind: give one a lag with + and - (events) or ] and [ \
     (seconds), send a command, and its answer for the entity is marked STALE until it catches \
     up. That is eventual consistency. With policies on, an event can trigger the next command \
     (an order placed asks for payment); the flow pane shows that chain by causation.",
    "Flows view: the same log through Event Notification and Event-Carried State Transfer. \
     Notification sends thin events (•) and the consumer calls the source back (◁ call, \
     ◆ answer, ✗ failed); StateTransfer sends the data (■) and the consumer keeps a replica. \
     Take the source down (o) and watch: Notification's calls fail and a shipment that needs \
     data it lacks waits; StateTransfer keeps shipping but moves several times the bytes and \
     keeps a copy. Add \
     drops, duplicates and reordering (d u r) and turn version checks off (v) to see a \
     replica go wrong. Every change of these runs the log again from the start.",
];

/// After the keys: what the CQRS view's concurrency keys show.
const CONCURRENCY: &str = "Concurrent writers are stopped by expected versions: a command may say \
     expected_version=N (Tab offers it), and is refused as a conflict when its stream is no \
     longer at N. In the CQRS view, w switches between writers A and B, each sending with the \
     version it read: the second to write a stream is refused.";

const ORDER: [Context; 12] = [
    Context::Global,
    Context::List,
    Context::Detail,
    Context::Projections,
    Context::Cqrs,
    Context::CommandLine,
    Context::Flows,
    Context::Rebuild,
    Context::Prompt,
    Context::Picker,
    Context::Help,
    Context::Lesson,
];

/// The help text, as lines.
pub fn lines() -> Vec<Line<'static>> {
    let t = theme();
    let mut out = Vec::new();
    for paragraph in INTRO {
        out.push(Line::raw(*paragraph));
        out.push(Line::raw(""));
    }
    for context in ORDER {
        out.push(Line::from(Span::styled(context.title(), t.title)));
        let mut seen: Vec<(&str, String)> = Vec::new();
        for binding in BINDINGS.iter().filter(|b| b.context == context) {
            match seen.iter_mut().find(|(help, _)| *help == binding.help) {
                Some((_, keys)) => {
                    keys.push(' ');
                    keys.push_str(&binding.key.name());
                }
                None => seen.push((binding.help, binding.key.name())),
            }
        }
        for (help, keys) in seen {
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), t.hint_key),
                Span::raw(help),
            ]));
        }
        out.push(Line::raw(""));
    }
    out.push(Line::raw(CONCURRENCY));
    out
}

pub fn render(_app: &App, frame: &mut Frame, body: Rect, scroll: u16) {
    let t = theme();
    let area = body.centered(Constraint::Percentage(90), Constraint::Percentage(90));
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Help: j/k scroll, ? or Esc closes ")
        .border_style(t.border_focused);
    frame.render_widget(
        Paragraph::new(lines())
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// The help as plain text, one line a paragraph (for tools and tests).
pub fn text() -> String {
    lines()
        .iter()
        .map(|line| {
            line.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect()
}
