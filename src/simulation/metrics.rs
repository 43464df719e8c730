//! What is measured on each side of the comparison.

use serde::Serialize;

/// One flow's measurements. The key names are part of the JSON output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowMetrics {
    /// Messages the source put on the bus (a duplicate counts twice).
    pub bus_messages: u64,
    /// Their size as JSON.
    pub bus_bytes: u64,
    /// Calls to the source's query API, retries included.
    pub remote_calls: u64,
    /// Calls that failed because the source was down.
    pub failed_calls: u64,
    /// Bytes of the answers.
    pub fetched_bytes: u64,
    /// Shipments made.
    pub work_done: u64,
    /// Shipments that had to wait for data first.
    pub work_delayed: u64,
    /// Shipments given up.
    pub work_failed: u64,
    /// From a change at the source to the consumer's view reaching it; a
    /// change not reached yet counts with its age so far.
    pub mean_staleness_ms: f64,
    /// The largest staleness, counted the same way.
    pub max_staleness_ms: u64,
    /// Size of what the consumer keeps about customers, as JSON.
    pub replica_bytes: u64,
    /// Whether the consumer's view (address and version) equals the source
    /// for every customer it knows or has needed.
    pub converged: bool,
}

/// The running counts a consumer keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    pub bus_messages: u64,
    pub bus_bytes: u64,
    pub remote_calls: u64,
    pub failed_calls: u64,
    pub fetched_bytes: u64,
    pub work_done: u64,
    pub work_delayed: u64,
    pub work_failed: u64,
    pub replica_bytes: u64,
}

impl Counters {
    /// Adjusts `replica_bytes` for an entry that changed size.
    pub(crate) fn resize_entry(&mut self, before: usize, after: usize) {
        self.replica_bytes = self
            .replica_bytes
            .saturating_sub(before as u64)
            .saturating_add(after as u64);
    }
}
