//! Prompts and pick lists: jump to a seq, filter by stream or type, search.

use std::sync::Arc;

use crate::escape::printable;
use crate::ui::app::{App, Notice, Overlay, PromptKind};
use crate::ui::keymap::Action;
use crate::ui::line_edit::{Edit, LineEdit};
use crate::ui::pick_list::{self, Picked};
use crate::ui::sorted_names::{common_prefix_of, with_prefix};
use crate::ui::views::log::list::{Filter, FilterKind};

/// The longest text a prompt takes, in characters.
const MAX_PROMPT: usize = 256;

/// How many stream names the prompt lists under itself.
pub const CANDIDATES_SHOWN: usize = 6;

impl App {
    pub(crate) fn open_prompt(&mut self, kind: PromptKind) {
        if kind == PromptKind::Stream && !self.load_streams() {
            return;
        }
        let line = match kind {
            PromptKind::Jump => LineEdit::digits(MAX_PROMPT),
            PromptKind::Stream | PromptKind::Search | PromptKind::Branch => {
                LineEdit::new(MAX_PROMPT)
            }
        };
        self.overlay = Overlay::Prompt { kind, line };
    }

    pub(crate) fn prompt_input(&mut self, c: char) {
        if let Overlay::Prompt { line, .. } = &mut self.overlay {
            line.insert(c);
        }
    }

    /// Stream names starting with the prompt's text, in name order.
    pub fn stream_candidates(&self, prefix: &str) -> &[String] {
        let Some(streams) = &self.streams else {
            return &[];
        };
        with_prefix(streams, prefix)
    }

    pub(crate) fn prompt_action(&mut self, action: Action) {
        let Overlay::Prompt { kind, line } = &mut self.overlay else {
            return;
        };
        let kind = *kind;
        let text = line.value().to_string();
        match action {
            Action::Cancel => self.overlay = Overlay::None,
            Action::Backspace => {
                line.edit(Edit::DeletePrevious);
            }
            Action::Edit(edit) => {
                line.edit(edit);
            }
            Action::Complete if kind == PromptKind::Stream => {
                let completed = common_prefix_of(self.stream_candidates(&text));
                if completed.len() > text.len()
                    && let Overlay::Prompt { line, .. } = &mut self.overlay
                {
                    line.set(completed);
                }
            }
            Action::Submit => {
                self.overlay = Overlay::None;
                match kind {
                    PromptKind::Jump => self.jump(&text),
                    PromptKind::Stream => self.filter_stream(&text),
                    PromptKind::Search => {
                        self.search = Some(text);
                        self.start_search(true);
                    }
                    PromptKind::Branch => {
                        let mut ctx = crate::ui::ctx::ctx!(self);
                        self.projections.branch_command(&mut ctx, &text);
                    }
                }
            }
            _ => {}
        }
    }

    fn jump(&mut self, text: &str) {
        let Ok(seq) = text.parse::<u64>() else {
            // The prompt takes digits only: what is left is nothing, or a
            // number too large for a seq.
            self.notice = Some(Notice::Error(match text.is_empty() {
                true => "type a seq (digits), then Enter".to_string(),
                false => format!(
                    "`{}` is past any seq: the log ends at seq {}",
                    printable(text),
                    self.list.total
                ),
            }));
            return;
        };
        if self.list.is_empty() {
            return;
        }
        let (position, exact) = self.list.position_of(seq);
        self.move_to(position);
        let shown = self.selected_seq().unwrap_or(0);
        self.notice = if exact {
            None
        } else if seq > self.list.total {
            Some(Notice::Info(format!(
                "the log ends at seq {}",
                self.list.total
            )))
        } else if seq == 0 {
            Some(Notice::Info(format!(
                "seqs start at 1; showing seq {shown}"
            )))
        } else {
            Some(Notice::Info(format!(
                "seq {seq} is not in the filtered list; showing seq {shown}"
            )))
        };
    }

    fn filter_stream(&mut self, text: &str) {
        let candidates = self.stream_candidates(text);
        let exact = candidates.iter().any(|s| s == text);
        let stream = match candidates {
            _ if exact => text.to_string(),
            [only] => only.clone(),
            [] => {
                self.notice = Some(Notice::Error(format!(
                    "no stream named `{}`",
                    printable(text)
                )));
                return;
            }
            many => {
                self.notice = Some(Notice::Error(format!(
                    "{} streams start with `{}`: type more, or Tab to complete",
                    many.len(),
                    printable(text)
                )));
                return;
            }
        };
        let seqs = self.log.seqs_of_stream(&stream);
        self.apply_filter(FilterKind::Stream(stream), seqs);
    }

    pub(crate) fn open_type_picker(&mut self) {
        match &self.stats {
            Ok(stats) if !stats.types.is_empty() => {
                self.overlay = Overlay::TypePicker { selected: 0 }
            }
            Ok(_) => self.notice = Some(Notice::Info("the log has no events".into())),
            Err(problem) => self.notice = Some(Notice::Error(problem.clone())),
        }
    }

    pub(crate) fn type_picker_action(&mut self, action: Action, selected: usize) {
        let types = self
            .stats
            .as_ref()
            .map(|s| s.types.as_slice())
            .unwrap_or(&[]);
        match pick_list::step(action, selected, types.len()) {
            Picked::Moved(selected) => self.overlay = Overlay::TypePicker { selected },
            Picked::Closed => self.overlay = Overlay::None,
            Picked::Chosen(selected) => {
                self.overlay = Overlay::None;
                if let Some((name, _)) = types.get(selected) {
                    let name = name.clone();
                    let seqs = self.log.seqs_of_type(&name);
                    self.apply_filter(FilterKind::Type(name), seqs);
                }
            }
            Picked::Unchanged => {}
        }
    }

    /// Narrows the list, keeping the cursor on or just after the event it
    /// was on.
    fn apply_filter(&mut self, kind: FilterKind, seqs: crate::store::Result<Vec<u64>>) {
        let seqs = match seqs {
            Ok(seqs) if seqs.is_empty() => {
                self.notice = Some(Notice::Info(format!("no events with {}", kind.describe())));
                return;
            }
            Ok(seqs) => seqs,
            Err(e) => {
                self.notice = Some(Notice::Error(e.to_string()));
                return;
            }
        };
        let current = self.selected_seq().unwrap_or(0);
        self.notice = Some(Notice::Info(format!(
            "showing {} events with {}",
            seqs.len(),
            kind.describe()
        )));
        self.list.filter = Some(Filter {
            kind,
            seqs: Arc::new(seqs),
        });
        self.reposition(current);
    }

    pub(crate) fn clear_filter(&mut self) {
        if self.list.filter.take().is_some() {
            let current = self.selected_seq_before_change();
            self.notice = Some(Notice::Info("filter cleared: every event is shown".into()));
            self.reposition(current);
        }
    }

    /// The seq under the cursor as the window shows it (valid while the
    /// list changes underneath).
    fn selected_seq_before_change(&self) -> u64 {
        self.cursor
            .checked_sub(self.top)
            .and_then(|i| self.window.get(i))
            .map_or(1, |row| row.seq)
    }

    fn reposition(&mut self, seq: u64) {
        self.cursor = self.list.position_of(seq).0;
        self.top = self.cursor.saturating_sub(self.list_rows() / 2);
        self.selection_changed();
    }
}
