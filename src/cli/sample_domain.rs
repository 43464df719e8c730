//! A bundled sample's domain file, written out where the explorer can read
//! and watch it: beside the cached copy of the sample, or in a directory of
//! its own that goes with the explorer. Named as it is beside the sample's
//! JSONL (`library.domain.toml`), so the screens name the same file either
//! way.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use eventscope::lesson::Sample;

/// A sample's domain file on disk; a temporary one is removed on drop.
pub struct SampleDomain {
    path: PathBuf,
    /// The directory made for it, when it is temporary.
    temporary_dir: Option<PathBuf>,
}

impl SampleDomain {
    /// The sample's domain file in the cache `dir`, beside the cached log.
    /// Written again when it is not the bundled text: the bundled text is
    /// the sample's, as the bundled JSONL is its log.
    pub fn cached(dir: &Path, sample: Sample) -> std::io::Result<Option<SampleDomain>> {
        let Some(text) = sample.domain else {
            return Ok(None);
        };
        let path = dir.join(file_name(sample));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text)?;
        }
        Ok(Some(SampleDomain {
            path,
            temporary_dir: None,
        }))
    }

    /// The sample's domain file in a temporary directory of its own.
    pub fn temporary(sample: Sample) -> std::io::Result<Option<SampleDomain>> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let Some(text) = sample.domain else {
            return Ok(None);
        };
        let dir = std::env::temp_dir().join(format!(
            "eventscope-{}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            sample.name
        ));
        std::fs::create_dir_all(&dir)?;
        let found = SampleDomain {
            path: dir.join(file_name(sample)),
            temporary_dir: Some(dir),
        };
        std::fs::write(&found.path, text)?;
        Ok(Some(found))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SampleDomain {
    fn drop(&mut self) {
        if let Some(dir) = &self.temporary_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn file_name(sample: Sample) -> String {
    format!("{}.domain.toml", sample.name)
}

/// One line for the notice when the domain file cannot be written.
pub fn not_written(sample: Sample, error: &std::io::Error) -> String {
    format!(
        "the {} sample's domain file cannot be written ({error}): its projections and commands are not available",
        sample.name
    )
}
