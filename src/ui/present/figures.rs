//! The headline figures of each view, as short lines for big text: what a
//! room should read from the back (a line of the big font holds about 25
//! characters at 100 columns).

use crate::cqrs::outcome::StepOutcome;
use crate::simulation::Flow;
use crate::ui::app::{App, View};
use crate::ui::views::cqrs::state::Outcome;

/// The view's figures, most important first.
pub fn headline(app: &App) -> Vec<String> {
    let total = app.list_len();
    match app.view {
        View::Log => vec![
            format!("#{}/{total}", app.selected_seq().unwrap_or(0)),
            app.selected_event()
                .map(|e| short(&e.event_type))
                .unwrap_or_default(),
        ],
        View::Projections => vec![
            format!("AT #{}", app.selected_seq().unwrap_or(0)),
            format!("{} CHANGED", app.projection_changes().len()),
        ],
        View::Cqrs => {
            let last = app.event_log().last_seq().unwrap_or(0);
            let decision = match &app.cqrs.outcome {
                None => "READY".to_string(),
                Some(Outcome::Unreadable(_)) => "UNREADABLE".into(),
                Some(Outcome::Failed(_)) => "FAILED".into(),
                Some(Outcome::Refused(_)) => "REFUSED".into(),
                Some(Outcome::Handled(handled)) => {
                    match handled.steps.first().map(|s| &s.outcome) {
                        Some(StepOutcome::Accepted { events, .. }) => {
                            format!("OK +{}", events.len())
                        }
                        Some(StepOutcome::Rejected(_)) => "REJECTED".into(),
                        Some(StepOutcome::Conflict {
                            expected, actual, ..
                        }) => format!("CONFLICT {expected}/{actual}"),
                        None => "READY".into(),
                    }
                }
            };
            vec![decision, format!("LOG #{last}")]
        }
        View::Flows => {
            let simulation = app.flows_simulation();
            let n = simulation.metrics(Flow::Notification);
            let s = simulation.metrics(Flow::StateTransfer);
            vec![
                format!("CALLS {} : {}", n.remote_calls, s.remote_calls),
                format!("DONE {} : {}", n.work_done, s.work_done),
            ]
        }
    }
}

/// An event type cut to what the big font fits.
fn short(text: &str) -> String {
    let printable = crate::escape::printable(text);
    printable.chars().take(22).collect()
}
