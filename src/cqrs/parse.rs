//! Reading a command in either form: above both the JSON form
//! ([`Command::from_json`]) and the short form ([`Command::parse_short`]).

use super::command::Command;
use super::error::CommandError;

impl Command {
    /// Reads either form: JSON when the text starts with `{`, else the short form.
    pub fn parse(text: &str) -> Result<Command, CommandError> {
        if text.trim_start().starts_with('{') {
            Command::from_json(text)
        } else {
            Command::parse_short(text)
        }
    }
}
