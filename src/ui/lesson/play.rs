//! Playing a lesson on the App: open one, move between its steps, judge
//! the step's task after every message, leave it.

use crate::lesson::{LogFacts, Step};
use crate::ui::app::{App, Notice};
use crate::ui::keymap::Action;
use crate::ui::lesson::check::{self, Baseline};
use crate::ui::lesson::scene::{self, Saved};
use crate::ui::lesson::state::Playing;

impl App {
    /// Names the bundled sample the open log is (`retail`), so that the
    /// lessons written for it play on it; commands issued on it continue
    /// its clock.
    pub fn set_sample(&mut self, name: &str) {
        self.lessons.sample = Some(name.to_string());
        if let Some(clock) = crate::ui::sample_clock::continuing(&self.log) {
            self.cqrs.set_clock(clock);
        }
    }

    /// Names the file the open log was read from (a JSONL file imported
    /// for this run), so that lessons naming that file play on it.
    pub fn set_log_source(&mut self, path: &std::path::Path) {
        self.lessons.source = Some(path.to_path_buf());
    }

    /// Adds a lesson read from a file (or why it could not be read) to the
    /// picker, before the bundled ones.
    pub fn offer_lesson(
        &mut self,
        lesson: Result<crate::lesson::Lesson, crate::lesson::LessonError>,
    ) {
        self.lessons.available.insert(0, lesson);
    }

    /// Starts the lesson called `name` at its first step. A lesson that
    /// does not fit the open log, or names what the log lacks, is refused
    /// with the reason (file, line, step), and nothing changes.
    pub fn open_lesson(&mut self, name: &str) -> Result<(), String> {
        let lesson = match self
            .lessons
            .available
            .iter()
            .find(|l| l.as_ref().is_ok_and(|l| l.name == name))
        {
            Some(Ok(lesson)) => lesson.clone(),
            _ => {
                let names: Vec<String> = self
                    .lessons
                    .available
                    .iter()
                    .filter_map(|l| l.as_ref().ok().map(|l| l.name.clone()))
                    .collect();
                return Err(format!(
                    "no lesson called `{name}`; the lessons are: {}",
                    names.join(", ")
                ));
            }
        };
        if !self.lessons.fits(&lesson, self.log.path()) {
            return Err(format!(
                "the lesson `{}` runs on {}: start it with `eventscope --lesson {}`",
                lesson.name, lesson.log, lesson.name
            ));
        }
        let facts = LogFacts {
            last_seq: self.log.last_seq().map_err(|e| e.to_string())?,
            projections: self.projections.names.clone(),
        };
        // A sample that commands have grown is not the one the lesson's
        // figures and tasks were written for.
        if let Some(sample) = crate::lesson::sample(&lesson.log)
            && self.lessons.sample.as_deref() == Some(sample.name)
            && facts.last_seq != sample.events()
        {
            return Err(format!(
                "the {} sample here holds {} events, not the {} the lesson `{}` was written for \
                 (commands were sent in it): `eventscope --lesson {}` plays it on a fresh copy",
                sample.name,
                facts.last_seq,
                sample.events(),
                lesson.name,
                lesson.name
            ));
        }
        lesson.check_against(&facts).map_err(|e| e.to_string())?;
        let saved = match self.lessons.playing.take() {
            // From one lesson to another: the App before the first one.
            Some(playing) => playing.saved,
            None => Saved::of(self),
        };
        self.lessons.playing = Some(Playing {
            lesson,
            step: 0,
            baseline: None,
            passed: false,
            pending_field: None,
            saved,
        });
        // Laid out for its first step's dock there.
        self.go_to_step(0);
        Ok(())
    }

    /// Moves to step `index` (0-based, clamped) and sets its scene.
    pub fn go_to_step(&mut self, index: usize) {
        let Some(playing) = &mut self.lessons.playing else {
            return;
        };
        let index = index.min(playing.lesson.steps.len().saturating_sub(1));
        playing.step = index;
        playing.passed = false;
        playing.baseline = None;
        let scene = playing.lesson.steps[index].scene.clone();
        let name = playing.lesson.name.clone();
        let progress = self.lessons.progress.entry(name).or_default();
        progress.reached = progress.reached.max(index + 1);
        // The dock is sized for this step's text: the scene is laid out
        // for what it leaves.
        self.resize_for_lesson();
        let field = scene::set(self, &scene);
        if let Some(playing) = &mut self.lessons.playing {
            playing.pending_field = field;
        }
        self.lesson_settle();
    }

    /// Leaves the lesson; the explorer is put back as it was before it.
    pub fn leave_lesson(&mut self) {
        if let Some(playing) = self.lessons.playing.take() {
            playing.saved.restore(self);
            self.resize_for_lesson();
            self.notice = Some(Notice::Info(format!(
                "left the lesson `{}`; L opens the lessons again",
                playing.lesson.title
            )));
        }
    }

    /// The lesson keys: next, back, leave.
    pub(crate) fn lesson_action(&mut self, action: Action) {
        let Some(playing) = &self.lessons.playing else {
            return;
        };
        let (step, last) = (playing.step, playing.lesson.steps.len() - 1);
        match action {
            Action::NextStep if step == last => {
                self.notice = Some(Notice::Info(
                    "that was the last step: < goes back, X leaves the lesson".into(),
                ))
            }
            Action::NextStep => self.go_to_step(step + 1),
            Action::PreviousStep => self.go_to_step(step.saturating_sub(1)),
            Action::LeaveLesson => self.leave_lesson(),
            _ => {}
        }
    }

    /// After every message: finishes setting the scene once what it waits
    /// for has arrived, takes the baseline once it is set, and judges the
    /// step's task.
    pub(crate) fn lesson_settle(&mut self) {
        let Some(playing) = &self.lessons.playing else {
            return;
        };
        if let Some(field) = playing.pending_field.clone() {
            let scene = &playing.lesson.steps[playing.step].scene;
            let (Some(name), Some(seq)) = (scene.projection.clone(), self.selected_seq()) else {
                return;
            };
            if !self.projections.shows(&name, seq) {
                return;
            }
            let rows = crate::ui::views::projections::layout::tree_rows(self.size).max(1);
            self.projections.select_field(&field, rows);
            if let Some(playing) = &mut self.lessons.playing {
                playing.pending_field = None;
            }
        }
        if self.flows.restarting {
            return;
        }
        let baseline = match &self.lessons.playing {
            Some(Playing {
                baseline: Some(b), ..
            }) => b.clone(),
            Some(_) => {
                let baseline = Baseline::of(self);
                if let Some(playing) = &mut self.lessons.playing {
                    playing.baseline = Some(baseline);
                }
                return;
            }
            None => return,
        };
        let Some(playing) = &self.lessons.playing else {
            return;
        };
        let Some(try_it) = self.step_playing().and_then(|s| s.try_it.as_ref()) else {
            return;
        };
        if playing.passed || !check::passes(&try_it.check, self, &baseline) {
            return;
        }
        let (name, step) = (playing.lesson.name.clone(), playing.step);
        let last = step + 1 == playing.lesson.steps.len();
        if let Some(playing) = &mut self.lessons.playing {
            playing.passed = true;
        }
        let progress = self.lessons.progress.entry(name).or_default();
        if !progress.passed.contains(&step) {
            progress.passed.push(step);
        }
        let next = match last {
            true => "that was the last step: X leaves the lesson",
            false => "> for the next step",
        };
        self.notice = Some(Notice::Info(format!("✓ well done: {next}")));
    }

    /// The step playing, if a lesson is.
    pub fn step_playing(&self) -> Option<&Step> {
        let playing = self.lessons.playing.as_ref()?;
        playing.lesson.steps.get(playing.step)
    }

    /// The lesson playing's name and step (1-based) and its number of steps.
    pub fn lesson_position(&self) -> Option<(&str, usize, usize)> {
        let playing = self.lessons.playing.as_ref()?;
        Some((
            &playing.lesson.name,
            playing.step + 1,
            playing.lesson.steps.len(),
        ))
    }

    /// The state of the step's task, if a lesson is playing.
    pub fn lesson_check(&self) -> Option<crate::ui::lesson::CheckState> {
        self.lessons.check_state()
    }

    /// Whether the scene of the step is set and its baseline taken (the
    /// task is judged from then on).
    pub fn lesson_scene_ready(&self) -> bool {
        self.lessons
            .playing
            .as_ref()
            .is_some_and(|p| p.baseline.is_some() && p.pending_field.is_none())
    }

    /// The size the views lay out for: the screen less the dock.
    pub(crate) fn resize_for_lesson(&mut self) {
        let screen = self.lessons.screen.unwrap_or(self.size);
        self.lessons.screen = Some(screen);
        self.size = crate::ui::lesson::dock::scene_size(self, screen);
        self.scroll_into_view();
        self.keep_detail_cursor_visible();
    }
}

impl App {
    /// A key in the lesson picker.
    pub(crate) fn lesson_picker_action(&mut self, action: Action, selected: usize) {
        use crate::ui::app::Overlay;
        use crate::ui::pick_list::{self, Picked};
        match pick_list::step(action, selected, self.lessons.available.len()) {
            Picked::Moved(selected) => self.overlay = Overlay::LessonPicker { selected },
            Picked::Closed => self.overlay = Overlay::None,
            Picked::Chosen(selected) => {
                self.overlay = Overlay::None;
                let chosen = self.lessons.available.get(selected).cloned();
                match chosen {
                    Some(Ok(lesson)) => {
                        if let Err(problem) = self.open_lesson(&lesson.name) {
                            self.notice = Some(Notice::Error(problem));
                        }
                    }
                    Some(Err(error)) => self.notice = Some(Notice::Error(error.to_string())),
                    None => {}
                }
            }
            Picked::Unchanged => {}
        }
    }
}

impl App {
    /// Shows `problem` on the status line.
    pub fn show_error(&mut self, problem: impl Into<String>) {
        self.notice = Some(Notice::Error(problem.into()));
    }

    /// Presenter mode on or off.
    pub fn toggle_presenter(&mut self) {
        self.presenting = !self.presenting;
    }
}
