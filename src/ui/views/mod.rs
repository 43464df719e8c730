//! Drawing: [`render`] draws the whole screen from the app, with no side
//! effects. One file per view; overlays (help, prompt, pick lists) are drawn
//! last, over the view.
//!
//! ```text
//! ┌ eventscope  1 Log  2 Projections ───────────── log.redb ┐  header
//! │                                                          │
//! │                 the view (log or projections)            │  body
//! │                                                          │
//! │ seq 12 of 1,000 · filter ... · notice                    │  status
//! │ j/k move  : jump  / search  ...  ? help  q quit          │  footer
//! └──────────────────────────────────────────────────────────┘
//! ```

pub mod cqrs;
pub mod domain_file;
pub mod flows;
pub mod help;
pub mod log;
pub mod picker;
pub mod projections;
pub mod status;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, Overlay, View};
use super::theme::theme;
use super::widgets;
pub use crate::ui::layout::{MIN_HEIGHT, MIN_WIDTH, bands};

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let (area, dock) = crate::ui::lesson::dock::split(app, frame.area());
    if let Some(dock) = dock {
        crate::ui::lesson::dock::render(app, frame, dock);
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    if app.presenting {
        crate::ui::present::render(app, frame, area);
        if let Overlay::Help { scroll } = &app.overlay {
            help::render(app, frame, area, *scroll);
        }
        return;
    }
    let bands = bands(area);
    header(app, frame, bands.header);
    match app.view {
        View::Log => log::render(app, frame, bands.body),
        View::Projections => projections::render(app, frame, bands.body),
        View::Cqrs => cqrs::render(app, frame, bands.body),
        View::Flows => flows::render(app, frame, bands.body),
    }
    status::render_status(app, frame, bands.status);
    status::render_footer(app, frame, bands.footer);
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::render(app, frame, bands.body, *scroll),
        Overlay::Prompt { kind, line } => {
            picker::render_prompt(app, frame, bands.body, *kind, line)
        }
        Overlay::TypePicker { selected } => picker::render_types(app, frame, bands.body, *selected),
        Overlay::ProjectionPicker { selected } => {
            picker::render_projections(app, frame, bands.body, *selected)
        }
        Overlay::LessonPicker { selected } => {
            crate::ui::lesson::picker::render(app, frame, bands.body, *selected)
        }
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "eventscope needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT}; this one is {}x{}. Enlarge it, or press q to quit.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn header(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let tab = |label: &'static str, view: View| {
        let style = if app.view == view {
            t.tab_active
        } else {
            t.tab
        };
        Span::styled(label, style)
    };
    let path = crate::escape::printable(&app.log_name()).into_owned();
    let left = Line::from(vec![
        Span::styled(" eventscope ", t.header),
        tab(" 1 Log ", View::Log),
        Span::styled(" ", t.header),
        tab(" 2 Projections ", View::Projections),
        Span::styled(" ", t.header),
        tab(" 3 CQRS ", View::Cqrs),
        Span::styled(" ", t.header),
        tab(" 4 Flows ", View::Flows),
    ]);
    let used = left.width() as u16;
    frame.render_widget(Paragraph::new("").style(t.header), area);
    frame.render_widget(left, area);
    if area.width > used + 4 {
        let room = (area.width - used - 2) as usize;
        let shown = status::ellipsize_start(&path, room);
        let right = Rect::new(
            area.right()
                .saturating_sub(widgets::cells(&shown) as u16 + 1),
            area.y,
            widgets::cells(&shown) as u16 + 1,
            1,
        );
        frame.render_widget(Span::styled(shown, t.header), right);
    }
}
