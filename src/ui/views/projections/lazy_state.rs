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

use crate::projection::{Path, Projection, Segment};
use crate::ui::json_tree::{LazyMaps, child_path, path_keys};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, NewEvent, Timestamp};
    use crate::projection::builtin::Orders;
    use serde_json::json;

    fn orders(count: usize) -> Orders {
        let event = |seq: usize, stream: String, event_type: &str, data: Value| {
            let new = NewEvent::new(
                stream,
                event_type,
                Timestamp::from_unix_millis(0),
                data.into(),
            );
            Event::stored(new, seq as u64, 1)
        };
        let mut orders = Orders::default();
        for n in 1..=count {
            let placed = json!({"customer": "customer-1", "items": [], "total": n});
            let placed = event(n, format!("order-{n}"), "OrderPlaced", placed);
            orders.apply(&placed).unwrap();
        }
        let paid = event(
            count + 1,
            "order-2".into(),
            "PaymentReceived",
            json!({"amount": 2}),
        );
        orders.apply(&paid).unwrap();
        orders
    }

    #[test]
    fn a_small_state_is_shown_whole() {
        let orders = orders(20);
        let (value, lazy) = sketch(&orders, &[]);
        assert!(lazy.is_empty());
        assert_eq!(value, orders.state());
    }

    #[test]
    fn a_large_map_under_a_key_is_listed_by_keys_and_the_rest_is_whole() {
        let orders = orders(LAZY_ABOVE + 5);
        let wanted = vec!["orders/order-2/status".to_string()];
        let (value, lazy) = sketch(&orders, &wanted);
        assert_eq!(lazy.len(), 1);
        assert_eq!(lazy["orders"].len(), LAZY_ABOVE + 5);
        assert_eq!(lazy["orders"][0], "order-1");
        let state = orders.state();
        assert_eq!(value["revenue_by_day"], state["revenue_by_day"]);
        assert_eq!(value["revenue_total"], state["revenue_total"]);
        let held = value["orders"].as_object().unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(held["order-2"], state["orders"]["order-2"]);
        assert_eq!(fetched_entries(&value, &lazy), ["orders/order-2"]);

        let mut value = value;
        assert!(fetch_entry(&orders, &mut value, &lazy, "orders/order-9"));
        assert_eq!(value["orders"]["order-9"], state["orders"]["order-9"]);
        assert!(!fetch_entry(&orders, &mut value, &lazy, "revenue_total"));
    }
}
