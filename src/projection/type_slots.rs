//! The slot of an event type, found by its shared name.
//!
//! A scan hands out each type's name as one shared string (the log's
//! interned `Arc`), so a fold that counts by type finds the slot of the
//! name it is given by its address along a short list, without hashing or
//! comparing text. A name met under another `Arc`, or past the list's
//! reach, is found by its text, as before. Each `Arc` listed is held, so
//! its address cannot be reused for another name while it is listed.

use std::sync::Arc;

/// Names held by address, at most: a log with more types finds the others
/// by their text.
const REACH: usize = 16;

#[derive(Clone, Debug, Default)]
pub(crate) struct TypeSlots {
    by_address: Vec<(Arc<str>, usize)>,
    /// Where the next name past the reach goes: the list turns over, so
    /// that names met once (an owned event's own copy) do not keep out
    /// those a scan hands out again and again.
    next: usize,
}

impl TypeSlots {
    /// The slot of `event_type`: by its address when listed, otherwise
    /// from `by_name` (which is then remembered under this address).
    pub(crate) fn find(
        &mut self,
        event_type: &Arc<str>,
        by_name: impl FnOnce(&str) -> usize,
    ) -> usize {
        let listed = self
            .by_address
            .iter()
            .find(|(known, _)| Arc::ptr_eq(known, event_type));
        if let Some(&(_, slot)) = listed {
            return slot;
        }
        let slot = by_name(event_type);
        if self.by_address.len() < REACH {
            self.by_address.push((event_type.clone(), slot));
        } else {
            self.by_address[self.next] = (event_type.clone(), slot);
            self.next = (self.next + 1) % REACH;
        }
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_by_address_and_by_text_alike() {
        let mut names: Vec<String> = Vec::new();
        let mut slots = TypeSlots::default();
        let mut slot_of = |slots: &mut TypeSlots, name: &Arc<str>| {
            slots.find(name, |text| match names.iter().position(|n| n == text) {
                Some(at) => at,
                None => {
                    names.push(text.to_owned());
                    names.len() - 1
                }
            })
        };
        // More names than the list holds, each under two addresses.
        let shared: Vec<Arc<str>> = (0..40).map(|n| Arc::from(format!("T{n}"))).collect();
        for round in 0..3 {
            for (n, name) in shared.iter().enumerate() {
                assert_eq!(slot_of(&mut slots, name), n, "round {round}");
                let copy: Arc<str> = Arc::from(&**name);
                assert_eq!(slot_of(&mut slots, &copy), n, "round {round}, a copy");
            }
        }
        assert_eq!(slots.by_address.len(), REACH);
    }
}
