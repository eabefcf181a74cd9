//! The `jianghua` binary: parse arguments, call the library, print, and map
//! errors to exit codes (0 ok, 1 error, 2 usage, 3 finished with problems).
//! Errors are one sentence on stderr; a closed stdout (`… | head`) ends the
//! program quietly.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

mod cli;

fn main() -> ExitCode {
    let argv = cli::exclusions_as_words(std::env::args_os().collect());
    let args = match cli::Args::try_parse_from(argv) {
        Ok(args) => args,
        Err(e) => return usage_error(e),
    };
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

/// `--help` and `--version` print as clap prints them; any other argument
/// error becomes one sentence on stderr and exit status 2.
fn usage_error(e: clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let text = e.render().to_string();
    // clap's message: `error: …` and continuation lines, a `tip: …`, a usage block.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let body: Vec<&str> = lines
        .iter()
        .take_while(|l| {
            !l.starts_with("Usage:")
                && !l.starts_with("tip:")
                && !l.starts_with("For more information")
        })
        .map(|l| l.trim_start_matches("error: "))
        .collect();
    let what = if body.is_empty() {
        "invalid arguments".to_owned()
    } else {
        body.join(" ")
    };
    let tip = lines
        .iter()
        .find_map(|l| l.strip_prefix("tip: "))
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    eprintln!("jianghua: {what}{tip}; see jianghua --help");
    ExitCode::from(2)
}
