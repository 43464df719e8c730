//! A JSON value kept small, for a state that holds one per stream (the
//! replica's entities). A `serde_json::Value` object is an index map: a
//! hash table and a bucket of 64 bytes a member, each key a `String` of
//! its own. Here an object is one boxed slice of (key, value) pairs in
//! their order, exactly as long as it needs, each key a number naming it
//! in a [`Keys`] table shared by every value of the state; a value is 24
//! bytes, and a string of up to 24 bytes is held in them. The replica of
//! a million retail events takes under a quarter of the memory it took
//! as `Value`s (BENCHMARKS.md).
//!
//! The values behave as `Value` does with serde_json's `preserve_order`:
//! members keep the order they were first set in, a removal keeps the
//! others' order, a repeated key in a text keeps its first place and its
//! last value, and a value is shown (serialised, written) as the same
//! `Value` would be.

use std::fmt;

use compact_str::CompactString;
use indexmap::{IndexMap, IndexSet};
use rustc_hash::FxBuildHasher;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Number, Value};

use crate::json_writer::JsonWriter;

/// The object keys of a state, each stored once, and kept while the state
/// is (a key no entity holds any more stays: there are as many as the
/// log's payloads have distinct keys, at most).
#[derive(Clone, Debug, Default)]
pub struct Keys(IndexSet<Box<str>, FxBuildHasher>);

/// One key of [`Keys`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(usize);

impl Keys {
    pub fn intern(&mut self, name: &str) -> Key {
        let index = match self.0.get_index_of(name) {
            Some(index) => index,
            None => self.0.insert_full(name.into()).0,
        };
        Key(index)
    }

    pub fn name(&self, key: Key) -> &str {
        self.0.get_index(key.0).map_or("", |name| name)
    }
}

/// A JSON value whose object keys are [`Key`]s.
#[derive(Clone, Debug, PartialEq)]
pub enum Compact {
    Null,
    Bool(bool),
    Number(Number),
    /// Up to 24 bytes held inline, without an allocation of their own.
    String(CompactString),
    Array(Box<[Compact]>),
    /// An object of up to [`SMALL`] members, in their order.
    Object(Box<[(Key, Compact)]>),
    /// An object of more, its members found by hash as a `Value`'s are:
    /// a change to one member costs no more for a large object than for
    /// a small one.
    Large(Box<LargeObject>),
}

pub type LargeObject = IndexMap<Key, Compact, FxBuildHasher>;

/// The most members an object holds as a slice, searched in order.
const SMALL: usize = 16;

/// An object being built or changed.
enum Members {
    Small(Vec<(Key, Compact)>),
    Large(LargeObject),
}

impl Members {
    /// The members of `value`, none when it is not an object.
    fn of(value: Compact) -> Members {
        match value {
            Compact::Object(members) => Members::Small(members.into_vec()),
            Compact::Large(members) => Members::Large(*members),
            _ => Members::Small(Vec::new()),
        }
    }

    fn holds(&self, key: Key) -> bool {
        match self {
            Members::Small(members) => members.iter().any(|(held, _)| *held == key),
            Members::Large(members) => members.contains_key(&key),
        }
    }

    /// Room for `more` members: a small object kept at its exact size, or
    /// made large when it would pass [`SMALL`].
    fn reserve(&mut self, more: usize) {
        if let Members::Small(members) = self {
            if members.len() + more > SMALL {
                let mut large =
                    LargeObject::with_capacity_and_hasher(members.len() + more, FxBuildHasher);
                large.extend(members.drain(..));
                *self = Members::Large(large);
            } else {
                members.reserve_exact(more);
            }
        }
    }

    /// The member `key`, added as null (last) when absent.
    fn slot(&mut self, key: Key) -> &mut Compact {
        if !self.holds(key) {
            self.reserve(1);
        }
        match self {
            Members::Small(members) => {
                let place = match members.iter().position(|(held, _)| *held == key) {
                    Some(place) => place,
                    None => {
                        members.push((key, Compact::Null));
                        members.len() - 1
                    }
                };
                &mut members[place].1
            }
            Members::Large(members) => members.entry(key).or_insert(Compact::Null),
        }
    }

    /// Removes `key`, keeping the others' order.
    fn remove(&mut self, key: Key) {
        match self {
            Members::Small(members) => members.retain(|(held, _)| *held != key),
            Members::Large(members) => {
                members.shift_remove(&key);
            }
        }
    }

    fn finish(self) -> Compact {
        match self {
            Members::Small(members) => Compact::Object(members.into_boxed_slice()),
            Members::Large(members) => Compact::Large(Box::new(members)),
        }
    }
}

/// The members of an object, in order.
enum MembersOf<'a> {
    Small(std::slice::Iter<'a, (Key, Compact)>),
    Large(indexmap::map::Iter<'a, Key, Compact>),
}

impl<'a> Iterator for MembersOf<'a> {
    type Item = (Key, &'a Compact);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            MembersOf::Small(members) => members.next().map(|(key, value)| (*key, value)),
            MembersOf::Large(members) => members.next().map(|(key, value)| (*key, value)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            MembersOf::Small(members) => members.size_hint(),
            MembersOf::Large(members) => members.size_hint(),
        }
    }
}

impl ExactSizeIterator for MembersOf<'_> {}

impl Compact {
    pub fn empty_object() -> Compact {
        Compact::Object(Box::new([]))
    }

    pub fn from_value(value: &Value, keys: &mut Keys) -> Compact {
        match value {
            Value::Null => Compact::Null,
            Value::Bool(b) => Compact::Bool(*b),
            Value::Number(number) => Compact::Number(number.clone()),
            Value::String(text) => Compact::String(text.as_str().into()),
            Value::Array(elements) => Compact::Array(
                elements
                    .iter()
                    .map(|element| Compact::from_value(element, keys))
                    .collect(),
            ),
            Value::Object(members) => {
                let mut built = Members::Small(Vec::new());
                built.reserve(members.len());
                for (key, member) in members {
                    *built.slot(keys.intern(key)) = Compact::from_value(member, keys);
                }
                built.finish()
            }
        }
    }

    pub fn to_value(&self, keys: &Keys) -> Value {
        let members = match self {
            Compact::Null => return Value::Null,
            Compact::Bool(b) => return Value::Bool(*b),
            Compact::Number(number) => return Value::Number(number.clone()),
            Compact::String(text) => return Value::String(text.to_string()),
            Compact::Array(elements) => {
                return Value::Array(elements.iter().map(|e| e.to_value(keys)).collect());
            }
            Compact::Object(members) => MembersOf::Small(members.iter()),
            Compact::Large(members) => MembersOf::Large(members.iter()),
        };
        Value::Object(
            members
                .map(|(key, member)| (keys.name(key).to_string(), member.to_value(keys)))
                .collect::<Map<String, Value>>(),
        )
    }

    /// Parses a JSON text, its keys interned in `keys`.
    pub fn parse(text: &str, keys: &mut Keys) -> serde_json::Result<Compact> {
        let mut parser = serde_json::Deserializer::from_str(text);
        let value = Seed(keys).deserialize(&mut parser)?;
        parser.end()?;
        Ok(value)
    }

    /// The value as serde_json would serialise the same `Value`.
    pub fn shown<'a>(&'a self, keys: &'a Keys) -> impl Serialize + 'a {
        Shown(self, keys)
    }

    pub fn write(&self, keys: &Keys, out: &mut JsonWriter<'_>) {
        let members = match self {
            Compact::Null => return out.null(),
            Compact::Bool(b) => return out.bool(*b),
            Compact::Number(number) => return out.number(number),
            Compact::String(text) => return out.str(text),
            Compact::Array(elements) => {
                out.begin_array();
                for element in elements {
                    out.element();
                    element.write(keys, out);
                }
                return out.end_array();
            }
            Compact::Object(members) => MembersOf::Small(members.iter()),
            Compact::Large(members) => MembersOf::Large(members.iter()),
        };
        out.begin_object();
        for (key, member) in members {
            out.key(keys.name(key));
            member.write(keys, out);
        }
        out.end_object();
    }

    /// Applies `patch` as RFC 7386 section 2 defines, as
    /// [`crate::projection::merge_patch`] does to a `Value`: an object
    /// patch merges key by key and a `null` member removes the key; any
    /// other patch replaces the target whole.
    pub fn merge_patch(&mut self, patch: Compact) {
        let patch = match patch {
            Compact::Object(patch) => Members::Small(patch.into_vec()),
            Compact::Large(patch) => Members::Large(*patch),
            patch => {
                *self = patch;
                return;
            }
        };
        let mut members = Members::of(std::mem::replace(self, Compact::Null));
        let patch: Vec<(Key, Compact)> = match patch {
            Members::Small(patch) => patch,
            Members::Large(patch) => patch.into_iter().collect(),
        };
        // Room for the members added, and no more.
        let added = patch
            .iter()
            .filter(|(key, value)| !matches!(value, Compact::Null) && !members.holds(*key))
            .count();
        members.reserve(added);
        for (key, value) in patch {
            if matches!(value, Compact::Null) {
                members.remove(key);
            } else {
                members.slot(key).merge_patch(value);
            }
        }
        *self = members.finish();
    }
}

struct Shown<'a>(&'a Compact, &'a Keys);

impl Serialize for Shown<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Shown(value, keys) = self;
        let members = match value {
            Compact::Null => return serializer.serialize_unit(),
            Compact::Bool(b) => return serializer.serialize_bool(*b),
            Compact::Number(number) => return number.serialize(serializer),
            Compact::String(text) => return serializer.serialize_str(text),
            Compact::Array(elements) => {
                let mut seq = serializer.serialize_seq(Some(elements.len()))?;
                for element in elements {
                    seq.serialize_element(&Shown(element, keys))?;
                }
                return seq.end();
            }
            Compact::Object(members) => MembersOf::Small(members.iter()),
            Compact::Large(members) => MembersOf::Large(members.iter()),
        };
        let mut map = serializer.serialize_map(Some(members.len()))?;
        for (key, member) in members {
            map.serialize_entry(keys.name(key), &Shown(member, keys))?;
        }
        map.end()
    }
}

/// Reads a value, its keys interned as they come.
struct Seed<'k>(&'k mut Keys);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Compact;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Compact, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Compact;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Compact, E> {
        Ok(Compact::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Compact, E> {
        Ok(Compact::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Compact, E> {
        Ok(Compact::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Compact, E> {
        // As `Value` reads a float: one JSON cannot hold (there is none in
        // a JSON text) becomes null.
        Ok(Number::from_f64(n).map_or(Compact::Null, Compact::Number))
    }

    fn visit_str<E>(self, text: &str) -> Result<Compact, E> {
        Ok(Compact::String(text.into()))
    }

    fn visit_unit<E>(self) -> Result<Compact, E> {
        Ok(Compact::Null)
    }

    fn visit_none<E>(self) -> Result<Compact, E> {
        Ok(Compact::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Compact, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Compact, A::Error> {
        let mut elements = Vec::new();
        while let Some(element) = seq.next_element_seed(Seed(&mut *self.0))? {
            elements.push(element);
        }
        Ok(Compact::Array(elements.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Compact, A::Error> {
        let mut members = Members::Small(Vec::new());
        while let Some(key) = map.next_key_seed(KeySeed(&mut *self.0))? {
            // A repeated key keeps its first place and takes the last value.
            *members.slot(key) = map.next_value_seed(Seed(&mut *self.0))?;
        }
        Ok(members.finish())
    }
}

/// Reads an object key into [`Keys`], borrowed from the text when it can be.
struct KeySeed<'k>(&'k mut Keys);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(self.0.intern(key))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::json_writer::tests::written_by;
    use crate::projection::merge_patch;

    /// Any JSON value, with keys from a small set (so that patches meet
    /// the keys of their targets) and objects larger than [`SMALL`].
    pub(crate) fn any_value() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            (0u8..6).prop_map(|n| format!("k{n}")),
            (0u8..40).prop_map(|n| format!("wide{n}")),
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            (-1e9f64..1e9).prop_map(|n| json!(n)),
            "[a-z\u{e9}\"\\\\\u{7}\u{202e}]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 96, 40, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..40)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Patch after patch, the compact value is the `Value` the same
        /// patches make, and each is shown, written and read back as
        /// that `Value` is.
        #[test]
        fn patches_merge_as_they_merge_into_a_value(
            start in any_value(),
            patches in proptest::collection::vec(any_value(), 1..6),
        ) {
            let mut keys = Keys::default();
            let mut value = start.clone();
            let mut compact = Compact::from_value(&start, &mut keys);
            for patch in patches {
                // Both read from the same text, as a fold reads a payload.
                let text = patch.to_string();
                merge_patch(&mut value, serde_json::from_str(&text).unwrap());
                compact.merge_patch(Compact::parse(&text, &mut keys).unwrap());
                prop_assert_eq!(compact.to_value(&keys), value.clone());
            }
            let shown = serde_json::to_string(&compact.shown(&keys)).unwrap();
            prop_assert_eq!(&shown, &value.to_string());
            // Read back (a snapshot restored) as a `Value` reads it back.
            let reread: Value = serde_json::from_str(&shown).unwrap();
            prop_assert_eq!(Compact::parse(&shown, &mut keys).unwrap().to_value(&keys), reread);
            prop_assert_eq!(
                written_by(|out| compact.write(&keys, out)),
                written_by(|out| out.value(&value)),
            );
        }

        /// A text read straight into a compact value is the `Value` read
        /// from it, repeated keys and all.
        #[test]
        fn a_text_reads_as_a_value_reads_it(members in proptest::collection::vec(
            ("[ab]", any_value()), 0..24,
        )) {
            let text = format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|(key, value)| format!("{}:{value}", json!(key)))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            let value: Value = serde_json::from_str(&text).unwrap();
            let mut keys = Keys::default();
            prop_assert_eq!(Compact::parse(&text, &mut keys).unwrap().to_value(&keys), value);
        }
    }

    #[test]
    fn every_example_of_rfc_7386_appendix_a_merges_as_the_rfc_says() {
        for (original, patch, expected) in
            crate::projection::merge_patch::tests::rfc_7386_appendix_a_cases()
        {
            let mut keys = Keys::default();
            let mut target = Compact::from_value(&original, &mut keys);
            target.merge_patch(Compact::parse(&patch.to_string(), &mut keys).unwrap());
            assert_eq!(
                target.to_value(&keys),
                expected,
                "{original} patched with {patch}"
            );
        }
    }

    #[test]
    fn a_text_that_is_not_json_is_refused_with_its_place() {
        let mut keys = Keys::default();
        let error = Compact::parse(r#"{"a": 1,}"#, &mut keys).unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 9));
        assert!(Compact::parse("{} {}", &mut keys).is_err(), "trailing text");
    }

    #[test]
    fn a_removal_keeps_the_order_of_the_others_in_small_and_large_objects() {
        for size in [3usize, 40] {
            let names: Vec<String> = (0..size).map(|n| format!("m{n}")).collect();
            let start: Map<String, Value> = names.iter().map(|n| (n.clone(), json!(1))).collect();
            let mut keys = Keys::default();
            let mut compact = Compact::from_value(&Value::Object(start), &mut keys);
            let patch = json!({ "m1": null, "new": 2, "m0": 3 });
            compact.merge_patch(Compact::from_value(&patch, &mut keys));
            let shown: Vec<String> = compact
                .to_value(&keys)
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            let mut expected: Vec<String> = names.iter().filter(|n| *n != "m1").cloned().collect();
            expected.push("new".into());
            assert_eq!(shown, expected, "{size} members");
        }
    }

    #[test]
    fn a_value_is_three_words_and_a_member_four() {
        assert_eq!(std::mem::size_of::<Compact>(), 24);
        assert_eq!(std::mem::size_of::<(Key, Compact)>(), 32);
    }
}
