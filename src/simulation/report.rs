//! The outcome of a run: both flows side by side, as JSON or as a table.

use std::fmt::Write;

use serde::Serialize;

use super::metrics::FlowMetrics;
use super::params::SimParams;
use crate::domain_file::FlowsDef;

/// Both flows' measurements for one run, and what the run was given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Thin events plus calls to the source.
    pub notification: FlowMetrics,
    /// Events that carry their data into a replica.
    pub state_transfer: FlowMetrics,
    /// Events fed to the simulation.
    pub events: u64,
    /// Events it needed but could not use.
    pub skipped_events: u64,
    /// What the run was given.
    pub params: SimParams,
    /// How the run read the log.
    #[serde(serialize_with = "mapping_json")]
    pub mapping: FlowsDef,
}

/// `{"source": .., "work": [..], "link": ".." or null, "needs": [..]}`
fn mapping_json<S: serde::Serializer>(def: &FlowsDef, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct MappingJson<'a> {
        source: &'a str,
        work: &'a [String],
        link: Option<String>,
        needs: &'a [String],
    }
    MappingJson {
        source: &def.source_category,
        work: &def.work,
        link: def.link.as_ref().map(ToString::to_string),
        needs: &def.needs,
    }
    .serialize(serializer)
}

impl Report {
    /// A plain-text table: one row per metric, one column per flow.
    pub fn to_table(&self) -> String {
        let rows = table_rows(&self.notification, &self.state_transfer);
        let label_width = rows
            .iter()
            .map(|(label, ..)| label.len())
            .max()
            .unwrap_or(0);
        let width = |cells: &dyn Fn(&(&str, String, String)) -> usize, header: &str| {
            rows.iter().map(cells).max().unwrap_or(0).max(header.len())
        };
        let left = width(&|row| row.1.len(), "Notification");
        let right = width(&|row| row.2.len(), "StateTransfer");
        let mut table = String::new();
        let _ = writeln!(
            table,
            "{:label_width$}  {:>left$}  {:>right$}",
            "", "Notification", "StateTransfer"
        );
        for (label, n, s) in &rows {
            let _ = writeln!(table, "{label:label_width$}  {n:>left$}  {s:>right$}");
        }
        table
    }
}

fn table_rows(n: &FlowMetrics, s: &FlowMetrics) -> Vec<(&'static str, String, String)> {
    let count = |f: fn(&FlowMetrics) -> u64| (grouped(f(n)), grouped(f(s)));
    let rows = [
        ("bus messages", count(|m| m.bus_messages)),
        ("bus bytes", count(|m| m.bus_bytes)),
        ("remote calls", count(|m| m.remote_calls)),
        ("failed calls", count(|m| m.failed_calls)),
        ("fetched bytes", count(|m| m.fetched_bytes)),
        ("work done", count(|m| m.work_done)),
        ("work delayed", count(|m| m.work_delayed)),
        ("work failed", count(|m| m.work_failed)),
        (
            "mean staleness ms",
            (
                format!("{:.1}", n.mean_staleness_ms),
                format!("{:.1}", s.mean_staleness_ms),
            ),
        ),
        ("max staleness ms", count(|m| m.max_staleness_ms)),
        ("replica bytes", count(|m| m.replica_bytes)),
        ("converged", (yes_no(n.converged), yes_no(s.converged))),
    ];
    rows.into_iter()
        .map(|(label, (left, right))| (label, left, right))
        .collect()
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

/// `1234567` -> `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(calls: u64, converged: bool) -> FlowMetrics {
        FlowMetrics {
            bus_messages: 10,
            bus_bytes: 1_234_567,
            remote_calls: calls,
            failed_calls: 0,
            fetched_bytes: 0,
            work_done: 3,
            work_delayed: 0,
            work_failed: 0,
            mean_staleness_ms: 12.345,
            max_staleness_ms: 40,
            replica_bytes: 99,
            converged,
        }
    }

    fn report() -> Report {
        Report {
            notification: metrics(7, true),
            state_transfer: metrics(0, false),
            events: 20,
            skipped_events: 0,
            params: SimParams::default(),
            mapping: super::super::Mapping::retail().def().clone(),
        }
    }

    #[test]
    fn the_json_has_one_object_per_flow_with_the_metric_keys() {
        let json = serde_json::to_value(report()).unwrap();
        let keys: Vec<&str> = json["notification"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "bus_messages",
                "bus_bytes",
                "remote_calls",
                "failed_calls",
                "fetched_bytes",
                "work_done",
                "work_delayed",
                "work_failed",
                "mean_staleness_ms",
                "max_staleness_ms",
                "replica_bytes",
                "converged"
            ]
        );
        assert_eq!(json["state_transfer"]["remote_calls"], 0);
    }

    #[test]
    fn the_table_puts_the_flows_side_by_side() {
        let table = report().to_table();
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].ends_with("Notification  StateTransfer"), "{table}");
        assert_eq!(lines.len(), 13);
        let calls = lines
            .iter()
            .find(|l| l.starts_with("remote calls"))
            .unwrap();
        assert_eq!(
            calls.split_whitespace().collect::<Vec<_>>(),
            ["remote", "calls", "7", "0"]
        );
        assert!(table.contains("1,234,567"));
        assert!(
            lines.last().unwrap().ends_with("yes             no"),
            "{table}"
        );
        let widths: Vec<usize> = lines.iter().map(|l| l.len()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{table}");
    }

    #[test]
    fn grouping_puts_commas_every_three_digits() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }
}
