//! Interned stream and type names, indexed by their small ids.

use std::sync::Arc;

use redb::{ReadTransaction, ReadableTable};

use super::Result;
use super::tables::{STREAM_NAMES, TYPE_NAMES};

/// The names of every stream and type, by id. Replaced whole after an
/// append that adds names, so readers holding the old one are undisturbed.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub streams: Vec<Arc<str>>,
    pub types: Vec<Arc<str>>,
}

impl Names {
    pub fn load(txn: &ReadTransaction) -> Result<Names> {
        let mut names = Names::default();
        for entry in txn.open_table(STREAM_NAMES)?.iter()? {
            let (_, name) = entry?;
            names.streams.push(Arc::from(name.value()));
        }
        for entry in txn.open_table(TYPE_NAMES)?.iter()? {
            let (_, name) = entry?;
            names.types.push(Arc::from(name.value()));
        }
        Ok(names)
    }
}
