//! `eventscope import postgres://... --db LOG [--follow]`: a Message DB
//! copied into a log, all or nothing, then, following, as it grows.

use std::path::Path;
use std::process::ExitCode;

use eventscope::message_db::{self, CopyEvent, Server};
use eventscope::store::EventLog;

use super::progress::Progress;

pub fn run(url: &str, db: &Path, follow: bool) -> anyhow::Result<ExitCode> {
    let server = Server::parse(url)?;
    let mut progress = Progress::new("copying");
    let summary = message_db::copy(&server, db, |event| {
        if let CopyEvent::Copied(n) = event {
            progress.update(*n, None);
        }
    });
    progress.finish();
    let summary = summary?;
    if summary.count() == 0 {
        eprintln!(
            "copied no messages: {} holds every message of {}",
            db.display(),
            server.describe()
        );
    } else {
        eprintln!(
            "copied {} messages from {} into {} (seq {}..{})",
            summary.count(),
            server.describe(),
            db.display(),
            summary.first_seq,
            summary.last_seq
        );
    }
    if !follow {
        return Ok(ExitCode::SUCCESS);
    }
    let log = EventLog::open(db)?;
    eprintln!("following {} (Ctrl-C to stop)", server.describe());
    let mut total = summary.last_seq;
    message_db::follow(&server, &log, &|| false, |event| match event {
        CopyEvent::Copied(_) => {
            if let Ok(last) = log.last_seq() {
                if last > total {
                    eprintln!("copied {} more (seq {last})", last - total);
                }
                total = last;
            }
        }
        CopyEvent::CaughtUp => {}
        CopyEvent::Retrying { why, delay } => {
            eprintln!("{why}; retrying in {:.1}s", delay.as_secs_f64());
        }
        CopyEvent::Reconnected => eprintln!("connected again; catching up"),
    })?;
    Ok(ExitCode::SUCCESS)
}
