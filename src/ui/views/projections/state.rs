//! The projections view's state: which projection, its state at the
//! cursor as a foldable tree, what the event there changed, blame,
//! rebuilds and the snapshot check.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use crate::domain_file::Projections;
use crate::escape::printable;
use crate::projection::{self, Change, Path, Progress, RebuildOutcome, Segment};
use crate::store::EventLog;
use crate::ui::jobs::Jobs;
use crate::ui::json_tree::{self, TreeLine, child_path};
use crate::ui::msg::Job;
use crate::ui::views::projections::lazy_state::{self, tree_path};
use crate::ui::views::projections::msg::{Agreement, StateAt};
use crate::ui::views::projections::work;
use crate::ui::widgets::json::Mark;

/// A root with more children than this starts with each child folded.
const FOLD_ROOT_ABOVE: usize = 12;

/// A rebuild, running or finished, and the snapshot pass after it.
#[derive(Debug)]
pub struct RebuildStatus {
    /// The projection rebuilt.
    pub name: String,
    pub started: Instant,
    pub progress: Option<Progress>,
    /// How it ended, once it has.
    pub outcome: Option<Result<RebuildOutcome, String>>,
    /// Once the rebuild has completed: its snapshots, saved by a second
    /// pass ([`work::save_snapshots`]).
    pub snapshots: Option<SnapshotPass>,
}

/// The pass that saves a rebuilt projection's snapshots for time travel.
#[derive(Debug)]
pub struct SnapshotPass {
    pub progress: Option<Progress>,
    /// How it ended, once it has.
    pub outcome: Option<Result<RebuildOutcome, String>>,
}

/// The projections view.
#[derive(Debug, Default)]
pub struct ProjectionsState {
    /// Where projections come from: the built-ins and the domain file's.
    pub registry: Projections,
    pub names: Vec<String>,
    pub selected: usize,
    pub state: Option<Box<StateAt>>,
    pub problem: Option<String>,
    pub folded: HashSet<String>,
    pub lines: Vec<TreeLine>,
    pub marks: HashMap<String, Mark>,
    pub cursor: usize,
    pub scroll: usize,
    pub blame: Option<(String, Result<Option<u64>, String>)>,
    pub rebuild: Option<RebuildStatus>,
    pub agreement: Option<Result<Agreement, String>>,
    /// The seq whose state is wanted (the cursor's).
    pub wanted: Option<u64>,
    /// What if: the events marked as skipped, and the state without them.
    pub skip: crate::ui::views::projections::skip::SkipPanel,
    /// What if: a branch at a seq, with commands tried there.
    pub branch: Option<crate::ui::views::projections::branch::BranchPanel>,
}

impl ProjectionsState {
    /// Picks the projections that apply to the log's event types; a domain
    /// projection first when there is one, as it tells the better story.
    pub fn init(&mut self, log: &EventLog) {
        let types: Vec<String> = log
            .stats()
            .map(|s| s.types.into_iter().map(|(t, _)| t).collect())
            .unwrap_or_default();
        let refs: Vec<&str> = types.iter().map(String::as_str).collect();
        self.names = self.registry.applicable(&refs);
        self.selected = self
            .names
            .iter()
            .position(|n| !projection::builtin::GENERIC.contains(&n.as_str()))
            .unwrap_or(0);
    }

    pub fn name(&self) -> Option<&str> {
        self.names.get(self.selected).map(String::as_str)
    }

    /// Whether the projection called `name` is the domain file's.
    pub fn is_from_file(&self, name: &str) -> bool {
        projection::builtin(name).is_none()
    }

    pub fn rebuilding(&self) -> bool {
        self.rebuild.as_ref().is_some_and(|r| r.outcome.is_none())
    }

    pub fn picker_entries(&self) -> Vec<(String, String)> {
        self.names
            .iter()
            .map(|name| {
                let kind = if projection::builtin::GENERIC.contains(&name.as_str()) {
                    "any log".to_string()
                } else if let Some(summary) = self.registry.summary(name) {
                    summary.to_string()
                } else if self.is_from_file(name) {
                    "domain file".to_string()
                } else {
                    "domain".to_string()
                };
                // A domain file's names and summaries reach the terminal.
                (printable(name).into_owned(), printable(&kind).into_owned())
            })
            .collect()
    }

    /// Asks a worker for the state at `seq`, handing it the state held so
    /// that a step forwards costs one event.
    pub fn follow_cursor(&mut self, log: &Arc<EventLog>, jobs: &mut Jobs, seq: Option<u64>) {
        let (Some(name), Some(seq)) = (self.name().map(str::to_owned), seq.or(Some(0))) else {
            return;
        };
        if self
            .state
            .as_ref()
            .is_some_and(|s| s.name.as_str() == name && s.seq == seq)
            && self.wanted == Some(seq)
        {
            return;
        }
        self.wanted = Some(seq);
        self.blame = None;
        self.agreement = None;
        let (held, keep) = match self.state.take() {
            Some(state) if state.name == name => {
                let keep = lazy_state::fetched_entries(&state.value, &state.lazy);
                let StateAt {
                    seq: at,
                    projection,
                    ..
                } = *state;
                (Some((at, projection)), keep)
            }
            _ => (None, Vec::new()),
        };
        let log = log.clone();
        let registry = self.registry.clone();
        jobs.spawn(Job::Projection, move |worker| {
            work::state(&log, worker, &registry, name, seq, held, keep)
        });
    }

    pub(super) fn show_state(&mut self, state: Box<StateAt>) {
        if self.state.as_ref().is_none_or(|old| old.name != state.name) {
            self.folded.clear();
            let root_len = |map: &serde_json::Map<String, Value>| {
                state.lazy.get("").map_or(map.len(), Vec::len)
            };
            if let Value::Object(map) = &state.value
                && root_len(map) > FOLD_ROOT_ABOVE
            {
                for (key, value) in map {
                    if value.is_object() || value.is_array() {
                        self.folded.insert(child_path("", key));
                    }
                }
            }
        }
        self.marks.clear();
        for change in &state.changes {
            let path = tree_path(change.path());
            // Unfold down to every change, so that it can be seen.
            let keys = json_tree::path_keys(&path);
            let mut ancestor = String::new();
            for key in &keys[..keys.len().saturating_sub(1)] {
                ancestor = child_path(&ancestor, key);
                self.folded.remove(&ancestor);
            }
            let mark = match change {
                Change::Added { .. } => Mark::Added,
                Change::Removed { .. } => Mark::Removed,
                Change::Changed { .. } => Mark::Changed,
            };
            self.marks.insert(path, mark);
        }
        self.problem = None;
        self.state = Some(state);
        self.reflatten();
        if let Some(first) = self
            .lines
            .iter()
            .position(|l| self.marks.contains_key(&l.path))
        {
            self.cursor = first;
        }
    }

    pub(super) fn reflatten(&mut self) {
        self.lines = match &self.state {
            Some(state) => {
                json_tree::flatten_lazy(None, "", &state.value, &self.folded, &state.lazy)
            }
            None => Vec::new(),
        };
        self.cursor = self.cursor.min(self.lines.len().saturating_sub(1));
    }

    /// The diff mark for a tree line: its own, or a folded line's hidden one.
    pub fn mark_of(&self, line: &TreeLine) -> Option<Mark> {
        if let Some(mark) = self.marks.get(&line.path) {
            return Some(*mark);
        }
        let folded = matches!(
            line.kind,
            json_tree::LineKind::Open { folded: true, .. } | json_tree::LineKind::Unfetched
        );
        let prefix = format!("{}/", line.path);
        (folded
            && self
                .marks
                .keys()
                .any(|p| line.path.is_empty() || p.starts_with(&prefix)))
        .then_some(Mark::Changed)
    }
}

/// A tree path as a projection path, reading array indexes where the state
/// has arrays.
pub(super) fn projection_path(value: &Value, tree: &str) -> Path {
    let mut node = Some(value);
    let mut segments = Vec::new();
    for key in json_tree::path_keys(tree) {
        let segment = match (node, key.parse::<usize>()) {
            (Some(Value::Array(_)), Ok(i)) => Segment::Index(i),
            _ => Segment::Key(key.clone()),
        };
        node = match (&segment, node) {
            (Segment::Index(i), Some(Value::Array(items))) => items.get(*i),
            (Segment::Key(k), Some(Value::Object(map))) => map.get(k),
            _ => None,
        };
        segments.push(segment);
    }
    Path(segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tree_paths_and_projection_paths_name_the_same_node() {
        let value = json!({"a/b": {"items": [{"sku": "x"}]}});
        let path = Path(vec![
            Segment::Key("a/b".into()),
            Segment::Key("items".into()),
            Segment::Index(0),
            Segment::Key("sku".into()),
        ]);
        let tree = tree_path(&path);
        assert_eq!(tree, "a~1b/items/0/sku");
        assert_eq!(projection_path(&value, &tree), path);
    }

    /// The view's state given a computed state: no store, no App.
    #[test]
    fn a_shown_state_marks_what_changed_and_unfolds_down_to_it() {
        let mut state = ProjectionsState::default();
        // Folded before: the change below must be brought into view.
        state.folded.insert("customer-1".into());
        let changed = Path(vec![
            Segment::Key("customer-1".into()),
            Segment::Key("address".into()),
            Segment::Key("city".into()),
        ]);
        let value = json!({
            "customer-1": {"name": "Ada", "address": {"city": "Leeds"}},
            "customer-2": {"name": "Bo", "address": {"city": "Oslo"}},
        });
        let at = StateAt {
            name: "customers".into(),
            seq: 7,
            projection: crate::projection::builtin("customers").unwrap(),
            value,
            lazy: Default::default(),
            changes: vec![Change::Changed {
                path: changed.clone(),
                old: json!("Oslo"),
                new: json!("Leeds"),
            }],
            how: "replayed".into(),
        };
        state.show_state(Box::new(at));
        let city = tree_path(&changed);
        assert_eq!(state.marks.get(&city), Some(&Mark::Changed));
        assert!(
            !state.folded.contains("customer-1"),
            "unfolded to the change"
        );
        let line = &state.lines[state.cursor];
        assert_eq!(line.path, city, "the cursor is on the change");
        // A folded parent of a change shows that something under it changed.
        state.folded.insert("customer-1".into());
        state.reflatten();
        let parent = state.lines.iter().find(|l| l.path == "customer-1").unwrap();
        assert_eq!(state.mark_of(parent), Some(Mark::Changed));
        let other = state.lines.iter().find(|l| l.path == "customer-2").unwrap();
        assert_eq!(state.mark_of(other), None);
    }
}
