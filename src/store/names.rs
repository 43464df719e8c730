//! Interned stream and type names, indexed by their small ids.

use std::sync::Arc;

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};

use super::Result;
use super::tables::{STREAMS, TYPE_NAMES};

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
        let streams = txn.open_table(STREAMS)?;
        let mut by_id: Vec<Option<Arc<str>>> = vec![None; streams.len()? as usize];
        for entry in streams.iter()? {
            let (name, value) = entry?;
            let id = value.value().0 as usize;
            if let Some(slot) = by_id.get_mut(id) {
                *slot = Some(Arc::from(name.value()));
            }
        }
        // Ids are dense; a hole would mean damage, which `verify` reports.
        names.streams = by_id
            .into_iter()
            .map(|name| name.unwrap_or_else(|| Arc::from("")))
            .collect();
        for entry in txn.open_table(TYPE_NAMES)?.iter()? {
            let (_, name) = entry?;
            names.types.push(Arc::from(name.value()));
        }
        Ok(names)
    }
}
