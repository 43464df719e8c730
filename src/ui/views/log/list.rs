//! The virtual event list: positions map to seqs without holding events.
//!
//! Unfiltered, position `i` is seq `i + 1`; filtered, the list holds only
//! the matching seqs (from the store's type or stream index). Only the rows
//! on screen are ever read ([`fetch_window`]).

use std::sync::Arc;

use crate::event::Event;
use crate::store::EventLog;

/// What the list is narrowed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterKind {
    Type(String),
    Stream(String),
}

impl FilterKind {
    /// `type = OrderPlaced`, for the status line.
    pub fn describe(&self) -> String {
        match self {
            FilterKind::Type(name) => format!("type = {}", crate::escape::printable(name)),
            FilterKind::Stream(name) => format!("stream = {}", crate::escape::printable(name)),
        }
    }
}

/// A filter and the seqs it keeps, ascending.
#[derive(Clone, Debug)]
pub struct Filter {
    pub kind: FilterKind,
    pub seqs: Arc<Vec<u64>>,
}

/// The positions of the list.
#[derive(Clone, Debug, Default)]
pub struct EventList {
    /// Events in the log.
    pub total: u64,
    pub filter: Option<Filter>,
}

impl EventList {
    pub fn len(&self) -> usize {
        match &self.filter {
            Some(filter) => filter.seqs.len(),
            None => usize::try_from(self.total).unwrap_or(usize::MAX),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The seq at a position.
    pub fn seq_at(&self, index: usize) -> Option<u64> {
        match &self.filter {
            Some(filter) => filter.seqs.get(index).copied(),
            None => {
                let seq = index as u64 + 1;
                (seq <= self.total).then_some(seq)
            }
        }
    }

    /// The position of `seq`, or of the first seq after it, or the last
    /// position when none follows. `exact` says whether `seq` itself is in
    /// the list.
    pub fn position_of(&self, seq: u64) -> (usize, bool) {
        let last = self.len().saturating_sub(1);
        match &self.filter {
            Some(filter) => match filter.seqs.binary_search(&seq) {
                Ok(i) => (i, true),
                Err(i) => (i.min(last), false),
            },
            None if seq == 0 => (0, false),
            None if seq > self.total => (last, false),
            None => ((seq - 1) as usize, true),
        }
    }
}

/// One row of the visible window: an event, or why it cannot be shown.
#[derive(Clone, Debug)]
pub struct Row {
    pub seq: u64,
    pub event: Result<Event, String>,
}

/// Reads the rows at positions `top .. top + rows`: one range read when the
/// list is unfiltered, one lookup per row when filtered. A damaged event
/// becomes a row that says so, not a failure of the whole window.
pub fn fetch_window(log: &EventLog, list: &EventList, top: usize, rows: usize) -> Vec<Row> {
    let seqs: Vec<u64> = (top..top.saturating_add(rows))
        .map_while(|i| list.seq_at(i))
        .collect();
    let Some(&first) = seqs.first() else {
        return Vec::new();
    };
    if list.filter.is_none()
        && let Ok(events) = log.read(first, seqs.len(), false)
        && events.len() == seqs.len()
    {
        return events
            .into_iter()
            .map(|event| Row {
                seq: event.seq,
                event: Ok(event),
            })
            .collect();
    }
    seqs.into_iter()
        .map(|seq| Row {
            seq,
            event: match log.get(seq) {
                Ok(Some(event)) => Ok(event),
                Ok(None) => Err(format!("event {seq} is missing")),
                Err(e) => Err(e.to_string()),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtered(seqs: Vec<u64>) -> EventList {
        EventList {
            total: 100,
            filter: Some(Filter {
                kind: FilterKind::Type("T".into()),
                seqs: Arc::new(seqs),
            }),
        }
    }

    #[test]
    fn unfiltered_positions_are_seqs_minus_one() {
        let list = EventList {
            total: 10,
            filter: None,
        };
        assert_eq!(list.len(), 10);
        assert_eq!(list.seq_at(0), Some(1));
        assert_eq!(list.seq_at(10), None);
        assert_eq!(list.position_of(4), (3, true));
        assert_eq!(list.position_of(99), (9, false));
    }

    #[test]
    fn filtered_positions_land_on_the_next_kept_seq() {
        let list = filtered(vec![3, 7, 20]);
        assert_eq!(list.seq_at(1), Some(7));
        assert_eq!(list.position_of(7), (1, true));
        assert_eq!(list.position_of(8), (2, false));
        assert_eq!(list.position_of(50), (2, false));
    }
}
