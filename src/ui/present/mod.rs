//! Presenter mode: the same explorer drawn for a room. High contrast (white
//! on black), the view's headline figures drawn large, one pane zoomed to
//! the rest of the screen, and a footer of the few keys a presenter needs.
//!
//! ```text
//! ┌──────────────────────────────────────────────────┐
//! │ Projections · customers                 P leaves  │  title
//! │ ██ ██  ███  ████                                  │  headline figures,
//! │ ██ ██ ██ █    ██                                  │  big (tui-big-text)
//! │ the tree of the state, the whole width            │  one pane zoomed
//! │ P presenter off  > next  ? help  q quit           │  footer
//! └──────────────────────────────────────────────────┘
//! ```

mod figures;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use tui_big_text::{BigText, PixelSize};

use crate::ui::app::{App, View};
use crate::ui::views;

pub use figures::headline;

/// Rows one line of big text takes (the 8x8 font at a quarter of a cell a
/// pixel).
const BIG_ROWS: u16 = 4;

/// White on black, bold: what reads from the back of a room.
fn contrast() -> Style {
    if crate::ui::theme::theme().header.bg.is_none() {
        // NO_COLOR: no colours, only the weight.
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
            .fg(Color::White)
            .bg(Color::Black)
            .add_modifier(Modifier::BOLD)
    }
}

fn figure_style() -> Style {
    if crate::ui::theme::theme().header.bg.is_none() {
        Style::new()
    } else {
        Style::new().fg(Color::Yellow).bg(Color::Black)
    }
}

/// Draws the screen in presenter mode into `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    frame.render_widget(Block::new().style(contrast()), area);
    let figures = headline(app);
    // Two lines of figures when the screen has room, else the first.
    let lines = if area.height >= 22 { 2 } else { 1 }.min(figures.len() as u16);
    let [title, big, pane, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(BIG_ROWS * lines),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let name = match app.view {
        View::Log => "Log".to_string(),
        View::Projections => format!("Projections · {}", app.projection_name().unwrap_or("")),
        View::Cqrs => "CQRS".to_string(),
        View::Flows => "Flows · Notification vs StateTransfer".to_string(),
    };
    frame.render_widget(
        Paragraph::new(format!(
            " {name} · {}",
            crate::escape::printable(&app.log_name())
        ))
        .style(contrast().add_modifier(Modifier::REVERSED)),
        title,
    );
    let big_text = BigText::builder()
        .pixel_size(PixelSize::Quadrant)
        .style(figure_style())
        .lines(
            figures
                .iter()
                .take(lines as usize)
                .map(|f| Line::from(f.clone()))
                .collect::<Vec<_>>(),
        )
        .build();
    frame.render_widget(big_text, big);
    match app.view {
        View::Log => views::log::render_list(app, frame, pane),
        View::Projections => views::projections::render_tree(app, frame, pane),
        View::Cqrs => views::cqrs::render::render_presented(app, frame, pane),
        View::Flows => views::flows::present::render_presented(app, frame, pane),
    }
    let mut keys = vec![("P", "presenter off")];
    if app.lessons.is_playing() {
        keys.extend([(">", "next"), ("<", "back")]);
    }
    keys.extend([("?", "help"), ("q", "quit")]);
    let spans: Vec<Span> = keys
        .into_iter()
        .flat_map(|(key, label)| {
            [
                Span::styled(
                    format!(" {key} "),
                    contrast().add_modifier(Modifier::REVERSED),
                ),
                Span::styled(format!(" {label}  "), contrast()),
            ]
        })
        .collect();
    frame.render_widget(Line::from(spans), footer);
}
