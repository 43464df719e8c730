//! `eventscope replay LOG`: projections as JSON, as at any seq.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use eventscope::domain_file::Projections;
use eventscope::escape::printable;
use eventscope::projection::{
    self, Change, Projection, RebuildOptions, RebuildOutcome, Skip, SnapshotPolicy, SnapshotStore,
    Start,
};
use eventscope::store::{EventLog, StoreError};
use serde_json::{Map, Value, json};

use super::output::Stdout;
use super::progress::Progress;

/// Rebuild projections (read models) from the log and print their state as
/// JSON: now, or as at an earlier seq (time travel); what one event changed
/// (--diff); which event last set a field (--blame).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    pub log: PathBuf,
    /// A projection to show (repeatable); all that apply to the log when
    /// absent. `--list` names them.
    #[arg(long = "projection", short = 'p', value_name = "P")]
    pub projections: Vec<String>,
    /// The state as at this seq (time travel); the end of the log when
    /// absent.
    #[arg(long, value_name = "SEQ")]
    pub at: Option<u64>,
    /// Show what the event at SEQ changed: the paths added, removed and
    /// changed between SEQ-1 and SEQ.
    #[arg(long)]
    pub diff: bool,
    /// Show which event last changed this path of the state, e.g.
    /// `customer-1.address.city`.
    #[arg(long, value_name = "PATH")]
    pub blame: Option<String>,
    /// What if: leave out these events, e.g. `3,10..20,type:OrderShipped,stream:customer-1`,
    /// and show the state without them beside what that changes against
    /// the real one.
    #[arg(long, value_name = "SEQS", conflicts_with_all = ["diff", "blame"])]
    pub skip: Option<String>,
    /// Neither use nor save snapshots: replay from the first event.
    #[arg(long)]
    pub no_snapshots: bool,
    /// List the projections that apply to the log.
    #[arg(long, conflicts_with_all = ["projections", "at", "diff", "blame", "skip"])]
    pub list: bool,
    /// A domain file whose projections (jq) join the built-in ones; by
    /// default `NAME.domain.toml` beside the log, when there is one.
    #[arg(long, value_name = "FILE")]
    pub domain: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // The selection and the domain file first: a bad one must not touch
    // the log at all.
    let skip = match &args.skip {
        Some(text) => Some(
            Skip::parse(text)
                .map_err(|e| anyhow::anyhow!("--skip {}", printable(&e.to_string())))?,
        ),
        None => None,
    };
    let registry = super::domain::projections(args.domain.as_deref(), &args.log)?;
    let unknown = |name: &str| {
        anyhow::anyhow!(
            "unknown projection `{}`; known: {}",
            printable(name),
            printable(&registry.names().join(", "))
        )
    };
    if let Some(name) = args
        .projections
        .iter()
        .find(|n| registry.create(n).is_none())
    {
        return Err(unknown(name));
    }
    // Snapshots are written to the log's cache table by a rebuild of the
    // whole log only (time travel, blame, a diff and a what-if read them),
    // so only that replay opens the log for writing: a replay that fails
    // or saves nothing leaves the file byte for byte as it was.
    let saves = args.at.is_none() && args.blame.is_none() && !args.diff && skip.is_none();
    let mut no_snapshots = args.no_snapshots || args.list;
    let log = if no_snapshots || !saves {
        EventLog::open_read_only(&args.log)?
    } else {
        match EventLog::open(&args.log) {
            Ok(log) => log,
            Err(StoreError::NotWritable { .. }) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: {} is read-only here: replaying without snapshots",
                    printable(&args.log.display().to_string())
                );
                no_snapshots = true;
                EventLog::open_read_only(&args.log)?
            }
            Err(error) => return Err(error.into()),
        }
    };
    // Which projections apply is read from the log's statistics, which
    // count its streams one by one: only when the projections are not named.
    let names: Vec<String> = if args.list || args.projections.is_empty() {
        let stats = log.stats()?;
        let types: Vec<&str> = stats.types.iter().map(|(name, _)| name.as_str()).collect();
        let applicable = registry.applicable(&types);
        if args.list {
            let mut stdout = Stdout::lock();
            stdout.json_line(&json!(applicable))?;
            stdout.finish()?;
            return Ok(ExitCode::SUCCESS);
        }
        applicable.iter().map(|n| n.to_string()).collect()
    } else {
        // Each once, in the order first named: a state is one key of the
        // answer.
        let mut named = Vec::new();
        for name in &args.projections {
            if !named.contains(name) {
                named.push(name.clone());
            }
        }
        named
    };
    let mut fresh = Vec::new();
    for name in &names {
        fresh.push(registry.create(name).ok_or_else(|| unknown(name))?);
    }
    let last = log.last_seq()?;
    let at = args.at.unwrap_or(last);
    anyhow::ensure!(
        at <= last,
        "seq {at} is past the end of the log (the last is {last})"
    );
    let snapshots: Option<&dyn SnapshotStore> = (!no_snapshots).then_some(&log as _);

    let mut out = Map::new();
    if let Some(skip) = &skip {
        for projection in fresh {
            let name = projection.name().to_owned();
            let Some(again) = registry.create(&name) else {
                continue;
            };
            let (real, _) = projection::travel(&log, snapshots, projection, at)?;
            let (without, report) = projection::replay_skipping(&log, again, skip, at)?;
            let real = real.into_state();
            let without = without.into_state();
            let changes = projection::diff(&real, &without);
            out.insert(
                name,
                json!({
                    "at": at,
                    "skip": skip.to_string(),
                    "skipped": report.skipped,
                    "kept": report.kept,
                    "state": without,
                    "changes": changes.iter().map(change_json).collect::<Vec<_>>(),
                }),
            );
        }
    } else if let Some(path) = &args.blame {
        let path = projection::Path::parse(path).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut found = false;
        for projection in fresh {
            let name = projection.name().to_owned();
            let blame = projection::blame(&log, snapshots, projection, &path, at)?;
            found |= blame.value.is_some();
            let event = match blame.changed_at {
                Some(seq) => log.get(seq)?.map(|e| {
                    json!({"seq": e.seq, "type": &*e.event_type, "stream": &*e.stream, "time": e.time.map(|time| time.to_string())})
                }),
                None => None,
            };
            out.insert(
                name,
                json!({
                    "at": at,
                    "path": path.to_string(),
                    "value": blame.value,
                    "changed_at": blame.changed_at,
                    "event": event,
                    "start": start_json(&blame.start),
                    "replayed": blame.replayed,
                }),
            );
        }
        if !found {
            return Err(missing_path(&log, snapshots, &registry, &names, &path, at));
        }
    } else if args.diff {
        anyhow::ensure!(at >= 1, "--diff needs a seq of 1 or more");
        for projection in fresh {
            let name = projection.name().to_owned();
            let changes = projection::diff_at(&log, snapshots, projection, at)?;
            out.insert(
                name,
                json!({"at": at, "changes": changes.iter().map(change_json).collect::<Vec<_>>()}),
            );
        }
    } else if args.at.is_none() && !no_snapshots {
        // The whole log: one pass for every projection, saving snapshots
        // on the way so that later time travel is fast.
        let mut projections = fresh;
        let outcome = rebuild(&log, &mut projections)?;
        let states = projections
            .into_iter()
            .map(|projection| (projection, outcome.done, json!("genesis"), outcome.done));
        return write_states(states);
    } else {
        let travelled = if no_snapshots {
            // From genesis for every projection: one pass for all of them.
            projection::travel::travel_together(&log, fresh, at)?
        } else {
            // Each from its own nearest snapshot.
            let mut travelled = Vec::new();
            for projection in fresh {
                travelled.push(projection::travel(&log, snapshots, projection, at)?);
            }
            travelled
        };
        let states = travelled.into_iter().map(|(projection, report)| {
            let start = start_json(&report.start);
            (projection, report.at, start, report.replayed)
        });
        return write_states(states);
    }
    let mut stdout = Stdout::lock();
    stdout.json_pretty(&Value::Object(out))?;
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// The error for a blamed path that no shown projection holds, naming the
/// deepest part of it that one does, so the person sees where it went wrong.
fn missing_path(
    log: &EventLog,
    snapshots: Option<&dyn SnapshotStore>,
    registry: &Projections,
    names: &[String],
    path: &projection::Path,
    at: u64,
) -> anyhow::Error {
    let mut nearest = 0;
    for name in names {
        let Some(fresh) = registry.create(name) else {
            continue;
        };
        let Ok((projection, _)) = projection::travel(log, snapshots, fresh, at) else {
            continue;
        };
        let state = projection.state();
        let segments = path.segments();
        let held = (0..segments.len())
            .rev()
            .find(|&len| {
                projection::Path(segments[..len].to_vec())
                    .lookup(&state)
                    .is_some()
            })
            .unwrap_or(0);
        nearest = nearest.max(held);
    }
    let shown = |p: &projection::Path| printable(&p.to_string()).into_owned();
    let parent = projection::Path(path.segments()[..nearest].to_vec());
    let which = match names {
        [one] => format!("the {} projection", printable(one)),
        _ => "no projection".to_string(),
    };
    let has = if names.len() == 1 { "has no" } else { "has" };
    if nearest == 0 {
        anyhow::anyhow!(
            "{which} {has} `{}` at seq {at}, nor any part of it",
            shown(path)
        )
    } else {
        anyhow::anyhow!(
            "{which} {has} `{}` at seq {at}; the nearest that exists is `{}`",
            shown(path),
            shown(&parent)
        )
    }
}

/// Prints `{"name": {"at", "start", "replayed", "state"}, ...}` in the
/// layout of `serde_json::to_string_pretty`, each state written by its
/// projection as it is handed over, straight from the projection's own
/// structures; through [`Stdout`], so a closed pipe ends quietly and the
/// text is escaped for a terminal.
fn write_states(
    states: impl Iterator<Item = (Box<dyn Projection>, u64, Value, u64)>,
) -> anyhow::Result<ExitCode> {
    let mut stdout = Stdout::lock();
    stdout.json_with(|json| {
        json.begin_object();
        for (projection, at, start, replayed) in states {
            json.key(projection.name());
            json.begin_object();
            json.key("at");
            json.u64(at);
            json.key("start");
            json.value(&start);
            json.key("replayed");
            json.u64(replayed);
            json.key("state");
            projection.write_state(json);
            json.end_object();
            // Not freed: the process ends with this output, and freeing a
            // large state allocation by allocation (the replica of a
            // million events) took longer than writing it.
            std::mem::forget(projection);
            if json.failed() {
                // The output failed (a reader that left, a full disk): the
                // other states need not be written.
                break;
            }
        }
        json.end_object();
        json.raw("\n");
    })?;
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn rebuild(
    log: &EventLog,
    projections: &mut [Box<dyn Projection>],
) -> anyhow::Result<projection::RebuildReport> {
    let mut progress = Progress::new("replaying");
    let options = RebuildOptions {
        snapshots: Some((log, SnapshotPolicy::default())),
        ..RebuildOptions::default()
    };
    let outcome = projection::rebuild(log, projections, &options, &mut |p| {
        progress.update(p.done, Some(p.total))
    });
    progress.finish();
    log.persist_snapshots()?;
    match outcome? {
        RebuildOutcome::Completed(report) | RebuildOutcome::Cancelled(report) => Ok(report),
    }
}

fn start_json(start: &Start) -> Value {
    match start {
        Start::Genesis => json!("genesis"),
        Start::Snapshot(seq) => json!({ "snapshot": seq }),
    }
}

fn change_json(change: &Change) -> Value {
    match change {
        Change::Added { path, new } => json!({"op": "added", "path": path.to_string(), "new": new}),
        Change::Removed { path, old } => {
            json!({"op": "removed", "path": path.to_string(), "old": old})
        }
        Change::Changed { path, old, new } => {
            json!({"op": "changed", "path": path.to_string(), "old": old, "new": new})
        }
    }
}
