//! The screen's bands (header, body, status line, footer) as pure layout:
//! what the views draw into, and what `update` asks to know how many rows a
//! page holds.

use ratatui::layout::{Constraint, Layout, Rect};

/// The smallest screen the explorer draws on.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The screen's bands.
pub struct Frame4 {
    pub header: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

/// Splits the screen into header, body, status line and footer.
pub fn bands(area: Rect) -> Frame4 {
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Frame4 {
        header,
        body,
        status,
        footer,
    }
}

/// The screen area of a terminal of `size`.
pub fn screen(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}
