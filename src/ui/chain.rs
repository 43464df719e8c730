//! Correlation chains: the events of one flow, as a tree by causation.
//!
//! Events share a `correlation_id` when they belong to one flow (an order
//! placed, paid, shipped); each names its cause in `causation_id` (the id of
//! the event or command that caused it). Notification-style flows hide this
//! chain across many small events; drawing it as a tree makes it visible.

use std::collections::HashMap;

/// One event of a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowEvent {
    pub seq: u64,
    pub id: String,
    pub stream: String,
    pub event_type: String,
    pub causation_id: Option<String>,
}

/// One line of the drawn tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowLine {
    pub depth: usize,
    pub event: FlowEvent,
}

/// A flow around the selected event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// The event the flow was found for.
    pub seq: u64,
    pub correlation_id: String,
    pub lines: Vec<FlowLine>,
    /// The seqs searched: the chain may go on outside them.
    pub searched: (u64, u64),
    /// More events matched than are kept.
    pub truncated: bool,
}

/// Orders `events` (any order) as a tree: children under the event whose id
/// is their `causation_id`, in seq order; events whose cause is not among
/// them (a command, or an event outside the window) are roots.
pub fn causation_tree(mut events: Vec<FlowEvent>) -> Vec<FlowLine> {
    events.sort_by_key(|e| e.seq);
    let index_of_id: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); events.len()];
    let mut roots = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let parent = event
            .causation_id
            .as_deref()
            .and_then(|cause| index_of_id.get(cause).copied())
            .filter(|&p| p != i);
        match parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(events.len());
    let mut seen = vec![false; events.len()];
    let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(FlowLine {
            depth,
            event: events[i].clone(),
        });
        stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
    }
    // Causation cycles have no root; show their events flat rather than lose them.
    for (i, event) in events.iter().enumerate() {
        if !seen[i] {
            out.push(FlowLine {
                depth: 0,
                event: event.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u64, id: &str, cause: Option<&str>) -> FlowEvent {
        FlowEvent {
            seq,
            id: id.into(),
            stream: "order-1".into(),
            event_type: format!("E{seq}"),
            causation_id: cause.map(str::to_string),
        }
    }

    #[test]
    fn children_sit_under_their_cause_in_seq_order() {
        let lines = causation_tree(vec![
            event(9, "e9", Some("e2")),
            event(2, "e2", Some("cmd-1")),
            event(5, "e5", Some("e2")),
            event(7, "e7", Some("e5")),
        ]);
        let shape: Vec<(u64, usize)> = lines.iter().map(|l| (l.event.seq, l.depth)).collect();
        assert_eq!(shape, [(2, 0), (5, 1), (7, 2), (9, 1)]);
    }

    #[test]
    fn a_cycle_still_shows_every_event() {
        let lines = causation_tree(vec![event(1, "a", Some("b")), event(2, "b", Some("a"))]);
        assert_eq!(lines.len(), 2);
    }
}
