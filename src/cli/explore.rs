//! `eventscope [LOG]`: the terminal explorer; `eventscope render LOG`: one
//! of its screens as plain text.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use eventscope::format::{self, Format};
use eventscope::ingest;
use eventscope::store::{EventLog, StoreError};
use eventscope::ui::{self, App, Msg, keymap::Action};

use super::simulate::SimArgs;

/// The bundled sample, opened when no log is named.
const SAMPLE: &str = include_str!("../../sample-data/retail.jsonl");

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

/// Opens `log` (a redb log, or a JSONL file imported into a temporary log;
/// none: the bundled retail sample). The temporary log, if any, lives as
/// long as the returned guard.
fn open(log: Option<&Path>) -> anyhow::Result<(EventLog, Option<TemporaryLog>)> {
    let import = |name: &str, mut text: Box<dyn std::io::BufRead + Send>| -> anyhow::Result<_> {
        let temporary = TemporaryLog::new(name);
        let _ = std::fs::remove_file(temporary.path());
        let format = format::detect(&mut text)?;
        ingest::import_into(text, temporary.path(), format, |_| {})?;
        let log = EventLog::open(temporary.path())?;
        Ok((log, Some(temporary)))
    };
    let Some(path) = log else {
        // The bundled sample is imported once into the cache and reused, so
        // its snapshots and the commands issued against it persist; if the
        // cache is unusable (or another explorer holds it), a temporary
        // copy serves.
        if let Some(cached) = cached_sample()
            && let Ok(log) = EventLog::open(&cached)
        {
            return Ok((log, None));
        }
        return import("sample", Box::new(SAMPLE.as_bytes()));
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

/// The bundled sample's log in the user's cache directory
/// (`$XDG_CACHE_HOME/eventscope` or `~/.cache/eventscope`), imported on
/// first use. Named by a hash of the sample, so a new sample is imported
/// afresh; delete the file to start over.
fn cached_sample() -> Option<PathBuf> {
    use std::hash::{Hash, Hasher};
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    let dir = base.join("eventscope");
    std::fs::create_dir_all(&dir).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    SAMPLE.hash(&mut hasher);
    let path = dir.join(format!("retail-sample-{:016x}.redb", hasher.finish()));
    if !path.exists() {
        ingest::import_into(SAMPLE.as_bytes(), &path, Format::Native, |_| {}).ok()?;
    }
    Some(path)
}

fn is_text(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "json" | "ndjson")
    )
}

/// The domain file the explorer reads: the one named (which must be
/// there), else the one beside the log. An error inside it is shown in the
/// explorer, where the file can be fixed while it runs.
fn domain_file(named: Option<&Path>, log: Option<&Path>) -> anyhow::Result<Option<PathBuf>> {
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

/// Runs the explorer on `log` until the user quits.
pub fn run(log: Option<PathBuf>, domain: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    if let Some(url) = log
        .as_deref()
        .and_then(Path::to_str)
        .filter(|text| eventscope::message_db::is_url(text))
    {
        return super::explore_live::postgres(url);
    }
    let domain = domain_file(domain.as_deref(), log.as_deref())?;
    let (opened, temporary) = open(log.as_deref())?;
    // Name what the user asked for, not the file it was imported into.
    let title = match (&log, &temporary) {
        (None, _) => Some("the bundled retail sample".to_string()),
        (Some(path), Some(_)) => Some(format!("{} (imported for this session)", path.display())),
        (Some(_), None) => None,
    };
    ui::run(opened, title.as_deref(), domain.as_deref())?;
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
    /// The redb log (or JSONL file).
    pub log: PathBuf,
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

fn parse_size(text: &str) -> Result<(u16, u16), String> {
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
    // Drawing changes nothing, so a redb log is opened read-only: the file
    // is left as it was, and a read-only file can be drawn.
    let (log, _temporary) = match EventLog::open_read_only(&args.log) {
        Ok(log) => (log, None),
        Err(StoreError::NotALog { .. }) => open(Some(&args.log))?,
        Err(error) => return Err(error.into()),
    };
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    if let Some(path) = domain_file(args.domain.as_deref(), Some(&args.log))? {
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
    let mut stdout = super::output::Stdout::lock();
    stdout.text(&ui::render_text(&app, width, height))?;
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_are_width_by_height() {
        assert_eq!(parse_size("80x24"), Ok((80, 24)));
        assert!(parse_size("80").is_err());
        assert!(parse_size("0x24").is_err());
    }
}
