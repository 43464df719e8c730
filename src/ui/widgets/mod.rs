//! Small drawing helpers shared by the views.

pub mod bars;
pub mod json;
pub mod lane;
pub mod line_input;

use ratatui::widgets::Block;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::theme;

/// A bordered pane; the focused one has a brighter border.
pub fn pane(title: String, focused: bool) -> Block<'static> {
    let t = theme();
    Block::bordered()
        .title(title)
        .border_style(if focused { t.border_focused } else { t.border })
}

/// How many terminal cells `text` takes (a wide character two, a
/// combining one none). Text from events is escaped first, so what is
/// measured is what the terminal draws.
pub fn cells(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to `width` cells, with `…` when cut; never inside a wide
/// character.
pub fn fit(text: &str, width: usize) -> String {
    if cells(text) <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The end of `text` that fits in `width` cells, with `…` in front when
/// cut (a path, a line scrolled to its cursor).
pub fn fit_end(text: &str, width: usize) -> String {
    if cells(text) <= width {
        return text.to_string();
    }
    let mut kept = Vec::new();
    let mut used = 1; // the ellipsis
    for c in text.chars().rev() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}

/// `text` fitted to `width` cells and padded with spaces to fill them.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let short = width.saturating_sub(cells(&out));
    out.extend(std::iter::repeat_n(' ', short));
    out
}

#[cfg(test)]
mod tests {
    use super::{cells, fit, pad};

    #[test]
    fn fitting_cuts_with_an_ellipsis() {
        assert_eq!(fit("customer-17", 20), "customer-17");
        assert_eq!(fit("customer-17", 6), "custo…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn fitting_counts_cells_and_never_splits_a_wide_character() {
        // Each of these takes two cells.
        assert_eq!(fit("漢字漢字", 8), "漢字漢字");
        assert_eq!(fit("漢字漢字", 6), "漢字…");
        assert_eq!(fit("漢字漢字", 5), "漢字…");
        assert!(cells(&fit("漢字漢字", 4)) <= 4);
        assert_eq!(pad("漢字", 6), "漢字  ");
        assert_eq!(cells(&pad("漢字漢字", 5)), 5);
    }
}
