//! Panics on worker threads stay on their thread. `ratatui::init` installs
//! a hook that restores the terminal on any panic; a worker's panic is
//! caught by [`crate::ui::jobs`] and shown as an error while the explorer keeps
//! drawing, so for worker threads the hook must neither restore the
//! terminal nor print over the screen. [`install`] wraps the hook in force
//! with that one rule; every other thread's panic reaches it unchanged.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::PanicHookInfo;

thread_local! {
    static IS_WORKER: Cell<bool> = const { Cell::new(false) };
    /// Where the last panic on this worker happened, for its message.
    static PANICKED_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Marks the current thread as a worker whose panics are caught.
pub fn mark_worker_thread() {
    IS_WORKER.with(|w| w.set(true));
}

fn is_worker_thread() -> bool {
    IS_WORKER.with(Cell::get)
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Wraps the panic hook in force (ratatui's, once the terminal is set up)
/// so that it runs for every thread but the workers.
pub fn install() {
    install_over(std::panic::take_hook());
}

fn install_over(previous: Hook) {
    std::panic::set_hook(Box::new(move |info| {
        if is_worker_thread() {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            PANICKED_AT.with(|p| *p.borrow_mut() = at);
        } else {
            previous(info);
        }
    }));
}

/// A caught panic as one line: its message, and where it happened when the
/// hook saw it.
pub fn describe(payload: &(dyn Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with no message".to_string());
    let message = crate::escape::printable(&message).into_owned();
    match PANICKED_AT.with(|p| p.borrow_mut().take()) {
        Some(at) => format!("{message} (at {at})"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// The hook rule itself: a worker's panic does not reach the hook that
    /// restores the terminal; any other thread's does.
    #[test]
    fn only_panics_outside_workers_reach_the_previous_hook() {
        let original: Arc<Hook> = Arc::new(std::panic::take_hook());
        let reached = Arc::new(Mutex::new(Vec::<String>::new()));
        {
            let reached = reached.clone();
            let original = original.clone();
            install_over(Box::new(move |info| {
                let name = std::thread::current().name().unwrap_or("").to_string();
                reached.lock().unwrap().push(name);
                original(info);
            }));
        }
        let worker = std::thread::Builder::new()
            .name("guard-test-worker".into())
            .spawn(|| {
                mark_worker_thread();
                panic!("in a worker");
            })
            .unwrap();
        assert!(worker.join().is_err());
        let plain = std::thread::Builder::new()
            .name("guard-test-plain".into())
            .spawn(|| panic!("in a plain thread"))
            .unwrap();
        assert!(plain.join().is_err());
        std::panic::set_hook(Box::new(move |info| original(info)));
        let reached = reached.lock().unwrap();
        assert!(
            reached.iter().any(|n| n == "guard-test-plain"),
            "{reached:?}"
        );
        assert!(
            !reached.iter().any(|n| n == "guard-test-worker"),
            "{reached:?}"
        );
    }

    #[test]
    fn a_payload_reads_as_its_message() {
        let text: Box<dyn Any + Send> = Box::new(String::from("bad \u{1b}[2J state"));
        assert_eq!(describe(text.as_ref()), "bad \\e[2J state");
        let other: Box<dyn Any + Send> = Box::new(7u8);
        assert_eq!(describe(other.as_ref()), "a panic with no message");
    }
}
