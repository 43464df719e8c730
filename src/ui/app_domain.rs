//! The domain file in the explorer: its projections join the projections
//! view, its commands and policies the CQRS view; a save reloads both, as
//! Redux DevTools re-runs its actions when the reducer changes.

use std::path::Path;
use std::sync::Arc;

use crate::domain_file::{Domain, Projections};
use crate::ui::app::{App, Notice, View};
use crate::ui::ctx::ctx;
use crate::ui::domain_watch::{DomainWatch, Seen};

impl App {
    /// Reads the domain file at `path` and watches it from now on. An
    /// error in it is shown, not returned: the explorer runs on with the
    /// built-ins until the file compiles.
    pub fn use_domain_file(&mut self, path: &Path) {
        let watch = DomainWatch::open(path);
        let domain = watch.domain().cloned();
        if let Some(error) = watch.error() {
            self.notice = Some(Notice::Error(error.to_string()));
        }
        self.domain = Some(watch);
        self.domain_changed(domain);
    }

    /// The name of the domain file in use, if any.
    pub fn domain_file_name(&self) -> Option<String> {
        self.domain.as_ref().map(DomainWatch::file_name)
    }

    /// What is wrong with the domain file as saved now, if anything.
    pub fn domain_error(&self) -> Option<&str> {
        self.domain.as_ref().and_then(DomainWatch::error)
    }

    /// The domain the views use: the last good one read from the file.
    pub fn domain(&self) -> Option<&Arc<Domain>> {
        self.domain.as_ref().and_then(DomainWatch::domain)
    }

    /// On each tick: has the domain file been saved since?
    pub(crate) fn watch_domain(&mut self) {
        let Some(watch) = &mut self.domain else {
            return;
        };
        match watch.look() {
            Seen::Unchanged => {}
            Seen::Reloaded => {
                let domain = watch.domain().cloned();
                let text = match &domain {
                    Some(d) => format!(
                        "{} reloaded: {} projection(s), {} command(s), {} policy(ies)",
                        watch.file_name(),
                        d.projections.len(),
                        d.commands.len(),
                        d.policies.len()
                    ),
                    None => format!("{} reloaded", watch.file_name()),
                };
                self.notice = Some(Notice::Info(text));
                self.domain_changed(domain);
            }
            Seen::Broken => {
                let error = watch.error().unwrap_or_default().to_string();
                self.notice = Some(Notice::Error(error));
            }
        }
    }

    /// Hands `domain` to the views.
    fn domain_changed(&mut self, domain: Option<Arc<Domain>>) {
        let shown = self.view == View::Projections;
        let seq = self.selected_seq();
        self.projections.use_registry(
            &mut ctx!(self),
            Projections::new(domain.clone()),
            shown,
            seq,
        );
        self.cqrs.use_domain(domain.clone());
        self.flows.use_domain(&mut ctx!(self), domain);
        if self.view == View::Cqrs {
            // Entered again, so that the read models are the new file's;
            // a command being typed goes on being typed.
            let editing = self.cqrs.is_editing();
            self.show(View::Cqrs, self.focus);
            self.cqrs.set_editing(editing);
        }
    }
}
