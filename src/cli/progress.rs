//! Progress on stderr for long commands, only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Redraws one status line on stderr at most every 100 ms.
pub struct Progress {
    enabled: bool,
    last: Option<Instant>,
    label: &'static str,
}

impl Progress {
    pub fn new(label: &'static str) -> Progress {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            last: None,
            label,
        }
    }

    pub fn update(&mut self, done: u64, total: Option<u64>) {
        if !self.enabled
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(Instant::now());
        let line = match total {
            Some(total) if total > 0 => format!(
                "{} {done}/{total} ({}%)",
                self.label,
                done.saturating_mul(100) / total
            ),
            _ => format!("{} {done}", self.label),
        };
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
    }

    pub fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
