//! The clock commands get on a sample log: the log's own, continued from
//! its last event by the time the explorer has been open, so the events a
//! class writes sit right after the sample's (the rate chart and the list
//! stay readable) instead of years later, on today's date.

use std::sync::Arc;
use std::time::Instant;

use crate::store::EventLog;
use crate::ui::views::cqrs::state::Clock;

/// The gap between the log's last event and the first command's.
const FIRST_GAP_MS: i64 = 60_000;

/// A clock that continues `log`'s from its last event, if that has a time.
pub fn continuing(log: &EventLog) -> Option<Clock> {
    let last = log.last_seq().ok()?;
    let end = log.get(last).ok().flatten()?.time?;
    let opened = Instant::now();
    Some(Arc::new(move || {
        let elapsed = i64::try_from(opened.elapsed().as_millis()).unwrap_or(i64::MAX);
        end.plus_millis(FIRST_GAP_MS.saturating_add(elapsed))
    }))
}
