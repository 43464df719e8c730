//! The log's source mark: what an importer that copies from elsewhere (a
//! database server) records beside the events, in the same transaction, so
//! the mark and the events it describes never disagree.

use super::append::Appender;
use super::tables::*;
use super::{EventLog, Result, get_meta};

impl EventLog {
    /// The source mark the last import that set one left; `None` for a log
    /// that was never copied from a source.
    pub fn source(&self) -> Result<Option<Vec<u8>>> {
        self.guarded(|| {
            let txn = self.db.begin_read()?;
            get_meta(&txn.open_table(META)?, META_SOURCE)
        })
    }
}

impl Appender<'_> {
    /// Replaces the log's source mark when this batch commits.
    pub fn set_source(&mut self, mark: &[u8]) {
        self.source = Some(mark.to_vec());
    }
}
