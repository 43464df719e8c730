//! The narration dock: under the scene, the step's title and place, its
//! narration, what to notice, and the task with its state. The scene keeps
//! the rest of the screen, laid out for it (the views are given the
//! smaller size), so it stays readable at 80x24.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::escape::printable;
use crate::lesson::Step;
use crate::ui::app::App;
use crate::ui::layout::MIN_HEIGHT;
use crate::ui::lesson::CheckState;
use crate::ui::theme::theme;

/// The most rows the dock takes.
const MOST: u16 = 9;
/// The fewest: a border, two lines, a border.
const FEWEST: u16 = 4;

/// The dock's height on a screen of `screen` while a lesson plays (0 when
/// none does): the rows its step's text needs at that width, as far as the
/// scene can spare them above its smallest size. Rows the text does not
/// need stay the scene's, for the panes a step points at.
pub fn height(app: &App, screen: (u16, u16)) -> u16 {
    let Some(step) = app.step_playing().filter(|_| app.lessons.is_playing()) else {
        return 0;
    };
    let inner = screen.0.saturating_sub(2).max(1);
    let wrapped = |paragraph: Paragraph| paragraph.wrap(Wrap { trim: true }).line_count(inner);
    // Sized for the task still waiting, its longer state: the scene does
    // not move when the check passes.
    let text = wrapped(Paragraph::new(printable(&step.narration).into_owned()))
        + wrapped(Paragraph::new(pinned(step, CheckState::Waiting)));
    let needed = u16::try_from(text + 2).unwrap_or(u16::MAX);
    needed
        .min(screen.1.saturating_sub(MIN_HEIGHT))
        .clamp(FEWEST, MOST)
        .min(screen.1)
}

/// Pinned to the bottom of the dock: what to notice, then the task with
/// its state.
fn pinned(step: &Step, state: CheckState) -> Vec<Line<'static>> {
    let t = theme();
    let mut pinned: Vec<Line> = Vec::new();
    if let Some(notice) = &step.notice {
        pinned.push(Line::from(vec![
            Span::styled("Notice: ", t.highlight),
            Span::raw(printable(notice).into_owned()),
        ]));
    }
    if let Some(try_it) = &step.try_it {
        let state = match state {
            CheckState::Passed => Span::styled("  ✓ done", t.added),
            _ => Span::styled("  … waiting", t.warning),
        };
        pinned.push(Line::from(vec![
            Span::styled("Try: ", t.highlight),
            Span::raw(printable(&try_it.ask).into_owned()),
            state,
        ]));
    }
    pinned
}

/// The size the views lay out for on a screen of `screen`.
pub fn scene_size(app: &App, screen: (u16, u16)) -> (u16, u16) {
    (screen.0, screen.1 - height(app, screen))
}

/// Splits the screen into the scene and the dock.
pub fn split(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    let dock = height(app, (area.width, area.height));
    if dock == 0 {
        return (area, None);
    }
    let scene = Rect::new(area.x, area.y, area.width, area.height - dock);
    let below = Rect::new(area.x, area.y + scene.height, area.width, dock);
    (scene, Some(below))
}

/// Draws the dock.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = theme();
    let (Some(playing), Some(step)) = (&app.lessons.playing, app.step_playing()) else {
        return;
    };
    let place = format!(
        " {} · step {} of {} · {} ",
        printable(&playing.lesson.title),
        playing.step + 1,
        playing.lesson.steps.len(),
        printable(&step.title)
    );
    // On the command line, keys type: the lesson's keys wait until it is
    // left, and the dock says so rather than offer keys that would type.
    let keys: &[(&str, &str)] = if app.editing_command() {
        &[("Enter", "send"), ("Esc", "leave the line, then > next")]
    } else {
        &[
            (">", "next"),
            ("<", "back"),
            ("X", "leave"),
            ("L", "lessons"),
        ]
    };
    let keys = Line::from(
        keys.iter()
            .flat_map(|(key, label)| {
                [
                    Span::styled(format!(" {key} "), t.hint_key),
                    Span::styled(format!("{label} "), t.hint_label),
                ]
            })
            .collect::<Vec<_>>(),
    );
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(Span::styled(place, t.title))
        .title_bottom(keys)
        .border_style(t.border_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Pinned to the bottom: what to notice, then the task; the narration
    // takes the rows above them.
    let pinned = Paragraph::new(pinned(
        step,
        app.lesson_check().unwrap_or(CheckState::Waiting),
    ))
    .wrap(Wrap { trim: true });
    let pinned_rows = u16::try_from(pinned.line_count(inner.width.max(1)))
        .unwrap_or(u16::MAX)
        .min(inner.height.saturating_sub(1));
    let narration_rows = inner.height - pinned_rows;
    let narration = Rect::new(inner.x, inner.y, inner.width, narration_rows);
    frame.render_widget(
        Paragraph::new(printable(&step.narration).into_owned()).wrap(Wrap { trim: true }),
        narration,
    );
    let rest = Rect::new(inner.x, inner.y + narration_rows, inner.width, pinned_rows);
    frame.render_widget(pinned, rest);
}
