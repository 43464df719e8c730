//! A JSON value as a foldable tree of screen lines.
//!
//! Each object or array opens a line that can be folded to one line
//! (`address {…} 4 keys`). Paths name nodes as `data/items/0/sku`, so the
//! fold state survives moving to another event with the same shape, and a
//! projection diff can mark the lines it changed.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

/// One line of a flattened tree.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeLine {
    pub depth: usize,
    /// `/`-separated keys and indexes from the root, e.g. `data/items/0`.
    pub path: String,
    /// The key or index naming this node in its parent (none for a root
    /// shown without a label).
    pub key: Option<String>,
    pub kind: LineKind,
}

/// What a line shows.
#[derive(Clone, Debug, PartialEq)]
pub enum LineKind {
    /// The first line of an object (`{`) or array (`[`), with its size.
    Open {
        array: bool,
        folded: bool,
        len: usize,
    },
    /// The closing bracket of an unfolded object or array.
    Close {
        array: bool,
    },
    /// An entry of a large map whose value has not been fetched yet: shown
    /// folded, fetched when unfolded.
    Unfetched,
    String(String),
    Number(String),
    Literal(&'static str),
}

impl TreeLine {
    /// Whether the line can be folded or unfolded.
    pub fn is_foldable(&self) -> bool {
        match self.kind {
            LineKind::Open { len, .. } => len > 0,
            LineKind::Unfetched => true,
            _ => false,
        }
    }
}

/// Joins a path and a child key. Keys are escaped as in a JSON pointer
/// (`~` as `~0`, `/` as `~1`), so a path names exactly one node.
pub fn child_path(path: &str, key: &str) -> String {
    let key = if key.contains(['~', '/']) {
        key.replace('~', "~0").replace('/', "~1")
    } else {
        key.to_string()
    };
    if path.is_empty() {
        key
    } else {
        format!("{path}/{key}")
    }
}

/// The keys of a path made by [`child_path`], unescaped.
pub fn path_keys(path: &str) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    path.split('/')
        .map(|key| key.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Flattens `value`, labelled `label`, at `path`, skipping what is folded.
pub fn flatten(
    label: Option<&str>,
    path: &str,
    value: &Value,
    folded: &HashSet<String>,
) -> Vec<TreeLine> {
    flatten_lazy(label, path, value, folded, &HashMap::new())
}

/// Large maps of a value held in part: the path of each such object, and
/// all its keys in order. The object in the value holds only the entries
/// fetched so far.
pub type LazyMaps = HashMap<String, Vec<String>>;

/// [`flatten`], listing each map of `lazy` by its keys: an entry the value
/// lacks shows as one [`LineKind::Unfetched`] line.
pub fn flatten_lazy(
    label: Option<&str>,
    path: &str,
    value: &Value,
    folded: &HashSet<String>,
    lazy: &LazyMaps,
) -> Vec<TreeLine> {
    let mut out = Vec::new();
    let tree = Tree { folded, lazy };
    tree.push(
        &mut out,
        0,
        label.map(str::to_string),
        path.to_string(),
        value,
    );
    out
}

struct Tree<'a> {
    folded: &'a HashSet<String>,
    lazy: &'a LazyMaps,
}

impl Tree<'_> {
    fn push(
        &self,
        out: &mut Vec<TreeLine>,
        depth: usize,
        key: Option<String>,
        path: String,
        value: &Value,
    ) {
        let folded = self.folded;
        let line = |kind| TreeLine {
            depth,
            path: path.clone(),
            key: key.clone(),
            kind,
        };
        let lazy_keys = match value {
            Value::Object(_) => self.lazy.get(&path),
            _ => None,
        };
        let (array, len) = match value {
            Value::Object(map) => (false, lazy_keys.map_or(map.len(), Vec::len)),
            Value::Array(items) => (true, items.len()),
            Value::String(s) => return out.push(line(LineKind::String(s.clone()))),
            Value::Number(n) => return out.push(line(LineKind::Number(n.to_string()))),
            Value::Bool(true) => return out.push(line(LineKind::Literal("true"))),
            Value::Bool(false) => return out.push(line(LineKind::Literal("false"))),
            Value::Null => return out.push(line(LineKind::Literal("null"))),
        };
        let is_folded = len > 0 && folded.contains(&path);
        out.push(line(LineKind::Open {
            array,
            folded: is_folded,
            len,
        }));
        if is_folded || len == 0 {
            return;
        }
        match value {
            Value::Object(map) if lazy_keys.is_some() => {
                for k in lazy_keys.into_iter().flatten() {
                    let child = child_path(&path, k);
                    match map.get(k) {
                        Some(v) => self.push(out, depth + 1, Some(k.clone()), child, v),
                        None => out.push(TreeLine {
                            depth: depth + 1,
                            path: child,
                            key: Some(k.clone()),
                            kind: LineKind::Unfetched,
                        }),
                    }
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.push(out, depth + 1, Some(k.clone()), child_path(&path, k), v);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let k = i.to_string();
                    self.push(out, depth + 1, Some(k.clone()), child_path(&path, &k), v);
                }
            }
            _ => {}
        }
        out.push(TreeLine {
            depth,
            path: path.clone(),
            key: None,
            kind: LineKind::Close { array },
        });
    }
}

/// The paths of every object and array in `value` under `path`: folding
/// all of them folds the whole tree.
pub fn container_paths(path: &str, value: &Value, out: &mut HashSet<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.insert(path.to_string());
            for (k, v) in map {
                container_paths(&child_path(path, k), v, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.insert(path.to_string());
            for (i, v) in items.iter().enumerate() {
                container_paths(&child_path(path, &i.to_string()), v, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unfolded_object_shows_every_field_between_brackets() {
        let value = json!({"name": "Ada", "address": {"city": "Oslo"}});
        let lines = flatten(Some("data"), "data", &value, &HashSet::new());
        let paths: Vec<&str> = lines.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "data",
                "data/name",
                "data/address",
                "data/address/city",
                "data/address",
                "data"
            ]
        );
        assert_eq!(lines[3].depth, 2);
        assert_eq!(lines[3].kind, LineKind::String("Oslo".into()));
    }

    #[test]
    fn a_folded_node_hides_its_children_and_keeps_its_size() {
        let value = json!({"items": [1, 2, 3], "total": 6});
        let folded = HashSet::from(["items".to_string()]);
        let lines = flatten(None, "", &value, &folded);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert_eq!(
            lines[1].kind,
            LineKind::Open {
                array: true,
                folded: true,
                len: 3
            }
        );
    }

    #[test]
    fn paths_escape_slashes_and_read_back() {
        let path = child_path(&child_path("", "a/b"), "c~d");
        assert_eq!(path, "a~1b/c~0d");
        assert_eq!(path_keys(&path), ["a/b", "c~d"]);
        assert!(path_keys("").is_empty());
    }

    #[test]
    fn folding_every_container_leaves_one_line() {
        let value = json!({"a": {"b": [1, {"c": 2}]}});
        let mut all = HashSet::new();
        container_paths("data", &value, &mut all);
        assert_eq!(all.len(), 4);
        assert_eq!(flatten(Some("data"), "data", &value, &all).len(), 1);
    }
}
