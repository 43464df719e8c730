//! Engine tests across the module: rebuild, time travel, diff and blame.

mod engine;
mod heads;
mod laws;
mod moving_customer;
mod parallel;
mod skip;
mod write_state;

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::event::Event;
use crate::event_view::{EventHead, EventView};
use crate::projection::{EventSource, Visitor};

/// `events` generated retail events of `seed`, as stored.
fn generated(events: u64, seed: u64) -> Vec<Event> {
    let mut new = Vec::new();
    crate::domain::generate::generate(crate::domain::Domain::Retail, events, seed, |event| {
        new.push(event);
        Ok::<(), ()>(())
    })
    .unwrap();
    crate::domain_file::testing::stored(new)
}

/// A source that counts how it is read.
struct Counted<'a> {
    source: &'a dyn EventSource,
    /// Scans of whole events, one visitor each.
    scans: AtomicUsize,
    /// Scans of whole events for two visitors beside each other.
    shared: AtomicUsize,
    /// Scans of heads.
    heads: AtomicUsize,
}

impl<'a> Counted<'a> {
    fn new(source: &'a dyn EventSource) -> Counted<'a> {
        Counted {
            source,
            scans: AtomicUsize::new(0),
            shared: AtomicUsize::new(0),
            heads: AtomicUsize::new(0),
        }
    }
}

impl EventSource for Counted<'_> {
    fn last_seq(&self) -> anyhow::Result<u64> {
        self.source.last_seq()
    }

    fn scan(
        &self,
        from: u64,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.scans.fetch_add(1, Ordering::Relaxed);
        self.source.scan(from, to, f)
    }

    fn scan_views(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        f: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.scans.fetch_add(1, Ordering::Relaxed);
        self.source.scan_views(from, to, types, f)
    }

    fn scan_heads(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        streams: bool,
        f: &mut dyn FnMut(&EventHead<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.heads.fetch_add(1, Ordering::Relaxed);
        self.source.scan_heads(from, to, types, streams, f)
    }

    fn scan_views_beside(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        first: &mut dyn Visitor,
        second: &mut (dyn Visitor + Send),
    ) {
        self.shared.fetch_add(1, Ordering::Relaxed);
        self.source
            .scan_views_beside(from, to, types, first, second);
    }
}
