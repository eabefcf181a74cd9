//! The `jianghua` binary: parse arguments, call the library, print, and map
//! errors to exit codes (0 ok, 1 error, 2 usage, 3 finished with problems).
//! Errors are one sentence on stderr; a closed stdout (`… | head`) ends the
//! program quietly.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(cli::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(cli::Failure::Error(e)) => {
            eprintln!("jianghua: {e}");
            ExitCode::from(1)
        }
        Err(cli::Failure::Usage(e)) => {
            eprintln!("jianghua: {e}");
            ExitCode::from(2)
        }
    }
}
