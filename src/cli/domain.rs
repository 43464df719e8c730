//! Finding the domain file a command reads: the one named with `--domain`,
//! else `NAME.domain.toml` beside the log, else none (the built-in
//! projections and commands only). A file found beside the log is said on stderr, so a
//! person always knows which domain they are looking through.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use eventscope::domain_file::{self, Domain, Projections};
use eventscope::escape::printable;

/// The projections for `log`, with the domain file's if there is one.
pub fn projections(named: Option<&Path>, log: &Path) -> anyhow::Result<Projections> {
    Ok(Projections::new(load(named, log)?))
}

/// The domain file for `log`, read and compiled: the one named, else the
/// one beside the log, else none.
pub fn load(named: Option<&Path>, log: &Path) -> anyhow::Result<Option<Arc<Domain>>> {
    let Some(path) = find(named, log) else {
        return Ok(None);
    };
    let domain = domain_file::load(&path).map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(Some(Arc::new(domain)))
}

/// Which domain file `log` is read with: the one named, else the one
/// beside the log (said on stderr), else none. The explorer and every
/// command find it here.
pub fn find(named: Option<&Path>, log: &Path) -> Option<PathBuf> {
    if let Some(path) = named {
        return Some(path.to_path_buf());
    }
    let path = domain_file::beside(log)?;
    let _ = writeln!(
        std::io::stderr(),
        "note: reading the domain file {} beside the log",
        printable(&path.display().to_string())
    );
    Some(path)
}
