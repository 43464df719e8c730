//! The CQRS view's background work: building the read models.

use crate::domain_file::Projections;
use crate::projection::{EventSource, SnapshotStore, travel};
use crate::store::EventLog;
use crate::ui::jobs::Worker;
use crate::ui::msg::Msg;
use crate::ui::views::cqrs::msg::ReadModelsMsg;

/// Builds `models` (name, lag in events) on a worker thread, each as at
/// the log's end less its lag, and sends them in one message.
pub fn build(log: &EventLog, worker: &Worker, registry: &Projections, models: Vec<(String, u64)>) {
    let source: &dyn EventSource = log;
    let snapshots: &dyn SnapshotStore = log;
    let last_seq = source.last_seq().map_err(|e| e.to_string());
    let mut built = Vec::new();
    for (name, lag) in models {
        if worker.is_cancelled() {
            return;
        }
        let result = last_seq.clone().and_then(|last| {
            let fresh = registry
                .create(&name)
                .ok_or_else(|| format!("no projection named {name}"))?;
            travel(source, Some(snapshots), fresh, last.saturating_sub(lag))
                .map(|(projection, report)| (projection, report.at))
                .map_err(|e| format!("cannot build {name}: {e}"))
        });
        built.push((name, result));
    }
    worker.send(Msg::ReadModels {
        generation: worker.generation(),
        msg: ReadModelsMsg::Built(built),
    });
}
