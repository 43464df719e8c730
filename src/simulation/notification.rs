//! The Notification consumer: it hears thin events and calls the source's
//! query API to learn what changed.
//!
//! It keeps what the work needs of the last state it fetched for each
//! entity (it can always ask again for the rest). It calls once per thin
//! event it receives, duplicates included: a thin event says only that
//! something changed. When work needs an entity whose data it lacks, or
//! whose data it knows to be outdated (it heard of a newer version than it
//! fetched), the work waits for a call; failed calls are retried with
//! backoff, and when every call for the entity has given up the waiting
//! work fails.

use super::context::Ctx;
use super::entity::EntityRecord;
use super::mapping::Needs;
use super::metrics::Counters;
use super::schedule::{Occurrence, Reply};
use super::source::SourceSystem;
use super::views::{EntityView, Flow};
use super::waiting::Waiting;

#[derive(Debug, Default)]
struct Fetched {
    /// The version and needed fields as last fetched.
    cache: EntityRecord,
    /// Highest version a thin event has announced.
    announced: u64,
    /// Calls (with their retries) not yet settled.
    calls_open: u32,
    waiting: Waiting,
    needed: bool,
}

impl Fetched {
    fn is_current(&self, needs: &Needs) -> bool {
        self.cache.has_needed(needs) && self.cache.version >= self.announced
    }
}

#[derive(Debug, Default)]
pub(crate) struct NotificationConsumer {
    entities: Vec<Fetched>,
    pub counters: Counters,
}

impl NotificationConsumer {
    pub(crate) fn add_entity(&mut self) {
        self.entities.push(Fetched::default());
    }

    /// A thin event arrives: call the source to learn what changed.
    pub(crate) fn on_thin_event(&mut self, entity: u32, version: u64, ctx: &mut Ctx) {
        let Some(c) = self.entities.get_mut(entity as usize) else {
            return;
        };
        c.announced = c.announced.max(version);
        c.calls_open += 1;
        self.call(entity, 1, ctx);
    }

    /// Work needs the entity's data now.
    pub(crate) fn on_work(&mut self, entity: u32, ctx: &mut Ctx) {
        let Some(c) = self.entities.get_mut(entity as usize) else {
            return;
        };
        c.needed = true;
        if c.is_current(ctx.needs) {
            self.counters.work_done += 1;
            return;
        }
        c.waiting
            .add(Flow::Notification, entity, &mut self.counters, ctx);
        if c.calls_open == 0 {
            c.calls_open += 1;
            self.call(entity, 1, ctx);
        }
    }

    pub(crate) fn on_retry(&mut self, entity: u32, attempt: u32, ctx: &mut Ctx) {
        self.call(entity, attempt, ctx);
    }

    pub(crate) fn on_answer(&mut self, entity: u32, attempt: u32, reply: Reply, ctx: &mut Ctx) {
        let stream_len = ctx.source.stream_len(entity);
        let Some(c) = self.entities.get_mut(entity as usize) else {
            return;
        };
        let counters = &mut self.counters;
        match reply {
            Reply::Failed => {
                counters.failed_calls += 1;
                if attempt < ctx.params.retry.max_attempts {
                    let at = ctx.now + ctx.params.retry.backoff_after(attempt);
                    let next = attempt + 1;
                    ctx.schedule.push(
                        at,
                        Occurrence::Retry {
                            entity,
                            attempt: next,
                        },
                    );
                    return;
                }
                c.calls_open = c.calls_open.saturating_sub(1);
                if c.calls_open == 0 {
                    c.waiting.all_failed(counters);
                }
            }
            Reply::NotFound { bytes } => {
                counters.fetched_bytes += u64::from(bytes);
                c.calls_open = c.calls_open.saturating_sub(1);
                if c.calls_open == 0 {
                    c.waiting.all_failed(counters);
                }
            }
            Reply::State {
                version,
                record,
                bytes,
            } => {
                counters.fetched_bytes += u64::from(bytes);
                c.calls_open = c.calls_open.saturating_sub(1);
                if version > c.cache.version {
                    let before = entry_len(&c.cache, stream_len, ctx.needs);
                    c.cache = record;
                    counters.resize_entry(before, entry_len(&c.cache, stream_len, ctx.needs));
                    ctx.changes
                        .reached(Flow::Notification, entity, version, ctx.now);
                }
                if c.is_current(ctx.needs) {
                    c.waiting.all_done(counters);
                } else if c.calls_open == 0 && !c.waiting.is_empty() {
                    if c.cache.version < c.announced {
                        // Heard of something newer than this answer: ask again.
                        c.calls_open += 1;
                        self.call(entity, 1, ctx);
                    } else {
                        // The source has not what the work needs.
                        c.waiting.all_failed(counters);
                    }
                }
            }
        }
    }

    pub(crate) fn on_work_timeout(&mut self, entity: u32, now: u64) {
        if let Some(c) = self.entities.get_mut(entity as usize) {
            c.waiting.expire(now, &mut self.counters);
        }
    }

    /// One call to the query API; the answer is the state as of now.
    fn call(&mut self, entity: u32, attempt: u32, ctx: &mut Ctx) {
        self.counters.remote_calls += 1;
        let reply = ctx.source.answer(entity, ctx.now, ctx.needs);
        let at = ctx.now + ctx.params.query_latency_ms;
        ctx.schedule.push(
            at,
            Occurrence::Answer {
                entity,
                attempt,
                sent_at: ctx.now,
                reply,
            },
        );
    }

    pub(crate) fn view(&self, entity: u32) -> Option<EntityView> {
        EntityView::of(&self.entities.get(entity as usize)?.cache)
    }

    /// Whether every entity it knows or has needed matches the source.
    pub(crate) fn converged(&self, source: &SourceSystem, needs: &Needs) -> bool {
        source.converged_with(needs, |entity| {
            let c = self.entities.get(entity as usize)?;
            Some((&c.cache, c.needed))
        })
    }
}

/// What the cache holds: the needed fields, or the whole entity.
fn entry_len(cache: &EntityRecord, stream_len: usize, needs: &Needs) -> usize {
    match needs {
        Needs::All => cache.held_len(stream_len, EntityRecord::json_len),
        Needs::Fields(_) => cache.held_len(stream_len, EntityRecord::entry_len),
    }
}
