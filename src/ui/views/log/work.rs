//! The log view's background work: the rate chart, text search, and the
//! flow (correlation chain) of the selected event. Each runs through
//! [`crate::ui::jobs::Jobs::spawn`] and answers with one result `Msg`.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::event::Event;
use crate::store::EventLog;
use crate::ui::chain::{Flow, FlowEvent, causation_tree};
use crate::ui::jobs::Worker;
use crate::ui::msg::Msg;
use crate::ui::rate::RateChart;
use crate::ui::views::log::list::EventList;

/// How often workers report progress, in events.
const PROGRESS_EVERY: u64 = 20_000;
/// How far around the selected event the flow is looked for.
pub const FLOW_WINDOW: u64 = 5_000;
/// The most events of one flow shown.
const FLOW_LIMIT: usize = 200;

/// Counts every event into time buckets.
pub fn rate(log: &EventLog, worker: &Worker) {
    let chart = count_rate(log, worker);
    worker.send(Msg::RateReady {
        generation: worker.generation(),
        chart,
    });
}

fn count_rate(log: &EventLog, worker: &Worker) -> Result<RateChart, String> {
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
            if worker.is_cancelled() {
                return ControlFlow::Break(());
            }
            worker.progress(done, stats.events);
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

/// Searches from the request's position; wraps around the end once.
pub fn search(log: &EventLog, worker: &Worker, request: &SearchRequest) {
    let (found, wrapped) = match search_from(log, worker, request) {
        Ok((found, wrapped)) => (Ok(found), wrapped),
        Err(e) => (Err(e), false),
    };
    worker.send(Msg::SearchDone {
        generation: worker.generation(),
        found,
        wrapped,
    });
}

fn search_from(
    log: &EventLog,
    worker: &Worker,
    request: &SearchRequest,
) -> Result<(Option<u64>, bool), String> {
    let needle = request.query.to_lowercase();
    let len = request.list.len();
    let total = len as u64;
    let mut done = 0u64;
    let mut visit = |event: &Event| {
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            if worker.is_cancelled() {
                return ControlFlow::Break(None);
            }
            worker.progress(done, total);
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
pub fn flow(log: &EventLog, worker: &Worker, seq: u64) {
    let flow = find_flow(log, worker.cancel_flag(), seq).map_err(|e| e.to_string());
    worker.send(Msg::FlowReady {
        generation: worker.generation(),
        flow,
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
