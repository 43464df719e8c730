//! A small, fixed pseudo-random number generator for the generators.
//!
//! Hand-written on purpose: a generated log must stay byte-for-byte the same
//! for a seed in every future release, and general RNG crates do not promise
//! a stable output stream across versions. This is SplitMix64 (Steele, Lea
//! and Flood, 2014), integer-only so it gives the same numbers on every
//! platform. Nothing here uses floating point for the same reason.

/// SplitMix64: 64 bits of state, one addition and a mix per number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0), by multiply-shift: the
    /// bias is below 2^-32 for the small bounds used here.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high.saturating_sub(low).saturating_add(1))
    }

    /// True with a chance of `per_mille` in a thousand.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// An index into `0..len`, as `usize`.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// One element of a non-empty slice (`None` when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// An index chosen with the given weights (the last index when all
    /// weights are zero).
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut roll = self.below(total);
        for (i, &weight) in weights.iter().enumerate() {
            if roll < weight {
                return i;
            }
            roll -= weight;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_the_reference_splitmix64_sequence() {
        // First outputs of the reference C implementation for seed 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let expected = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for want in expected {
            assert_eq!(rng.next_u64(), want);
        }
    }

    proptest! {
        #[test]
        fn below_stays_below_its_bound(seed: u64, bound in 1u64..1_000_000) {
            let mut rng = SplitMix64::new(seed);
            for _ in 0..100 {
                prop_assert!(rng.below(bound) < bound);
            }
        }

        #[test]
        fn between_is_inclusive(seed: u64, low in 0u64..1000, span in 0u64..1000) {
            let mut rng = SplitMix64::new(seed);
            for _ in 0..100 {
                let n = rng.between(low, low + span);
                prop_assert!((low..=low + span).contains(&n));
            }
        }

        #[test]
        fn weighted_never_picks_a_zero_weight(seed: u64, weights in proptest::collection::vec(0u64..5, 1..8)) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let mut rng = SplitMix64::new(seed);
            for _ in 0..100 {
                let i = rng.weighted(&weights);
                prop_assert!(weights[i] > 0);
            }
        }
    }

    #[test]
    fn all_outcomes_of_a_small_bound_occur() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [false; 6];
        for _ in 0..200 {
            seen[rng.index(6)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
