//! The one keymap: each row binds a key, in a context, to an action, with a
//! short label for the footer and a sentence for the help overlay. Dispatch,
//! footer hints and help are all read from [`BINDINGS`], so they cannot
//! drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::ui::line_edit::Edit;

/// Where a binding applies. The app decides which contexts are live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Anywhere no overlay is open.
    Global,
    /// The event list of the log view.
    List,
    /// The detail pane of the log view.
    Detail,
    /// The projections view.
    Projections,
    /// The CQRS view, its command line not focused.
    Cqrs,
    /// The CQRS view's command line.
    CommandLine,
    /// The flows view: Notification vs StateTransfer.
    Flows,
    /// A rebuild is running.
    Rebuild,
    /// A one-line prompt (jump, stream, search) is open.
    Prompt,
    /// A pick list (types, projections) is open.
    Picker,
    /// The help overlay is open.
    Help,
    /// A lesson is playing (no overlay open, the command line not focused).
    Lesson,
}

impl Context {
    /// The heading of the context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Log view: the event list",
            Context::Detail => "Log view: the detail pane",
            Context::Projections => "Projections view",
            Context::Cqrs => "CQRS view",
            Context::CommandLine => "CQRS view: the command line",
            Context::Flows => "Flows view: Notification vs StateTransfer",
            Context::Rebuild => "While a rebuild runs",
            Context::Prompt => "In a prompt",
            Context::Picker => "In a pick list",
            Context::Help => "In this help",
            Context::Lesson => "During a lesson",
        }
    }
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    JumpPrompt,
    TypePicker,
    StreamPrompt,
    ClearFilter,
    SearchPrompt,
    SearchNext,
    SearchPrevious,
    ToggleHelp,
    Quit,
    NextFocus,
    PreviousFocus,
    ShowLog,
    ShowProjections,
    ToggleFold,
    FoldAll,
    UnfoldAll,
    StepBack,
    StepForward,
    ProjectionPicker,
    Rebuild,
    JumpToBlame,
    CheckAgreement,
    SkipEvent,
    SkipType,
    SkipStream,
    ClearSkips,
    BranchPrompt,
    ExportCase,
    Submit,
    Cancel,
    Backspace,
    Complete,
    ShowCqrs,
    EditCommand,
    MoreLag,
    LessLag,
    MoreDelay,
    LessDelay,
    TogglePolicies,
    ShowFlows,
    TogglePlay,
    Faster,
    Slower,
    Restart,
    ToggleOutage,
    CycleDrop,
    CycleDuplicate,
    CycleReorder,
    ToggleVersionChecks,
    NextCustomer,
    PreviousCustomer,
    FollowCustomer,
    Lessons,
    NextStep,
    PreviousStep,
    LeaveLesson,
    TogglePresenter,
    SwitchWriter,
    /// Flows: run the next mapping of the log to the simulation.
    NextMapping,
    /// A key that edits the line of a prompt or the command line.
    Edit(Edit),
}

/// A key and the modifiers it needs (Shift is implied by upper-case chars).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    const fn ctrl(code: KeyCode) -> Key {
        Key { code, ctrl: true }
    }

    /// Whether a key event from the terminal is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        ctrl == self.ctrl && event.code == self.code
    }

    /// How the key is written in hints and help.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Bksp".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("C-{base}") } else { base }
    }
}

/// One row of the keymap.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub key: Key,
    pub context: Context,
    pub action: Action,
    /// The footer label; empty: not shown in the footer (still in help).
    pub label: &'static str,
    /// What the key does, for the help overlay.
    pub help: &'static str,
}

const fn bind(
    key: Key,
    context: Context,
    action: Action,
    label: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        key,
        context,
        action,
        label,
        help,
    }
}

use Action as A;
use Context as C;
use KeyCode as K;

/// Every key binding of the explorer: one row per binding, so kept out of
/// rustfmt's reach.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    // The event list.
    bind(Key::ch('j'), C::List, A::Down, "move", "next event"),
    bind(Key::ch('k'), C::List, A::Up, "move", "previous event"),
    bind(Key::plain(K::Down), C::List, A::Down, "move", "next event"),
    bind(Key::plain(K::Up), C::List, A::Up, "move", "previous event"),
    bind(Key::plain(K::PageDown), C::List, A::PageDown, "", "one page down"),
    bind(Key::plain(K::PageUp), C::List, A::PageUp, "", "one page up"),
    bind(Key::ch('g'), C::List, A::Top, "", "first event"),
    bind(Key::plain(K::Home), C::List, A::Top, "", "first event"),
    bind(Key::ch('G'), C::List, A::Bottom, "", "last event"),
    bind(Key::plain(K::End), C::List, A::Bottom, "", "last event"),
    bind(Key::ch(':'), C::List, A::JumpPrompt, "jump", "jump to a seq (type the number, Enter)"),
    bind(Key::ch('/'), C::List, A::SearchPrompt, "search", "search the events' text and data"),
    bind(Key::ch('n'), C::List, A::SearchNext, "", "next search match"),
    bind(Key::ch('N'), C::List, A::SearchPrevious, "", "previous search match"),
    bind(Key::ch('t'), C::List, A::TypePicker, "type", "show only one event type (pick from a list)"),
    bind(Key::ch('s'), C::List, A::StreamPrompt, "stream", "show only one stream (Tab completes)"),
    bind(Key::ch('c'), C::List, A::ClearFilter, "clear", "clear the filter: show every event"),
    // The detail pane.
    bind(Key::ch('j'), C::Detail, A::Down, "move", "next line of the event"),
    bind(Key::ch('k'), C::Detail, A::Up, "move", "previous line of the event"),
    bind(Key::plain(K::Down), C::Detail, A::Down, "move", "next line of the event"),
    bind(Key::plain(K::Up), C::Detail, A::Up, "move", "previous line of the event"),
    bind(Key::plain(K::PageDown), C::Detail, A::PageDown, "", "scroll down a page"),
    bind(Key::plain(K::PageUp), C::Detail, A::PageUp, "", "scroll up a page"),
    bind(Key::ch(' '), C::Detail, A::ToggleFold, "fold", "fold or unfold the object or array"),
    bind(Key::plain(K::Enter), C::Detail, A::ToggleFold, "fold", "fold or unfold the object or array"),
    bind(Key::ch('z'), C::Detail, A::FoldAll, "fold all", "fold every object and array"),
    bind(Key::ch('Z'), C::Detail, A::UnfoldAll, "", "unfold everything"),
    // The projections view.
    bind(Key::ch('l'), C::Projections, A::StepForward, "step", "apply the next event"),
    bind(Key::plain(K::Right), C::Projections, A::StepForward, "step", "apply the next event"),
    bind(Key::ch('h'), C::Projections, A::StepBack, "step", "go back one event"),
    bind(Key::plain(K::Left), C::Projections, A::StepBack, "step", "go back one event"),
    bind(Key::ch('j'), C::Projections, A::Down, "", "next field of the state"),
    bind(Key::ch('k'), C::Projections, A::Up, "", "previous field of the state"),
    bind(Key::plain(K::Down), C::Projections, A::Down, "", "next field of the state"),
    bind(Key::plain(K::Up), C::Projections, A::Up, "", "previous field of the state"),
    bind(Key::plain(K::PageDown), C::Projections, A::PageDown, "", "scroll the state down"),
    bind(Key::plain(K::PageUp), C::Projections, A::PageUp, "", "scroll the state up"),
    bind(Key::ch(' '), C::Projections, A::ToggleFold, "fold", "fold or unfold the field"),
    bind(Key::plain(K::Enter), C::Projections, A::ToggleFold, "fold", "fold or unfold the field"),
    bind(Key::ch('z'), C::Projections, A::FoldAll, "", "fold every object and array"),
    bind(Key::ch('Z'), C::Projections, A::UnfoldAll, "", "unfold everything"),
    bind(Key::ch('p'), C::Projections, A::ProjectionPicker, "pick", "pick another projection"),
    bind(Key::ch('b'), C::Projections, A::JumpToBlame, "blame", "show in the log the event that last set the field"),
    bind(Key::ch('r'), C::Projections, A::Rebuild, "rebuild", "rebuild the projection from scratch (Esc cancels)"),
    bind(Key::ch('a'), C::Projections, A::CheckAgreement, "agree?", "check that the snapshot path and the genesis path agree"),
    bind(Key::ch('x'), C::Projections, A::SkipEvent, "", "what if: skip this event (again: keep it)"),
    bind(Key::ch('T'), C::Projections, A::SkipType, "", "what if: skip every event of this type"),
    bind(Key::ch('S'), C::Projections, A::SkipStream, "", "what if: skip every event of this stream"),
    bind(Key::ch('U'), C::Projections, A::ClearSkips, "", "what if: skip nothing, leave the branch"),
    bind(Key::ch('B'), C::Projections, A::BranchPrompt, "", "what if: branch here, try a command (dry run)"),
    bind(Key::ch('E'), C::Projections, A::ExportCase, "", "what if: the branch's last decision as a given/when/then case"),
    bind(Key::plain(K::Esc), C::Rebuild, A::Cancel, "cancel", "cancel the rebuild"),
    // The CQRS view.
    bind(Key::ch(':'), C::Cqrs, A::EditCommand, "command", "type a command (Tab completes, Enter sends)"),
    bind(Key::ch('c'), C::Cqrs, A::EditCommand, "command", "type a command (Tab completes, Enter sends)"),
    bind(Key::plain(K::Enter), C::Cqrs, A::EditCommand, "", "type a command (Tab completes, Enter sends)"),
    bind(Key::ch('j'), C::Cqrs, A::Down, "", "select the next read model"),
    bind(Key::ch('k'), C::Cqrs, A::Up, "", "select the previous read model"),
    bind(Key::plain(K::Down), C::Cqrs, A::Down, "", "select the next read model"),
    bind(Key::plain(K::Up), C::Cqrs, A::Up, "", "select the previous read model"),
    bind(Key::ch('+'), C::Cqrs, A::MoreLag, "lag", "the selected read model trails the log by one event more"),
    bind(Key::ch('-'), C::Cqrs, A::LessLag, "lag", "the selected read model trails by one event less (catches up)"),
    bind(Key::ch(']'), C::Cqrs, A::MoreDelay, "delay", "the selected read model sees events a second later"),
    bind(Key::ch('['), C::Cqrs, A::LessDelay, "delay", "the selected read model sees events a second sooner"),
    bind(Key::ch('w'), C::Cqrs, A::SwitchWriter, "", "switch writer A/B: each sends with expected_version = the version it read, so the second to write a stream is refused as a conflict"),
    bind(Key::ch('p'), C::Cqrs, A::TogglePolicies, "policies", "policies on/off: whether events trigger further commands"),
    bind(Key::plain(K::Enter), C::CommandLine, A::Submit, "send", "send the command to the write side"),
    bind(Key::plain(K::Esc), C::CommandLine, A::Cancel, "leave", "leave the command line"),
    bind(Key::plain(K::Tab), C::CommandLine, A::Complete, "complete", "complete the command, stream or field"),
    bind(Key::plain(K::Up), C::CommandLine, A::Up, "history", "the previous command sent"),
    bind(Key::plain(K::Down), C::CommandLine, A::Down, "history", "the next command sent"),
    bind(Key::plain(K::Backspace), C::CommandLine, A::Backspace, "", "delete a character"),
    bind(Key::plain(K::Left), C::CommandLine, A::Edit(Edit::Left), "", "move the cursor left"),
    bind(Key::plain(K::Right), C::CommandLine, A::Edit(Edit::Right), "", "move the cursor right"),
    bind(Key::ctrl(K::Left), C::CommandLine, A::Edit(Edit::WordLeft), "", "one word left"),
    bind(Key::ctrl(K::Right), C::CommandLine, A::Edit(Edit::WordRight), "", "one word right"),
    bind(Key::plain(K::Home), C::CommandLine, A::Edit(Edit::Home), "", "to the start of the line"),
    bind(Key::ctrl(K::Char('a')), C::CommandLine, A::Edit(Edit::Home), "", "to the start of the line"),
    bind(Key::plain(K::End), C::CommandLine, A::Edit(Edit::End), "", "to the end of the line"),
    bind(Key::ctrl(K::Char('e')), C::CommandLine, A::Edit(Edit::End), "", "to the end of the line"),
    bind(Key::plain(K::Delete), C::CommandLine, A::Edit(Edit::DeleteNext), "", "delete the character under the cursor"),
    bind(Key::ctrl(K::Char('w')), C::CommandLine, A::Edit(Edit::DeleteWord), "", "delete the word before the cursor"),
    bind(Key::ctrl(K::Char('u')), C::CommandLine, A::Edit(Edit::DeleteToStart), "", "delete everything before the cursor (at the end: the whole line)"),
    // The flows view. The parameter keys are shown beside their values on
    // the view's bottom border, not in the footer.
    bind(Key::ch('.'), C::Flows, A::StepForward, "step", "one log event on (after the last: the next delivery)"),
    bind(Key::ch('l'), C::Flows, A::StepForward, "", "one log event on (after the last: the next delivery)"),
    bind(Key::plain(K::Right), C::Flows, A::StepForward, "", "one log event on (after the last: the next delivery)"),
    bind(Key::ch('h'), C::Flows, A::StepBack, "", "one log event back (runs again from the start)"),
    bind(Key::plain(K::Left), C::Flows, A::StepBack, "", "one log event back (runs again from the start)"),
    bind(Key::ch(' '), C::Flows, A::TogglePlay, "play", "play or pause"),
    bind(Key::ch('+'), C::Flows, A::Faster, "speed", "play faster"),
    bind(Key::ch('='), C::Flows, A::Faster, "", "play faster"),
    bind(Key::ch('-'), C::Flows, A::Slower, "speed", "play slower"),
    bind(Key::ch('0'), C::Flows, A::Restart, "", "back to the start of the log"),
    bind(Key::ch('o'), C::Flows, A::ToggleOutage, "", "take the source down here, or bring it back up"),
    bind(Key::ch('d'), C::Flows, A::CycleDrop, "", "messages lost: 0%, 1%, 5%, 20% (runs again)"),
    bind(Key::ch('u'), C::Flows, A::CycleDuplicate, "", "messages delivered twice: 0%, 1%, 5%, 20% (runs again)"),
    bind(Key::ch('r'), C::Flows, A::CycleReorder, "", "messages overtaken: 0%, 1%, 5%, 20% (runs again)"),
    bind(Key::ch('v'), C::Flows, A::ToggleVersionChecks, "", "the replica checks stream versions, or not (runs again)"),
    bind(Key::ch(']'), C::Flows, A::NextCustomer, "entity", "compare the next entity of the source"),
    bind(Key::ch('['), C::Flows, A::PreviousCustomer, "entity", "compare the previous entity of the source"),
    bind(Key::ch('f'), C::Flows, A::FollowCustomer, "", "compare the entity of the latest change at the source"),
    bind(Key::ch('m'), C::Flows, A::NextMapping, "mapping", "run the next mapping: the domain file's, then each the log suggests (runs again)"),
    // A lesson.
    bind(Key::ch('>'), C::Lesson, A::NextStep, "next", "the lesson's next step"),
    bind(Key::ch('<'), C::Lesson, A::PreviousStep, "back", "the lesson's previous step"),
    bind(Key::ch('X'), C::Lesson, A::LeaveLesson, "leave", "leave the lesson: the explorer is put back as it was"),
    // Prompts and pick lists.
    bind(Key::plain(K::Enter), C::Prompt, A::Submit, "go", "accept"),
    bind(Key::plain(K::Esc), C::Prompt, A::Cancel, "cancel", "close the prompt"),
    bind(Key::plain(K::Tab), C::Prompt, A::Complete, "complete", "complete the stream name"),
    bind(Key::plain(K::Backspace), C::Prompt, A::Backspace, "", "delete a character"),
    bind(Key::plain(K::Left), C::Prompt, A::Edit(Edit::Left), "", "move the cursor left"),
    bind(Key::plain(K::Right), C::Prompt, A::Edit(Edit::Right), "", "move the cursor right"),
    bind(Key::ctrl(K::Left), C::Prompt, A::Edit(Edit::WordLeft), "", "one word left"),
    bind(Key::ctrl(K::Right), C::Prompt, A::Edit(Edit::WordRight), "", "one word right"),
    bind(Key::plain(K::Home), C::Prompt, A::Edit(Edit::Home), "", "to the start of the line"),
    bind(Key::ctrl(K::Char('a')), C::Prompt, A::Edit(Edit::Home), "", "to the start of the line"),
    bind(Key::plain(K::End), C::Prompt, A::Edit(Edit::End), "", "to the end of the line"),
    bind(Key::ctrl(K::Char('e')), C::Prompt, A::Edit(Edit::End), "", "to the end of the line"),
    bind(Key::plain(K::Delete), C::Prompt, A::Edit(Edit::DeleteNext), "", "delete the character under the cursor"),
    bind(Key::ctrl(K::Char('w')), C::Prompt, A::Edit(Edit::DeleteWord), "", "delete the word before the cursor"),
    bind(Key::ctrl(K::Char('u')), C::Prompt, A::Edit(Edit::DeleteToStart), "", "delete everything before the cursor"),
    bind(Key::ch('j'), C::Picker, A::Down, "move", "next entry"),
    bind(Key::ch('k'), C::Picker, A::Up, "move", "previous entry"),
    bind(Key::plain(K::Down), C::Picker, A::Down, "move", "next entry"),
    bind(Key::plain(K::Up), C::Picker, A::Up, "move", "previous entry"),
    bind(Key::plain(K::Enter), C::Picker, A::Submit, "pick", "pick the entry"),
    bind(Key::plain(K::Esc), C::Picker, A::Cancel, "cancel", "close the list"),
    bind(Key::ch('q'), C::Picker, A::Cancel, "", "close the list"),
    // Help.
    bind(Key::ch('j'), C::Help, A::Down, "scroll", "scroll down"),
    bind(Key::ch('k'), C::Help, A::Up, "scroll", "scroll up"),
    bind(Key::plain(K::Down), C::Help, A::Down, "scroll", "scroll down"),
    bind(Key::plain(K::Up), C::Help, A::Up, "scroll", "scroll up"),
    bind(Key::ch('?'), C::Help, A::ToggleHelp, "close", "close the help"),
    bind(Key::plain(K::Esc), C::Help, A::ToggleHelp, "close", "close the help"),
    bind(Key::ch('q'), C::Help, A::ToggleHelp, "", "close the help"),
    // Everywhere.
    bind(Key::plain(K::Tab), C::Global, A::NextFocus, "focus", "next pane or view"),
    bind(Key::plain(K::BackTab), C::Global, A::PreviousFocus, "", "previous pane or view"),
    bind(Key::ch('1'), C::Global, A::ShowLog, "", "the log view"),
    bind(Key::ch('2'), C::Global, A::ShowProjections, "", "the projections view"),
    bind(Key::ch('3'), C::Global, A::ShowCqrs, "", "the CQRS view: send commands, watch both sides"),
    bind(Key::ch('4'), C::Global, A::ShowFlows, "", "the flows view: Notification vs StateTransfer"),
    bind(Key::ch('L'), C::Global, A::Lessons, "", "guided lessons: pick one, see how far each got"),
    bind(Key::ch('P'), C::Global, A::TogglePresenter, "", "presenter mode: high contrast, big figures, one pane"),
    bind(Key::ch('?'), C::Global, A::ToggleHelp, "help", "this help"),
    bind(Key::ch('q'), C::Global, A::Quit, "quit", "quit"),
    bind(Key { code: K::Char('c'), ctrl: true, }, C::Global, A::Quit, "", "quit"),
];

/// The action bound to `key` in the first of `contexts` that binds it.
pub fn lookup(contexts: &[Context], key: &KeyEvent) -> Option<Action> {
    contexts.iter().find_map(|&context| {
        BINDINGS
            .iter()
            .find(|b| b.context == context && b.key.matches(key))
            .map(|b| b.action)
    })
}

/// The footer hints for `contexts`: up to `max_keys` keys sharing a label
/// are joined (`j/k move`), in table order.
pub fn hints(contexts: &[Context], max_keys: usize) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for context in contexts {
        for binding in BINDINGS
            .iter()
            .filter(|b| b.context == *context && !b.label.is_empty())
        {
            let name = binding.key.name();
            match out.iter_mut().find(|(_, label)| *label == binding.label) {
                Some((keys, _)) if keys.split('/').any(|k| k == name) => {}
                Some((keys, _)) if keys.split('/').count() >= max_keys => {}
                Some((keys, _)) => {
                    keys.push('/');
                    keys.push_str(&name);
                }
                None => out.push((name, binding.label)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_first_context_that_binds_a_key_wins() {
        let j = press(KeyCode::Char('j'));
        assert_eq!(lookup(&[C::Detail, C::Global], &j), Some(A::Down));
        let q = press(KeyCode::Char('q'));
        assert_eq!(lookup(&[C::Help], &q), Some(A::ToggleHelp));
        assert_eq!(lookup(&[C::List, C::Global], &q), Some(A::Quit));
    }

    #[test]
    fn shifted_letters_match_without_naming_shift() {
        let big_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[C::List], &big_g), Some(A::Bottom));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&[C::List, C::Global], &ctrl_c), Some(A::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                assert!(
                    !(a.context == b.context && a.key == b.key),
                    "{} bound twice in {:?}",
                    a.key.name(),
                    a.context
                );
            }
        }
    }

    #[test]
    fn hints_join_keys_that_share_a_label() {
        let hints = hints(&[C::List, C::Global], 4);
        let movement = hints.iter().find(|(_, label)| *label == "move").unwrap();
        assert_eq!(movement.0, "j/k/↓/↑");
        let short = super::hints(&[C::List, C::Global], 2);
        assert_eq!(short[0].0, "j/k");
        assert!(
            hints
                .iter()
                .any(|(keys, label)| keys == "?" && *label == "help")
        );
    }
}
