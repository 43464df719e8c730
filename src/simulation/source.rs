//! The source system: it owns the entities, publishes their changes, and
//! answers calls to its query API unless it is down.

use super::entity::{Change, EntityRecord};
use super::mapping::Needs;
use super::params::SimParams;
use super::schedule::Reply;
use super::views::EntityView;

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
    records: Vec<EntityRecord>,
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

    /// Makes room for a newly seen entity.
    pub(crate) fn add_entity(&mut self, stream_len: usize) {
        self.records.push(EntityRecord::default());
        self.stream_lens
            .push(u32::try_from(stream_len).unwrap_or(u32::MAX));
    }

    pub(crate) fn apply(&mut self, entity: u32, change: &Change) {
        if let Some(record) = self.records.get_mut(entity as usize) {
            record.apply(change);
        }
    }

    pub(crate) fn record(&self, entity: u32) -> Option<&EntityRecord> {
        self.records.get(entity as usize)
    }

    pub(crate) fn records(&self) -> impl Iterator<Item = (u32, &EntityRecord)> {
        (0u32..).zip(&self.records)
    }

    /// Whether a consumer matches the source for every entity it knows
    /// or has needed; `copy` gives its record of an entity and whether it
    /// needed it.
    pub(crate) fn converged_with<'a>(
        &self,
        needs: &Needs,
        copy: impl Fn(u32) -> Option<(&'a EntityRecord, bool)>,
    ) -> bool {
        self.records().all(|(entity, truth)| match copy(entity) {
            Some((record, needed)) if record.is_known() || needed => {
                record.agrees_with(truth, needs)
            }
            _ => true,
        })
    }

    pub(crate) fn stream_len(&self, entity: u32) -> usize {
        self.stream_lens
            .get(entity as usize)
            .map_or(0, |&len| len as usize)
    }

    /// The source's truth, showing the values the work needs.
    pub(crate) fn view(&self, entity: u32, needs: &Needs) -> Option<EntityView> {
        EntityView::of(&self.record(entity)?.needed_part(needs))
    }

    /// The answer to a call made at `at`: the state as of that moment.
    pub(crate) fn answer(&self, entity: u32, at: u64, needs: &Needs) -> Reply {
        if self.outages.is_down(at) {
            return Reply::Failed;
        }
        let stream_len = self.stream_len(entity);
        match self.record(entity).filter(|r| r.is_known()) {
            Some(record) => Reply::State {
                version: record.version,
                record: record.needed_part(needs),
                bytes: byte_count(record.json_len(stream_len)),
            },
            None => Reply::NotFound {
                bytes: byte_count(NOT_FOUND.len()),
            },
        }
    }
}

/// The body of an answer for an entity the source does not know.
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
    fn a_down_source_fails_and_an_unknown_entity_is_not_found() {
        let params = SimParams {
            outages: vec![SeqRange::new(1, 1)],
            ..SimParams::default()
        };
        let mut source = SourceSystem::new(Outages::from_params(&params));
        source.add_entity(10);
        assert!(matches!(source.answer(0, 10, &Needs::All), Reply::Failed));
        assert!(matches!(
            source.answer(0, 20, &Needs::All),
            Reply::NotFound { .. }
        ));
    }
}
