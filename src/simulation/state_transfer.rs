//! The StateTransfer consumer: it applies the events' data to its own
//! replica and never calls the source.
//!
//! It keeps every field the events carry (it cannot ask later for one it
//! dropped). With version checks on, it applies each entity's events in
//! version order: older and duplicate versions are ignored, and an event
//! that arrives ahead of a gap is held until the gap fills. If the gap stays
//! open for `gap_timeout_ms` the missing versions are treated as lost and the
//! held events are applied; a straggler arriving after that is ignored, so
//! what it carried is missing from the replica. Holding costs staleness,
//! giving up costs correctness. Without checks, every delivery is applied as
//! it comes, so a late old event or duplicate rolls the replica back.
//! Work on an entity whose needed data the replica lacks waits for it to
//! arrive.

use std::sync::Arc;

use super::context::Ctx;
use super::entity::{Change, EntityRecord};
use super::mapping::Needs;
use super::metrics::Counters;
use super::schedule::Occurrence;
use super::source::SourceSystem;
use super::views::{EntityView, Flow};
use super::waiting::Waiting;

#[derive(Debug, Default)]
struct Replica {
    record: EntityRecord,
    /// Events ahead of a gap, in version order.
    held: Vec<Arc<Change>>,
    /// The version the current gap timer waits for, and its generation.
    gap: Option<(u64, u32)>,
    generation: u32,
    waiting: Waiting,
    needed: bool,
}

#[derive(Debug, Default)]
pub(crate) struct StateTransferConsumer {
    entities: Vec<Replica>,
    pub counters: Counters,
}

impl StateTransferConsumer {
    pub(crate) fn add_entity(&mut self) {
        self.entities.push(Replica::default());
    }

    pub(crate) fn on_event(&mut self, entity: u32, change: Arc<Change>, ctx: &mut Ctx) {
        if !ctx.params.version_checks {
            self.apply(entity, &change, ctx);
            return;
        }
        let Some(r) = self.entities.get_mut(entity as usize) else {
            return;
        };
        let version = change.version;
        if version <= r.record.version {
            return; // old or duplicate
        }
        if version == r.record.version + 1 && r.held.is_empty() {
            self.apply(entity, &change, ctx); // the usual case: next in line
            return;
        }
        match r.held.binary_search_by_key(&version, |h| h.version) {
            Ok(_) => return, // duplicate of a held event
            Err(position) => r.held.insert(position, change),
        }
        self.apply_in_order(entity, ctx);
    }

    /// The gap timer fired: if that gap is still open, give it up.
    pub(crate) fn on_gap_timeout(&mut self, entity: u32, generation: u32, ctx: &mut Ctx) {
        let Some(r) = self.entities.get_mut(entity as usize) else {
            return;
        };
        if r.gap.map(|(_, g)| g) != Some(generation) || r.held.is_empty() {
            return;
        }
        let first = r.held.remove(0);
        self.apply(entity, &first, ctx);
        self.apply_in_order(entity, ctx);
    }

    pub(crate) fn on_work(&mut self, entity: u32, ctx: &mut Ctx) {
        let Some(r) = self.entities.get_mut(entity as usize) else {
            return;
        };
        r.needed = true;
        if r.record.has_needed(ctx.needs) {
            self.counters.work_done += 1;
        } else {
            r.waiting
                .add(Flow::StateTransfer, entity, &mut self.counters, ctx);
        }
    }

    pub(crate) fn on_work_timeout(&mut self, entity: u32, now: u64) {
        if let Some(r) = self.entities.get_mut(entity as usize) {
            r.waiting.expire(now, &mut self.counters);
        }
    }

    /// Applies held events while the next version is there, then watches
    /// any gap left.
    fn apply_in_order(&mut self, entity: u32, ctx: &mut Ctx) {
        loop {
            let Some(r) = self.entities.get_mut(entity as usize) else {
                return;
            };
            if r.held
                .first()
                .is_none_or(|h| h.version != r.record.version + 1)
            {
                break;
            }
            let next = r.held.remove(0);
            self.apply(entity, &next, ctx);
        }
        let Some(r) = self.entities.get_mut(entity as usize) else {
            return;
        };
        if r.held.is_empty() {
            r.gap = None;
            return;
        }
        let wanted = r.record.version + 1;
        if r.gap.map(|(v, _)| v) != Some(wanted) {
            r.generation = r.generation.wrapping_add(1);
            r.gap = Some((wanted, r.generation));
            let at = ctx.now.saturating_add(ctx.params.gap_timeout_ms);
            let generation = r.generation;
            ctx.schedule
                .push(at, Occurrence::GapTimeout { entity, generation });
        }
    }

    fn apply(&mut self, entity: u32, change: &Change, ctx: &mut Ctx) {
        let stream_len = ctx.source.stream_len(entity);
        let Some(r) = self.entities.get_mut(entity as usize) else {
            return;
        };
        let before = entry_len(&r.record, stream_len);
        r.record.apply(change);
        self.counters
            .resize_entry(before, entry_len(&r.record, stream_len));
        ctx.changes
            .reached(Flow::StateTransfer, entity, r.record.version, ctx.now);
        if r.record.has_needed(ctx.needs) {
            r.waiting.all_done(&mut self.counters);
        }
    }

    pub(crate) fn view(&self, entity: u32) -> Option<EntityView> {
        EntityView::of(&self.entities.get(entity as usize)?.record)
    }

    /// Whether every entity it knows or has needed matches the source.
    pub(crate) fn converged(&self, source: &SourceSystem, needs: &Needs) -> bool {
        source.converged_with(needs, |entity| {
            let r = self.entities.get(entity as usize)?;
            Some((&r.record, r.needed))
        })
    }
}

fn entry_len(record: &EntityRecord, stream_len: usize) -> usize {
    record.held_len(stream_len, EntityRecord::json_len)
}
