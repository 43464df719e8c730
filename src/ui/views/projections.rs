//! The projections view (drawn once the projection engine lands).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph};

use crate::ui::app::App;

pub fn render(_app: &App, frame: &mut Frame, body: Rect) {
    frame.render_widget(
        Paragraph::new("projections are not available yet").block(Block::bordered().title(" Projections ")),
        body,
    );
}
