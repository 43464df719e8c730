//! Interned stream and type names, indexed by their small ids.

use std::sync::Arc;

use redb::{ReadTransaction, ReadableTable};

use super::tables::{STREAMS, TYPE_NAMES};
use super::{Result, StoreError, checked};

/// The names of every stream and type, by id. Replaced whole after an
/// append that adds names, so readers holding the old one are undisturbed.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub streams: Vec<Arc<str>>,
    pub types: Vec<Arc<str>>,
}

impl Names {
    /// Every name, each checked against its checksum.
    pub fn load(txn: &ReadTransaction) -> Result<Names> {
        let mut names = Names::default();
        let streams = txn.open_table(STREAMS)?;
        // Not sized by the table's own count: on a damaged file that may
        // be any number.
        let mut by_id: Vec<(u32, Arc<str>)> = Vec::new();
        for entry in streams.iter()? {
            let (name, value) = entry?;
            let (id, _) = checked::open_stream(name.value(), value.value())?;
            by_id.push((id, Arc::from(name.value())));
        }
        by_id.sort_unstable_by_key(|(id, _)| *id);
        for (position, (id, name)) in by_id.into_iter().enumerate() {
            if id as usize != position {
                return Err(hole());
            }
            names.streams.push(name);
        }
        for entry in txn.open_table(TYPE_NAMES)?.iter()? {
            let (id, value) = entry?;
            let id = id.value();
            if id as usize != names.types.len() {
                return Err(StoreError::IndexDamaged {
                    what: format!("the list of event type names has a hole at id {id}"),
                });
            }
            let name = checked::open_type_name(id, value.value())?;
            names.types.push(Arc::from(name));
        }
        Ok(names)
    }
}

/// Stream ids are dense and each names one stream: anything else is damage.
fn hole() -> StoreError {
    StoreError::IndexDamaged {
        what: "the list of stream ids has a hole or a double".into(),
    }
}
