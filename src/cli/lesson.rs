//! Lessons on the command line: finding one by name or file, opening the
//! log it runs on, `render --lesson L --step S` (one step's screen) and
//! `lesson export L -o FILE.md` (every step, for slides and handouts).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use anyhow::Context;
use eventscope::lesson::{self, Lesson};
use eventscope::store::EventLog;
use eventscope::ui::{self, App, Msg};

use super::explore::{TemporaryLog, import_temporary, parse_size};
use super::sample_domain::{self, SampleDomain};

/// The lesson `arg` names: a lesson file (a path that exists, or one
/// ending in `.toml`), else a bundled lesson's name.
pub fn resolve(arg: &str) -> anyhow::Result<Lesson> {
    let path = Path::new(arg);
    if path.exists() || arg.ends_with(".toml") {
        return Ok(lesson::load_file(path)?);
    }
    let mut names = Vec::new();
    for found in lesson::bundled_lessons() {
        let found = found?;
        if found.name == arg {
            return Ok(found);
        }
        names.push(found.name);
    }
    anyhow::bail!(
        "no lesson called `{arg}`; the bundled lessons are: {}",
        names.join(", ")
    )
}

/// Where a lesson's log is: a bundled sample, or a file named relative to
/// the lesson file.
pub enum LessonLog {
    Sample(lesson::Sample),
    File(PathBuf),
}

pub fn log_of(found: &Lesson) -> LessonLog {
    match lesson::sample(&found.log) {
        Some(sample) => LessonLog::Sample(sample),
        None => {
            let base = Path::new(&found.file).parent().unwrap_or(Path::new("."));
            LessonLog::File(base.join(&found.log))
        }
    }
}

/// What a lesson's log needs while it is drawn: the copy it may be, the
/// domain file it runs with.
struct ForDrawing {
    /// The imported copy the log is, if it is one: removed when dropped.
    _temporary: Option<TemporaryLog>,
    /// The domain file beside a lesson's own log, as the explorer finds it.
    domain: Option<PathBuf>,
    /// A bundled sample's domain file, written out.
    sample_domain: Option<SampleDomain>,
}

impl ForDrawing {
    fn domain(&self) -> Option<&Path> {
        self.domain
            .as_deref()
            .or_else(|| self.sample_domain.as_ref().map(SampleDomain::path))
    }
}

/// A pristine copy of the lesson's log for drawing it: a bundled sample is
/// imported afresh (the cached one may hold a class's commands), with its
/// domain file; a file is opened read-only.
fn open_for_drawing(found: &Lesson) -> anyhow::Result<(EventLog, ForDrawing)> {
    match log_of(found) {
        LessonLog::Sample(sample) => {
            let (log, temporary) =
                import_temporary(sample.name, Box::new(sample.jsonl.as_bytes()))?;
            let sample_domain = SampleDomain::temporary(sample)
                .map_err(|error| anyhow::anyhow!(sample_domain::not_written(sample, &error)))?;
            let drawing = ForDrawing {
                _temporary: Some(temporary),
                domain: None,
                sample_domain,
            };
            Ok((log, drawing))
        }
        LessonLog::File(path) => {
            let (log, temporary) = match EventLog::open_read_only(&path) {
                Ok(log) => (log, None),
                Err(eventscope::store::StoreError::NotALog { .. }) => {
                    let file = std::fs::File::open(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    let text = std::io::BufReader::new(file);
                    let (log, temporary) = import_temporary("lesson", Box::new(text))?;
                    (log, Some(temporary))
                }
                Err(error) => return Err(error.into()),
            };
            let drawing = ForDrawing {
                _temporary: temporary,
                domain: super::domain::find(None, &path),
                sample_domain: None,
            };
            Ok((log, drawing))
        }
    }
}

/// An App on `found`'s log, sized `size`, playing it.
fn playing(
    found: &Lesson,
    log: EventLog,
    domain: Option<&Path>,
    size: (u16, u16),
) -> anyhow::Result<(App, Receiver<Msg>)> {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    if let Some(domain) = domain {
        app.use_domain_file(domain);
    }
    match log_of(found) {
        LessonLog::Sample(sample) => {
            app.set_sample(sample.name);
            app.set_title(format!("the bundled {} sample", sample.name));
        }
        LessonLog::File(path) => app.set_log_source(&path),
    }
    app.offer_lesson(Ok(found.clone()));
    ui::update(&mut app, Msg::Resize(size.0, size.1));
    app.open_lesson(&found.name).map_err(anyhow::Error::msg)?;
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    Ok((app, rx))
}

/// Moves `app` to step `step` (1-based) and draws it.
fn draw_step(app: &mut App, rx: &Receiver<Msg>, step: usize, size: (u16, u16)) -> String {
    app.go_to_step(step - 1);
    ui::settle(app, rx, Duration::from_secs(600));
    ui::render_text(app, size.0, size.1)
}

/// `render --lesson L --step S`: the step's screen.
pub fn render_step(
    arg: &str,
    step: usize,
    size: (u16, u16),
    present: bool,
) -> anyhow::Result<String> {
    let found = resolve(arg)?;
    if step == 0 || step > found.steps.len() {
        anyhow::bail!(
            "the lesson `{}` has steps 1 to {}, not {step}",
            found.name,
            found.steps.len()
        );
    }
    let (log, drawing) = open_for_drawing(&found)?;
    let (mut app, rx) = playing(&found, log, drawing.domain(), size)?;
    if present {
        app.toggle_presenter();
    }
    Ok(draw_step(&mut app, &rx, step, size))
}

/// Writes every step of a lesson (narration, what to notice, the task, the
/// screen) as Markdown.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The lesson: a bundled lesson's name or a lesson file.
    pub lesson: String,
    /// The Markdown file to write; `-` for standard output.
    #[arg(short, long)]
    pub output: PathBuf,
    /// The screens' size, WIDTHxHEIGHT.
    #[arg(long, default_value = "100x30", value_parser = parse_size)]
    pub size: (u16, u16),
}

#[derive(Debug, clap::Subcommand)]
pub enum LessonCommand {
    /// Write a lesson as Markdown, a screen per step.
    Export(ExportArgs),
}

pub fn run(command: LessonCommand) -> anyhow::Result<ExitCode> {
    match command {
        LessonCommand::Export(args) => export(args),
    }
}

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout {
        super::output::refuse_a_database(&args.output, "the lesson's Markdown")?;
    }
    let found = resolve(&args.lesson)?;
    let (log, drawing) = open_for_drawing(&found)?;
    let (mut app, rx) = playing(&found, log, drawing.domain(), args.size)?;
    let markdown = markdown(&found, |step| draw_step(&mut app, &rx, step, args.size));
    if to_stdout {
        let mut stdout = super::output::Stdout::lock();
        stdout.text(&markdown)?;
        stdout.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    // Written whole to a temporary file beside it, then renamed: a failed
    // export leaves no half a handout.
    let partial = args.output.with_extension("md.partial");
    std::fs::write(&partial, markdown)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "wrote {} steps of `{}` to {}",
        found.steps.len(),
        found.name,
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The lesson as Markdown; `screen(n)` draws step n (1-based).
fn markdown(found: &Lesson, mut screen: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", found.title);
    if !found.summary.is_empty() {
        let _ = writeln!(out, "{}\n", found.summary);
    }
    let _ = writeln!(out, "Runs on the `{}` log.\n", found.log);
    for (index, step) in found.steps.iter().enumerate() {
        let n = index + 1;
        let _ = writeln!(
            out,
            "## Step {n} of {}: {}\n",
            found.steps.len(),
            step.title
        );
        let _ = writeln!(out, "{}\n", step.narration);
        if let Some(notice) = &step.notice {
            let _ = writeln!(out, "**Notice:** {notice}\n");
        }
        if let Some(try_it) = &step.try_it {
            let _ = writeln!(
                out,
                "**Try it:** {} (done when {}).\n",
                try_it.ask,
                try_it.check.describe()
            );
        }
        if !step.claims.is_empty() {
            let _ = writeln!(out, "Shows: {}.\n", step.claims.join(", "));
        }
        // The screen is what the explorer drew: event data in it is
        // already escaped.
        let _ = writeln!(out, "```text\n{}```\n", screen(n).replace("```", "'''"));
    }
    out
}
