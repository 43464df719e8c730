//! `eventscope replay LOG`: projections as JSON, as at any seq.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventscope::projection::{
    self, Change, Projection, RebuildOptions, RebuildOutcome, SnapshotPolicy, SnapshotStore, Start,
};
use eventscope::store::{EventLog, StoreError};
use serde_json::{Map, Value, json};

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
    /// Neither use nor save snapshots: replay from the first event.
    #[arg(long)]
    pub no_snapshots: bool,
    /// List the projections that apply to the log.
    #[arg(long, conflicts_with_all = ["projections", "at", "diff", "blame"])]
    pub list: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Snapshots are written to the log's cache table, so a replay that may
    // save them opens the log for writing; one that may not, read-only.
    let mut no_snapshots = args.no_snapshots || args.list;
    let log = if no_snapshots {
        EventLog::open_read_only(&args.log)?
    } else {
        match EventLog::open(&args.log) {
            Ok(log) => log,
            Err(StoreError::NotWritable { .. }) => {
                eprintln!(
                    "note: {} is read-only here: replaying without snapshots",
                    args.log.display()
                );
                no_snapshots = true;
                EventLog::open_read_only(&args.log)?
            }
            Err(error) => return Err(error.into()),
        }
    };
    let stats = log.stats()?;
    let types: Vec<&str> = stats.types.iter().map(|(name, _)| name.as_str()).collect();
    let applicable = projection::applicable(&types);
    if args.list {
        println!("{}", json!(applicable));
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = if args.projections.is_empty() {
        applicable.iter().map(|n| n.to_string()).collect()
    } else {
        args.projections.clone()
    };
    let mut fresh = Vec::new();
    for name in &names {
        let projection = projection::builtin(name).with_context(|| {
            format!(
                "unknown projection `{name}`; known: {}",
                projection::names().join(", ")
            )
        })?;
        fresh.push(projection);
    }
    let last = log.last_seq()?;
    let at = args.at.unwrap_or(last);
    anyhow::ensure!(
        at <= last,
        "seq {at} is past the end of the log (the last is {last})"
    );
    let snapshots: Option<&dyn SnapshotStore> = (!no_snapshots).then_some(&log as _);

    let mut out = Map::new();
    if let Some(path) = &args.blame {
        let path = projection::Path::parse(path).map_err(|e| anyhow::anyhow!("{e}"))?;
        for projection in fresh {
            let name = projection.name();
            let blame = projection::blame(&log, snapshots, projection, &path, at)?;
            let event = match blame.changed_at {
                Some(seq) => log.get(seq)?.map(|e| {
                    json!({"seq": e.seq, "type": &*e.event_type, "stream": &*e.stream, "time": e.time.to_string()})
                }),
                None => None,
            };
            out.insert(
                name.into(),
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
    } else if args.diff {
        anyhow::ensure!(at >= 1, "--diff needs a seq of 1 or more");
        for projection in fresh {
            let name = projection.name();
            let changes = projection::diff_at(&log, snapshots, projection, at)?;
            out.insert(
                name.into(),
                json!({"at": at, "changes": changes.iter().map(change_json).collect::<Vec<_>>()}),
            );
        }
    } else if args.at.is_none() && !no_snapshots {
        // The whole log: one pass for every projection, saving snapshots
        // on the way so that later time travel is fast.
        let mut projections = fresh;
        let outcome = rebuild(&log, &mut projections)?;
        let states = projections.into_iter().map(|projection| {
            let name = projection.name();
            let state = projection.into_state();
            (name, outcome.done, json!("genesis"), outcome.done, state)
        });
        return write_states(states);
    } else {
        let mut travelled = Vec::new();
        for projection in fresh {
            travelled.push(projection::travel(&log, snapshots, projection, at)?);
        }
        let states = travelled.into_iter().map(|(projection, report)| {
            let name = projection.name();
            let start = start_json(&report.start);
            (
                name,
                report.at,
                start,
                report.replayed,
                projection.into_state(),
            )
        });
        return write_states(states);
    }
    let text = serde_json::to_string_pretty(&Value::Object(out))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// Prints each projection's state as it is handed over, in the layout of
/// `serde_json::to_string_pretty` of the whole object, so that only one
/// state is held as JSON at a time and no text of them all is built.
fn write_states(
    states: impl Iterator<Item = (&'static str, u64, Value, u64, Value)>,
) -> anyhow::Result<ExitCode> {
    use serde::ser::{SerializeMap, Serializer};
    use std::io::Write;

    let stdout = std::io::stdout();
    let mut writer = std::io::BufWriter::new(stdout.lock());
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut writer,
        serde_json::ser::PrettyFormatter::new(),
    );
    let mut map = serializer.serialize_map(None)?;
    for (name, at, start, replayed, state) in states {
        let entry = json!({"at": at, "start": start, "replayed": replayed, "state": state});
        map.serialize_entry(name, &entry)?;
    }
    map.end()?;
    writeln!(writer)?;
    writer.flush()?;
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
