//! Two writers on one write side, so a room can watch optimistic
//! concurrency: `w` switches between writer A and writer B, each with its
//! own command line and the version of each stream it read. Once two
//! writers are in play, a command goes with `expected_version` = the
//! version its writer read (unless it names one), so the second writer to
//! send on a stream the first changed is refused as a conflict.

use std::collections::HashMap;

use crate::cqrs::Command;
use crate::cqrs::outcome::StepOutcome;
use crate::ui::ctx::Ctx;
use crate::ui::views::cqrs::state::{CqrsState, Outcome};

/// The two writers.
#[derive(Clone, Debug, Default)]
pub struct Writers {
    /// `w` was pressed: commands carry their writer's version.
    pub enabled: bool,
    /// 0 is A, 1 is B.
    pub current: usize,
    /// Per writer: stream -> the version it read.
    read: [HashMap<String, u64>; 2],
    /// Per writer: its command line, kept while the other types.
    lines: [String; 2],
}

impl Writers {
    /// `A` or `B`.
    pub fn name(&self) -> char {
        if self.current == 0 { 'A' } else { 'B' }
    }

    /// The version the current writer read of `stream`, if it has.
    pub fn read_version(&self, stream: &str) -> Option<u64> {
        self.read[self.current].get(stream).copied()
    }

    /// The current writer sees `stream` at `version`: kept until its own
    /// command on it is decided, as a person's screen would be.
    pub fn saw(&mut self, stream: &str, version: u64) {
        self.read[self.current]
            .entry(stream.to_string())
            .or_insert(version);
    }

    /// Gives `command` the current writer's version, if it names none.
    pub fn expecting(&self, mut command: Command) -> Command {
        if self.enabled
            && command.expected_version.is_none()
            && let Some(version) = self.read_version(&command.stream)
        {
            command = command.expecting_version(version);
        }
        command
    }

    /// After the current writer's command on `stream`: it reads again.
    pub fn decided(&mut self, stream: &str) {
        self.read[self.current].remove(stream);
    }
}

impl CqrsState {
    /// `w`: the other writer takes the keyboard, with its own line.
    pub fn switch_writer(&mut self, ctx: &mut Ctx) {
        let writers = &mut self.writers;
        writers.enabled = true;
        writers.lines[writers.current] = self.input.value().to_string();
        writers.current = 1 - writers.current;
        let line = std::mem::take(&mut writers.lines[writers.current]);
        self.input.set(line);
        self.outcome = None;
        let name = self.writers.name();
        ctx.info(format!(
            "writer {name}: its commands expect the version it read (expected_version); \
             the second to write a stream is refused"
        ));
        self.write_model_follows_input(ctx);
    }

    /// What the title says of the writers, once in play.
    pub fn writer_title(&self) -> Option<String> {
        if !self.writers.enabled {
            return None;
        }
        let name = self.writers.name();
        let stream = self.write_model.as_ref().map(|w| w.stream.as_str());
        Some(
            match stream.and_then(|s| Some((s, self.writers.read_version(s)?))) {
                Some((stream, version)) => {
                    format!("writer {name} (read {stream} at v{version}, w switches)")
                }
                None => format!("writer {name} (w switches)"),
            },
        )
    }

    /// Whether the last decision was a conflict.
    pub fn conflicted(&self) -> bool {
        matches!(&self.outcome, Some(Outcome::Handled(h)) if matches!(h.steps.first().map(|s| &s.outcome), Some(StepOutcome::Conflict { .. })))
    }
}
