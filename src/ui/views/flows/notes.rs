//! What the learner should notice in the flows view, said from the numbers
//! of the run at this moment (nothing is scripted: each sentence appears
//! only when the measurements show it).

use crate::simulation::FlowMetrics;
use crate::ui::widgets::bars::{duration, grouped};

/// What the article says each style costs, shown under the notes.
pub const LESSONS: &[&str] = &[
    "Notification: the source knows nothing of its consumers, but each consumer calls back \
     for the data: load on the source, and a dependency on it being up.",
    "State transfer: no calls, and the consumer works while the source is down; the price is \
     more bytes, a copy per consumer, and keeping that copy right (order, duplicates, versions).",
];

/// Where the run is, as far as the notes care.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moment {
    /// The source's query API is down now.
    pub source_down: bool,
    /// An outage has begun before now.
    pub after_outage: bool,
    /// The StateTransfer replica checks stream versions.
    pub version_checks: bool,
    /// Messages can be dropped, duplicated or reordered.
    pub faults: bool,
}

/// One sentence per thing worth seeing now, most telling first.
pub fn observations(
    notification: &FlowMetrics,
    state_transfer: &FlowMetrics,
    moment: Moment,
) -> Vec<String> {
    let (n, s) = (notification, state_transfer);
    let mut out = Vec::new();
    if moment.source_down {
        out.push(format!(
            "The source is down: Notification's calls to it fail ({} failed so far), and work \
             that needs data it lacks must wait; StateTransfer works from its replica \
             ({} done).",
            n.failed_calls, s.work_done
        ));
    } else if moment.after_outage && n.failed_calls > 0 {
        out.push(format!(
            "After the outage Notification calls again and catches up; its worst staleness \
             ({}) shows how long it was blind. StateTransfer's stayed at {}.",
            duration(n.max_staleness_ms as f64),
            duration(s.max_staleness_ms as f64)
        ));
    }
    if n.bus_bytes > 0 && s.bus_bytes > n.bus_bytes {
        let ratio = s.bus_bytes as f64 / n.bus_bytes as f64;
        out.push(format!(
            "StateTransfer moves {ratio:.1}x the bus bytes of Notification and keeps a copy \
             ({} bytes), but makes {} remote calls; Notification made {}.",
            grouped(s.replica_bytes),
            s.remote_calls,
            grouped(n.remote_calls)
        ));
    }
    if n.work_delayed > s.work_delayed {
        out.push(format!(
            "{} times Notification's work waited for a call to the source; StateTransfer's \
             waited {} times.",
            n.work_delayed, s.work_delayed
        ));
    }
    if moment.faults && !moment.version_checks && !s.converged {
        out.push(
            "Without version checks, a reordered or duplicated event overwrote newer data: the \
             replica no longer equals the source."
                .to_string(),
        );
    } else if moment.faults && moment.version_checks {
        out.push(
            "With version checks the replica ignores old and duplicate events and waits for \
             gaps; turn them off (v) to see what faults do to it."
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> FlowMetrics {
        FlowMetrics {
            bus_messages: 10,
            bus_bytes: 1_000,
            remote_calls: 10,
            failed_calls: 0,
            fetched_bytes: 2_000,
            work_done: 5,
            work_delayed: 0,
            work_failed: 0,
            mean_staleness_ms: 60.0,
            max_staleness_ms: 60,
            replica_bytes: 500,
            converged: true,
        }
    }

    #[test]
    fn an_outage_is_told_only_while_the_source_is_down() {
        let n = FlowMetrics {
            failed_calls: 3,
            work_delayed: 2,
            ..metrics()
        };
        let s = FlowMetrics {
            remote_calls: 0,
            work_done: 9,
            ..metrics()
        };
        let down = Moment {
            source_down: true,
            ..Moment::default()
        };
        let notes = observations(&n, &s, down);
        assert!(
            notes[0].contains("(3 failed so far)") && notes[0].contains("(9 done)"),
            "{notes:?}"
        );
        let notes = observations(&n, &s, Moment::default());
        assert!(notes.iter().all(|note| !note.contains("down")), "{notes:?}");
    }

    #[test]
    fn the_byte_ratio_is_said_when_state_transfer_moves_more() {
        let s = FlowMetrics {
            bus_bytes: 3_000,
            ..metrics()
        };
        let notes = observations(&metrics(), &s, Moment::default());
        assert!(notes.iter().any(|note| note.contains("3.0x")), "{notes:?}");
        assert!(
            notes
                .iter()
                .any(|note| note.contains("makes 10 remote calls")),
            "{notes:?}"
        );
        let notes = observations(&metrics(), &metrics(), Moment::default());
        assert!(
            notes.iter().all(|note| !note.contains("x the bus bytes")),
            "{notes:?}"
        );
    }

    #[test]
    fn a_corrupted_replica_is_blamed_on_missing_version_checks() {
        let s = FlowMetrics {
            converged: false,
            ..metrics()
        };
        let unchecked = Moment {
            faults: true,
            ..Moment::default()
        };
        let notes = observations(&metrics(), &s, unchecked);
        assert!(
            notes
                .iter()
                .any(|note| note.contains("Without version checks"))
        );
        let notes = observations(&metrics(), &metrics(), unchecked);
        assert!(
            notes
                .iter()
                .all(|note| !note.contains("Without version checks"))
        );
    }
}
