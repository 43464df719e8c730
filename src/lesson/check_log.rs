//! Checking a lesson against the log it is opened on: every seq it names
//! is in the log, every projection applies to it, every command reads.

use super::error::LessonError;
use super::format::{Check, Lesson, Step};
use crate::cqrs::Command;

/// What a lesson is checked against: the log's last seq and the
/// projections that apply to it.
#[derive(Clone, Debug)]
pub struct LogFacts {
    pub last_seq: u64,
    pub projections: Vec<String>,
}

impl Lesson {
    /// The first thing in the lesson the log cannot show, with its place.
    pub fn check_against(&self, facts: &LogFacts) -> Result<(), LessonError> {
        for (index, step) in self.steps.iter().enumerate() {
            check_step(step, facts).map_err(|message| LessonError {
                file: self.file.clone(),
                line: step.line,
                step: Some(index + 1),
                message,
            })?;
        }
        Ok(())
    }
}

fn check_step(step: &Step, facts: &LogFacts) -> Result<(), String> {
    let scene = &step.scene;
    let in_log = |what: &str, seq: u64| {
        if (1..=facts.last_seq).contains(&seq) {
            Ok(())
        } else {
            Err(format!(
                "{what} {seq} is not in the log, whose seqs run 1 to {}",
                facts.last_seq
            ))
        }
    };
    if let Some(seq) = scene.seq {
        in_log("seq", seq)?;
    }
    if let Some(flows) = &scene.flows {
        if let Some(at) = flows.at {
            in_log("the flows moment", at)?;
        }
        for [first, _] in &flows.outages {
            in_log("the outage starting at", *first)?;
        }
    }
    if let Some(Check::Reached(seq)) = step.try_it.as_ref().map(|t| &t.check) {
        in_log("the seq to reach,", *seq)?;
    }
    let known = |name: &str| facts.projections.iter().any(|known| known == name);
    let models = scene.lag.iter().map(|lag| lag.model.as_str());
    for name in scene.projection.as_deref().into_iter().chain(models) {
        if !known(name) {
            return Err(format!(
                "no projection named `{name}` applies to this log; try one of: {}",
                facts.projections.join(", ")
            ));
        }
    }
    if let Some(text) = &scene.command {
        Command::parse(text).map_err(|e| format!("the command `{text}` does not read: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    fn lesson(scene: &str) -> Lesson {
        let text = format!(
            "title = \"T\"\nlog = \"retail\"\n\n[[step]]\ntitle = \"a\"\nnarration = \"n\"\n\n[[step]]\ntitle = \"b\"\nnarration = \"n\"\nscene = {scene}\n"
        );
        load("t.toml", &text).unwrap()
    }

    fn facts() -> LogFacts {
        LogFacts {
            last_seq: 290,
            projections: vec!["customers".into(), "address-book".into()],
        }
    }

    #[test]
    fn a_seq_past_the_end_is_named_at_its_step() {
        let error = lesson("{ seq = 291 }").check_against(&facts()).unwrap_err();
        assert_eq!((error.line, error.step), (8, Some(2)));
        assert_eq!(
            error.to_string(),
            "t.toml:8: step 2: seq 291 is not in the log, whose seqs run 1 to 290"
        );
        assert!(lesson("{ seq = 290 }").check_against(&facts()).is_ok());
    }

    #[test]
    fn an_unknown_command_or_projection_is_refused() {
        let error = lesson("{ command = \"Teleport customer-1\" }")
            .check_against(&facts())
            .unwrap_err();
        assert!(error.message.contains("Teleport"), "{error}");
        let error = lesson("{ projection = \"nope\" }")
            .check_against(&facts())
            .unwrap_err();
        assert!(error.message.contains("address-book"), "{error}");
    }
}
