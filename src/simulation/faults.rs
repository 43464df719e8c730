//! What the bus does to one message: lose it, deliver it twice, hold it back.
//!
//! The draws come from the generators' PRNG (SplitMix64) seeded by the run's seed and
//! the log position of the change, so both flows see the same fate for the
//! same change, and a fate never depends on what else happened in the run.

use super::params::SimParams;
use crate::domain::rng::SplitMix64;

/// Uniform in `[0, 1)`.
fn unit(rng: &mut SplitMix64) -> f64 {
    // The top 53 bits fill an f64 mantissa exactly.
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Uniform in `1..=max` (1 when `max` is 0).
fn delay(rng: &mut SplitMix64, max: u64) -> u64 {
    1 + rng.next_u64() % max.max(1)
}

/// The fate of the message that publishes one change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fate {
    pub dropped: bool,
    /// Extra delay on top of the bus latency (reordering), 0 if none.
    pub extra_delay_ms: u64,
    /// A second copy arrives this long after the bus latency.
    pub duplicate_delay_ms: Option<u64>,
}

impl Fate {
    /// The fate of the message for the change at log position `seq`.
    pub(crate) fn of(params: &SimParams, seq: u64) -> Fate {
        let mut rng = SplitMix64::new(params.seed ^ seq.wrapping_mul(0xD1B5_4A32_D192_ED03));
        // Always draw the same five numbers so one knob never shifts another's.
        let dropped = unit(&mut rng) < params.drop_rate;
        let duplicated = unit(&mut rng) < params.duplicate_rate;
        let reordered = unit(&mut rng) < params.reorder_rate;
        let extra = delay(&mut rng, params.reorder_delay_ms);
        let copy_delay = delay(&mut rng, params.reorder_delay_ms);
        Fate {
            dropped,
            extra_delay_ms: if reordered && !dropped { extra } else { 0 },
            duplicate_delay_ms: (duplicated && !dropped).then_some(copy_delay),
        }
    }

    /// Copies that travel the bus (a lost message was still sent once).
    pub(crate) fn copies_sent(&self) -> u64 {
        1 + u64::from(self.duplicate_delay_ms.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(drop: f64, duplicate: f64, reorder: f64, seed: u64) -> SimParams {
        SimParams {
            drop_rate: drop,
            duplicate_rate: duplicate,
            reorder_rate: reorder,
            seed,
            ..SimParams::default()
        }
    }

    #[test]
    fn no_rates_means_no_faults() {
        let p = params(0.0, 0.0, 0.0, 7);
        for seq in 1..1_000 {
            let fate = Fate::of(&p, seq);
            assert_eq!(fate.copies_sent(), 1);
            assert!(!fate.dropped && fate.extra_delay_ms == 0);
        }
    }

    #[test]
    fn full_rates_hit_every_message() {
        let p = params(1.0, 0.0, 0.0, 7);
        assert!((1..100).all(|seq| Fate::of(&p, seq).dropped));
        let p = params(0.0, 1.0, 1.0, 7);
        for seq in 1..100 {
            let fate = Fate::of(&p, seq);
            assert!(fate.duplicate_delay_ms.is_some());
            assert!((1..=p.reorder_delay_ms).contains(&fate.extra_delay_ms));
        }
    }

    #[test]
    fn a_rate_is_roughly_the_share_hit() {
        let p = params(0.25, 0.0, 0.0, 99);
        let dropped = (1..=10_000)
            .filter(|&seq| Fate::of(&p, seq).dropped)
            .count();
        assert!((2_000..3_000).contains(&dropped), "{dropped}");
    }

    #[test]
    fn the_seed_changes_the_fates() {
        let a = params(0.5, 0.5, 0.5, 1);
        let b = params(0.5, 0.5, 0.5, 2);
        let fates = |p: &SimParams| (1..64).map(|s| Fate::of(p, s)).collect::<Vec<_>>();
        assert_eq!(fates(&a), fates(&a));
        assert_ne!(fates(&a), fates(&b));
    }

    #[test]
    fn unit_draws_stay_below_one() {
        let mut rng = SplitMix64::new(u64::MAX);
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&unit(&mut rng))));
    }
}
