//! The rate chart: events per time bucket as a sparkline, with a `▲` under
//! the selected event's time.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};

use crate::ui::app::App;
use crate::ui::msg::Job;
use crate::ui::theme::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let block = Block::bordered()
        .title(" Events over time ")
        .border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let Some(chart) = &app.rate else {
        let text = match app.jobs.get(Job::Rate).and_then(|s| s.progress) {
            Some((done, total)) if total > 0 => {
                format!("counting events over time… {}%", done * 100 / total)
            }
            _ if app.list.total == 0 => "no events yet".to_string(),
            _ => "counting events over time…".to_string(),
        };
        frame.render_widget(Paragraph::new(Span::styled(text, t.muted)), inner);
        return;
    };
    let time = app
        .selected_event()
        .and_then(|e| e.time)
        .map(|time| time.unix_nanos());
    let (columns, marker) = chart.resample(inner.width as usize, time);
    let spark_height = inner.height.saturating_sub(1).max(1);
    let spark = Rect::new(inner.x, inner.y, inner.width, spark_height);
    frame.render_widget(Sparkline::default().data(&columns).style(t.chart), spark);
    if inner.height >= 2 {
        let axis_y = inner.y + inner.height - 1;
        let mut axis = vec![Span::raw(" "); inner.width as usize];
        if let Some(column) = marker.filter(|&c| c < axis.len()) {
            axis[column] = Span::styled("▲", t.marker);
        }
        frame.render_widget(Line::from(axis), Rect::new(inner.x, axis_y, inner.width, 1));
    }
}
