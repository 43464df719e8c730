//! Where the log view's panes go, and how many rows they hold.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::ui::layout::{bands, screen};

/// The panes of the log view.
pub struct LogAreas {
    pub list: Rect,
    pub detail: Rect,
    pub flow: Rect,
    pub rate: Rect,
    pub types: Rect,
}

/// Splits the body of the screen into the panes.
pub fn areas(body: Rect) -> LogAreas {
    let charts_height = if body.height >= 20 { 7 } else { 5 };
    let [main, charts] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(charts_height)]).areas(body);
    let [list, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main);
    let [detail, flow] =
        Layout::vertical([Constraint::Fill(1), Constraint::Percentage(35)]).areas(right);
    let types_width = (charts.width / 3).clamp(20, 40);
    let [rate, types] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(types_width)]).areas(charts);
    LogAreas {
        list,
        detail,
        flow,
        rate,
        types,
    }
}

/// How many events the list shows on a screen of `size`.
pub fn list_rows(size: (u16, u16)) -> usize {
    let list = areas(bands(screen(size)).body).list;
    // Borders and the column heading.
    list.height.saturating_sub(3) as usize
}

/// How many lines the detail pane shows on a screen of `size`.
pub fn detail_rows(size: (u16, u16)) -> usize {
    areas(bands(screen(size)).body)
        .detail
        .height
        .saturating_sub(2) as usize
}
