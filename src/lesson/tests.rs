//! The bundled lessons as a whole: each reads, fits its sample log, has 5
//! to 12 steps, and together they cover every claim.

use std::collections::BTreeMap;

use super::claims::CLAIMS;
use super::{LogFacts, bundled_lessons, sample};

/// What a bundled sample offers a lesson, read from its JSONL (one event
/// a line, so the last seq is the line count).
fn facts_of(log: &str) -> LogFacts {
    let sample = sample(log).expect("a bundled sample");
    let mut types: Vec<String> = Vec::new();
    for line in sample.jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = value["type"].as_str().unwrap().to_string();
        if !types.contains(&t) {
            types.push(t);
        }
    }
    let refs: Vec<&str> = types.iter().map(String::as_str).collect();
    LogFacts {
        last_seq: sample.events(),
        projections: crate::projection::applicable(&refs)
            .into_iter()
            .map(String::from)
            .collect(),
    }
}

#[test]
fn every_bundled_lesson_reads_and_fits_its_log() {
    let lessons = bundled_lessons();
    assert_eq!(lessons.len(), 6);
    for lesson in lessons {
        let lesson = lesson.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            (5..=12).contains(&lesson.steps.len()),
            "{} has {} steps",
            lesson.file,
            lesson.steps.len()
        );
        lesson
            .check_against(&facts_of(&lesson.log))
            .unwrap_or_else(|e| panic!("{e}"));
        for (n, step) in lesson.steps.iter().enumerate() {
            assert!(
                step.notice.is_some(),
                "{} step {} says nothing to notice",
                lesson.file,
                n + 1
            );
        }
    }
}

/// Lists each claim of PATTERNS.md with the steps that show it; fails
/// naming the claims no step covers.
#[test]
fn every_claim_is_the_subject_of_a_step() {
    let mut covered: BTreeMap<&str, Vec<String>> =
        CLAIMS.iter().map(|c| (c.id, Vec::new())).collect();
    for lesson in bundled_lessons().into_iter().flatten() {
        for (n, step) in lesson.steps.iter().enumerate() {
            for id in &step.claims {
                if let Some(steps) = covered.get_mut(id.as_str()) {
                    steps.push(format!("{} step {}", lesson.name, n + 1));
                }
            }
        }
    }
    for (id, steps) in &covered {
        println!("{id}: {}", steps.join(", "));
    }
    let uncovered: Vec<&str> = covered
        .iter()
        .filter(|(_, steps)| steps.is_empty())
        .map(|(id, _)| *id)
        .collect();
    assert!(uncovered.is_empty(), "no step covers: {uncovered:?}");
    assert_eq!(covered.len(), 12);
}
