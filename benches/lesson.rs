//! Moving from a lesson step to the next: the scene set (every worker it
//! starts finished) and the screen drawn, at 100x30. On the bundled lessons
//! and sample, and on a lesson over the generated 1,000,000-event log.
//!
//! `cargo bench --bench lesson`.

mod support;

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eventscope::lesson;
use eventscope::store::EventLog;
use eventscope::ui::{self, App, Msg};
use support::*;

const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;

/// Each step entered in turn, from the first: how long until its scene is
/// drawn (the first frame after the key), and until every worker the scene
/// started has answered and the settled scene is drawn.
fn step_times(app: &mut App, rx: &mpsc::Receiver<Msg>, steps: usize) -> Vec<(Duration, Duration)> {
    (0..steps)
        .map(|index| {
            let start = Instant::now();
            app.go_to_step(index);
            let _ = ui::render_text(app, WIDTH, HEIGHT);
            let drawn = start.elapsed();
            ui::settle(app, rx, Duration::from_secs(600));
            let _ = ui::render_text(app, WIDTH, HEIGHT);
            (drawn, start.elapsed())
        })
        .collect()
}

fn app_on(log: EventLog) -> (App, mpsc::Receiver<Msg>) {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Arc::new(log), tx);
    ui::update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    (app, rx)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// The median and slowest of the settled times.
fn summary(times: &[(Duration, Duration)]) -> (String, String) {
    let mut settled: Vec<Duration> = times.iter().map(|(_, s)| *s).collect();
    settled.sort();
    (
        ms(settled[settled.len() / 2]),
        ms(settled[settled.len() - 1]),
    )
}

fn main() {
    println!(
        "| measure ({WIDTH}x{HEIGHT}), scene set, workers done and drawn | median | slowest | target |"
    );
    println!("|---|---|---|---|");
    let dir = tempfile::tempdir().unwrap();
    let sample = lesson::sample("retail").unwrap();
    for found in lesson::bundled_lessons() {
        let found = found.unwrap();
        let path = dir.path().join(format!("{}.redb", found.name));
        eventscope::ingest::import_into(
            sample.jsonl.as_bytes(),
            &path,
            eventscope::format::Format::Native,
            |_| {},
        )
        .unwrap();
        let (mut app, rx) = app_on(EventLog::open(&path).unwrap());
        app.set_sample("retail");
        app.open_lesson(&found.name).unwrap();
        ui::settle(&mut app, &rx, Duration::from_secs(600));
        let times = step_times(&mut app, &rx, found.steps.len());
        let (median, slowest) = summary(&times);
        println!(
            "| `{}` on the retail sample: a step to the next ({} steps) | {median} | {slowest} | < 50 ms |",
            found.name,
            found.steps.len()
        );
    }
    let n = events();
    let big = retail_log();
    let text = format!(
        r#"title = "Big"
log = {path:?}

[[step]]
title = "start"
narration = "n"
scene = {{ view = "log", seq = 1 }}

[[step]]
title = "near the end"
narration = "n"
scene = {{ view = "log", seq = {near_end} }}

[[step]]
title = "a projection half way"
narration = "n"
scene = {{ view = "projections", seq = {half}, projection = "customers", field = "customer-1.address.city" }}

[[step]]
title = "the next event"
narration = "n"
scene = {{ view = "projections", seq = {half_next}, projection = "customers", field = "customer-1.address.city" }}

[[step]]
title = "a command typed"
narration = "n"
scene = {{ view = "cqrs", command = "ShipOrder order-1" }}

[[step]]
title = "flows early"
narration = "n"
scene = {{ view = "flows", flows = {{ at = 2000, outages = [[500, 1500]] }} }}
"#,
        path = big.display().to_string(),
        near_end = n - 10,
        half = n / 2,
        half_next = n / 2 + 1,
    );
    let found = lesson::load("big.toml", &text).unwrap();
    let titles: Vec<String> = found.steps.iter().map(|s| s.title.clone()).collect();
    let (mut app, rx) = app_on(EventLog::open_read_only(&big).unwrap());
    app.offer_lesson(Ok(found));
    app.open_lesson("big").unwrap();
    ui::settle(&mut app, &rx, Duration::from_secs(600));
    let times = step_times(&mut app, &rx, titles.len());
    println!();
    println!(
        "| {n} events, {WIDTH}x{HEIGHT}: to the step | scene drawn | workers done, drawn | target |"
    );
    println!("|---|---|---|---|");
    for (title, (drawn, settled)) in titles.iter().zip(&times) {
        println!(
            "| \"{title}\" | {} | {} | < 200 ms |",
            ms(*drawn),
            ms(*settled)
        );
    }
}
