//! The Notification consumer: it hears thin events and calls the source's
//! query API to learn what changed.
//!
//! It keeps the last address it fetched for each customer (shipping needs
//! nothing else, and it can always ask again). It calls once per thin event
//! it receives, duplicates included: a thin event says only that something
//! changed. When a shipment needs a customer whose data it lacks, or whose
//! data it knows to be outdated (it heard of a newer version than it
//! fetched), the shipment waits for a call; failed calls are retried with
//! backoff, and when every call for the customer has given up the waiting
//! shipments fail.

use super::context::Ctx;
use super::metrics::Counters;
use super::record::CustomerRecord;
use super::schedule::{Occurrence, Reply};
use super::source::SourceSystem;
use super::views::{CustomerView, Flow};
use super::waiting::Waiting;

#[derive(Debug, Default)]
struct Fetched {
    /// Version and address as last fetched; other fields stay empty.
    cache: CustomerRecord,
    /// Highest version a thin event has announced.
    announced: u64,
    /// Calls (with their retries) not yet settled.
    calls_open: u32,
    waiting: Waiting,
    needed: bool,
}

impl Fetched {
    fn is_current(&self) -> bool {
        self.cache.address.is_some() && self.cache.version >= self.announced
    }
}

#[derive(Debug, Default)]
pub(crate) struct NotificationConsumer {
    customers: Vec<Fetched>,
    pub counters: Counters,
}

impl NotificationConsumer {
    pub(crate) fn add_customer(&mut self) {
        self.customers.push(Fetched::default());
    }

    /// A thin event arrives: call the source to learn what changed.
    pub(crate) fn on_thin_event(&mut self, customer: u32, version: u64, ctx: &mut Ctx) {
        let Some(c) = self.customers.get_mut(customer as usize) else {
            return;
        };
        c.announced = c.announced.max(version);
        c.calls_open += 1;
        self.call(customer, 1, ctx);
    }

    /// Shipping needs the customer's address now.
    pub(crate) fn on_work(&mut self, customer: u32, ctx: &mut Ctx) {
        let Some(c) = self.customers.get_mut(customer as usize) else {
            return;
        };
        c.needed = true;
        if c.is_current() {
            self.counters.work_done += 1;
            return;
        }
        c.waiting
            .add(Flow::Notification, customer, &mut self.counters, ctx);
        if c.calls_open == 0 {
            c.calls_open += 1;
            self.call(customer, 1, ctx);
        }
    }

    pub(crate) fn on_retry(&mut self, customer: u32, attempt: u32, ctx: &mut Ctx) {
        self.call(customer, attempt, ctx);
    }

    pub(crate) fn on_answer(&mut self, customer: u32, attempt: u32, reply: Reply, ctx: &mut Ctx) {
        let stream_len = ctx.source.stream_len(customer);
        let Some(c) = self.customers.get_mut(customer as usize) else {
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
                            customer,
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
                address,
                bytes,
            } => {
                counters.fetched_bytes += u64::from(bytes);
                c.calls_open = c.calls_open.saturating_sub(1);
                if version > c.cache.version {
                    let before = entry_len(&c.cache, stream_len);
                    c.cache.version = version;
                    c.cache.address = address;
                    counters.resize_entry(before, entry_len(&c.cache, stream_len));
                    ctx.changes
                        .reached(Flow::Notification, customer, version, ctx.now);
                }
                if c.is_current() {
                    c.waiting.all_done(counters);
                } else if c.calls_open == 0 && !c.waiting.is_empty() {
                    if c.cache.version < c.announced {
                        // Heard of something newer than this answer: ask again.
                        c.calls_open += 1;
                        self.call(customer, 1, ctx);
                    } else {
                        // The source has no address to give.
                        c.waiting.all_failed(counters);
                    }
                }
            }
        }
    }

    pub(crate) fn on_work_timeout(&mut self, customer: u32, now: u64) {
        if let Some(c) = self.customers.get_mut(customer as usize) {
            c.waiting.expire(now, &mut self.counters);
        }
    }

    /// One call to the query API; the answer is the state as of now.
    fn call(&mut self, customer: u32, attempt: u32, ctx: &mut Ctx) {
        self.counters.remote_calls += 1;
        let reply = ctx.source.answer(customer, ctx.now);
        let at = ctx.now + ctx.params.query_latency_ms;
        ctx.schedule.push(
            at,
            Occurrence::Answer {
                customer,
                attempt,
                sent_at: ctx.now,
                reply,
            },
        );
    }

    pub(crate) fn view(&self, customer: u32) -> Option<CustomerView> {
        CustomerView::of_copy(&self.customers.get(customer as usize)?.cache)
    }

    /// Whether every customer it knows or has needed matches the source.
    pub(crate) fn converged(&self, source: &SourceSystem) -> bool {
        source.converged_with(|customer| {
            let c = self.customers.get(customer as usize)?;
            Some((&c.cache, c.needed))
        })
    }
}

fn entry_len(cache: &CustomerRecord, stream_len: usize) -> usize {
    cache.held_len(stream_len, CustomerRecord::address_entry_len)
}
