//! Finding the first member of a JSON object named a second time, without
//! listing the members: the keys of a small object (metadata usually has a
//! handful) are kept on the stack, so the check allocates nothing.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::json_text::Key;

/// The first member of `text`, if it is one JSON object, whose key an
/// earlier member already has: its key and its value.
pub(super) fn first_repeated_member(text: &str) -> Option<(Cow<'_, str>, &RawValue)> {
    serde_json::from_str::<FirstRepeated<'_>>(text)
        .ok()
        .and_then(|found| found.0)
}

struct FirstRepeated<'a>(Option<(Cow<'a, str>, &'a RawValue)>);

/// Keys compared one by one; past these, a set keeps the check linear.
const ON_STACK: usize = 16;

impl<'de> Deserialize<'de> for FirstRepeated<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RepeatVisitor;
        impl<'de> Visitor<'de> for RepeatVisitor {
            type Value = FirstRepeated<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut first: [Option<Cow<'de, str>>; ON_STACK] = [const { None }; ON_STACK];
                let mut later = rustc_hash::FxHashSet::<Cow<'de, str>>::default();
                let mut count = 0;
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    let value = map.next_value::<&'de RawValue>()?;
                    let seen = first[..count.min(ON_STACK)]
                        .iter()
                        .flatten()
                        .any(|earlier| *earlier == key)
                        || later.contains(&key);
                    if seen {
                        // The rest is read too: the object must still
                        // parse to its end for the answer to count.
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        return Ok(FirstRepeated(Some((key, value))));
                    }
                    match first.get_mut(count) {
                        Some(slot) => *slot = Some(key),
                        None => {
                            later.insert(key);
                        }
                    }
                    count += 1;
                }
                Ok(FirstRepeated(None))
            }
        }
        deserializer.deserialize_map(RepeatVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeated(text: &str) -> Option<(String, String)> {
        first_repeated_member(text).map(|(key, value)| (key.into_owned(), value.get().to_string()))
    }

    #[test]
    fn the_first_repeat_is_found_whatever_follows_it() {
        let found = Some(("a".to_string(), "2".to_string()));
        assert_eq!(repeated(r#"{"a":1,"a":2,"b":{"c":[3]},"b":4}"#), found);
        assert_eq!(repeated(r#"{"a":1,"\u0061":2}"#), found);
        let many: String = (0..40).map(|n| format!("\"k{n}\":{n},")).collect();
        assert_eq!(
            repeated(&format!("{{{many}\"k30\":true,\"z\":0}}")),
            Some(("k30".to_string(), "true".to_string()))
        );
        assert_eq!(
            repeated(&format!("{{{many}\"k3\":[],\"k3\":1}}")),
            Some(("k3".to_string(), "[]".to_string()))
        );
    }

    #[test]
    fn objects_without_repeats_and_other_values_have_none() {
        let many: String = (0..40).map(|n| format!("\"k{n}\":{n},")).collect();
        for text in [
            r#"{"a":1,"b":{"a":2}}"#.to_string(),
            format!("{{{many}\"z\":0}}"),
            "{}".to_string(),
            "[1,1]".to_string(),
            "\"a\"".to_string(),
        ] {
            assert_eq!(repeated(&text), None, "{text}");
        }
    }
}
