//! What a key does in a pick list (event types, projections): move the
//! selection, close the list, or choose the selected entry.

use crate::ui::keymap::Action;

/// The outcome of a key in a pick list of some entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picked {
    /// The selection moved to this entry.
    Moved(usize),
    Closed,
    /// This entry was chosen; the list closes.
    Chosen(usize),
    Unchanged,
}

/// `action` in a list of `len` entries with `selected` selected.
pub fn step(action: Action, selected: usize, len: usize) -> Picked {
    match action {
        Action::Down => Picked::Moved((selected + 1).min(len.saturating_sub(1))),
        Action::Up => Picked::Moved(selected.saturating_sub(1)),
        Action::Cancel => Picked::Closed,
        Action::Submit => Picked::Chosen(selected),
        _ => Picked::Unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_inside_the_list() {
        assert_eq!(step(Action::Down, 2, 3), Picked::Moved(2));
        assert_eq!(step(Action::Up, 0, 3), Picked::Moved(0));
        assert_eq!(step(Action::Down, 0, 0), Picked::Moved(0));
        assert_eq!(step(Action::Submit, 1, 3), Picked::Chosen(1));
        assert_eq!(step(Action::Cancel, 1, 3), Picked::Closed);
        assert_eq!(step(Action::Quit, 1, 3), Picked::Unchanged);
    }
}
