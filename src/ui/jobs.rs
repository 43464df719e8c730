//! Background work on worker threads. Each job reports `Progress` and then
//! one result `Msg` on the app's channel; a newer job of the same kind
//! cancels the older one, whose late results are ignored by generation.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Instant;

use super::flow::{Flow, FlowEvent, causation_tree};
use super::list::EventList;
use super::msg::{Job, Msg};
use super::rate::RateChart;
use crate::event::Event;
use crate::store::EventLog;

/// How often workers report progress, in events.
const PROGRESS_EVERY: u64 = 20_000;
/// How far around the selected event the flow is looked for.
pub const FLOW_WINDOW: u64 = 5_000;
/// The most events of one flow shown.
const FLOW_LIMIT: usize = 200;

/// The state of one kind of job.
#[derive(Debug, Default)]
pub struct JobSlot {
    generation: u64,
    cancel: Option<Arc<AtomicBool>>,
    pub running: bool,
    pub progress: Option<(u64, u64)>,
    pub started: Option<Instant>,
}

impl JobSlot {
    /// Cancels the running job, if any, and opens a new generation.
    pub fn start(&mut self) -> (u64, Arc<AtomicBool>) {
        self.cancel_running();
        self.generation += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = Some(cancel.clone());
        self.running = true;
        self.progress = None;
        self.started = Some(Instant::now());
        (self.generation, cancel)
    }

    pub fn cancel_running(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel.store(true, Ordering::Relaxed);
        }
        self.running = false;
        self.progress = None;
    }

    /// Whether a result of `generation` is the one awaited.
    pub fn is_current(&self, generation: u64) -> bool {
        self.running && generation == self.generation
    }

    pub fn finish(&mut self) {
        self.running = false;
        self.cancel = None;
    }
}

/// All job slots.
#[derive(Debug, Default)]
pub struct Jobs {
    slots: HashMap<Job, JobSlot>,
}

impl Jobs {
    pub fn slot(&mut self, job: Job) -> &mut JobSlot {
        self.slots.entry(job).or_default()
    }

    pub fn get(&self, job: Job) -> Option<&JobSlot> {
        self.slots.get(&job)
    }

    pub fn any_running(&self) -> bool {
        self.slots.values().any(|s| s.running)
    }
}

fn progress(tx: &Sender<Msg>, job: Job, generation: u64, done: u64, total: u64) {
    let _ = tx.send(Msg::Progress {
        job,
        generation,
        done,
        total,
    });
}

/// Counts every event into time buckets.
pub fn spawn_rate(log: Arc<EventLog>, tx: Sender<Msg>, generation: u64, cancel: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let chart = count_rate(&log, &tx, generation, &cancel);
        let _ = tx.send(Msg::RateReady { generation, chart });
    });
}

fn count_rate(
    log: &EventLog,
    tx: &Sender<Msg>,
    generation: u64,
    cancel: &AtomicBool,
) -> Result<RateChart, String> {
    let stats = log.stats().map_err(|e| e.to_string())?;
    let (start, end) = stats
        .time_span
        .map_or((0, 0), |(a, b)| (a.unix_nanos(), b.unix_nanos()));
    let mut chart = RateChart::new(start, end);
    let mut done = 0u64;
    log.scan(1..=stats.events, |event| {
        // An event with no time has no place on a time axis.
        if let Some(time) = event.time {
            chart.add(time.unix_nanos());
        }
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            progress(tx, Job::Rate, generation, done, stats.events);
        }
        ControlFlow::Continue(())
    })
    .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// What a search looks for, and where it starts.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    pub query: String,
    pub list: EventList,
    /// The position the search starts after (or before, backwards).
    pub from: usize,
    pub forward: bool,
}

/// The text a search matches against: the list row as shown and the data.
pub fn search_text(event: &Event) -> String {
    format!(
        "{} {} {} {} {} {} {}",
        event.seq,
        event.time_text(),
        event.stream,
        event.event_type,
        event.id,
        event.data,
        event.metadata.as_ref().map_or("", |m| m.as_str())
    )
    .to_lowercase()
}

/// Searches on a worker thread; wraps around the end once.
pub fn spawn_search(
    log: Arc<EventLog>,
    tx: Sender<Msg>,
    generation: u64,
    cancel: Arc<AtomicBool>,
    request: SearchRequest,
) {
    std::thread::spawn(move || {
        let (found, wrapped) = match search(&log, &tx, generation, &cancel, &request) {
            Ok((found, wrapped)) => (Ok(found), wrapped),
            Err(e) => (Err(e), false),
        };
        let _ = tx.send(Msg::SearchDone {
            generation,
            found,
            wrapped,
        });
    });
}

fn search(
    log: &EventLog,
    tx: &Sender<Msg>,
    generation: u64,
    cancel: &AtomicBool,
    request: &SearchRequest,
) -> Result<(Option<u64>, bool), String> {
    let needle = request.query.to_lowercase();
    let len = request.list.len();
    let total = len as u64;
    let mut done = 0u64;
    let mut visit = |event: &Event| {
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return ControlFlow::Break(None);
            }
            progress(tx, Job::Search, generation, done, total);
        }
        if search_text(event).contains(&needle) {
            ControlFlow::Break(Some(event.seq))
        } else {
            ControlFlow::Continue(())
        }
    };
    let from = request.from.min(len.saturating_sub(1));
    let (first, second) = if request.forward {
        ((from + 1, len), (0, from + 1))
    } else {
        ((0, from), (from, len))
    };
    for (pass, (lo, hi)) in [first, second].into_iter().enumerate() {
        if let ControlFlow::Break(found) =
            walk(log, &request.list, lo, hi, request.forward, &mut visit)?
        {
            return Ok((found, pass == 1 && found.is_some()));
        }
    }
    Ok((None, false))
}

/// Visits the events at positions `lo..hi` of `list`, forwards or
/// backwards, until `visit` breaks.
fn walk(
    log: &EventLog,
    list: &EventList,
    lo: usize,
    hi: usize,
    forward: bool,
    visit: &mut impl FnMut(&Event) -> ControlFlow<Option<u64>>,
) -> Result<ControlFlow<Option<u64>>, String> {
    const CHUNK: usize = 2_048;
    let mut outcome = ControlFlow::Continue(());
    let positions: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new((lo..hi).step_by(CHUNK))
    } else {
        Box::new((lo..hi).rev().step_by(CHUNK))
    };
    for start in positions {
        let (a, b) = if forward {
            (start, (start + CHUNK).min(hi))
        } else {
            ((start + 1).saturating_sub(CHUNK).max(lo), start + 1)
        };
        let (Some(first), Some(last)) = (list.seq_at(a), list.seq_at(b - 1)) else {
            continue;
        };
        let mut events = Vec::with_capacity(b - a);
        let sparse = (last - first) / 8 > (b - a) as u64;
        if sparse {
            // A stream's events lie far apart: look each one up.
            for seq in (a..b).filter_map(|i| list.seq_at(i)) {
                if let Some(event) = log.get(seq).map_err(|e| e.to_string())? {
                    events.push(event);
                }
            }
        } else {
            let wanted = |seq: u64| list.filter.is_none() || list.position_of(seq).1;
            log.scan(first..=last, |event| {
                if wanted(event.seq) {
                    events.push(event);
                }
                ControlFlow::Continue(())
            })
            .map_err(|e| e.to_string())?;
        }
        if !forward {
            events.reverse();
        }
        for event in &events {
            outcome = visit(event);
            if outcome.is_break() {
                return Ok(outcome);
            }
        }
    }
    Ok(outcome)
}

/// Finds the flow of the event at `seq` within [`FLOW_WINDOW`] around it.
pub fn spawn_flow(
    log: Arc<EventLog>,
    tx: Sender<Msg>,
    generation: u64,
    cancel: Arc<AtomicBool>,
    seq: u64,
) {
    std::thread::spawn(move || {
        let flow = find_flow(&log, &cancel, seq).map_err(|e| e.to_string());
        let _ = tx.send(Msg::FlowReady { generation, flow });
    });
}

fn find_flow(log: &EventLog, cancel: &AtomicBool, seq: u64) -> crate::store::Result<Option<Flow>> {
    let Some(event) = log.get(seq)? else {
        return Ok(None);
    };
    let Some(correlation_id) = event.correlation_id() else {
        return Ok(None);
    };
    let last = log.last_seq()?;
    let searched = (
        seq.saturating_sub(FLOW_WINDOW).max(1),
        seq.saturating_add(FLOW_WINDOW).min(last),
    );
    let mut members = Vec::new();
    let mut truncated = false;
    let mut seen = 0u32;
    log.scan(searched.0..=searched.1, |e| {
        seen = seen.wrapping_add(1);
        if seen.is_multiple_of(1024) && cancel.load(Ordering::Relaxed) {
            return ControlFlow::Break(());
        }
        // A cheap text test first: most events are not in this flow.
        let maybe = e
            .metadata
            .as_ref()
            .is_some_and(|m| m.as_str().contains(correlation_id.as_str()));
        if maybe && e.correlation_id().as_deref() == Some(correlation_id.as_str()) {
            if members.len() >= FLOW_LIMIT {
                truncated = true;
                return ControlFlow::Break(());
            }
            members.push(FlowEvent {
                seq: e.seq,
                causation_id: e.causation_id(),
                id: e.id,
                stream: e.stream.to_string(),
                event_type: e.event_type.to_string(),
            });
        }
        ControlFlow::Continue(())
    })?;
    Ok(Some(Flow {
        seq,
        correlation_id,
        lines: causation_tree(members),
        searched,
        truncated,
    }))
}
