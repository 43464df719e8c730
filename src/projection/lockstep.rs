//! Two folds over the same log that keep in step: every so many seqs both
//! stop at the same seq and decide together whether to go on. A rebuild
//! split over two threads can then be cancelled (or stopped by a failure)
//! at one seq for every projection, as a one-thread fold would be.

use std::sync::{Condvar, Mutex, MutexGuard};

/// Where the two folds meet.
pub(crate) struct Lockstep {
    /// The folds meet after each multiple of this many seqs.
    pub(crate) every: u64,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// How many folds wait at the current meeting.
    waiting: u8,
    /// Whether a fold waiting at the current meeting wants to stop.
    stop_wanted: bool,
    /// Counts the meetings held: a waiter knows its own is over.
    held: u64,
    /// What the last meeting decided.
    stop: bool,
    /// A fold ended by a panic: the other must not wait for it.
    abandoned: bool,
}

impl Lockstep {
    pub(crate) fn new(every: u64) -> Lockstep {
        Lockstep {
            every: every.max(1),
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is a few flags, each written whole.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for the other fold at this meeting; true when either wants
    /// to stop (or the other is gone), for both alike.
    pub(crate) fn meet(&self, stop_wanted: bool) -> bool {
        let mut state = self.state();
        if state.abandoned {
            return true;
        }
        state.stop_wanted |= stop_wanted;
        state.waiting += 1;
        if state.waiting == 2 {
            state.stop = state.stop_wanted;
            state.stop_wanted = false;
            state.waiting = 0;
            state.held += 1;
            self.changed.notify_all();
            return state.stop;
        }
        let meeting = state.held;
        while state.held == meeting && !state.abandoned {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        state.abandoned || state.stop
    }

    /// Lets the other fold go on alone: called when a fold unwinds.
    pub(crate) fn abandon(&self) {
        self.state().abandoned = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_folds_get_the_same_decision() {
        let lockstep = Lockstep::new(10);
        let (here, there) = std::thread::scope(|scope| {
            let other = scope.spawn(|| [lockstep.meet(false), lockstep.meet(true)]);
            let here = [lockstep.meet(false), lockstep.meet(false)];
            (here, other.join().unwrap())
        });
        assert_eq!(here, [false, true]);
        assert_eq!(there, [false, true]);
    }

    #[test]
    fn an_abandoned_lockstep_never_waits() {
        let lockstep = Lockstep::new(10);
        lockstep.abandon();
        assert!(lockstep.meet(false));
    }
}
