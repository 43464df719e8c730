//! The `eventscope` command line: parse the arguments, run one command, map
//! its outcome to an exit code (0 ok, 1 failure, 2 usage error).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            cli::report(&error);
            ExitCode::FAILURE
        }
    }
}
