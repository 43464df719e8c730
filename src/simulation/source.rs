//! The source system: it owns the customers, publishes their changes, and
//! answers calls to its query API unless it is down.

use super::params::SimParams;
use super::record::{Change, CustomerRecord};
use super::schedule::Reply;
use super::views::CustomerView;

/// When the query API is down: `[from, until)` in virtual ms.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outages(Vec<(u64, u64)>);

impl Outages {
    /// A seq range is down from its first event's time until the time of
    /// the event after its last.
    pub(crate) fn from_params(params: &SimParams) -> Outages {
        let interval = params.event_interval_ms;
        let windows = params
            .outages
            .iter()
            .map(|r| {
                let from = r.first.saturating_mul(interval);
                let until = r.last.saturating_add(1).saturating_mul(interval);
                (from, until)
            })
            .collect();
        Outages(windows)
    }

    pub(crate) fn is_down(&self, at: u64) -> bool {
        self.0
            .iter()
            .any(|&(from, until)| (from..until).contains(&at))
    }
}

#[derive(Debug, Default)]
pub(crate) struct SourceSystem {
    records: Vec<CustomerRecord>,
    stream_lens: Vec<u32>,
    outages: Outages,
}

impl SourceSystem {
    pub(crate) fn new(outages: Outages) -> SourceSystem {
        SourceSystem {
            outages,
            ..SourceSystem::default()
        }
    }

    /// Makes room for a newly seen customer.
    pub(crate) fn add_customer(&mut self, stream_len: usize) {
        self.records.push(CustomerRecord::default());
        self.stream_lens
            .push(u32::try_from(stream_len).unwrap_or(u32::MAX));
    }

    pub(crate) fn apply(&mut self, customer: u32, change: &Change) {
        if let Some(record) = self.records.get_mut(customer as usize) {
            record.apply(change);
        }
    }

    pub(crate) fn record(&self, customer: u32) -> Option<&CustomerRecord> {
        self.records.get(customer as usize)
    }

    pub(crate) fn records(&self) -> impl Iterator<Item = (u32, &CustomerRecord)> {
        (0u32..).zip(&self.records)
    }

    /// Whether a consumer matches the source for every customer it knows
    /// or has needed; `copy` gives its record of a customer and whether it
    /// needed it.
    pub(crate) fn converged_with<'a>(
        &self,
        copy: impl Fn(u32) -> Option<(&'a CustomerRecord, bool)>,
    ) -> bool {
        self.records()
            .all(|(customer, truth)| match copy(customer) {
                Some((record, needed)) if record.is_known() || needed => record.matches(truth),
                _ => true,
            })
    }

    pub(crate) fn stream_len(&self, customer: u32) -> usize {
        self.stream_lens
            .get(customer as usize)
            .map_or(0, |&len| len as usize)
    }

    pub(crate) fn view(&self, customer: u32) -> Option<CustomerView> {
        let record = self.record(customer).filter(|r| r.is_known())?;
        Some(CustomerView {
            version: record.version,
            address: record.address.clone(),
        })
    }

    /// The answer to a call made at `at`: the state as of that moment.
    pub(crate) fn answer(&self, customer: u32, at: u64) -> Reply {
        if self.outages.is_down(at) {
            return Reply::Failed;
        }
        let stream_len = self.stream_len(customer);
        match self.record(customer).filter(|r| r.is_known()) {
            Some(record) => Reply::State {
                version: record.version,
                address: record.address.clone(),
                bytes: byte_count(record.json_len(stream_len)),
            },
            None => Reply::NotFound {
                bytes: byte_count(NOT_FOUND.len()),
            },
        }
    }
}

/// The body of an answer for a customer the source does not know.
const NOT_FOUND: &str = r#"{"error":"not found"}"#;

pub(crate) fn byte_count(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::params::SeqRange;

    #[test]
    fn an_outage_covers_the_times_of_its_events() {
        let params = SimParams {
            event_interval_ms: 10,
            outages: vec![SeqRange::new(5, 7)],
            ..SimParams::default()
        };
        let outages = Outages::from_params(&params);
        assert!(!outages.is_down(49));
        assert!(outages.is_down(50) && outages.is_down(79));
        assert!(!outages.is_down(80));
    }

    #[test]
    fn a_down_source_fails_and_an_unknown_customer_is_not_found() {
        let params = SimParams {
            outages: vec![SeqRange::new(1, 1)],
            ..SimParams::default()
        };
        let mut source = SourceSystem::new(Outages::from_params(&params));
        source.add_customer(10);
        assert!(matches!(source.answer(0, 10), Reply::Failed));
        assert!(matches!(source.answer(0, 20), Reply::NotFound { .. }));
    }
}
