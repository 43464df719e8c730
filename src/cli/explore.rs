//! `eventscope [LOG]`: the terminal explorer; `eventscope render LOG`: one
//! of its screens as plain text.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use eventscope::escape::printable;
use eventscope::format::{self, Format};
use eventscope::ingest;
use eventscope::store::{EventLog, StoreError};
use eventscope::ui::{self, App, Msg, keymap::Action};

use super::sample_domain::{self, SampleDomain};
use super::simulate::SimArgs;

/// The bundled sample opened when no log is named.
const DEFAULT_SAMPLE: &str = "retail";

/// A log imported for this run only; removed when dropped or when the
/// process is interrupted.
pub(super) struct TemporaryLog(ingest::TemporaryFile);

impl TemporaryLog {
    pub(super) fn new(name: &str) -> TemporaryLog {
        let path =
            std::env::temp_dir().join(format!("eventscope-{}-{name}.redb", std::process::id()));
        TemporaryLog(ingest::TemporaryFile::new(path))
    }

    pub(super) fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Imports `text` into a log for this run only.
pub fn import_temporary(
    name: &str,
    mut text: Box<dyn std::io::BufRead + Send>,
) -> anyhow::Result<(EventLog, TemporaryLog)> {
    let temporary = TemporaryLog::new(name);
    let _ = std::fs::remove_file(temporary.path());
    let format = format::detect(&mut text)?;
    ingest::import_into(text, temporary.path(), format, |_| {})?;
    let log = EventLog::open(temporary.path())?;
    Ok((log, temporary))
}

/// A bundled sample, opened.
pub struct OpenedSample {
    pub log: EventLog,
    /// The copy it is, when the cached log could not be used.
    pub temporary: Option<TemporaryLog>,
    /// Why a copy serves, to be said on screen.
    pub notice: Option<String>,
    /// The sample's domain file, written out, when it has one.
    pub domain: Option<SampleDomain>,
}

/// Opens a bundled sample: imported once into the cache `dir` and reused,
/// so its snapshots and the commands issued against it persist (`fresh`
/// starts it over from the bundled file). When the cached log is open in
/// another explorer (or the cache is unusable) a temporary copy serves,
/// and the notice says so.
pub fn open_sample_in(
    dir: Option<&Path>,
    sample: eventscope::lesson::Sample,
    fresh: bool,
) -> anyhow::Result<OpenedSample> {
    let notice = match dir.and_then(|dir| cached_sample_in(dir, sample, fresh)) {
        Some(cached) => match EventLog::open(&cached) {
            Ok(log) => {
                let domain = cached
                    .parent()
                    .map_or(Ok(None), |dir| SampleDomain::cached(dir, sample));
                let (domain, notice) = match domain {
                    Ok(domain) => (domain, None),
                    Err(error) => (None, Some(sample_domain::not_written(sample, &error))),
                };
                return Ok(OpenedSample {
                    log,
                    temporary: None,
                    notice,
                    domain,
                });
            }
            Err(StoreError::Locked { .. }) => format!(
                "the {} sample is open in another explorer: this one works on a copy, not kept",
                sample.name
            ),
            Err(error) => format!(
                "the cached {} sample cannot be used ({error}): this explorer works on a copy",
                sample.name
            ),
        },
        None => format!(
            "no cache directory for the {} sample: this explorer works on a copy",
            sample.name
        ),
    };
    sample_copy(sample, Some(notice))
}

/// A fresh copy of a bundled sample in a temporary log, not kept; `notice`
/// says why, if anything must.
fn sample_copy(
    sample: eventscope::lesson::Sample,
    notice: Option<String>,
) -> anyhow::Result<OpenedSample> {
    let (log, temporary) = import_temporary(sample.name, Box::new(sample.jsonl.as_bytes()))?;
    let (domain, notice) = match SampleDomain::temporary(sample) {
        Ok(domain) => (domain, notice),
        Err(error) => {
            let not_written = sample_domain::not_written(sample, &error);
            let notice = match notice {
                Some(notice) => format!("{notice}; {not_written}"),
                None => not_written,
            };
            (None, Some(notice))
        }
    };
    Ok(OpenedSample {
        log,
        temporary: Some(temporary),
        notice,
        domain,
    })
}

/// [`open_sample_in`] the user's cache directory.
fn open_sample(sample: eventscope::lesson::Sample, fresh: bool) -> anyhow::Result<OpenedSample> {
    open_sample_in(cache_dir().as_deref(), sample, fresh)
}

/// Opens `log` (a redb log, or a JSONL file imported into a temporary log;
/// none: the bundled retail sample). The temporary log, if any, lives as
/// long as the returned guard.
fn open(log: Option<&Path>) -> anyhow::Result<(EventLog, Option<TemporaryLog>)> {
    let import = |name: &str, text: Box<dyn std::io::BufRead + Send>| -> anyhow::Result<_> {
        let (log, temporary) = import_temporary(name, text)?;
        Ok((log, Some(temporary)))
    };
    let Some(path) = log else {
        let sample = eventscope::lesson::sample(DEFAULT_SAMPLE)
            .context("the default sample is not bundled")?;
        let opened = open_sample(sample, false)?;
        return Ok((opened.log, opened.temporary));
    };
    match ui::open_log(path) {
        Ok(log) => Ok((log, None)),
        Err(StoreError::NotALog { .. }) if is_text(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let name = path
                .file_stem()
                .map_or("log".into(), |s| s.to_string_lossy().into_owned());
            let text = std::io::BufReader::with_capacity(ingest::DETECT_BUFFER, file);
            // One line: the file, then what in it could not be imported.
            import(&name, Box::new(text))
                .map_err(|error| anyhow::anyhow!("cannot open {}: {error:#}", path.display()))
        }
        Err(error) => Err(error.into()),
    }
}

/// A bundled sample's log in the user's cache directory
/// (`$XDG_CACHE_HOME/eventscope` or `~/.cache/eventscope`), imported on
/// first use, and again when `fresh` (the class's commands gone). Named by
/// a hash of the sample, so a new sample is imported afresh.
fn cached_sample_in(
    dir: &Path,
    sample: eventscope::lesson::Sample,
    fresh: bool,
) -> Option<PathBuf> {
    use std::hash::{Hash, Hasher};
    std::fs::create_dir_all(dir).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    sample.jsonl.hash(&mut hasher);
    let path = dir.join(format!(
        "{}-sample-{:016x}.redb",
        sample.name,
        hasher.finish()
    ));
    if fresh || !path.exists() {
        // Imported beside it and renamed over it: a failed import leaves the
        // cached copy as it was, and an explorer that holds it open keeps
        // reading the file it opened.
        let partial = path.with_extension("redb.partial");
        let _ = std::fs::remove_file(&partial);
        ingest::import_into(sample.jsonl.as_bytes(), &partial, Format::Native, |_| {}).ok()?;
        std::fs::rename(&partial, &path).ok()?;
    }
    Some(path)
}

/// The cache directory: `$XDG_CACHE_HOME/eventscope` or
/// `~/.cache/eventscope`.
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("eventscope"))
}

pub(super) fn is_text(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "json" | "ndjson")
    )
}

/// The domain file the explorer reads: the one named (which must be
/// there), else the one beside the log. An error inside it is shown in the
/// explorer, where the file can be fixed while it runs.
pub(super) fn domain_file(
    named: Option<&Path>,
    log: Option<&Path>,
) -> anyhow::Result<Option<PathBuf>> {
    if let Some(path) = named {
        // One line: the file and why.
        std::fs::File::open(path).map_err(|error| {
            anyhow::anyhow!("cannot read the domain file {}: {error}", path.display())
        })?;
    }
    Ok(match log {
        Some(log) => super::domain::find(named, log),
        None => named.map(Path::to_path_buf),
    })
}

/// How the explorer starts.
#[derive(Debug, Default)]
pub struct ExploreOptions {
    /// A lesson to start: a bundled lesson's name or a lesson file.
    pub lesson: Option<String>,
    /// Presenter mode from the start.
    pub present: bool,
    /// Start the bundled sample over from the bundled file.
    pub fresh: bool,
    /// The domain file named with `--domain`.
    pub domain: Option<PathBuf>,
    /// Follow the log's source, writing into the log while it is shown.
    pub follow: bool,
}

/// Runs the explorer on `log` until the user quits.
pub fn run(log: Option<PathBuf>, options: ExploreOptions) -> anyhow::Result<ExitCode> {
    if let Some(url) = log
        .as_deref()
        .and_then(Path::to_str)
        .filter(|text| eventscope::message_db::is_url(text))
    {
        return super::explore_live::postgres(url);
    }
    if let (true, Some(path)) = (options.follow, &log) {
        return super::explore_follow::run(path, options);
    }
    // A lesson that cannot be read is said on screen, with its place; the
    // explorer opens all the same.
    let (lesson, lesson_problem) = match options.lesson.as_deref().map(super::lesson::resolve) {
        None => (None, None),
        Some(Ok(found)) => (Some(found), None),
        Some(Err(problem)) => (None, Some(format!("{problem:#}"))),
    };
    // The log: the one named, else the lesson's, else the default sample.
    let sample = match (&log, &lesson) {
        (Some(_), _) => None,
        (None, Some(found)) => match super::lesson::log_of(found) {
            super::lesson::LessonLog::Sample(sample) => Some(sample),
            super::lesson::LessonLog::File(_) => None,
        },
        (None, None) => eventscope::lesson::sample(DEFAULT_SAMPLE),
    };
    let lesson_file = match (&log, &lesson) {
        (None, Some(found)) => match super::lesson::log_of(found) {
            super::lesson::LessonLog::File(path) => Some(path),
            super::lesson::LessonLog::Sample(_) => None,
        },
        _ => None,
    };
    // Name what the user asked for, not the file it was imported into.
    let named = log.clone().or(lesson_file.clone());
    // Before the log is opened: a domain file named that is not there
    // leaves the log as it was.
    let domain = domain_file(options.domain.as_deref(), named.as_deref())?;
    let (opened, temporary, notice, sample_domain) = match (sample, &lesson_file) {
        // A lesson is written for its sample as bundled, and its steps send
        // commands: played on the cached sample, a second class would find
        // the first one's events (an order already paid, 298 events where
        // it says 290). It plays on a fresh copy of its own.
        // The title says so.
        (Some(sample), _) if lesson.is_some() => {
            let opened = sample_copy(sample, None)?;
            (opened.log, opened.temporary, opened.notice, opened.domain)
        }
        (Some(sample), _) => {
            let opened = open_sample(sample, options.fresh)?;
            (opened.log, opened.temporary, opened.notice, opened.domain)
        }
        (None, Some(path)) => {
            let (log, temporary) = open(Some(path))?;
            (log, temporary, None, None)
        }
        (None, None) => {
            let (log, temporary) = open(log.as_deref())?;
            (log, temporary, None, None)
        }
    };
    // A sample's own domain file unless another is named, as beside its
    // JSONL.
    let domain = domain.or_else(|| sample_domain.as_ref().map(|d| d.path().to_path_buf()));
    let source = named.clone();
    let title = match (sample, &named, &temporary) {
        (Some(sample), _, _) if lesson.is_some() => {
            Some(format!("a fresh copy of the {} sample", sample.name))
        }
        (Some(sample), _, _) => Some(format!("the bundled {} sample", sample.name)),
        (None, Some(path), Some(_)) => {
            Some(format!("{} (imported for this session)", path.display()))
        }
        _ => None,
    };
    ui::run_with(
        Arc::new(opened),
        title.as_deref(),
        domain.as_deref(),
        None,
        |app| {
            if let Some(sample) = sample {
                app.set_sample(sample.name);
            }
            if let Some(source) = &source {
                app.set_log_source(source);
            }
            if let Some(notice) = notice {
                app.show_error(notice);
            }
            if let Some(problem) = lesson_problem {
                app.show_error(problem);
            }
            if let Some(found) = lesson {
                let name = found.name.clone();
                let from_file = !eventscope::lesson::BUNDLED
                    .iter()
                    .any(|(file, _)| *file == found.file);
                if from_file {
                    app.offer_lesson(Ok(found));
                }
                if let Err(problem) = app.open_lesson(&name) {
                    app.show_error(problem);
                }
            }
            if options.present {
                app.toggle_presenter();
            }
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Which view `render` draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderView {
    Log,
    Projections,
    Cqrs,
    /// Notification vs StateTransfer, at `--at` with the simulation options.
    Flows,
}

/// Draw one screen of the explorer as plain text on stdout.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The redb log (or JSONL file); not needed with `--lesson`.
    #[arg(required_unless_present = "lesson")]
    pub log: Option<PathBuf>,
    /// Draw a lesson's step instead: a bundled lesson's name or a lesson file.
    #[arg(long, requires = "step", conflicts_with_all = ["log", "view", "at", "projection"])]
    pub lesson: Option<String>,
    /// The step of `--lesson` to draw, from 1.
    #[arg(long, requires = "lesson")]
    pub step: Option<usize>,
    /// Draw it as presenter mode does.
    #[arg(long)]
    pub present: bool,
    /// The view to draw.
    #[arg(long, value_enum, default_value = "log")]
    pub view: RenderView,
    /// The seq to put the cursor on.
    #[arg(long)]
    pub at: Option<u64>,
    /// The projection to show in the projections view.
    #[arg(long)]
    pub projection: Option<String>,
    /// A domain file; by default `NAME.domain.toml` beside the log.
    #[arg(long, value_name = "FILE")]
    pub domain: Option<PathBuf>,
    /// The screen size, WIDTHxHEIGHT.
    #[arg(long, default_value = "100x30", value_parser = parse_size)]
    pub size: (u16, u16),
    /// The simulation's parameters, for the flows view.
    #[command(flatten)]
    pub sim: SimArgs,
}

pub fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}` is not a size: write it as WIDTHxHEIGHT, e.g. 100x30"))?;
    let number = |s: &str| {
        s.trim()
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| format!("`{s}` is not a width or height between 1 and 1000"))
    };
    Ok((number(w)?, number(h)?))
}

/// Writes one screen of the explorer as plain text to stdout.
pub fn render(args: RenderArgs) -> anyhow::Result<ExitCode> {
    if let (Some(lesson), Some(step)) = (&args.lesson, args.step) {
        let screen = super::lesson::render_step(lesson, step, args.size, args.present)?;
        let mut stdout = super::output::Stdout::lock();
        stdout.text(&screen)?;
        stdout.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = &args.log else {
        anyhow::bail!("render needs a LOG, or --lesson and --step");
    };
    // Drawing changes nothing, so a redb log is opened read-only: the file
    // is left as it was, and a read-only file can be drawn.
    let (log, _temporary) = match EventLog::open_read_only(path) {
        Ok(log) => (log, None),
        // A JSONL file is drawn from a temporary log; any other file that
        // is not a log is said to be so, never opened for writing.
        Err(StoreError::NotALog { .. }) if is_text(path) => open(Some(path))?,
        Err(error) => return Err(error.into()),
    };
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    if let Some(path) = domain_file(args.domain.as_deref(), Some(path))? {
        app.use_domain_file(&path);
    }
    let (width, height) = args.size;
    let send = |app: &mut App, msg: Msg| {
        ui::update(app, msg);
        ui::settle(app, &rx, Duration::from_secs(600));
    };
    send(&mut app, Msg::Resize(width, height));
    if let Some(seq) = args.at {
        send(&mut app, Msg::Action(Action::JumpPrompt));
        for c in seq.to_string().chars() {
            send(&mut app, Msg::Input(c));
        }
        send(&mut app, Msg::Action(Action::Submit));
    }
    if args.view == RenderView::Projections {
        send(&mut app, Msg::Action(Action::ShowProjections));
        if let Some(name) = &args.projection {
            app.select_projection(name).map_err(anyhow::Error::msg)?;
            ui::settle(&mut app, &rx, Duration::from_secs(600));
        }
    }
    if args.view == RenderView::Cqrs {
        send(&mut app, Msg::Action(Action::ShowCqrs));
    }
    if args.view == RenderView::Flows {
        send(&mut app, Msg::Action(Action::ShowFlows));
        app.set_flows_params(args.sim.to_params())
            .map_err(anyhow::Error::msg)?;
        app.seek_flows(args.at.unwrap_or(0));
        ui::settle(&mut app, &rx, Duration::from_secs(600));
    }
    if args.present {
        app.toggle_presenter();
    }
    let mut stdout = super::output::Stdout::lock();
    stdout.text(&ui::render_text(&app, width, height))?;
    stdout.finish()?;
    // The screen shows the damage; the exit status says it too, as `info`
    // and `verify` do.
    if let Some(damage) = app.unreadable() {
        anyhow::bail!("{}", printable(damage));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{open_sample_in, parse_size};

    fn retail() -> eventscope::lesson::Sample {
        eventscope::lesson::sample("retail").unwrap()
    }

    fn write_one(log: &eventscope::store::EventLog) {
        let data = eventscope::Json::from_value(&serde_json::json!({"reason": "class"}));
        let event = eventscope::NewEvent::new(
            "customer-1",
            "CustomerDeactivated",
            eventscope::Timestamp::from_unix_millis(0),
            data,
        );
        log.append(vec![event]).unwrap();
    }

    #[test]
    fn the_cached_sample_keeps_a_class_s_commands_until_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let opened = open_sample_in(Some(dir.path()), retail(), false).unwrap();
        assert!(opened.notice.is_none() && opened.temporary.is_none());
        write_one(&opened.log);
        drop(opened);
        let again = open_sample_in(Some(dir.path()), retail(), false).unwrap();
        assert_eq!(again.log.last_seq().unwrap(), 291, "kept between runs");
        drop(again);
        let fresh = open_sample_in(Some(dir.path()), retail(), true).unwrap();
        assert_eq!(fresh.log.last_seq().unwrap(), 290, "--fresh starts over");
        assert!(fresh.temporary.is_none(), "the cache itself is fresh");
    }

    #[test]
    fn a_second_explorer_on_the_sample_says_it_works_on_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let first = open_sample_in(Some(dir.path()), retail(), false).unwrap();
        let second = open_sample_in(Some(dir.path()), retail(), false).unwrap();
        let notice = second.notice.expect("a notice");
        assert!(
            notice.starts_with("the retail sample is open in another explorer"),
            "{notice}"
        );
        assert!(second.temporary.is_some());
        write_one(&second.log);
        assert_eq!(
            first.log.last_seq().unwrap(),
            290,
            "the copy is not the cache"
        );
    }

    #[test]
    fn a_sample_s_domain_file_is_written_beside_its_cached_log_and_its_copy() {
        let library = eventscope::lesson::sample("library").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let first = open_sample_in(Some(dir.path()), library, false).unwrap();
        let cached = first
            .domain
            .as_ref()
            .expect("the library has a domain file");
        assert_eq!(cached.path(), dir.path().join("library.domain.toml"));
        assert_eq!(
            std::fs::read_to_string(cached.path()).unwrap(),
            library.domain.unwrap()
        );
        // A second explorer works on a copy, with a copy of the domain file
        // that goes with it.
        let second = open_sample_in(Some(dir.path()), library, false).unwrap();
        let copy = second.domain.as_ref().expect("the copy's domain file");
        let copied = copy.path().to_path_buf();
        assert_ne!(copied, cached.path());
        assert_eq!(copied.file_name().unwrap(), "library.domain.toml");
        assert_eq!(
            std::fs::read_to_string(&copied).unwrap(),
            library.domain.unwrap()
        );
        drop(second);
        assert!(!copied.exists(), "removed with the copy");
        assert!(
            first.domain.unwrap().path().exists(),
            "the cached one stays"
        );
        assert!(
            open_sample_in(Some(dir.path()), retail(), false)
                .unwrap()
                .domain
                .is_none()
        );
    }

    #[test]
    fn sizes_are_width_by_height() {
        assert_eq!(parse_size("80x24"), Ok((80, 24)));
        assert!(parse_size("80").is_err());
        assert!(parse_size("0x24").is_err());
    }
}
