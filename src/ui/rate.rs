//! Events over time: counts in equal time buckets across the log's span.

/// How many buckets the worker counts into; the chart resamples to its width.
pub const BUCKETS: usize = 240;

/// Counts of events per time bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateChart {
    /// Unix nanos of the first and last event.
    pub start: i64,
    pub end: i64,
    pub counts: Vec<u64>,
}

impl RateChart {
    pub fn new(start: i64, end: i64) -> RateChart {
        RateChart {
            start,
            end: end.max(start),
            counts: vec![0; BUCKETS],
        }
    }

    /// The bucket a time falls in (times outside the span clamp to the ends).
    pub fn bucket_of(&self, time: i64) -> usize {
        let span = (self.end - self.start) as i128;
        if span <= 0 {
            return 0;
        }
        let offset = (time.clamp(self.start, self.end) - self.start) as i128;
        let bucket = offset * self.counts.len() as i128 / (span + 1);
        (bucket as usize).min(self.counts.len() - 1)
    }

    pub fn add(&mut self, time: i64) {
        let bucket = self.bucket_of(time);
        self.counts[bucket] += 1;
    }

    /// The counts summed into `width` columns, and the column of `time`.
    pub fn resample(&self, width: usize, time: Option<i64>) -> (Vec<u64>, Option<usize>) {
        if width == 0 {
            return (Vec::new(), None);
        }
        let n = self.counts.len();
        let mut columns = vec![0u64; width];
        for (i, count) in self.counts.iter().enumerate() {
            columns[i * width / n] += count;
        }
        let marker = time.map(|t| self.bucket_of(t) * width / n);
        (columns, marker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_lands_in_one_bucket_and_resampling_keeps_the_total() {
        let mut chart = RateChart::new(1_000, 2_000);
        for t in [1_000, 1_500, 1_999, 2_000, 5_000, 0] {
            chart.add(t);
        }
        assert_eq!(chart.counts.iter().sum::<u64>(), 6);
        assert_eq!(chart.counts[0], 2);
        assert_eq!(chart.counts[BUCKETS - 1], 3);
        let (columns, marker) = chart.resample(7, Some(2_000));
        assert_eq!(columns.iter().sum::<u64>(), 6);
        assert_eq!(marker, Some(6));
    }

    #[test]
    fn a_log_in_one_instant_has_one_busy_bucket() {
        let mut chart = RateChart::new(5, 5);
        chart.add(5);
        assert_eq!(chart.counts[0], 1);
    }
}
