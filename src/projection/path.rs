//! Paths into a JSON state, e.g. `customer-7.address.city` or `items[0].sku`.
//!
//! Keys are joined by dots and array indices written in brackets. A key that
//! is empty or holds any of `. [ ] "` `\` or whitespace is written as a
//! quoted JSON string (`"a.b".c`), so every path renders to exactly one text
//! and parses back to itself.

use std::fmt;

use serde_json::Value;

/// One step into a JSON value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A list of steps from the root of a state; empty means the whole state.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(pub Vec<Segment>);

impl Path {
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// A path of keys only.
    pub fn keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Path {
        Path(
            keys.into_iter()
                .map(|k| Segment::Key(k.to_string()))
                .collect(),
        )
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn child(&self, segment: Segment) -> Path {
        let mut segments = self.0.clone();
        segments.push(segment);
        Path(segments)
    }

    /// The first segment when it is a key.
    pub fn first_key(&self) -> Option<&str> {
        self.key_at(0)
    }

    pub fn key_at(&self, index: usize) -> Option<&str> {
        match self.0.get(index) {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// The path without its first `n` segments.
    pub fn skip(&self, n: usize) -> Path {
        Path(self.0.iter().skip(n).cloned().collect())
    }

    /// The value this path leads to inside `value`.
    pub fn lookup<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.0
            .iter()
            .try_fold(value, |node, segment| match segment {
                Segment::Key(key) => node.as_object()?.get(key),
                Segment::Index(index) => node.as_array()?.get(*index),
            })
    }

    /// Reads a path as [`Path`]'s `Display` writes it; `.` or `` is the root.
    pub fn parse(text: &str) -> Result<Path, PathError> {
        if text.is_empty() || text == "." {
            return Ok(Path::root());
        }
        let mut segments = Vec::new();
        let mut rest = text;
        let mut expect_key = true;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let close = after
                    .find(']')
                    .ok_or_else(|| PathError::new(text, "a `[` is not closed"))?;
                let index = after[..close]
                    .parse()
                    .map_err(|_| PathError::new(text, "an index in brackets is not a number"))?;
                segments.push(Segment::Index(index));
                rest = &after[close + 1..];
                expect_key = false;
            } else if let Some(after) = rest.strip_prefix('.').filter(|_| !expect_key) {
                rest = after;
                expect_key = true;
                if rest.is_empty() {
                    return Err(PathError::new(text, "it ends with a dot"));
                }
            } else if expect_key {
                let (key, after) = read_key(rest).map_err(|reason| PathError::new(text, reason))?;
                segments.push(Segment::Key(key));
                rest = after;
                expect_key = false;
            } else {
                return Err(PathError::new(text, "keys must be separated by dots"));
            }
        }
        Ok(Path(segments))
    }
}

/// Reads one key from the front of `text`: quoted, or up to `.` or `[`.
fn read_key(text: &str) -> Result<(String, &str), &'static str> {
    if text.starts_with('"') {
        let mut escaped = false;
        for (i, c) in text.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    let key = serde_json::from_str(&text[..=i])
                        .map_err(|_| "a quoted key is not a JSON string")?;
                    return Ok((key, &text[i + 1..]));
                }
                _ => {}
            }
        }
        Err("a quoted key is not closed")
    } else {
        let end = text.find(['.', '[']).unwrap_or(text.len());
        let key = &text[..end];
        if needs_quotes(key) {
            return Err("a key that is empty or holds . [ ] \" \\ or spaces must be quoted");
        }
        Ok((key.to_string(), &text[end..]))
    }
}

fn needs_quotes(key: &str) -> bool {
    key.is_empty()
        || key.chars().any(|c| {
            matches!(c, '.' | '[' | ']' | '"' | '\\') || c.is_whitespace() || c.is_control()
        })
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if needs_quotes(key) {
                        write!(f, "{}", Value::String(key.clone()))?;
                    } else {
                        f.write_str(key)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A path that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub text: String,
    pub reason: &'static str,
}

impl PathError {
    fn new(text: &str, reason: &'static str) -> PathError {
        PathError {
            text: text.to_string(),
            reason,
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a path: {}", self.text, self.reason)
    }
}

impl std::error::Error for PathError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_paths_read_like_dotted_names() {
        let path = Path::keys(["customers", "customer-7", "address", "city"]);
        assert_eq!(path.to_string(), "customers.customer-7.address.city");
        let items = Path::keys(["items"])
            .child(Segment::Index(0))
            .child(Segment::Key("sku".into()));
        assert_eq!(items.to_string(), "items[0].sku");
        assert_eq!(Path::root().to_string(), ".");
    }

    #[test]
    fn keys_with_dots_are_quoted() {
        let path = Path::keys(["a.b", "c"]);
        assert_eq!(path.to_string(), r#""a.b".c"#);
        assert_eq!(Path::parse(r#""a.b".c"#).unwrap(), path);
        assert_ne!(Path::parse("a.b.c").unwrap(), path);
    }

    #[test]
    fn bad_paths_are_named() {
        for text in ["a..b", "a.", "a[x]", "a[1", "\"open", "a\"b\""] {
            let err = Path::parse(text).unwrap_err();
            assert!(err.to_string().contains(text), "{err}");
        }
    }

    #[test]
    fn lookup_follows_keys_and_indices() {
        let value = serde_json::json!({"a": {"b": [10, {"c": true}]}});
        let path = Path::parse("a.b[1].c").unwrap();
        assert_eq!(path.lookup(&value), Some(&Value::Bool(true)));
        assert_eq!(Path::parse("a.x").unwrap().lookup(&value), None);
    }

    fn segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            "[a-z0-9.\\[\\]\" \\\\-]{0,6}".prop_map(Segment::Key),
            (0usize..20).prop_map(Segment::Index),
        ]
    }

    proptest! {
        #[test]
        fn every_path_parses_back_to_itself(segments in proptest::collection::vec(segment(), 0..5)) {
            let path = Path(segments);
            prop_assert_eq!(Path::parse(&path.to_string()).unwrap(), path);
        }
    }
}
