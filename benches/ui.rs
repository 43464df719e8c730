//! The explorer on a 1,000,000-event log: start to first frame, key to
//! next frame (also while a jq projection of a domain file rebuilds in the
//! background), a type filter, and resident memory.
//!
//! `cargo bench --bench ui`. Frames are drawn by the same code as the
//! terminal, into ratatui's TestBackend, so the figures are the
//! explorer's own work (the terminal's write is not included).

mod support;

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eventscope::domain_file::Projections;
use eventscope::projection::{self, RebuildOptions, SnapshotPolicy, SnapshotStore};
use eventscope::store::EventLog;
use eventscope::ui::{self, App, Job, Msg, keymap::Action};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn main() {
    if let Some(args) = child_args() {
        return child(&args);
    }
    let n = events();
    let path = retail_log();
    println!("| measure ({n} retail events, {WIDTH}x{HEIGHT}) | result | target |");
    println!("|---|---|---|");
    let first = run_child(&["first-frame", path.to_str().unwrap()]);
    row(
        "start to first frame (open, first draw)",
        format!("{first} ms"),
        "< 200 ms",
    );
    let mut keys = run_child(&["keys", path.to_str().unwrap()]);
    for name in ["orders", "streams"] {
        keys.push('\n');
        keys.push_str(&run_child(&["projection", path.to_str().unwrap(), name]));
    }
    keys.push('\n');
    keys.push_str(&run_child(&["jq-rebuild", path.to_str().unwrap()]));
    for name in ["types", "orders"] {
        keys.push('\n');
        keys.push_str(&run_child(&["rebuild", path.to_str().unwrap(), name]));
    }
    for line in keys.lines() {
        let (name, rest) = line.split_once('\t').unwrap();
        let (value, target) = rest.split_once('\t').unwrap();
        row(name, value, target);
    }
}

fn child(args: &[String]) {
    match args {
        [what, path] if what == "first-frame" => {
            let start = Instant::now();
            let log = EventLog::open_read_only(path).unwrap();
            let (tx, _rx) = mpsc::channel();
            let mut app = App::new(Arc::new(log), tx);
            ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
            let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
            terminal.draw(|frame| ui::render(&app, frame)).unwrap();
            println!("{:.1}", start.elapsed().as_secs_f64() * 1e3);
        }
        [what, path] if what == "keys" => keys(path),
        [what, path, name] if what == "projection" => projection_memory(path, name),
        [what, path] if what == "jq-rebuild" => keys_while_jq_rebuilds(path),
        [what, path, name] if what == "rebuild" => rebuild_beside_replay(path, name, None),
        [what, path, name, only] if what == "rebuild" => {
            rebuild_beside_replay(path, name, Some(only))
        }
        other => panic!("unknown child task {other:?}"),
    }
}

type Screen = Terminal<TestBackend>;

fn draw(terminal: &mut Screen, app: &App) {
    terminal.draw(|f| ui::render(app, f)).unwrap();
}

/// The median time from a key's messages to the frame they lead to.
fn time(
    terminal: &mut Screen,
    app: &mut App,
    msgs: &dyn Fn() -> Vec<Msg>,
    runs: usize,
) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        for msg in msgs() {
            ui::update(app, msg);
        }
        draw(terminal, app);
        times.push(start.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn keys(path: &str) {
    let log = EventLog::open_read_only(path).unwrap();
    let last = log.last_seq().unwrap();
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    draw(&mut terminal, &app);
    let t = &mut terminal;

    let down = time(t, &mut app, &|| vec![Msg::Action(Action::Down)], 200);
    println!(
        "key to frame: move down (median of 200)\t{}\t< 16 ms",
        ms(down)
    );
    let page = time(t, &mut app, &|| vec![Msg::Action(Action::PageDown)], 200);
    println!(
        "key to frame: page down (median of 200)\t{}\t< 16 ms",
        ms(page)
    );
    let ends = || vec![Msg::Action(Action::Bottom), Msg::Action(Action::Top)];
    let bottom = time(t, &mut app, &ends, 50);
    println!(
        "key to frame: bottom then top (median of 50)\t{}\t< 16 ms",
        ms(bottom)
    );
    let draw_seq = std::cell::Cell::new(0x2545_f491_u64);
    let jump = || {
        // A different seq each time, typed into the jump prompt.
        draw_seq.set(
            draw_seq
                .get()
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1),
        );
        let target = 1 + (draw_seq.get() >> 20) % last;
        let mut msgs = vec![Msg::Action(Action::JumpPrompt)];
        msgs.extend(target.to_string().chars().map(Msg::Input));
        msgs.push(Msg::Action(Action::Submit));
        msgs
    };
    let jumped = time(t, &mut app, &jump, 50);
    println!(
        "key to frame: jump to a seq (median of 50)\t{}\t< 16 ms",
        ms(jumped)
    );

    // A type filter: pick the most frequent type, until the list shows it.
    let start = Instant::now();
    ui::update(&mut app, Msg::Action(Action::TypePicker));
    ui::update(&mut app, Msg::Action(Action::Submit));
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    draw(t, &app);
    let filter = start.elapsed();
    assert!(app.filter_description().is_some(), "the filter is on");
    println!(
        "type filter applied (most frequent type, {} events)\t{}\t< 100 ms",
        app.list_len(),
        ms(filter)
    );
    println!(
        "peak resident memory, log view\t{:.1} MiB\t< 100 MB",
        peak_rss_mib()
    );

    // The projections view holds a projection's state at the cursor.
    ui::update(&mut app, Msg::Action(Action::ClearFilter));
    let middle = last / 2;
    ui::update(&mut app, Msg::Action(Action::JumpPrompt));
    for c in middle.to_string().chars() {
        ui::update(&mut app, Msg::Input(c));
    }
    ui::update(&mut app, Msg::Action(Action::Submit));
    let start = Instant::now();
    ui::update(&mut app, Msg::Action(Action::ShowProjections));
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    draw(t, &app);
    println!(
        "projections view: `{}` at seq {middle}, replayed from genesis\t{}\t",
        app.projection_name().unwrap_or("?"),
        ms(start.elapsed())
    );
    // The state after a step comes from a worker: wait for it.
    let mut steps = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        ui::update(&mut app, Msg::Action(Action::StepForward));
        ui::settle(&mut app, &rx, Duration::from_secs(600));
        draw(t, &app);
        steps.push(start.elapsed());
    }
    steps.sort();
    println!(
        "step the projection one event, until the new state is drawn (median of 50)\t{}\t< 16 ms",
        ms(steps[25])
    );
    println!(
        "resident memory with the projections view open (peak)\t{:.1} MiB ({:.1} MiB)\t< 100 MB",
        rss_mib(),
        peak_rss_mib()
    );
}

/// A fresh explorer showing one projection at the middle of the log: its
/// resident memory.
fn projection_memory(path: &str, name: &str) {
    let log = EventLog::open_read_only(path).unwrap();
    let middle = log.last_seq().unwrap() / 2;
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    ui::update(&mut app, Msg::Action(Action::JumpPrompt));
    for c in middle.to_string().chars() {
        ui::update(&mut app, Msg::Input(c));
    }
    ui::update(&mut app, Msg::Action(Action::Submit));
    ui::update(&mut app, Msg::Action(Action::ShowProjections));
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    let start = Instant::now();
    app.select_projection(name).unwrap();
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    draw(&mut terminal, &app);
    let shown = start.elapsed();
    println!(
        "projections view alone on `{name}` at seq {middle}: shown in {}, resident (peak)\t{:.1} MiB ({:.1} MiB)\t< 100 MB",
        ms(shown),
        rss_mib(),
        peak_rss_mib()
    );
}

/// A domain file with one jq reducer over every event: each of the log's
/// events goes through jq, the slowest kind of rebuild.
const JQ_DOMAIN: &str = r#"
name = "retail-in-jq"

[projections.jq-types]
init = '{}'
reduce = '.[$event.type] += 1'
"#;

/// Key to frame while the domain file's jq projection rebuilds on a worker
/// over the whole log: as the terminal loop does, each key's messages and
/// whatever the worker sent meanwhile (progress) are applied, then a frame
/// is drawn. The same keys with no rebuild running first, for scale: on a
/// shared machine the slowest frames are the scheduler's, not the app's.
fn keys_while_jq_rebuilds(path: &str) {
    let domain = data_dir().join("bench-ui.domain.toml");
    std::fs::write(&domain, JQ_DOMAIN).unwrap();
    let log = EventLog::open(path).unwrap();
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    app.use_domain_file(&domain);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    ui::update(&mut app, Msg::Action(Action::ShowProjections));
    app.select_projection("jq-types").unwrap();
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    let keys = [
        Action::Down,
        Action::Up,
        Action::ShowLog,
        Action::Down,
        Action::PageDown,
        Action::ShowProjections,
    ];
    // Wall time, and the UI thread's own time on a CPU (which a loaded
    // machine's scheduler does not stretch).
    let mut press = |app: &mut App, runs: usize| -> (Vec<Duration>, Vec<Duration>) {
        let mut times = Vec::with_capacity(runs);
        let mut cpu = Vec::with_capacity(runs);
        for key in keys.iter().cycle().take(runs) {
            let (start, start_cpu) = (Instant::now(), thread_cpu());
            ui::update(app, Msg::Action(*key));
            while let Ok(msg) = rx.try_recv() {
                ui::update(app, msg);
            }
            draw(&mut terminal, app);
            times.push(start.elapsed());
            cpu.push(thread_cpu().saturating_sub(start_cpu));
        }
        times.sort();
        cpu.sort();
        (times, cpu)
    };
    let quiet = press(&mut app, 600);
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    let started = Instant::now();
    ui::update(&mut app, Msg::Action(Action::Rebuild));
    let busy = press(&mut app, 600);
    let measured_for = started.elapsed();
    assert!(
        app.is_busy(),
        "the rebuild ran for the whole measurement ({measured_for:.1?})"
    );
    // Let it finish, for the rate it ran at beside the keys.
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    let rebuilt = started.elapsed();
    let at = |times: &[Duration], per_mille: usize| ms(times[times.len() * per_mille / 1000]);
    for (what, (wall, cpu)) in [
        ("while jq-types rebuilds in the background", &busy),
        ("with nothing in the background", &quiet),
    ] {
        println!(
            "key to frame {what}: median (99th percentile) of 600, wall; UI thread on CPU\t{} ({}); {} ({})\t< 16 ms",
            at(wall, 500),
            at(wall, 990),
            at(cpu, 500),
            at(cpu, 990)
        );
    }
    let events = app.event_log().last_seq().unwrap();
    println!(
        "the jq rebuild meanwhile: {events} events, every one through jq\t{:.1} s ({})\t>= 250k/s",
        rebuilt.as_secs_f64(),
        rate(events, rebuilt)
    );
}

/// The time this thread has spent on a CPU.
fn thread_cpu() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// `r` in the projections view on `name`, as the screen reports its rate
/// (the last "events/s" drawn while it ran) and as timed from the key to
/// the frame showing the state afresh; beside the same rebuild as `replay`
/// runs it, with snapshots and without (`--no-snapshots`), in this process
/// on the same log. With `only` (`explorer`, `snapshots` or `none`), that
/// one alone: for counting its instructions under cachegrind; `at-open`
/// presses `r` without waiting for the jobs the explorer starts at open.
fn rebuild_beside_replay(path: &str, name: &str, only: Option<&str>) {
    let log = EventLog::open(path).unwrap();
    let events = log.last_seq().unwrap();
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    ui::update(&mut app, Msg::Action(Action::ShowProjections));
    app.select_projection(name).unwrap();
    // `at-open`: `r` pressed at once, while the jobs started at open run.
    if only != Some("at-open") {
        ui::settle(&mut app, &rx, Duration::from_secs(600));
    }
    let log = app.event_log();
    for (what, snapshots) in [("with snapshots", true), ("--no-snapshots", false)] {
        let mode = if snapshots { "snapshots" } else { "none" };
        if only.is_some_and(|only| only != mode) {
            continue;
        }
        let options = RebuildOptions {
            snapshots: snapshots.then_some((log as &dyn SnapshotStore, SnapshotPolicy::default())),
            ..RebuildOptions::default()
        };
        let registry = Projections::new(None);
        let mut projections = [registry.create(name).unwrap()];
        let start = Instant::now();
        projection::rebuild(log, &mut projections, &options, &mut |_| {}).unwrap();
        if snapshots {
            log.persist_snapshots().unwrap();
        }
        let took = start.elapsed();
        println!(
            "the same rebuild as `replay -p {name}` does it, {what}\t{} ({})\t",
            ms(took),
            rate(events, took)
        );
    }
    if only.is_some_and(|only| only != "explorer" && only != "at-open") {
        return;
    }
    let started = Instant::now();
    ui::update(&mut app, Msg::Action(Action::Rebuild));
    // As the terminal loop: a frame at least every tick, and after messages.
    let mut on_screen = String::from("?");
    // Until the rebuild has ended with the state shown, then until its
    // snapshots are saved and the state is reached from them (other jobs,
    // started at open, may go on after it).
    let rebuilding = |app: &App| app.job_running(Job::Rebuild) || app.job_running(Job::Projection);
    let saving = |app: &App| app.job_running(Job::Snapshots) || app.job_running(Job::Projection);
    let mut shown = None;
    while shown.is_none() || saving(&app) {
        if let Ok(msg) = rx.recv_timeout(Duration::from_millis(250)) {
            ui::update(&mut app, msg);
        }
        while let Ok(msg) = rx.try_recv() {
            ui::update(&mut app, msg);
        }
        draw(&mut terminal, &app);
        let screen = ui::buffer_text(terminal.backend().buffer());
        if shown.is_none() {
            if let Some(rate) = screen_rate(&screen) {
                on_screen = rate;
            }
            if !rebuilding(&app) {
                shown = Some(started.elapsed());
            }
        }
    }
    let saved = started.elapsed();
    let shown = shown.unwrap_or(saved);
    println!(
        "`r` on `{name}` in the explorer: rate on screen; key to the state shown again\t{on_screen} events/s; {} ({})\t",
        ms(shown),
        rate(events, shown)
    );
    println!(
        "the same `r`: key to its snapshots saved and the state reached from them\t{}\t",
        ms(saved)
    );
}

/// The rate in the "rebuilding ... N events/s" line of a screen.
fn screen_rate(screen: &str) -> Option<String> {
    let line = screen.lines().find(|line| line.contains("rebuilding "))?;
    let (before, _) = line.split_once(" events/s")?;
    Some(before.rsplit(' ').next()?.to_owned())
}
