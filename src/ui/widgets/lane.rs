//! A lane's track: the line between the source and the consumer, with each
//! message in flight drawn where it is on its way.
//!
//! ```text
//!  Source      ──•──────•───────────────────▶ Consumer
//!  query API   ╌╌╌╌◁╌╌╌╌╌╌╌╌◆╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌  2 calls open
//! ```

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::simulation::{InFlight, MessageKind, Party};
use crate::ui::theme::theme;

/// The glyph drawn for a kind of message.
pub fn glyph(kind: MessageKind) -> char {
    match kind {
        MessageKind::ThinEvent => '•',
        MessageKind::EventWithData => '■',
        MessageKind::QueryCall => '◁',
        MessageKind::QueryAnswer => '◆',
        MessageKind::QueryFailure => '✗',
    }
}

/// Which message shows when two share a cell: failures first, then what
/// carries data.
fn rank(kind: MessageKind) -> u8 {
    match kind {
        MessageKind::ThinEvent => 0,
        MessageKind::EventWithData => 1,
        MessageKind::QueryCall => 2,
        MessageKind::QueryAnswer => 3,
        MessageKind::QueryFailure => 4,
    }
}

fn style(kind: MessageKind) -> Style {
    let t = theme();
    match kind {
        MessageKind::ThinEvent | MessageKind::EventWithData => t.marker,
        MessageKind::QueryCall => t.stream,
        MessageKind::QueryAnswer => t.info,
        MessageKind::QueryFailure => t.error,
    }
}

/// The cell of a track `width` cells long where `message` is at virtual
/// time `now`: the share of its way it has come, from the source end
/// (left) or the consumer end (right).
pub fn column(message: &InFlight, now: u64, width: usize) -> usize {
    let last = width.saturating_sub(1) as u64;
    let way = message.arrives_at.saturating_sub(message.sent_at);
    let gone = now.saturating_sub(message.sent_at).min(way);
    let from_start = if way == 0 {
        last
    } else {
        // Rounded to the nearest cell.
        (gone * last * 2 + way) / (way * 2)
    };
    let from_start = from_start.min(last) as usize;
    match message.from {
        Party::Source => from_start,
        Party::Consumer => last as usize - from_start,
    }
}

/// The cells of a track: the message kind shown in each, if any.
pub fn cells<'a>(
    messages: impl IntoIterator<Item = &'a InFlight>,
    now: u64,
    width: usize,
) -> Vec<Option<MessageKind>> {
    let mut cells: Vec<Option<MessageKind>> = vec![None; width];
    if width == 0 {
        return cells;
    }
    for message in messages {
        let cell = &mut cells[column(message, now, width)];
        if cell.is_none_or(|shown| rank(message.kind) > rank(shown)) {
            *cell = Some(message.kind);
        }
    }
    cells
}

/// A track drawn with `line` between the messages.
pub fn track(cells: &[Option<MessageKind>], line: char) -> Line<'static> {
    let t = theme();
    let spans: Vec<Span> = cells
        .iter()
        .map(|cell| match cell {
            Some(kind) => Span::styled(glyph(*kind).to_string(), style(*kind)),
            None => Span::styled(line.to_string(), t.muted),
        })
        .collect();
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::Flow;

    fn message(kind: MessageKind, from: Party, sent_at: u64, arrives_at: u64) -> InFlight {
        let to = match from {
            Party::Source => Party::Consumer,
            Party::Consumer => Party::Source,
        };
        InFlight {
            flow: Flow::Notification,
            kind,
            stream: "customer-1".into(),
            version: 1,
            from,
            to,
            sent_at,
            arrives_at,
        }
    }

    #[test]
    fn a_message_moves_from_its_sender_towards_its_receiver() {
        let thin = MessageKind::ThinEvent;
        let event = message(thin, Party::Source, 100, 120);
        assert_eq!(column(&event, 100, 11), 0);
        assert_eq!(column(&event, 110, 11), 5);
        assert_eq!(column(&event, 119, 11), 10);
        let call = message(MessageKind::QueryCall, Party::Consumer, 100, 120);
        assert_eq!(column(&call, 100, 11), 10);
        assert_eq!(column(&call, 110, 11), 5);
    }

    #[test]
    fn odd_messages_stay_on_the_track() {
        let instant = message(MessageKind::QueryAnswer, Party::Source, 50, 50);
        assert_eq!(column(&instant, 10, 8), 7);
        let before = message(MessageKind::QueryAnswer, Party::Source, 50, 90);
        assert_eq!(column(&before, 0, 8), 0);
        assert!(cells([&instant], 10, 0).is_empty());
        assert_eq!(column(&instant, 10, 1), 0);
    }

    #[test]
    fn a_failure_shows_over_a_call_in_the_same_cell() {
        let call = message(MessageKind::QueryCall, Party::Consumer, 0, 10);
        let failure = message(MessageKind::QueryFailure, Party::Source, 0, 10);
        // Both half way: the same cell of an odd track.
        let drawn = cells([&failure, &call], 5, 5);
        assert_eq!(drawn[2], Some(MessageKind::QueryFailure));
        let drawn = cells([&call, &failure], 5, 5);
        assert_eq!(drawn[2], Some(MessageKind::QueryFailure));
        assert_eq!(drawn.iter().flatten().count(), 1);
    }
}
