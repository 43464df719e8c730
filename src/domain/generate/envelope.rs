//! What every generated event carries besides its payload: a deterministic
//! id, a time on a clock that follows the day's rhythm, and the metadata that
//! links it into its flow.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::Serialize;

use crate::domain::rng::SplitMix64;
use crate::event::{Json, NewEvent, Timestamp};

/// Where every generated log starts: 2024-01-01T00:00:00Z.
pub const START_MILLIS: i64 = 1_704_067_200_000;

/// The mean gap in milliseconds between two independent actions, by hour of
/// the day (UTC): quiet at night, busy at lunch and in the evening.
const MEAN_GAP_MS_BY_HOUR: [u64; 24] = [
    40_000, 50_000, 60_000, 60_000, 50_000, 40_000, // 00-05
    20_000, 15_000, 10_000, 7_000, 6_000, 6_000, // 06-11
    5_000, 5_000, 6_000, 7_000, 7_000, 6_000, // 12-17
    5_000, 4_000, 4_000, 5_000, 10_000, 20_000, // 18-23
];

/// How soon an event follows the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// A new action by a person: seconds to a minute, by time of day.
    Independent,
    /// A system's reaction to the event just before: under a few seconds.
    FollowUp,
}

/// What caused an event: a command, or an earlier event (by number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    Command(u64),
    Event(u64),
}

/// A generated event before its payload is attached.
#[derive(Debug)]
pub struct Header<'a> {
    pub stream: String,
    pub event_type: &'a str,
    pub version: u64,
    /// The flow this event belongs to: its correlation id is `flow-<n>`.
    pub flow: u64,
    pub cause: Cause,
}

/// Numbers events, keeps the clock, and writes ids and metadata.
#[derive(Debug)]
pub struct Envelope {
    events_made: u64,
    clock_ms: i64,
    /// Reused for every payload and metadata text, so each event costs one
    /// exact allocation per text.
    scratch: Vec<u8>,
}

impl Envelope {
    pub fn new() -> Envelope {
        Envelope {
            events_made: 0,
            clock_ms: START_MILLIS,
            scratch: Vec::with_capacity(512),
        }
    }

    /// The number the next event will get (its id is `evt-<number>`).
    pub fn next_number(&self) -> u64 {
        self.events_made + 1
    }

    /// Builds the next event. Times strictly increase.
    pub fn seal<T: Serialize>(
        &mut self,
        rng: &mut SplitMix64,
        pace: Pace,
        header: Header<'_>,
        payload: &T,
    ) -> NewEvent {
        self.events_made += 1;
        self.clock_ms += gap_ms(rng, pace, self.clock_ms) as i64;
        let metadata = self.metadata(header.flow, header.cause);
        let data = self.payload(payload);
        let mut id = String::with_capacity(24);
        let _ = write!(id, "evt-{}", self.events_made);
        NewEvent {
            stream: header.stream,
            event_type: header.event_type.to_string(),
            id: Some(id),
            time: Some(Timestamp::from_unix_millis(self.clock_ms)),
            data,
            metadata: Some(metadata),
            expected_version: Some(header.version),
        }
    }

    fn metadata(&mut self, flow: u64, cause: Cause) -> Json {
        self.scratch.clear();
        // Ids are ASCII letters, digits and dashes, so no escaping is needed.
        let _ = write!(
            self.scratch,
            r#"{{"correlation_id":"flow-{flow}","causation_id":""#
        );
        let _ = match cause {
            Cause::Command(n) => write!(self.scratch, r#"cmd-{n}"}}"#),
            Cause::Event(n) => write!(self.scratch, r#"evt-{n}"}}"#),
        };
        self.trusted_scratch()
    }

    /// A payload struct as JSON text, serialised directly (no tree in
    /// between).
    fn payload<T: Serialize>(&mut self, payload: &T) -> Json {
        self.scratch.clear();
        match serde_json::to_writer(&mut self.scratch, payload) {
            Ok(()) => self.trusted_scratch(),
            // The payloads are plain structs of strings and numbers, which
            // serde_json always serialises.
            Err(_) => Json::empty_object(),
        }
    }

    fn trusted_scratch(&self) -> Json {
        match std::str::from_utf8(&self.scratch) {
            Ok(text) => Json::from_trusted(text),
            Err(_) => Json::empty_object(),
        }
    }
}

impl Default for Envelope {
    fn default() -> Envelope {
        Envelope::new()
    }
}

fn gap_ms(rng: &mut SplitMix64, pace: Pace, now_ms: i64) -> u64 {
    match pace {
        Pace::Independent => {
            let hour = (now_ms.rem_euclid(86_400_000) / 3_600_000) as usize;
            let mean = MEAN_GAP_MS_BY_HOUR[hour % 24];
            1 + rng.below(2 * mean)
        }
        Pace::FollowUp => rng.between(150, 4_000),
    }
}
