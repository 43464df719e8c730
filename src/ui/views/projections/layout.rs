//! Where the projections view's panes go, and how many rows they hold.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::ui::layout::{bands, screen};

/// The panes of the projections view.
pub struct Areas {
    pub tree: Rect,
    pub changes: Rect,
    pub engine: Rect,
}

pub fn areas(body: Rect) -> Areas {
    let [tree, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
    let [changes, engine] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(10)]).areas(right);
    Areas {
        tree,
        changes,
        engine,
    }
}

/// How many lines of the state the tree shows on a screen of `size`.
pub fn tree_rows(size: (u16, u16)) -> usize {
    areas(bands(screen(size)).body)
        .tree
        .height
        .saturating_sub(2) as usize
}
