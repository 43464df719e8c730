//! Small drawing helpers shared by the views.

pub mod bars;
pub mod json;
pub mod lane;
pub mod rate;
pub mod types;

use ratatui::widgets::Block;

use super::theme::theme;

/// A bordered pane; the focused one has a brighter border.
pub fn pane(title: String, focused: bool) -> Block<'static> {
    let t = theme();
    Block::bordered()
        .title(title)
        .border_style(if focused { t.border_focused } else { t.border })
}

/// `text` cut to `width` characters, with `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fitting_cuts_with_an_ellipsis() {
        assert_eq!(fit("customer-17", 20), "customer-17");
        assert_eq!(fit("customer-17", 6), "custo…");
        assert_eq!(fit("abc", 0), "");
    }
}
