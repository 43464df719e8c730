//! What changed between two states: paths added, removed and changed.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::ControlFlow;

use serde_json::Value;

use super::error::ReplayError;
use super::path::{Path, Segment};
use super::source::{EventSource, SnapshotStore};
use super::traits::Projection;
use super::travel::travel;

/// One difference between two JSON states, at the deepest path where the
/// two still have the same kind of value.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Added { path: Path, new: Value },
    Removed { path: Path, old: Value },
    Changed { path: Path, old: Value, new: Value },
}

impl Change {
    pub fn path(&self) -> &Path {
        match self {
            Change::Added { path, .. }
            | Change::Removed { path, .. }
            | Change::Changed { path, .. } => path,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added { path, new } => write!(f, "+ {path}: {new}"),
            Change::Removed { path, old } => write!(f, "- {path}: {old}"),
            Change::Changed { path, old, new } => write!(f, "~ {path}: {old} -> {new}"),
        }
    }
}

/// The changes that turn `old` into `new`. Object members are compared by
/// key (in key order), array elements by index.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    diff_under(&Path::root(), Some(old), Some(new))
}

/// The changes between two values found at `path` (None where there is no
/// value), with paths that start at `path`.
pub fn diff_under(path: &Path, old: Option<&Value>, new: Option<&Value>) -> Vec<Change> {
    let mut changes = Vec::new();
    compare(&mut path.0.clone(), old, new, &mut changes);
    changes
}

fn diff_into(path: &mut Vec<Segment>, old: &Value, new: &Value, changes: &mut Vec<Change>) {
    match (old, new) {
        (Value::Object(old_members), Value::Object(new_members)) => {
            let keys: BTreeSet<&String> = old_members.keys().chain(new_members.keys()).collect();
            for key in keys {
                path.push(Segment::Key(key.clone()));
                compare(path, old_members.get(key), new_members.get(key), changes);
                path.pop();
            }
        }
        (Value::Array(old_items), Value::Array(new_items)) => {
            for index in 0..old_items.len().max(new_items.len()) {
                path.push(Segment::Index(index));
                compare(path, old_items.get(index), new_items.get(index), changes);
                path.pop();
            }
        }
        _ if old != new => changes.push(Change::Changed {
            path: Path(path.clone()),
            old: old.clone(),
            new: new.clone(),
        }),
        _ => {}
    }
}

fn compare(
    path: &mut Vec<Segment>,
    old: Option<&Value>,
    new: Option<&Value>,
    changes: &mut Vec<Change>,
) {
    match (old, new) {
        (Some(old), Some(new)) => diff_into(path, old, new, changes),
        (None, Some(new)) => changes.push(Change::Added {
            path: Path(path.clone()),
            new: new.clone(),
        }),
        (Some(old), None) => changes.push(Change::Removed {
            path: Path(path.clone()),
            old: old.clone(),
        }),
        (None, None) => {}
    }
}

/// What event `seq` changed in fresh `projection`'s state: the diff between
/// its states as at `seq - 1` and `seq`, looked at only within the
/// projection's [`Projection::scope`] of the event.
pub fn diff_at(
    source: &dyn EventSource,
    snapshots: Option<&dyn SnapshotStore>,
    projection: Box<dyn Projection>,
    seq: u64,
) -> Result<Vec<Change>, ReplayError> {
    let last_seq = source.last_seq().map_err(ReplayError::Source)?;
    if seq == 0 || seq > last_seq {
        return Err(ReplayError::PastEnd { seq, last_seq });
    }
    let (mut projection, _) = travel(source, snapshots, projection, seq - 1)?;
    let mut event = None;
    source
        .scan(seq, seq, &mut |found| {
            event = Some(found.clone());
            ControlFlow::Break(())
        })
        .map_err(ReplayError::Source)?;
    let Some(event) = event else {
        return Err(ReplayError::PastEnd { seq, last_seq });
    };
    let scopes = projection.scope(&event.view());
    let before: Vec<Option<Value>> = scopes.iter().map(|scope| projection.get(scope)).collect();
    projection
        .apply(&event)
        .map_err(|error| ReplayError::event(projection.name(), &event.view(), error))?;
    Ok(scopes
        .iter()
        .zip(before)
        .flat_map(|(scope, before)| {
            diff_under(scope, before.as_ref(), projection.get(scope).as_ref())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_reported_at_their_deepest_path() {
        let old = json!({"a": {"b": 1, "c": [1, 2]}, "gone": true, "same": "x"});
        let new = json!({"a": {"b": 2, "c": [1]}, "new": null, "same": "x"});
        let changes: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            changes,
            [
                "~ a.b: 1 -> 2",
                "- a.c[1]: 2",
                "- gone: true",
                "+ new: null"
            ]
        );
    }

    #[test]
    fn a_change_of_kind_is_one_change() {
        let changes = diff(&json!({"a": {"b": 1}}), &json!({"a": [1]}));
        assert_eq!(
            changes,
            [Change::Changed {
                path: Path::keys(["a"]),
                old: json!({"b": 1}),
                new: json!([1]),
            }]
        );
    }

    #[test]
    fn equal_states_have_no_changes() {
        let state = json!({"a": [1, {"b": null}]});
        assert!(diff(&state, &state).is_empty());
    }
}
