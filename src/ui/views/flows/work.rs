//! The flows view's background work: running the simulation again from
//! the first event with new parameters or another mapping.

use std::sync::Arc;

use crate::domain_file::Domain;
use crate::simulation::{Mapping, SimParams};
use crate::store::EventLog;
use crate::ui::jobs::Worker;
use crate::ui::msg::Msg;
use crate::ui::views::flows::mapping;
use crate::ui::views::flows::msg::FlowsMsg;
use crate::ui::views::flows::run::{AdvanceError, SimRun};

/// Runs the simulation from the first event up to `ms` with `mapping`, or
/// with the first of the mappings found for the log when it is `None`,
/// reporting how far.
pub fn restart(
    log: &EventLog,
    worker: &Worker,
    mapping: Option<Mapping>,
    domain: Option<Arc<Domain>>,
    params: SimParams,
    last_seq: u64,
    ms: u64,
) {
    let (mapping, found) = match mapping {
        Some(mapping) => (mapping, None),
        None => {
            let (choices, problem) = mapping::choices_for(log, domain.as_deref());
            let first = choices
                .first()
                .map_or_else(mapping::idle, |c| c.mapping.clone());
            (first, Some((choices, problem)))
        }
    };
    let total = (ms / params.event_interval_ms.max(1)).min(last_seq);
    let result = SimRun::new(mapping, params, last_seq).and_then(|mut run| {
        match run.advance_to(log, ms, worker.cancel_flag(), |done| {
            worker.progress(done, total)
        }) {
            Ok(()) => Ok(Box::new(run)),
            Err(AdvanceError::Cancelled) => Err("cancelled".to_string()),
            Err(AdvanceError::Log(problem)) => Err(problem),
        }
    });
    worker.send(Msg::Flows {
        generation: worker.generation(),
        msg: FlowsMsg::Restarted { run: result, found },
    });
}
