//! The lessons and sample logs that ship inside the binary, so that
//! `eventscope --lesson NAME` works from any directory.

/// A bundled sample log: its name (what a lesson's `log` says) and text,
/// and the text of the domain file beside it, if it has one.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub name: &'static str,
    pub jsonl: &'static str,
    pub domain: Option<&'static str>,
}

impl Sample {
    /// How many events the sample holds as bundled: one a line.
    pub fn events(&self) -> u64 {
        self.jsonl
            .lines()
            .filter(|line| !line.trim().is_empty())
            .count() as u64
    }
}

/// The bundled samples.
pub const SAMPLES: [Sample; 3] = [
    Sample {
        name: "retail",
        jsonl: include_str!("../../sample-data/retail.jsonl"),
        domain: None,
    },
    Sample {
        name: "bank",
        jsonl: include_str!("../../sample-data/bank.jsonl"),
        domain: Some(include_str!("../../sample-data/bank.domain.toml")),
    },
    Sample {
        name: "library",
        jsonl: include_str!("../../sample-data/library.jsonl"),
        domain: Some(include_str!("../../sample-data/library.domain.toml")),
    },
];

/// The bundled sample called `name`.
pub fn sample(name: &str) -> Option<Sample> {
    SAMPLES.iter().copied().find(|s| s.name == name)
}

/// The bundled lesson files: the path they are named by, and their text.
pub const BUNDLED: [(&str, &str); 6] = [
    (
        "sample-data/lessons/introduction.toml",
        include_str!("../../sample-data/lessons/introduction.toml"),
    ),
    (
        "sample-data/lessons/event-notification.toml",
        include_str!("../../sample-data/lessons/event-notification.toml"),
    ),
    (
        "sample-data/lessons/state-transfer.toml",
        include_str!("../../sample-data/lessons/state-transfer.toml"),
    ),
    (
        "sample-data/lessons/event-sourcing.toml",
        include_str!("../../sample-data/lessons/event-sourcing.toml"),
    ),
    (
        "sample-data/lessons/cqrs.toml",
        include_str!("../../sample-data/lessons/cqrs.toml"),
    ),
    (
        "sample-data/lessons/combining.toml",
        include_str!("../../sample-data/lessons/combining.toml"),
    ),
];

/// Every bundled lesson, read, in picker order; a file that does not read
/// is reported beside the others rather than hiding them.
pub fn bundled_lessons() -> Vec<Result<super::Lesson, super::LessonError>> {
    let mut lessons: Vec<_> = BUNDLED
        .iter()
        .map(|(file, text)| super::load(file, text))
        .collect();
    lessons.sort_by_key(|l| l.as_ref().map_or(i64::MAX, |l| l.order));
    lessons
}
