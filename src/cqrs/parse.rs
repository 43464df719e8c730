//! Reading a command in either form: above both the JSON form
//! ([`Command::from_json`]) and the short form ([`Command::parse_short`]).

use super::command::Command;
use super::error::CommandError;
use crate::domain_file::Domain;

impl Command {
    /// Reads either form of a built-in command: JSON when the text starts
    /// with `{`, else the short form.
    pub fn parse(text: &str) -> Result<Command, CommandError> {
        Command::parse_in(text, None)
    }

    /// Reads either form of a built-in command or one of `domain`'s.
    pub fn parse_in(text: &str, domain: Option<&Domain>) -> Result<Command, CommandError> {
        if text.trim_start().starts_with('{') {
            Command::from_json_in(text, domain)
        } else {
            Command::parse_short_in(text, domain)
        }
    }
}
