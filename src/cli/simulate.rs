//! `eventscope simulate LOG`: the same log through Notification and
//! StateTransfer, side by side.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use eventscope::simulation::{SeqRange, SimParams, Simulation};
use eventscope::store::EventLog;

use super::output::Stdout;
use super::progress::Progress;
use super::simulate_mapping::{MappingArgs, choose};

/// Run a log through Event Notification and Event-Carried State Transfer
/// and measure what each costs and survives.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    pub log: PathBuf,
    #[command(flatten)]
    pub mapping: MappingArgs,
    #[command(flatten)]
    pub params: SimArgs,
    /// Print JSON for programs instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The simulation's parameters, shared by `simulate` and `render`.
#[derive(Debug, Clone, clap::Args)]
pub struct SimArgs {
    /// Time a message spends on the bus, in ms.
    #[arg(long, value_name = "MS", default_value_t = SimParams::default().bus_latency_ms)]
    pub bus_latency: u64,
    /// Round trip of a call to the source's query API, in ms.
    #[arg(long, value_name = "MS", default_value_t = SimParams::default().query_latency_ms)]
    pub query_latency: u64,
    /// A seq range of the log during which the source is down, e.g.
    /// `120..180`; repeatable.
    #[arg(long, value_name = "FIRST..LAST")]
    pub outage: Vec<SeqRange>,
    /// Share of bus messages lost, 0 to 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub drop: f64,
    /// Share of bus messages delivered twice, 0 to 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub duplicate: f64,
    /// Share of bus messages overtaken by later ones, 0 to 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub reorder: f64,
    /// Let the StateTransfer replica apply events without checking stream
    /// versions (so reordering and duplicates can corrupt it).
    #[arg(long)]
    pub no_version_checks: bool,
    /// Seed for the fault draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

impl SimArgs {
    pub fn to_params(&self) -> SimParams {
        SimParams {
            bus_latency_ms: self.bus_latency,
            query_latency_ms: self.query_latency,
            outages: self.outage.clone(),
            drop_rate: self.drop,
            duplicate_rate: self.duplicate,
            reorder_rate: self.reorder,
            version_checks: !self.no_version_checks,
            seed: self.seed,
            ..SimParams::default()
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let log = EventLog::open_read_only(&args.log)?;
    let params = args.params.to_params();
    params.validate()?;
    let choice = choose(&args.mapping, &args.log, &log)?;
    let total = log.last_seq()?;
    let mut simulation = Simulation::new(choice.mapping.clone(), params)?;
    let mut progress = Progress::new("simulating");
    log.scan(1..=total, |event| {
        simulation.feed(&event);
        simulation.run_until(event.seq * simulation.params().event_interval_ms);
        progress.update(event.seq, Some(total));
        ControlFlow::Continue(())
    })?;
    simulation.finish();
    progress.finish();
    if total > 0 && simulation.entities().next().is_none() {
        anyhow::bail!(
            "no stream of the source category `{}` in the log; give --source the part of a \
             stream name before its first `-`",
            choice.mapping.def().source_category
        );
    }
    let report = simulation.report();
    let mut stdout = Stdout::lock();
    if args.json {
        let mut json = serde_json::to_value(&report)?;
        json["mapping"]["from"] = serde_json::Value::String(choice.origin.to_string());
        stdout.json_pretty(&json)?;
    } else {
        let escape = |text: String| eventscope::escape::printable(&text).into_owned();
        stdout.text(&format!(
            "mapping: {}\n{}\n\n{}",
            escape(choice.mapping.to_string()),
            escape(choice.origin.to_string()),
            report.to_table()
        ))?;
    }
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}
