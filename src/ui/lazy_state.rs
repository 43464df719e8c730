//! A projection's state held in part, for the projections view.
//!
//! A state whose maps are small is held whole, as [`Projection::state`]
//! builds it. A map of more than [`LAZY_ABOVE`] entries (a directory of
//! 50,000 customers) is listed by its keys alone, through
//! [`Projection::keys_at`]; only the entries someone looks at, or that the
//! event at the cursor changed, are fetched with [`Projection::get`]. So
//! memory and the cost of a step follow the number of entries, not their
//! content.

use serde_json::{Map, Value};

use super::json_tree::{LazyMaps, child_path, path_keys};
use crate::projection::{Path, Projection, Segment};

/// Maps with more entries than this are held by their keys.
pub const LAZY_ABOVE: usize = 1_000;

/// The state of `projection` to show, and its maps held by their keys.
/// Of those maps, only the entries at or above a tree path of `wanted`
/// are fetched. With no large map, the state is [`Projection::state`]'s.
pub fn sketch(projection: &dyn Projection, wanted: &[String]) -> (Value, LazyMaps) {
    let mut lazy = LazyMaps::new();
    let Some(keys) = projection.keys_at(&Path::root()) else {
        return (projection.state(), lazy);
    };
    let sketcher = Sketcher { projection, wanted };
    let value = sketcher.object(&Path::root(), "", keys, &mut lazy);
    if lazy.is_empty() {
        // Small: exactly the state, as it was always shown.
        return (projection.state(), lazy);
    }
    (value, lazy)
}

struct Sketcher<'a> {
    projection: &'a dyn Projection,
    wanted: &'a [String],
}

impl Sketcher<'_> {
    fn object(&self, path: &Path, tree: &str, keys: Vec<String>, lazy: &mut LazyMaps) -> Value {
        let mut map = Map::new();
        if keys.len() > LAZY_ABOVE {
            for key in self.wanted_keys(tree) {
                if map.contains_key(&key) {
                    continue;
                }
                if let Some(value) = self.projection.get(&path.child(Segment::Key(key.clone()))) {
                    map.insert(key, value);
                }
            }
            lazy.insert(tree.to_string(), keys);
            return Value::Object(map);
        }
        for key in keys {
            let child = path.child(Segment::Key(key.clone()));
            let child_tree = child_path(tree, &key);
            let value = match self.projection.keys_at(&child) {
                Some(keys) => Some(self.object(&child, &child_tree, keys, lazy)),
                None => self.projection.get(&child),
            };
            if let Some(value) = value {
                map.insert(key, value);
            }
        }
        Value::Object(map)
    }

    /// The keys of the map at `tree` that a wanted path goes through.
    fn wanted_keys(&self, tree: &str) -> Vec<String> {
        let prefix = if tree.is_empty() {
            String::new()
        } else {
            format!("{tree}/")
        };
        self.wanted
            .iter()
            .filter_map(|path| path.strip_prefix(&prefix))
            .filter_map(|rest| path_keys(rest).into_iter().next())
            .collect()
    }
}

/// The tree paths of the entries of lazy maps that `value` holds: fetched
/// once, they stay fetched on the next step.
pub fn fetched_entries(value: &Value, lazy: &LazyMaps) -> Vec<String> {
    lazy.keys()
        .filter_map(|tree| Some((tree, node(value, tree)?.as_object()?)))
        .flat_map(|(tree, map)| map.keys().map(|key| child_path(tree, key)))
        .collect()
}

/// Fetches the unfetched entry at `tree` of a lazy map into `value`;
/// false when `tree` is not such an entry or the projection has no value
/// there.
pub fn fetch_entry(
    projection: &dyn Projection,
    value: &mut Value,
    lazy: &LazyMaps,
    tree: &str,
) -> bool {
    let mut keys = path_keys(tree);
    let Some(key) = keys.pop() else {
        return false;
    };
    let parent = keys
        .iter()
        .fold(String::new(), |acc, k| child_path(&acc, k));
    if !lazy.contains_key(&parent) {
        return false;
    }
    let mut path = Path(keys.iter().cloned().map(Segment::Key).collect());
    path = path.child(Segment::Key(key.clone()));
    let (Some(fetched), Some(Value::Object(map))) =
        (projection.get(&path), node_mut(value, &parent))
    else {
        return false;
    };
    map.insert(key, fetched);
    true
}

/// The node at a tree path of objects (lazy maps sit under objects only).
fn node<'v>(value: &'v Value, tree: &str) -> Option<&'v Value> {
    path_keys(tree)
        .iter()
        .try_fold(value, |node, key| node.as_object()?.get(key))
}

fn node_mut<'v>(value: &'v mut Value, tree: &str) -> Option<&'v mut Value> {
    path_keys(tree)
        .iter()
        .try_fold(value, |node, key| node.as_object_mut()?.get_mut(key))
}

/// A projection path as a tree path.
pub fn tree_path(path: &Path) -> String {
    path.segments()
        .iter()
        .fold(String::new(), |acc, segment| match segment {
            Segment::Key(key) => child_path(&acc, key),
            Segment::Index(i) => child_path(&acc, &i.to_string()),
        })
}
