//! What a lesson's scene asks of the projections view: a field unfolded
//! down to and selected, once the state it is in has arrived.

use crate::ui::json_tree::{self, child_path};
use crate::ui::views::projections::lazy_state;
use crate::ui::views::projections::msg::StateAt;
use crate::ui::views::projections::state::ProjectionsState;

impl ProjectionsState {
    /// Whether the state shown is `name`'s at `seq`.
    pub fn shows(&self, name: &str, seq: u64) -> bool {
        self.state
            .as_ref()
            .is_some_and(|s| s.name == name && s.seq == seq)
    }

    /// Unfolds down to the field at tree path `path` (fetching lazy
    /// entries on the way) and selects it, scrolled into the middle of a
    /// tree `rows` high. Whether the field is there.
    pub fn select_field(&mut self, path: &str, rows: usize) -> bool {
        if let Some(state) = &mut self.state {
            let StateAt {
                projection,
                value,
                lazy,
                ..
            } = &mut **state;
            let mut at = String::new();
            for key in json_tree::path_keys(path) {
                at = child_path(&at, &key);
                lazy_state::fetch_entry(projection.as_ref(), value, lazy, &at);
                self.folded.remove(&at);
            }
        }
        self.reflatten();
        let Some(index) = self.lines.iter().position(|l| l.path == path) else {
            return false;
        };
        self.cursor = index;
        self.scroll = index.saturating_sub(rows / 2);
        true
    }

    /// Forgets what blame, a rebuild and the check found, so that a
    /// lesson's task starts from nothing done.
    pub fn forget_findings(&mut self) {
        self.blame = None;
        self.rebuild = None;
        self.agreement = None;
    }
}
