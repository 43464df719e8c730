//! A new set of projections for the view, when the domain file is read or
//! saved: the list follows, the projection shown stays shown when it is
//! still there, and its state is computed again with the new code.

use crate::domain_file::Projections;
use crate::ui::ctx::Ctx;
use crate::ui::views::projections::state::ProjectionsState;

impl ProjectionsState {
    /// Uses `registry` from now on. When the view is `shown`, the state at
    /// `seq` is computed again: a file projection's new code replays the
    /// log (its snapshots are of the old code, so they are not used).
    pub fn use_registry(
        &mut self,
        ctx: &mut Ctx,
        registry: Projections,
        shown: bool,
        seq: Option<u64>,
    ) {
        // The projection a person has looked at stays; before that, the
        // view's default (a domain projection first) is taken afresh.
        let looked_at = self.state.is_some() || self.wanted.is_some();
        let shown_before = self.name().map(str::to_owned).filter(|_| looked_at);
        self.registry = registry;
        self.init(ctx.log);
        if let Some(index) = shown_before
            .as_ref()
            .and_then(|name| self.names.iter().position(|n| n == name))
        {
            self.selected = index;
        }
        let same_builtin = shown_before
            .as_deref()
            .is_some_and(|name| Some(name) == self.name() && !self.is_from_file(name));
        if !looked_at || same_builtin {
            return;
        }
        self.state = None;
        self.wanted = None;
        self.problem = None;
        self.blame = None;
        self.agreement = None;
        self.lines.clear();
        self.marks.clear();
        self.cursor = 0;
        self.scroll = 0;
        if shown {
            self.follow_cursor(ctx.log, ctx.jobs, seq);
        }
    }
}
