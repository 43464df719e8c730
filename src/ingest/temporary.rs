//! Files that must not outlive the work they hold: removed when dropped,
//! and also when the process is ended by SIGINT, SIGTERM or SIGHUP, which
//! skip every destructor.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The files to remove should a terminating signal arrive.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A path whose file is removed when this is dropped or the process is
/// interrupted. Registered before the file is made, so there is no moment
/// when it exists and a signal would leave it.
#[derive(Debug)]
pub struct TemporaryFile {
    path: PathBuf,
}

impl TemporaryFile {
    pub fn new(path: PathBuf) -> TemporaryFile {
        on_signal::install();
        pending().push(path.clone());
        TemporaryFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TemporaryFile {
    fn drop(&mut self) {
        // Removed before it is forgotten: a signal in between removes it
        // again, which is harmless.
        let _ = std::fs::remove_file(&self.path);
        let mut pending = pending();
        if let Some(index) = pending.iter().position(|p| *p == self.path) {
            pending.swap_remove(index);
        }
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the list was held cannot leave it half-changed.
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(unix)]
mod on_signal {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;
    use std::sync::Once;

    /// Starts, once per process, a thread that waits for a terminating
    /// signal, removes the pending files, and then ends the process as the
    /// signal would have (so the exit status still names the signal).
    pub(super) fn install() {
        static INSTALLED: Once = Once::new();
        INSTALLED.call_once(|| {
            let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("remove-on-signal".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        // Held to the end: nothing new is registered meanwhile.
                        let pending = super::pending();
                        for path in pending.iter() {
                            let _ = std::fs::remove_file(path);
                        }
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                        std::process::exit(128 + signal);
                    }
                });
        });
    }
}

#[cfg(not(unix))]
mod on_signal {
    /// Elsewhere only dropping removes the file.
    pub(super) fn install() {}
}
