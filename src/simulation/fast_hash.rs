//! A small, fast hasher for the maps keyed by stream names.
//!
//! The std default (SipHash) resists hash flooding, which a local log
//! explorer does not need; this multiply-rotate hash (the scheme of rustc's
//! FxHasher) is several times faster on short keys like `customer-123`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// Mixes the high bits down: hash tables pick buckets by the low bits,
    /// which a multiply alone leaves depending on the low input bytes only.
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        z ^ (z >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    fn hash(text: &str) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(text)
    }

    #[test]
    fn nearby_names_hash_apart() {
        let names: Vec<String> = (0..10_000).map(|n| format!("customer-{n}")).collect();
        let mut hashes: Vec<u64> = names.iter().map(|n| hash(n)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), names.len());
        assert_ne!(hash("ab"), hash("ab\0"));
    }

    #[test]
    fn the_low_bits_spread_too() {
        // 10,000 names over 4,096 buckets: a good hash fills most of them.
        let mut buckets: Vec<u64> = (0..10_000)
            .map(|n| hash(&format!("customer-{n}")) & 4_095)
            .collect();
        buckets.sort_unstable();
        buckets.dedup();
        assert!(buckets.len() > 3_500, "{} buckets used", buckets.len());
    }

    #[test]
    fn a_map_finds_what_it_holds() {
        let mut map: FastMap<String, usize> = FastMap::default();
        for n in 0..1_000 {
            map.insert(format!("order-{n}"), n);
        }
        assert!((0..1_000).all(|n| map.get(format!("order-{n}").as_str()) == Some(&n)));
    }
}
