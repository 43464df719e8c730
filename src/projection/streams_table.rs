//! A map keyed by stream name, built for speed at scale.
//!
//! Stream names such as `order-1234` are split into an interned prefix
//! (`order-`) and a number, so a key is two integers: cheap to compare, and
//! saved in a few bytes without a string allocation per entry on restore.
//! Names without a canonical trailing number (`order-007`, `alice`) are
//! interned whole. Iteration follows prefix text, then number.

use std::collections::{BTreeMap, HashMap};

use super::codec::{Reader, Writer};
use super::traits::ProjectionError;
use crate::json_writer::Decimal;

const NO_NUMBER: u64 = u64::MAX;

/// A stream name as (interned prefix, number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamKey {
    prefix: u32,
    number: u64,
}

/// Splits `order-12` into (`order-`, 12); names without a canonical number
/// (no digits, leading zeros, too large) stay whole.
fn split(name: &str) -> (&str, u64) {
    let bytes = name.as_bytes();
    let digits = bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let start = bytes.len() - digits;
    if digits == 0 || (digits > 1 && bytes[start] == b'0') {
        return (name, NO_NUMBER);
    }
    // Read here, not by `str::parse`: this runs for every event a map of
    // streams folds, and the digits are already known to be digits.
    let mut number = 0u64;
    for &digit in &bytes[start..] {
        match number
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(digit - b'0')))
        {
            Some(n) => number = n,
            None => return (name, NO_NUMBER),
        }
    }
    if number == NO_NUMBER {
        return (name, NO_NUMBER);
    }
    (&name[..start], number)
}

/// The interned prefixes of stream names.
#[derive(Clone, Debug, Default)]
pub struct StreamNames {
    prefixes: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl StreamNames {
    /// The key of `name`, interning its prefix when new.
    pub fn key(&mut self, name: &str) -> StreamKey {
        let (prefix, number) = split(name);
        let id = match self.id_of(prefix) {
            Some(id) => id,
            None => {
                let id = self.prefixes.len() as u32;
                self.prefixes.push(prefix.into());
                self.ids.insert(prefix.into(), id);
                id
            }
        };
        StreamKey { prefix: id, number }
    }

    /// The key of `name` if its prefix is known.
    pub fn find(&self, name: &str) -> Option<StreamKey> {
        let (prefix, number) = split(name);
        let id = self.id_of(prefix)?;
        Some(StreamKey { prefix: id, number })
    }

    fn id_of(&self, prefix: &str) -> Option<u32> {
        // Logs have a handful of prefixes: comparing a few beats hashing.
        let first = self.prefixes.iter().take(4).position(|p| **p == *prefix);
        match first {
            Some(index) => Some(index as u32),
            None => self.ids.get(prefix).copied(),
        }
    }

    pub fn name(&self, key: StreamKey) -> String {
        let mut name = String::new();
        self.name_into(key, &mut name);
        name
    }

    /// [`StreamNames::name`] written over `name`, so that one buffer serves
    /// a whole map.
    pub fn name_into(&self, key: StreamKey, name: &mut String) {
        name.clear();
        name.push_str(self.prefixes.get(key.prefix as usize).map_or("", |p| p));
        if key.number != NO_NUMBER {
            name.push_str(Decimal::of(key.number, false).as_str());
        }
    }

    /// Prefix ids in the order of their text.
    fn sorted_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.prefixes.len() as u32).collect();
        ids.sort_by(|a, b| self.prefixes[*a as usize].cmp(&self.prefixes[*b as usize]));
        ids
    }

    pub fn save(&self, w: &mut Writer) {
        w.u64(self.prefixes.len() as u64);
        for prefix in &self.prefixes {
            w.str(prefix);
        }
    }

    pub fn restore(r: &mut Reader<'_>) -> Result<StreamNames, ProjectionError> {
        let mut names = StreamNames::default();
        for _ in 0..r.count()? {
            let prefix: Box<str> = r.str()?.into();
            names
                .ids
                .insert(prefix.clone(), names.prefixes.len() as u32);
            names.prefixes.push(prefix);
        }
        Ok(names)
    }

    pub fn save_key(&self, w: &mut Writer, key: StreamKey) {
        w.u64(u64::from(key.prefix));
        w.u64(key.number);
    }

    pub fn restore_key(&self, r: &mut Reader<'_>) -> Result<StreamKey, ProjectionError> {
        let prefix = r.u64()?;
        if prefix >= self.prefixes.len() as u64 {
            return Err(ProjectionError::Snapshot(format!(
                "unknown stream prefix {prefix}"
            )));
        }
        Ok(StreamKey {
            prefix: prefix as u32,
            number: r.u64()?,
        })
    }
}

/// Values per stream, iterated in a stable order.
///
/// Numbered streams (`order-1`, `order-2` ...) are mostly dense, so each
/// prefix keeps a vector indexed by number: one lookup is one memory access.
/// Numbers far beyond the vector's end go to an ordered map instead, so a
/// stray `order-99999999999` costs one entry, not gigabytes. Invariant: a
/// key whose number is below its prefix's vector length lives in the vector.
#[derive(Clone, Debug)]
pub struct StreamMap<V> {
    pub names: StreamNames,
    dense: Vec<Vec<Option<V>>>,
    /// Always Some once created; Option only so both sides share a slot type.
    sparse: BTreeMap<StreamKey, Option<V>>,
}

/// How far past a vector's end a number may land and still grow it.
const DENSE_SLACK: u64 = 4_096;

impl<V> Default for StreamMap<V> {
    fn default() -> Self {
        StreamMap {
            names: StreamNames::default(),
            dense: Vec::new(),
            sparse: BTreeMap::new(),
        }
    }
}

impl<V> StreamMap<V> {
    /// The entry of `stream`, created with `make` when absent.
    pub fn entry(&mut self, stream: &str, make: impl FnOnce() -> V) -> &mut V {
        let key = self.names.key(stream);
        self.slot(key).get_or_insert_with(make)
    }

    pub fn insert(&mut self, stream: &str, value: V) {
        let key = self.names.key(stream);
        self.insert_key(key, value);
    }

    fn insert_key(&mut self, key: StreamKey, value: V) {
        *self.slot(key) = Some(value);
    }

    /// The slot of `key`, in the vector when the number is near enough.
    fn slot(&mut self, key: StreamKey) -> &mut Option<V> {
        let prefix = key.prefix as usize;
        if self.dense.len() <= prefix {
            self.dense.resize_with(prefix + 1, Vec::new);
        }
        let length = self.dense[prefix].len() as u64;
        if key.number != NO_NUMBER && key.number < length.saturating_mul(2).max(DENSE_SLACK) {
            if key.number >= length {
                self.grow(key.prefix, key.number as usize + 1);
            }
            return &mut self.dense[prefix][key.number as usize];
        }
        self.sparse.entry(key).or_insert(None)
    }

    /// Grows a prefix's vector to `length`, moving in sparse entries it now covers.
    fn grow(&mut self, prefix: u32, length: usize) {
        let vector = &mut self.dense[prefix as usize];
        let old_length = vector.len() as u64;
        vector.resize_with(length, || None);
        let low = StreamKey {
            prefix,
            number: old_length,
        };
        let high = StreamKey {
            prefix,
            number: length as u64,
        };
        let moved: Vec<StreamKey> = self.sparse.range(low..high).map(|(key, _)| *key).collect();
        for key in moved {
            if let Some(value) = self.sparse.remove(&key) {
                vector[key.number as usize] = value;
            }
        }
    }
    pub fn get(&self, stream: &str) -> Option<&V> {
        self.get_key(self.names.find(stream)?)
    }

    fn get_key(&self, key: StreamKey) -> Option<&V> {
        let vector = self.dense.get(key.prefix as usize);
        match vector.and_then(|v| v.get(key.number as usize)) {
            Some(slot) if key.number != NO_NUMBER => slot.as_ref(),
            _ => self.sparse.get(&key)?.as_ref(),
        }
    }

    /// Entries of one prefix in number order: the vector, then the map.
    fn prefix_entries(&self, prefix: u32) -> impl Iterator<Item = (StreamKey, &V)> + '_ {
        let vector = self.dense.get(prefix as usize).map_or(&[][..], |v| &v[..]);
        let dense = (0u64..)
            .zip(vector)
            .filter_map(move |(number, slot)| Some((StreamKey { prefix, number }, slot.as_ref()?)));
        let low = StreamKey {
            prefix,
            number: vector.len() as u64,
        };
        let high = StreamKey {
            prefix,
            number: NO_NUMBER,
        };
        let sparse = self
            .sparse
            .range(low..=high)
            .filter_map(|(key, slot)| Some((*key, slot.as_ref()?)));
        dense.chain(sparse)
    }

    /// Entries ordered by prefix text, then number.
    pub fn iter(&self) -> impl Iterator<Item = (String, &V)> + '_ {
        self.names.sorted_ids().into_iter().flat_map(move |prefix| {
            self.prefix_entries(prefix)
                .map(move |(key, value)| (self.names.name(key), value))
        })
    }

    /// Calls `each` with every entry and its name, in the order of
    /// [`StreamMap::iter`], building no string per entry: for writing a
    /// large map out.
    pub fn for_each_named(&self, mut each: impl FnMut(&str, &V)) {
        let mut name = String::new();
        for prefix in self.names.sorted_ids() {
            for (key, value) in self.prefix_entries(prefix) {
                self.names.name_into(key, &mut name);
                each(&name, value);
            }
        }
    }

    /// Every entry moved out, in the order of [`StreamMap::iter`]: a large
    /// state handed over whole without a copy.
    pub fn into_entries(mut self) -> Vec<(String, V)> {
        let keys: Vec<StreamKey> = self
            .names
            .sorted_ids()
            .into_iter()
            .flat_map(|prefix| {
                self.prefix_entries(prefix)
                    .map(|(key, _)| key)
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let name = self.names.name(key);
            if let Some(value) = self.slot(key).take() {
                out.push((name, value));
            }
        }
        out
    }

    /// The name of a key held elsewhere (e.g. an order's customer).
    pub fn name(&self, key: StreamKey) -> String {
        self.names.name(key)
    }

    /// Saves names, then entries in key order with each number written as
    /// the step from the one before (one byte for dense streams).
    pub fn save(&self, w: &mut Writer, mut save_value: impl FnMut(&mut Writer, &V)) {
        self.names.save(w);
        // Counted first, so that the entries are written in one pass
        // into room made once (a few bytes each).
        let prefixes = 0..self.names.prefixes.len() as u32;
        let counts: Vec<usize> = prefixes
            .clone()
            .map(|prefix| self.prefix_entries(prefix).count())
            .collect();
        w.reserve(counts.iter().sum::<usize>() * 8);
        for (prefix, count) in prefixes.zip(counts) {
            w.u64(count as u64);
            let mut previous = 0;
            for (key, value) in self.prefix_entries(prefix) {
                w.u64(key.number - previous);
                previous = key.number;
                save_value(w, value);
            }
        }
    }

    pub fn restore(
        r: &mut Reader<'_>,
        mut restore_value: impl FnMut(&mut Reader<'_>, &StreamNames) -> Result<V, ProjectionError>,
    ) -> Result<StreamMap<V>, ProjectionError> {
        let names = StreamNames::restore(r)?;
        let mut map = StreamMap::default();
        for prefix in 0..names.prefixes.len() as u32 {
            let mut number = 0u64;
            for _ in 0..r.count()? {
                number = number
                    .checked_add(r.u64()?)
                    .ok_or_else(|| ProjectionError::Snapshot("a stream number overflows".into()))?;
                let value = restore_value(r, &names)?;
                map.insert_key(StreamKey { prefix, number }, value);
            }
        }
        map.names = names;
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_survive_the_split() {
        let mut names = StreamNames::default();
        for name in [
            "order-12",
            "order-007",
            "alice",
            "7",
            "",
            "x-18446744073709551615",
            "order-0",
        ] {
            let key = names.key(name);
            assert_eq!(names.name(key), name);
        }
        assert_ne!(names.key("order-7"), names.key("order-07"));
    }

    /// `split` as `str::parse` reads the digits: what it must agree with.
    fn split_by_parse(name: &str) -> (&str, u64) {
        let digits = name.bytes().rev().take_while(u8::is_ascii_digit).count();
        let (prefix, number) = name.split_at(name.len() - digits);
        if digits == 0 || (digits > 1 && number.starts_with('0')) {
            return (name, NO_NUMBER);
        }
        match number.parse::<u64>() {
            Ok(n) if n != NO_NUMBER => (prefix, n),
            _ => (name, NO_NUMBER),
        }
    }

    #[test]
    fn the_number_of_a_name_is_read_as_parse_reads_it() {
        for name in [
            "order-12",
            "order-007",
            "order-0",
            "0",
            "00",
            "",
            "alice",
            "é9",
            "x-18446744073709551614",
            "x-18446744073709551615",
            "x-18446744073709551616",
            "x-99999999999999999999",
            "x-100000000000000000000",
            "x-000000000000000000001",
            "order-+5",
        ] {
            assert_eq!(split(name), split_by_parse(name), "{name}");
        }
    }

    #[test]
    fn iteration_is_by_prefix_then_number() {
        let mut map = StreamMap::default();
        for name in ["order-10", "customer-2", "order-9", "alice"] {
            map.insert(name, ());
        }
        let order: Vec<String> = map.iter().map(|(name, _)| name).collect();
        assert_eq!(order, ["alice", "customer-2", "order-9", "order-10"]);
    }

    #[test]
    fn maps_round_trip_through_bytes() {
        let mut map = StreamMap::default();
        for (i, name) in ["order-10", "customer-2", "bob"].into_iter().enumerate() {
            map.insert(name, i as i64 - 1);
        }
        let mut w = Writer::new();
        map.save(&mut w, |w, v| w.i64(*v));
        let bytes = w.finish();
        let mut r = Reader::new(&bytes);
        let back = StreamMap::restore(&mut r, |r, _| r.i64()).unwrap();
        r.finish().unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            map.iter().collect::<Vec<_>>()
        );
        assert_eq!(back.get("customer-2"), Some(&0));
    }

    #[test]
    fn far_numbers_go_sparse_and_move_into_the_vector_when_it_reaches_them() {
        let mut map = StreamMap::default();
        map.insert("x-10000", "far");
        map.insert("x-18446744073709551614", "farthest");
        for n in 0..=5_000 {
            map.insert(&format!("x-{n}"), "near");
        }
        map.insert("x-9000", "grown");
        *map.entry("x-10000", || "new") = "moved";
        assert_eq!(map.get("x-10000"), Some(&"moved"));
        assert_eq!(map.get("x-9000"), Some(&"grown"));
        assert_eq!(map.get("x-9001"), None);
        let names: Vec<String> = map.iter().map(|(name, _)| name).collect();
        assert_eq!(names.len(), 5_004);
        assert_eq!(
            &names[5_001..],
            ["x-9000", "x-10000", "x-18446744073709551614"]
        );
        let mut w = Writer::new();
        map.save(&mut w, |w, v| w.str(v));
        let bytes = w.finish();
        let back = StreamMap::restore(&mut Reader::new(&bytes), |r, _| {
            Ok(match r.str()? {
                "near" => "near",
                "grown" => "grown",
                "moved" => "moved",
                _ => "farthest",
            })
        })
        .unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            map.iter().collect::<Vec<_>>()
        );
    }
}
