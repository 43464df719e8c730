//! The read side of the CQRS view: projections that trail the write side.
//!
//! Each read model is a projection that has applied the log up to
//! `applied_seq`. It may go as far as `last_seq - lag_events`, and only over
//! events at least `delay_secs` old by the app's clock, so eventual
//! consistency can be watched: a query answered while it trails may be
//! stale. The first state comes from [`travel`] (snapshots make it fast) on
//! a worker thread; after that it catches up event by event.

use std::ops::ControlFlow;

use serde_json::Value;

use crate::event::Timestamp;
use crate::projection::{EventSource, Path, Projection};
use crate::ui::views::cqrs::msg::Built;

/// How many unapplied events are looked at to judge staleness; a read
/// model further behind is called stale without looking.
const PENDING_LOOK: u64 = 10_000;

/// One read model and how far it trails.
pub struct ReadModel {
    pub name: String,
    /// A projection of the domain file: it answers about any stream, by
    /// the stream's name as its key.
    pub from_file: bool,
    /// What it answers, in a word, for a row with no question.
    pub summary: String,
    projection: Option<Box<dyn Projection>>,
    pub applied_seq: u64,
    pub lag_events: u64,
    pub delay_secs: u64,
    /// Why it could not be built or could not apply an event.
    pub problem: Option<String>,
}

impl ReadModel {
    /// A built-in read model still to be built.
    pub fn new(name: impl Into<String>) -> ReadModel {
        ReadModel {
            name: name.into(),
            from_file: false,
            summary: String::new(),
            projection: None,
            applied_seq: 0,
            lag_events: 0,
            delay_secs: 0,
            problem: None,
        }
    }

    /// A read model of the domain file's, still to be built.
    pub fn of_file(name: &str, summary: &str) -> ReadModel {
        ReadModel {
            from_file: true,
            summary: summary.to_owned(),
            ..ReadModel::new(name)
        }
    }

    pub fn is_ready(&self) -> bool {
        self.projection.is_some()
    }

    /// Takes the built projection, at `seq`.
    pub fn built(&mut self, result: Built) {
        match result {
            Ok((projection, seq)) => {
                self.projection = Some(projection);
                self.applied_seq = seq;
            }
            Err(problem) => self.problem = Some(problem),
        }
    }

    /// The last seq the lag in events lets it apply.
    pub fn limit(&self, last_seq: u64) -> u64 {
        last_seq.saturating_sub(self.lag_events)
    }

    /// Applies the events it may see by `now`; returns how many it applied.
    pub fn catch_up(&mut self, log: &dyn EventSource, last_seq: u64, now: Timestamp) -> u64 {
        let limit = self.limit(last_seq);
        let Some(projection) = self.projection.as_mut() else {
            return 0;
        };
        if self.applied_seq >= limit {
            return 0;
        }
        let visible_until = now
            .unix_millis()
            .saturating_sub(delay_millis(self.delay_secs));
        let mut applied = 0;
        let mut at = self.applied_seq;
        let mut problem = None;
        let scanned = log.scan(self.applied_seq + 1, limit, &mut |event| {
            // An event with no time is not held back.
            if event
                .time
                .is_some_and(|time| time.unix_millis() > visible_until)
            {
                return ControlFlow::Break(());
            }
            if let Err(error) = projection.apply(event) {
                // Passed over, as the log view would show it; the rest still applies.
                problem = Some(format!("event {} was passed over: {error}", event.seq));
            }
            at = event.seq;
            applied += 1;
            ControlFlow::Continue(())
        });
        self.applied_seq = at;
        if let Err(error) = scanned {
            problem = Some(format!("cannot read the log: {error}"));
        }
        if problem.is_some() {
            self.problem = problem;
        }
        applied
    }

    /// Its answer at `path`, if it has one.
    pub fn answer(&self, path: &Path) -> Option<Value> {
        self.projection.as_ref()?.get(path)
    }

    /// Whether an event it has not applied yet may change its answer at
    /// `path`: then the answer is stale.
    pub fn is_stale(&self, log: &dyn EventSource, last_seq: u64, path: &Path) -> bool {
        let Some(projection) = self.projection.as_ref() else {
            return true;
        };
        if last_seq <= self.applied_seq {
            return false;
        }
        if last_seq - self.applied_seq > PENDING_LOOK {
            return true;
        }
        let mut stale = false;
        let scanned = log.scan(self.applied_seq + 1, last_seq, &mut |event| {
            stale = projection
                .scope(&event.view())
                .iter()
                .any(|scope| overlaps(scope, path));
            if stale {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        stale || scanned.is_err()
    }
}

fn delay_millis(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

/// Whether one path lies under the other (a change at one can change the other).
fn overlaps(a: &Path, b: &Path) -> bool {
    let (a, b) = (a.segments(), b.segments());
    a.starts_with(b) || b.starts_with(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Json};
    use crate::projection::{MemoryLog, builtin, travel};
    use serde_json::json;

    fn event(seq: u64, stream: &str, city: &str, minute: i64) -> Event {
        let event_type = if seq <= 2 {
            "CustomerRegistered"
        } else {
            "CustomerAddressChanged"
        };
        let address =
            json!({"street": "1 Main St", "city": city, "postcode": "1", "country": "UK"});
        let data = if seq <= 2 {
            json!({"name": "Ada", "email": "ada@example.com", "address": address})
        } else {
            json!({"address": address})
        };
        let version = if seq <= 2 { 1 } else { seq - 1 };
        Event {
            seq,
            id: format!("e{seq}"),
            stream: stream.into(),
            version,
            event_type: event_type.into(),
            time: Some(Timestamp::from_unix_millis(minute * 60_000)),
            data: Json::from_value(&data),
            metadata: None,
        }
    }

    fn log() -> MemoryLog {
        MemoryLog::new(vec![
            event(1, "customer-1", "Oslo", 1),
            event(2, "customer-2", "Oslo", 2),
            event(3, "customer-1", "Leeds", 3),
            event(4, "customer-1", "York", 10),
        ])
        .unwrap()
    }

    fn built(name: &'static str, at: u64, log: &MemoryLog) -> ReadModel {
        let mut model = ReadModel::new(name);
        let (projection, report) = travel(log, None, builtin(name).unwrap(), at).unwrap();
        model.built(Ok((projection, report.at)));
        model
    }

    #[test]
    fn a_lag_in_events_keeps_the_model_that_far_behind() {
        let log = log();
        let mut model = built("address-book", 1, &log);
        model.lag_events = 2;
        let far_future = Timestamp::from_unix_millis(i64::MAX / 2);
        assert_eq!(model.catch_up(&log, 4, far_future), 1);
        assert_eq!(model.applied_seq, 2);
        let city = Path::keys(["customer-1", "city"]);
        assert_eq!(model.answer(&city), Some(json!("Oslo")));
        assert!(model.is_stale(&log, 4, &city));
        assert!(!model.is_stale(&log, 4, &Path::keys(["customer-2"])));
        model.lag_events = 0;
        model.catch_up(&log, 4, far_future);
        assert_eq!(model.answer(&city), Some(json!("York")));
        assert!(!model.is_stale(&log, 4, &city));
    }

    #[test]
    fn a_delay_lets_only_events_old_enough_through() {
        let log = log();
        let mut model = built("customers", 0, &log);
        model.delay_secs = 5 * 60;
        // At minute 9, events up to minute 4 are old enough.
        model.catch_up(&log, 4, Timestamp::from_unix_millis(9 * 60_000));
        assert_eq!(model.applied_seq, 3);
        model.catch_up(&log, 4, Timestamp::from_unix_millis(15 * 60_000));
        assert_eq!(model.applied_seq, 4);
    }
}
