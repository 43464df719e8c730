//! The one way background work runs: [`Jobs::spawn`] opens a new
//! generation in the job's slot (cancelling the one before), runs the work
//! on a worker thread with a [`Worker`] to report through, and catches a
//! panic in it: the slot is freed and the panic arrives as
//! [`Msg::JobFailed`], shown as an error, while the explorer keeps running.
//!
//! ```text
//!   view ──spawn(job, work)──▶ slot: generation n, running
//!                                │ worker thread
//!                                ├─ Progress { done, total } ─▶ Msg channel
//!                                ├─ result Msg ───────────────▶ Msg channel
//!                                └─ panic ─▶ JobFailed ───────▶ Msg channel
//! ```
//!
//! A late result of an older generation is ignored by the slot.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Instant;

use crate::ui::msg::{Job, Msg};
use crate::ui::panic_guard;

/// The state of one kind of job.
#[derive(Debug, Default)]
pub struct JobSlot {
    generation: u64,
    cancel: Option<Arc<AtomicBool>>,
    pub running: bool,
    pub progress: Option<(u64, u64)>,
    pub started: Option<Instant>,
}

impl JobSlot {
    /// Cancels the running job, if any, and opens a new generation.
    fn start(&mut self) -> (u64, Arc<AtomicBool>) {
        self.cancel_running();
        self.generation += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = Some(cancel.clone());
        self.running = true;
        self.progress = None;
        self.started = Some(Instant::now());
        (self.generation, cancel)
    }

    pub fn cancel_running(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel.store(true, Ordering::Relaxed);
        }
        self.running = false;
        self.progress = None;
    }

    /// Asks the running job to stop, and still awaits its answer (a
    /// rebuild answers how far it got).
    pub fn stop(&self) {
        if let Some(cancel) = &self.cancel {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// The latest generation opened (0 before the first).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a result of `generation` is the one awaited.
    pub fn is_current(&self, generation: u64) -> bool {
        self.running && generation == self.generation
    }

    pub fn finish(&mut self) {
        self.running = false;
        self.cancel = None;
    }
}

/// What a job's work reports through, from its worker thread.
pub struct Worker {
    job: Job,
    generation: u64,
    cancel: Arc<AtomicBool>,
    tx: Sender<Msg>,
}

impl Worker {
    /// The generation the job's results carry.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Set once a newer job of the same kind started (or it was cancelled).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub fn progress(&self, done: u64, total: u64) {
        self.send(Msg::Progress {
            job: self.job,
            generation: self.generation,
            done,
            total,
        });
    }

    /// Sends a result; a closed channel means the explorer has quit.
    pub fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }
}

/// All job slots, and the channel their workers answer on.
#[derive(Debug)]
pub struct Jobs {
    slots: HashMap<Job, JobSlot>,
    tx: Sender<Msg>,
}

impl Jobs {
    pub fn new(tx: Sender<Msg>) -> Jobs {
        Jobs {
            slots: HashMap::new(),
            tx,
        }
    }

    pub fn slot(&mut self, job: Job) -> &mut JobSlot {
        self.slots.entry(job).or_default()
    }

    pub fn get(&self, job: Job) -> Option<&JobSlot> {
        self.slots.get(&job)
    }

    /// Whether `job` is running now.
    pub fn is_running(&self, job: Job) -> bool {
        self.get(job).is_some_and(|s| s.running)
    }

    pub fn any_running(&self) -> bool {
        self.slots.values().any(|s| s.running)
    }

    /// Starts `job` afresh (the one before is cancelled) and runs `work` on
    /// a worker thread. Returns the new generation.
    pub fn spawn(&mut self, job: Job, work: impl FnOnce(&Worker) + Send + 'static) -> u64 {
        let (generation, cancel) = self.slot(job).start();
        let worker = Worker {
            job,
            generation,
            cancel,
            tx: self.tx.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name(format!("eventscope {job:?}"))
            .spawn(move || {
                panic_guard::mark_worker_thread();
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| work(&worker))) {
                    worker.send(Msg::JobFailed {
                        job,
                        generation,
                        problem: panic_guard::describe(payload.as_ref()),
                    });
                }
            });
        if let Err(e) = spawned {
            let _ = self.tx.send(Msg::JobFailed {
                job,
                generation,
                problem: format!("cannot start a worker thread: {e}"),
            });
        }
        generation
    }

    /// A job's worker panicked: frees its slot and says what to tell the
    /// user, if the job was still awaited.
    pub fn failed(&mut self, job: Job, generation: u64, problem: &str) -> Option<String> {
        let slot = self.slot(job);
        if !slot.is_current(generation) {
            return None;
        }
        slot.finish();
        Some(format!("{} failed: {problem}", job.describe()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_worker_that_panics_frees_its_slot_with_an_error() {
        let (tx, rx) = mpsc::channel();
        let mut jobs = Jobs::new(tx);
        let generation = jobs.spawn(Job::Search, |_| panic!("the index is gone"));
        assert!(jobs.is_running(Job::Search));
        let msg = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let Msg::JobFailed {
            job,
            generation: failed,
            problem,
        } = msg
        else {
            panic!("expected JobFailed, got {msg:?}");
        };
        assert_eq!((job, failed), (Job::Search, generation));
        let notice = jobs.failed(job, failed, &problem).unwrap();
        assert!(notice.contains("the index is gone"), "{notice}");
        assert!(notice.starts_with("searching failed"), "{notice}");
        assert!(!jobs.any_running());
    }

    #[test]
    fn a_late_failure_of_an_older_generation_is_ignored() {
        let (tx, _rx) = mpsc::channel();
        let mut jobs = Jobs::new(tx);
        let old = jobs.spawn(Job::Flow, |_| {});
        let new = jobs.spawn(Job::Flow, |_| {});
        assert_ne!(old, new);
        assert_eq!(jobs.failed(Job::Flow, old, "boom"), None);
        assert!(jobs.is_running(Job::Flow));
    }

    #[test]
    fn progress_and_results_carry_the_generation() {
        let (tx, rx) = mpsc::channel();
        let mut jobs = Jobs::new(tx);
        let generation = jobs.spawn(Job::Rate, |worker| worker.progress(1, 2));
        match rx.recv_timeout(Duration::from_secs(10)).unwrap() {
            Msg::Progress {
                job,
                generation: g,
                done,
                total,
            } => assert_eq!((job, g, done, total), (Job::Rate, generation, 1, 2)),
            other => panic!("expected progress, got {other:?}"),
        }
    }
}
