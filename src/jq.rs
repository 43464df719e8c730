//! jq, run by jaq: the language a domain file is written in.
//!
//! A [`Program`] is one jq expression compiled once, with the variables it
//! may use named up front (`$event`, `$command`, `$model` ...), and run many
//! times. Values stay in jaq's own representation ([`Val`]) between runs, so
//! a projection's state is never converted on the hot path; the conversions
//! to and from `serde_json` are here for display and for tests.
//!
//! Programs must be pure functions of their input: the filters that read
//! the clock, the environment or other inputs, print, or end the process
//! (`now`, `env`, `input`, `debug`, `halt` ...) are not offered, so a fold
//! gives the same state on every machine and every run.

use std::fmt;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
pub use jaq_json::Val;

type Filter = jaq_core::Filter<data::JustLut<Val>>;

/// Filters left out: they make a program depend on more than its input
/// (the clock, the time zone, the environment), or reach outside it
/// (printing, ending the process). Both the native filters and the
/// definitions built on them go.
const IMPURE: &[&str] = &[
    "now",
    "localtime",
    "strflocaltime",
    "env",
    "input_filename",
    "debug_empty",
    "stderr_empty",
    "debug",
    "stderr",
    "halt",
    "halt_error",
];

/// A compiled jq expression.
pub struct Program {
    filter: Filter,
    vars: usize,
}

/// Why an expression does not compile: what, and where in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// Byte offset of the offending part in the expression.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a run failed: jq's own error, or an answer of the wrong shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError(pub String);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RunError {}

impl Program {
    /// Compiles `code`, which may use the variables `vars` (names without
    /// the `$`), given in that order to every run.
    pub fn compile(code: &str, vars: &[&str]) -> Result<Program, CompileError> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .filter(|def| !IMPURE.contains(&def.name));
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs())
            .filter(|(name, _, _)| !IMPURE.contains(name));
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| load_error(code, errors))?;
        let names: Vec<String> = vars.iter().map(|v| format!("${v}")).collect();
        let filter = Compiler::default()
            .with_funs(funs)
            .with_global_vars(names.iter().map(String::as_str))
            .compile(modules)
            .map_err(|errors| compile_error(code, errors))?;
        Ok(Program {
            filter,
            vars: vars.len(),
        })
    }

    /// Runs on `input` with the variables' values, and wants exactly one
    /// answer.
    pub fn one(&self, input: Val, vars: Vec<Val>) -> Result<Val, RunError> {
        debug_assert_eq!(vars.len(), self.vars, "one value per declared variable");
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new(vars));
        let mut answers = self.filter.id.run((ctx, input));
        let first = match answers.next() {
            Some(answer) => answer.map_err(exception)?,
            None => return Err(RunError("gave no value (`empty`), one was needed".into())),
        };
        match answers.next() {
            None => Ok(first),
            Some(Err(exn)) => Err(exception(exn)),
            Some(Ok(_)) => {
                let more = 2 + answers.count();
                Err(RunError(format!("gave {more} values, one was needed")))
            }
        }
    }

    /// Runs on `input` and collects every answer, in order.
    pub fn run(&self, input: Val, vars: Vec<Val>) -> Result<Vec<Val>, RunError> {
        debug_assert_eq!(vars.len(), self.vars, "one value per declared variable");
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new(vars));
        self.filter
            .id
            .run((ctx, input))
            .map(|answer| answer.map_err(exception))
            .collect()
    }
}

/// jq's error as ours. Only errors reach here: `halt` is not offered and a
/// `break` cannot leave its label.
fn exception(exn: jaq_core::Exn<'_, Val>) -> RunError {
    match exn.get_err() {
        Ok(error) => RunError(error.to_string()),
        Err(_) => RunError("stopped without a value".into()),
    }
}

fn load_error(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> CompileError {
    use jaq_core::load::Error;
    let first = errors.into_iter().next().map(|(_, error)| error);
    let (part, message) = match first {
        Some(Error::Io(errs)) => errs
            .into_iter()
            .next()
            .map(|(path, why)| (path, format!("cannot load {path}: {why}")))
            .unwrap_or(("", "cannot load a module".into())),
        Some(Error::Lex(errs)) => errs
            .into_iter()
            .next()
            .map(|(expected, found)| (found, expected_message(expected.as_str(), found)))
            .unwrap_or(("", "cannot read the expression".into())),
        Some(Error::Parse(errs)) => errs
            .into_iter()
            .next()
            .map(|(expected, found)| (found, expected_message(expected.as_str(), found)))
            .unwrap_or(("", "cannot parse the expression".into())),
        None => ("", "cannot read the expression".into()),
    };
    CompileError {
        offset: offset_in(code, part),
        message,
    }
}

fn expected_message(expected: &str, found: &str) -> String {
    match found.chars().next() {
        None => format!("expected {expected}, found the end"),
        Some(c) => format!("expected {expected}, found `{}`", c.escape_debug()),
    }
}

fn compile_error(code: &str, errors: jaq_core::compile::Errors<&str, ()>) -> CompileError {
    let first = errors
        .into_iter()
        .flat_map(|(_, errs)| errs.into_iter())
        .next();
    match first {
        Some((found, undefined)) => {
            let what = undefined.as_str();
            let hint = if IMPURE.contains(&found) {
                " (not offered: a domain's expressions must depend only on their input)"
            } else {
                ""
            };
            CompileError {
                offset: offset_in(code, found),
                message: format!("undefined {what} `{found}`{hint}"),
            }
        }
        None => CompileError {
            offset: 0,
            message: "cannot compile the expression".into(),
        },
    }
}

/// Where `part`, a slice that jaq cut from `code`, starts in it; 0 when it
/// is not from `code` (jaq's own definitions).
fn offset_in(code: &str, part: &str) -> usize {
    let start = code.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if at >= start && at <= start + code.len() {
        at - start
    } else {
        0
    }
}

/// jaq's value of JSON text.
pub fn parse(text: &str) -> Result<Val, RunError> {
    jaq_json::read::parse_single(text.as_bytes()).map_err(|e| RunError(e.to_string()))
}

/// jaq's value of a `serde_json` value.
pub fn from_json(value: &serde_json::Value) -> Val {
    use serde_json::Value;
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => parse(&n.to_string()).unwrap_or(Val::Null),
        Value::String(s) => Val::from(s.clone()),
        Value::Array(items) => items.iter().map(from_json).collect(),
        Value::Object(map) => Val::obj(
            map.iter()
                .map(|(k, v)| (Val::from(k.clone()), from_json(v)))
                .collect(),
        ),
    }
}

/// The `serde_json` value of a jaq value; an error for what JSON cannot
/// hold (byte strings, keys that are not strings, NaN).
pub fn to_json(value: &Val) -> Result<serde_json::Value, RunError> {
    // jaq writes its values as JSON text; reading that text back is exact
    // for every value JSON can hold, and fails for those it cannot.
    let text = value.to_string();
    serde_json::from_str(&text)
        .map_err(|_| RunError(format!("the value is not JSON: {}", truncate(&text, 60))))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(code: &str, input: serde_json::Value) -> Result<serde_json::Value, RunError> {
        let program = Program::compile(code, &[]).expect("compiles");
        to_json(&program.one(from_json(&input), vec![])?)
    }

    #[test]
    fn a_fold_step_updates_the_state() {
        let program = Program::compile(".[$event.type] += 1", &["event"]).unwrap();
        let event = from_json(&json!({"type": "BookBorrowed"}));
        let once = program
            .one(from_json(&json!({})), vec![event.clone()])
            .unwrap();
        let twice = program.one(once, vec![event]).unwrap();
        assert_eq!(to_json(&twice).unwrap(), json!({"BookBorrowed": 2}));
    }

    #[test]
    fn standard_filters_are_there() {
        assert_eq!(
            run("map(. * 2) | add", json!([1, 2, 3])).unwrap(),
            json!(12)
        );
        assert_eq!(
            run(
                "to_entries | map(.key) | join(\",\")",
                json!({"a": 1, "b": 2})
            )
            .unwrap(),
            json!("a,b")
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let error = Program::compile(".a | | .b", &[])
            .err()
            .expect("does not compile");
        assert_eq!(error.offset, 5, "{error:?}");
        assert!(error.message.starts_with("expected"), "{error:?}");
    }

    #[test]
    fn unknown_variables_and_filters_are_named() {
        let error = Program::compile(".x + $nope", &["event"]).err().unwrap();
        assert_eq!(error.offset, 5);
        assert!(error.message.contains("$nope"), "{error:?}");
        let error = Program::compile("frobnicate", &[]).err().unwrap();
        assert!(error.message.contains("frobnicate"), "{error:?}");
    }

    #[test]
    fn impure_filters_are_not_offered() {
        for code in [
            "now",
            "env",
            "input",
            "debug",
            "stderr",
            "halt",
            "halt_error(1)",
            "localtime",
        ] {
            let error = Program::compile(code, &[]).err();
            assert!(error.is_some(), "`{code}` compiled");
        }
    }

    #[test]
    fn runtime_errors_are_errors_not_panics() {
        let error = run(".a + 1", json!({"a": "text"})).unwrap_err();
        assert!(!error.0.is_empty());
        assert!(
            run("error(\"no such book\")", json!(null))
                .unwrap_err()
                .0
                .contains("no such book")
        );
    }

    #[test]
    fn one_answer_is_wanted() {
        assert!(run("empty", json!(1)).unwrap_err().0.contains("no value"));
        assert!(
            run(".[]", json!([1, 2]))
                .unwrap_err()
                .0
                .contains("2 values")
        );
    }

    #[test]
    fn values_cross_over_exactly() {
        let value =
            json!({"n": 12345678901234_i64, "f": 1.5, "s": "ü\n\"", "a": [null, true], "o": {}});
        assert_eq!(to_json(&from_json(&value)).unwrap(), value);
        assert_eq!(to_json(&parse(&value.to_string()).unwrap()).unwrap(), value);
    }

    #[test]
    fn values_json_cannot_hold_are_refused() {
        let program = Program::compile("{(1): 2}", &[]).unwrap();
        let value = program.one(Val::Null, vec![]);
        // jaq may refuse the key itself, or build it: either way no JSON
        // comes out of it.
        if let Ok(value) = value {
            assert!(to_json(&value).is_err());
        }
    }
}
