//! A new log is built under a hidden name beside its final one and put in
//! place only when complete: never over a log that appeared meanwhile,
//! and what an import killed outright left is swept up by the next one.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::temporary::TemporaryFile;

const MARKER: &str = ".importing-";

/// `dir/.name.importing-<pid>-<n>` beside `db`: the pid tells a later
/// import whether its maker still runs; `n` keeps imports within one
/// process apart.
pub(super) fn building_file(db: &Path) -> TemporaryFile {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = db
        .file_name()
        .map_or_else(|| "log".into(), |n| n.to_string_lossy().into_owned());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = db.with_file_name(format!(".{name}{MARKER}{}-{n}", std::process::id()));
    TemporaryFile::new(path)
}

/// Why a finished log could not be put in place.
#[derive(Debug)]
pub(super) enum PublishError {
    /// Another writer created `db` while this import ran.
    Appeared,
    Io(std::io::Error),
}

/// Gives the complete log at `building` the name `db`, unless something
/// has that name by now. A hard link fails rather than replace, unlike a
/// rename; where links are not supported, a rename after a check serves
/// (leaving a short window in which a racing writer could be replaced).
pub(super) fn publish(building: &Path, db: &Path) -> Result<(), PublishError> {
    match std::fs::hard_link(building, db) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(PublishError::Appeared)
        }
        Err(_) if std::fs::symlink_metadata(db).is_ok() => Err(PublishError::Appeared),
        Err(_) => std::fs::rename(building, db).map_err(PublishError::Io),
    }
}

/// Removes the files that imports no longer running left in `folder`
/// (killed outright, where no signal handler could run).
pub(super) fn sweep_stale(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(maker_pid) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if is_file && pid != std::process::id() && !is_running(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The pid in a name made by [`building_file`] (or by earlier versions,
/// which had no `-<n>`), or `None` for any other name.
fn maker_pid(name: &str) -> Option<u32> {
    let (log, rest) = name.strip_prefix('.')?.rsplit_once(MARKER)?;
    if log.is_empty() {
        return None;
    }
    let (pid, n) = rest.split_once('-').unwrap_or((rest, "0"));
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process `pid` exists. Unsure answers say yes: a file is
/// only swept when its maker is surely gone.
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return true;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(error) => error != rustix::io::Errno::SRCH,
    }
}

#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_building_names_give_a_pid() {
        assert_eq!(maker_pid(".log.redb.importing-123-4"), Some(123));
        assert_eq!(maker_pid(".log.redb.importing-123"), Some(123));
        assert_eq!(maker_pid(".a.importing-b.importing-9-0"), Some(9));
        for other in [
            "log.redb.importing-123",
            ".importing-123",
            ".log.redb.importing-",
            ".log.redb.importing-12x",
            ".log.redb.importing-12-",
            ".log.redb",
        ] {
            assert_eq!(maker_pid(other), None, "{other}");
        }
    }

    #[test]
    fn the_running_process_is_running() {
        assert!(is_running(std::process::id()));
    }

    #[test]
    fn publishing_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let building = dir.path().join("building");
        let db = dir.path().join("db");
        std::fs::write(&building, "new").unwrap();
        std::fs::write(&db, "theirs").unwrap();
        assert!(matches!(
            publish(&building, &db),
            Err(PublishError::Appeared)
        ));
        assert_eq!(std::fs::read_to_string(&db).unwrap(), "theirs");
        std::fs::remove_file(&db).unwrap();
        publish(&building, &db).unwrap();
        assert_eq!(std::fs::read_to_string(&db).unwrap(), "new");
    }
}
