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
        let id = match self.ids.get(prefix) {
            Some(id) => *id,
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
        let id = *self.ids.get(prefix)?;
        Some(StreamKey { prefix: id, number })
    }

    pub fn name(&self, key: StreamKey) -> String {
        let prefix = self.prefixes.get(key.prefix as usize).map_or("", |p| p);
        if key.number == NO_NUMBER {
            prefix.to_string()
        } else {
            format!("{prefix}{}", key.number)
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
#[derive(Clone, Debug)]
pub struct StreamMap<V> {
    pub names: StreamNames,
    entries: BTreeMap<StreamKey, V>,
}

impl<V> Default for StreamMap<V> {
    fn default() -> Self {
        StreamMap {
            names: StreamNames::default(),
            entries: BTreeMap::new(),
        }
    }
}

impl<V> StreamMap<V> {
    /// The entry of `stream`, created with `make` when absent.
    pub fn entry(&mut self, stream: &str, make: impl FnOnce() -> V) -> &mut V {
        let key = self.names.key(stream);
        self.entries.entry(key).or_insert_with(make)
    }

    pub fn insert(&mut self, stream: &str, value: V) {
        let key = self.names.key(stream);
        self.entries.insert(key, value);
    }

    pub fn get(&self, stream: &str) -> Option<&V> {
        self.entries.get(&self.names.find(stream)?)
    }

    /// Entries ordered by prefix text, then number.
    pub fn iter(&self) -> impl Iterator<Item = (String, &V)> + '_ {
        self.names.sorted_ids().into_iter().flat_map(move |prefix| {
            let low = StreamKey { prefix, number: 0 };
            let high = StreamKey {
                prefix,
                number: NO_NUMBER,
            };
            self.entries
                .range(low..=high)
                .map(move |(key, value)| (self.names.name(*key), value))
        })
    }

    /// The name of a key held elsewhere (e.g. an order's customer).
    pub fn name(&self, key: StreamKey) -> String {
        self.names.name(key)
    }

    pub fn save(&self, w: &mut Writer, mut save_value: impl FnMut(&mut Writer, &V)) {
        self.names.save(w);
        w.u64(self.entries.len() as u64);
        for (key, value) in &self.entries {
            self.names.save_key(w, *key);
            save_value(w, value);
        }
    }

    pub fn restore(
        r: &mut Reader<'_>,
        mut restore_value: impl FnMut(&mut Reader<'_>, &StreamNames) -> Result<V, ProjectionError>,
    ) -> Result<StreamMap<V>, ProjectionError> {
        let names = StreamNames::restore(r)?;
        let count = r.count()?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let key = names.restore_key(r)?;
            entries.push((key, restore_value(r, &names)?));
        }
        // Saved in key order, so this is a linear bulk build.
        Ok(StreamMap {
            names,
            entries: entries.into_iter().collect(),
        })
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
}
