//! Reading a lesson file: TOML syntax and shape first, then what can be
//! checked without a log (claims that exist, paths that parse, at least one
//! step). Every error names the file, the line and the step.

use std::path::Path;

use super::claims;
use super::error::LessonError;
use super::format::{Check, Lesson, LessonFile, Step, StepFile};
use crate::domain_file::line_column;
use crate::projection;

/// Reads the lesson in `text`; `file` is how messages name it, and its
/// stem is the lesson's name.
pub fn load(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let parsed: LessonFile = toml::from_str(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        let (line, _) = line_column(text, offset);
        LessonError {
            file: file.to_string(),
            line,
            step: step_at(text, offset),
            message: error.message().trim().to_string(),
        }
    })?;
    let at_file = |message: String| LessonError {
        file: file.to_string(),
        line: 0,
        step: None,
        message,
    };
    if parsed.step.is_empty() {
        return Err(at_file(
            "a lesson needs at least one step: add a [[step]] table".into(),
        ));
    }
    if parsed.log.trim().is_empty() {
        return Err(at_file(
            "`log` is empty: name a bundled sample (retail, bank, library) or a file".into(),
        ));
    }
    let mut steps = Vec::with_capacity(parsed.step.len());
    for (index, spanned) in parsed.step.into_iter().enumerate() {
        let (line, _) = line_column(text, spanned.span().start);
        let step = shape_step(spanned.into_inner(), line).map_err(|message| LessonError {
            file: file.to_string(),
            line,
            step: Some(index + 1),
            message,
        })?;
        steps.push(step);
    }
    let name = Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    Ok(Lesson {
        name,
        file: file.to_string(),
        title: parsed.title,
        summary: parsed.summary,
        log: parsed.log,
        order: parsed.order,
        steps,
    })
}

/// Reads the lesson file at `path`.
pub fn load_file(path: &Path) -> Result<Lesson, LessonError> {
    let file = path.display().to_string();
    let text = crate::text_file::read(path).map_err(|error| LessonError {
        file: file.clone(),
        line: 0,
        step: None,
        message: format!("cannot read it: {error}"),
    })?;
    load(&file, &text)
}

fn shape_step(raw: StepFile, line: usize) -> Result<Step, String> {
    if raw.title.trim().is_empty() {
        return Err("the title is empty".into());
    }
    if raw.narration.trim().is_empty() {
        return Err("the narration is empty: say what the room is looking at".into());
    }
    for id in &raw.claims {
        if claims::find(id).is_none() {
            return Err(format!(
                "no claim has the id `{id}`; the ids are: {}",
                claims::ids().join(", ")
            ));
        }
    }
    let fields = raw.scene.field.iter().chain(match &raw.try_it {
        Some(try_it) => match &try_it.check {
            Check::Blame(field) => Some(field),
            _ => None,
        },
        None => None,
    });
    for field in fields {
        projection::Path::parse(field).map_err(|e| e.to_string())?;
    }
    if raw.scene.field.is_some() && raw.scene.projection.is_none() {
        return Err("a scene's `field` needs the `projection` it belongs to".into());
    }
    if let Some(flows) = &raw.scene.flows {
        for rate in [flows.drop, flows.duplicate, flows.reorder] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "a flows rate of {rate} is not a share between 0 and 1"
                ));
            }
        }
        for [first, last] in &flows.outages {
            if first > last {
                return Err(format!(
                    "the outage [{first}, {last}] ends before it starts"
                ));
            }
        }
    }
    Ok(Step {
        line,
        title: raw.title,
        narration: raw.narration.trim().to_string(),
        notice: raw.notice.map(|n| n.trim().to_string()),
        claims: raw.claims,
        scene: raw.scene,
        try_it: raw.try_it,
    })
}

/// The step (1-based) whose `[[step]]` header is the last one before
/// byte `offset`, if any.
fn step_at(text: &str, offset: usize) -> Option<usize> {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let headers = before
        .lines()
        .filter(|line| line.trim_start().starts_with("[[step]]"))
        .count();
    (headers > 0).then_some(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_STEP: &str = r#"
title = "T"
log = "retail"

[[step]]
title = "First"
narration = "Look."
claims = ["es-replay"]
scene = { view = "projections", seq = 3, projection = "customers", field = "customer-1.address" }
"#;

    #[test]
    fn a_lesson_reads_with_its_steps_lines() {
        let lesson = load("sample-data/lessons/t.toml", ONE_STEP).unwrap();
        assert_eq!(lesson.name, "t");
        assert_eq!(lesson.steps.len(), 1);
        assert_eq!(lesson.steps[0].line, 5);
        assert_eq!(lesson.steps[0].scene.seq, Some(3));
    }

    #[test]
    fn a_syntax_error_names_the_file_line_and_step() {
        let broken = ONE_STEP.replace("narration = \"Look.\"", "narration = \"Look.");
        let error = load("t.toml", &broken).unwrap_err();
        assert_eq!(error.file, "t.toml");
        assert_eq!(error.line, 7);
        assert_eq!(error.step, Some(1));
        assert!(
            error.to_string().starts_with("t.toml:7: step 1: "),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_view_is_named_at_its_step() {
        let broken = ONE_STEP.replace("\"projections\"", "\"timeline\"");
        let error = load("t.toml", &broken).unwrap_err();
        assert_eq!((error.line, error.step), (9, Some(1)));
        assert!(error.message.contains("timeline"), "{error}");
    }

    #[test]
    fn an_unknown_claim_lists_the_ids() {
        let broken = ONE_STEP.replace("es-replay", "es-magic");
        let error = load("t.toml", &broken).unwrap_err();
        assert_eq!((error.line, error.step), (5, Some(1)));
        assert!(error.message.contains("es-magic") && error.message.contains("cqrs-concurrency"));
    }
}
