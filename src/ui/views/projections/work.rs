//! Projection work on worker threads: the state at the cursor and what the
//! event there changed, rebuilds with progress, blame, and the check that
//! snapshots and a replay from genesis agree.

use std::ops::ControlFlow;
use std::time::Duration;

use serde_json::Value;

use crate::domain_file::Projections;
use crate::projection::{self, Change, Path, Projection, RebuildOptions, SnapshotPolicy, Start};
use crate::store::EventLog;
use crate::ui::jobs::Worker;
use crate::ui::msg::Msg;
use crate::ui::views::projections::lazy_state::{self, tree_path};
use crate::ui::views::projections::msg::{Agreement, ProjectionMsg, StateAt};

/// Held state further behind than this is not stepped on from: time travel
/// from the nearest snapshot is cheaper.
const STEP_ON_LIMIT: u64 = 20_000;

fn fresh(registry: &Projections, name: &str) -> Result<Box<dyn Projection>, String> {
    registry
        .create(name)
        .ok_or_else(|| format!("no projection named `{name}`"))
}

fn send(worker: &Worker, msg: ProjectionMsg) {
    worker.send(Msg::Projection {
        generation: worker.generation(),
        msg,
    });
}

/// Computes the state of `name` at `seq`, stepping on from `held` when it
/// is a little behind. Entries of large maps at the tree paths `keep`
/// are fetched again, as are those the event changed.
pub fn state(
    log: &EventLog,
    worker: &Worker,
    registry: &Projections,
    name: String,
    seq: u64,
    held: Option<(u64, Box<dyn Projection>)>,
    keep: Vec<String>,
) {
    let result = state_at(log, registry, name, seq, held, keep).map(Box::new);
    send(worker, ProjectionMsg::State(result));
}

fn state_at(
    log: &EventLog,
    registry: &Projections,
    name: String,
    seq: u64,
    held: Option<(u64, Box<dyn Projection>)>,
    mut keep: Vec<String>,
) -> Result<StateAt, String> {
    let source = log;
    if seq == 0 {
        let projection = fresh(registry, &name)?;
        let (value, lazy) = lazy_state::sketch(projection.as_ref(), &keep);
        return Ok(StateAt {
            name,
            seq,
            projection,
            value,
            lazy,
            changes: Vec::new(),
            how: "the empty state".into(),
        });
    }
    let (mut projection, how) = match held {
        Some((at, mut projection)) if at < seq && seq - at <= STEP_ON_LIMIT => {
            let replayed = replay(log, projection.as_mut(), at + 1, seq - 1)?;
            let how = format!("stepped on from #{at}: {} event(s) applied", replayed + 1);
            (projection, how)
        }
        _ => {
            let (projection, report) =
                projection::travel(source, Some(source), fresh(registry, &name)?, seq - 1)
                    .map_err(|e| e.to_string())?;
            let how = match report.start {
                Start::Genesis => format!(
                    "time travel from genesis: {} event(s) replayed",
                    report.replayed + 1
                ),
                Start::Snapshot(at) => {
                    format!(
                        "time travel from the snapshot at #{at}: {} event(s) replayed",
                        report.replayed + 1
                    )
                }
            };
            (projection, how)
        }
    };
    let event = log
        .get(seq)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("event {seq} is missing"))?;
    let scopes = projection.scope(&event.view());
    let before: Vec<Option<Value>> = scopes.iter().map(|scope| projection.get(scope)).collect();
    projection
        .apply(&event)
        .map_err(|e| format!("event {seq}: {e}"))?;
    let changes: Vec<Change> = scopes
        .iter()
        .zip(before)
        .flat_map(|(scope, before)| {
            projection::diff_under(scope, before.as_ref(), projection.get(scope).as_ref())
        })
        .collect();
    keep.extend(changes.iter().map(|change| tree_path(change.path())));
    let (value, lazy) = lazy_state::sketch(projection.as_ref(), &keep);
    Ok(StateAt {
        name,
        seq,
        projection,
        value,
        lazy,
        changes,
        how,
    })
}

/// Applies the events `from..=to`; returns how many.
fn replay(
    log: &EventLog,
    projection: &mut dyn Projection,
    from: u64,
    to: u64,
) -> Result<u64, String> {
    let mut count = 0;
    let mut failure = None;
    log.scan(from..=to, |event| match projection.apply(&event) {
        Ok(()) => {
            count += 1;
            ControlFlow::Continue(())
        }
        Err(e) => {
            failure = Some(format!("event {}: {e}", event.seq));
            ControlFlow::Break(())
        }
    })
    .map_err(|e| e.to_string())?;
    failure.map_or(Ok(count), Err)
}

/// Rebuilds `name` from genesis, until done or cancelled, on both cores
/// and with nothing else to do: the snapshots are saved after it, by
/// [`save_snapshots`], so that the person who pressed `r` waits for the
/// fold alone (saving them on the way costs the fold about half as much
/// again on `orders`). The snapshots already there are left as they are
/// meanwhile: each is the state at its seq, whoever saved it (a
/// projection's version follows its definition), and time travel may go
/// on using them.
pub fn rebuild(log: &EventLog, worker: &Worker, registry: &Projections, name: &str) {
    let outcome = (|| {
        let options = RebuildOptions {
            snapshots: None,
            cancel: Some(worker.cancel_flag()),
            report_every: Duration::from_millis(100),
        };
        let mut projections = [fresh(registry, name)?];
        projection::rebuild(log, &mut projections, &options, &mut |progress| {
            send(worker, ProjectionMsg::RebuildProgress(progress));
        })
        .map_err(|e| e.to_string())
    })();
    send(worker, ProjectionMsg::Rebuilt(outcome));
}

/// Saves the snapshots of `name` for time travel: a second rebuild from
/// genesis, which first discards the projection's snapshots and then
/// saves new ones as the command line's `replay` does, until done or
/// cancelled.
pub fn save_snapshots(log: &EventLog, worker: &Worker, registry: &Projections, name: &str) {
    let outcome = (|| {
        let source = log;
        let total = log.last_seq().map_err(|e| e.to_string())?;
        // Small logs get snapshots too, so that time travel from one shows.
        let policy = SnapshotPolicy {
            min_interval: (total / 16).clamp(1, SnapshotPolicy::default().min_interval),
            ..SnapshotPolicy::default()
        };
        let options = RebuildOptions {
            snapshots: Some((source, policy)),
            cancel: Some(worker.cancel_flag()),
            report_every: Duration::from_millis(100),
        };
        let mut projections = [fresh(registry, name)?];
        let outcome = projection::rebuild(source, &mut projections, &options, &mut |progress| {
            send(worker, ProjectionMsg::SnapshotProgress(progress));
        })
        .map_err(|e| e.to_string())?;
        // Snapshots are written as a cache; make them last past this run.
        log.persist_snapshots().map_err(|e| e.to_string())?;
        Ok(outcome)
    })();
    send(worker, ProjectionMsg::SnapshotsSaved(outcome));
}

/// Finds the event that last changed `path` of `name` as at `seq`.
pub fn blame(
    log: &EventLog,
    worker: &Worker,
    registry: &Projections,
    name: &str,
    path: Path,
    seq: u64,
) {
    let result = (|| {
        let source = log;
        let blame = projection::blame(source, Some(source), fresh(registry, name)?, &path, seq)
            .map_err(|e| e.to_string())?;
        Ok(blame.changed_at)
    })();
    send(
        worker,
        ProjectionMsg::Blamed {
            path: path.to_string(),
            result,
        },
    );
}

/// Compares the state at `seq` reached through snapshots with the state
/// reached by replaying from the first event.
pub fn check(log: &EventLog, worker: &Worker, registry: &Projections, name: &str, seq: u64) {
    let result = (|| {
        let source = log;
        let (with, report) = projection::travel(source, Some(source), fresh(registry, name)?, seq)
            .map_err(|e| e.to_string())?;
        let (genesis, genesis_report) =
            projection::travel(source, None, fresh(registry, name)?, seq)
                .map_err(|e| e.to_string())?;
        let differences = projection::diff(&genesis.state(), &with.state());
        Ok(if differences.is_empty() {
            Agreement::Agree {
                start: report.start,
                replayed: report.replayed,
                genesis_replayed: genesis_report.replayed,
            }
        } else {
            Agreement::Differ(differences.iter().map(ToString::to_string).collect())
        })
    })();
    send(worker, ProjectionMsg::Checked(result));
}
