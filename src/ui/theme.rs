//! Every style of the explorer, by role. Views name a role (`theme().seq`),
//! never a colour, so the look changes in one place.
//!
//! `NO_COLOR` (set and non-empty) drops every colour but keeps modifiers
//! such as bold and reverse, so the cursor and headings stay visible.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

/// The styles of the explorer, one per role.
#[derive(Clone, Debug)]
pub struct Theme {
    pub header: Style,
    pub tab_active: Style,
    pub tab: Style,
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub selected: Style,
    pub seq: Style,
    pub time: Style,
    pub stream: Style,
    pub event_type: Style,
    pub muted: Style,
    pub json_key: Style,
    pub json_string: Style,
    pub json_number: Style,
    pub json_literal: Style,
    pub json_punct: Style,
    pub added: Style,
    pub removed: Style,
    pub changed: Style,
    pub chart: Style,
    pub marker: Style,
    pub gauge: Style,
    pub status: Style,
    pub hint_key: Style,
    pub hint_label: Style,
    pub prompt: Style,
    pub error: Style,
    pub info: Style,
    pub highlight: Style,
    /// Something to look at, not yet wrong (a stale copy).
    pub warning: Style,
}

impl Theme {
    /// The coloured theme.
    pub fn colored() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            header: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(bold),
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(bold),
            tab: Style::new().fg(Color::White).bg(Color::Blue),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            title: Style::new().add_modifier(bold),
            selected: Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::REVERSED),
            seq: Style::new().fg(Color::Yellow),
            time: Style::new().fg(Color::Gray),
            stream: Style::new().fg(Color::Cyan),
            event_type: Style::new().fg(Color::Green),
            muted: Style::new().fg(Color::DarkGray),
            json_key: Style::new().fg(Color::Blue).add_modifier(bold),
            json_string: Style::new().fg(Color::Green),
            json_number: Style::new().fg(Color::Magenta),
            json_literal: Style::new().fg(Color::Yellow),
            json_punct: Style::new().fg(Color::Gray),
            added: Style::new().fg(Color::Green).add_modifier(bold),
            removed: Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::CROSSED_OUT),
            changed: Style::new().fg(Color::Yellow).add_modifier(bold),
            chart: Style::new().fg(Color::Cyan),
            marker: Style::new().fg(Color::Yellow).add_modifier(bold),
            gauge: Style::new().fg(Color::Green).bg(Color::Black),
            status: Style::new().fg(Color::White).bg(Color::DarkGray),
            hint_key: Style::new().fg(Color::Cyan).add_modifier(bold),
            hint_label: Style::new().fg(Color::Gray),
            prompt: Style::new().fg(Color::Yellow).add_modifier(bold),
            error: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(bold),
            info: Style::new().fg(Color::Green),
            highlight: Style::new().fg(Color::Black).bg(Color::Yellow),
            warning: Style::new().fg(Color::Yellow).add_modifier(bold),
        }
    }

    /// The same roles without colours: only modifiers remain.
    pub fn plain() -> Theme {
        let strip = |style: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..style
        };
        let mut theme = Theme::colored();
        for style in theme.roles_mut() {
            *style = strip(*style);
        }
        // Without colour, headings and highlights need a modifier to show.
        theme.header = theme.header.add_modifier(Modifier::REVERSED);
        theme.tab_active = theme.tab_active.add_modifier(Modifier::REVERSED);
        theme.status = theme.status.add_modifier(Modifier::REVERSED);
        theme.highlight = theme.highlight.add_modifier(Modifier::REVERSED);
        theme.error = theme.error.add_modifier(Modifier::REVERSED);
        theme
    }

    fn roles_mut(&mut self) -> [&mut Style; 31] {
        [
            &mut self.header,
            &mut self.tab_active,
            &mut self.tab,
            &mut self.border,
            &mut self.border_focused,
            &mut self.title,
            &mut self.selected,
            &mut self.seq,
            &mut self.time,
            &mut self.stream,
            &mut self.event_type,
            &mut self.muted,
            &mut self.json_key,
            &mut self.json_string,
            &mut self.json_number,
            &mut self.json_literal,
            &mut self.json_punct,
            &mut self.added,
            &mut self.removed,
            &mut self.changed,
            &mut self.chart,
            &mut self.marker,
            &mut self.gauge,
            &mut self.status,
            &mut self.hint_key,
            &mut self.hint_label,
            &mut self.prompt,
            &mut self.error,
            &mut self.info,
            &mut self.highlight,
            &mut self.warning,
        ]
    }

    /// The theme the environment asks for: [`Theme::plain`] when `NO_COLOR`
    /// is set to anything but the empty string.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(value) if !value.is_empty() => Theme::plain(),
            _ => Theme::colored(),
        }
    }
}

/// The process-wide theme, read from the environment once.
pub fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(Theme::from_env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_theme_has_no_colour_but_keeps_the_cursor_visible() {
        let mut plain = Theme::plain();
        for style in plain.roles_mut() {
            assert_eq!((style.fg, style.bg), (None, None));
        }
        assert!(plain.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(plain.header.add_modifier.contains(Modifier::REVERSED));
    }
}
