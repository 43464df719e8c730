//! The store's boundary against panics inside redb.
//!
//! redb trusts its own pages: some single-byte damages to a B-tree page
//! make it index out of bounds or fail an assertion instead of returning an
//! error. Every public entry point of the store runs its redb calls inside
//! [`contained`], which turns such a panic into [`StoreError::Damaged`],
//! one sentence, with the default panic message kept off the terminal.
//!
//! Code the store calls back (a scan's visitor, an append's filler) runs
//! through [`outside`]: a panic there is the caller's bug, not damage, so it
//! is reported as usual and carried on unwinding.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use super::{Result, StoreError};

thread_local! {
    /// Whether this thread is running store code right now.
    static IN_STORE: Cell<bool> = const { Cell::new(false) };
    /// Set by the hook when a panic started in code the store called back.
    static CALLER_PANICKED: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Keeps the message of a panic inside the store off the terminal (it
/// becomes an error instead); any other panic goes to the previous hook.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_STORE.with(Cell::get) {
                return;
            }
            CALLER_PANICKED.with(|flag| flag.set(true));
            previous(info);
        }));
    });
}

/// Runs store code, turning a panic inside it into damage of `path`.
pub(super) fn contained<T>(path: &Path, body: impl FnOnce() -> Result<T>) -> Result<T> {
    install_hook();
    CALLER_PANICKED.with(|flag| flag.set(false));
    let was_in_store = IN_STORE.with(|flag| flag.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(body));
    IN_STORE.with(|flag| flag.set(was_in_store));
    match outcome {
        Ok(result) => result,
        Err(payload) => {
            if CALLER_PANICKED.with(|flag| flag.replace(false)) {
                panic::resume_unwind(payload);
            }
            Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: "the storage engine met a malformed page".into(),
            })
        }
    }
}

/// Runs code the store calls back: its panics are its own.
pub(super) fn outside<T>(body: impl FnOnce() -> T) -> T {
    let was_in_store = IN_STORE.with(|flag| flag.replace(false));
    let result = panic::catch_unwind(AssertUnwindSafe(body));
    IN_STORE.with(|flag| flag.set(was_in_store));
    match result {
        Ok(value) => value,
        // The hook has marked it as the caller's.
        Err(payload) => panic::resume_unwind(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_store_code_is_damage() {
        let result: Result<()> = contained(Path::new("x.redb"), || panic!("bad page"));
        match result {
            Err(StoreError::Damaged { path, .. }) => assert_eq!(path, Path::new("x.redb")),
            other => panic!("expected damage, got {other:?}"),
        }
    }

    #[test]
    fn a_panic_in_a_callback_stays_a_panic() {
        let caught = panic::catch_unwind(|| {
            contained(Path::new("x.redb"), || {
                outside(|| panic!("the caller's bug"));
                Ok(())
            })
        });
        assert!(caught.is_err());
        // And the store still contains its own panics afterwards.
        let result: Result<()> = contained(Path::new("x.redb"), || panic!("bad page"));
        assert!(matches!(result, Err(StoreError::Damaged { .. })));
    }
}
