//! Judging a step's task: the App is compared with the baseline taken
//! when the step's scene was set, so no check passes before the learner
//! acts.

use crate::cqrs::Command;
use crate::cqrs::outcome::StepOutcome;
use crate::lesson::{Check, SceneView};
use crate::projection::Path;
use crate::ui::app::{App, View};
use crate::ui::views::cqrs::state::Outcome;

/// What the App looked like when the step began.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    view: View,
    seq: Option<u64>,
    outages: usize,
    faults: [f64; 3],
    version_checks: bool,
    flows_seq: u64,
    log_last: u64,
    lags: Vec<(u64, u64)>,
    /// The command the step typed ready, by its name and stream: the one
    /// a command check judges, so that a typo's rejection is not taken for
    /// the rejection the step shows.
    typed: Option<(String, String)>,
}

impl Baseline {
    pub fn of(app: &App) -> Baseline {
        let params = app.flows.params();
        Baseline {
            view: app.view,
            seq: app.selected_seq(),
            outages: params.outages.len(),
            faults: [params.drop_rate, params.duplicate_rate, params.reorder_rate],
            version_checks: params.version_checks,
            flows_seq: app.flows.run.seq(),
            log_last: app.log.last_seq().unwrap_or(0),
            lags: lags(app),
            // Read as the command line reads it, in either form; the
            // lesson's check of its log has already read it once.
            typed: app
                .step_playing()
                .and_then(|step| step.scene.command.as_deref())
                .and_then(|text| Command::parse_in(text, app.cqrs.file_domain()).ok())
                .map(|command| (command.name().to_owned(), command.stream)),
        }
    }
}

fn lags(app: &App) -> Vec<(u64, u64)> {
    app.cqrs
        .read_models
        .iter()
        .map(|m| (m.lag_events, m.delay_secs))
        .collect()
}

fn view_of(view: SceneView) -> View {
    match view {
        SceneView::Log => View::Log,
        SceneView::Projections => View::Projections,
        SceneView::Cqrs => View::Cqrs,
        SceneView::Flows => View::Flows,
    }
}

/// The first step outcome of the last command the CQRS view handled, if
/// that command is the one the step typed (when it typed one).
fn first_step<'a>(app: &'a App, base: &Baseline) -> Option<&'a StepOutcome> {
    let Some(Outcome::Handled(handled)) = &app.cqrs.outcome else {
        return None;
    };
    let step = handled.steps.first()?;
    let typed = base
        .typed
        .as_ref()
        .is_none_or(|(name, stream)| step.command.name() == name && step.command.stream == *stream);
    typed.then_some(&step.outcome)
}

/// Whether `check` holds now, against `base`.
pub fn passes(check: &Check, app: &App, base: &Baseline) -> bool {
    let params = app.flows.params();
    match check {
        Check::SourceDown => params.outages.len() > base.outages && app.flows_source_down(),
        Check::FaultsChanged => {
            [params.drop_rate, params.duplicate_rate, params.reorder_rate] != base.faults
        }
        Check::VersionChecksToggled => params.version_checks != base.version_checks,
        Check::FlowsStepped => app.flows.run.seq() > base.flows_seq,
        Check::CommandAccepted => {
            matches!(first_step(app, base), Some(StepOutcome::Accepted { .. }))
                && app.log.last_seq().unwrap_or(0) > base.log_last
        }
        Check::CommandRejected => matches!(first_step(app, base), Some(StepOutcome::Rejected(_))),
        Check::Conflict => matches!(first_step(app, base), Some(StepOutcome::Conflict { .. })),
        Check::Blame(field) => {
            let wanted = Path::parse(field).map(|p| p.to_string()).ok();
            matches!(&app.projections.blame, Some((path, Ok(Some(_)))) if Some(path) == wanted.as_ref())
        }
        Check::View(view) => app.view == view_of(*view) && base.view != app.view,
        Check::Reached(seq) => {
            app.selected_seq().is_some_and(|now| now >= *seq) && base.seq.is_none_or(|b| b < *seq)
        }
        Check::Rebuilt => app
            .projections
            .rebuild
            .as_ref()
            .is_some_and(|r| matches!(r.outcome, Some(Ok(_)))),
        Check::Agreement => matches!(app.projections.agreement, Some(Ok(_))),
        Check::Lagged => lags(app) != base.lags,
    }
}
