//! The `eventscope` command line: parse the arguments, run one command, map
//! its outcome to an exit code (0 ok, 1 failure, 2 usage error). A reader
//! that closes stdout early (`| head`) ends the command quietly with 0: it
//! has taken what it wanted.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) if cli::output::is_closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            cli::report(&error);
            ExitCode::FAILURE
        }
    }
}
