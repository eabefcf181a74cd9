//! `jianghua rebuild [--user-dict FILE] [--json]`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::ProgressBar;
use jianghua::index::writer::{self, Progress};

use super::Failure;

/// Arguments of `rebuild`.
#[derive(Debug, clap::Args)]
pub struct RebuildArgs {
    /// A new user dictionary (jieba's format) to build with; without it, the recorded one is kept.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Runs `rebuild`.
pub fn run(index: &Path, args: RebuildArgs) -> Result<ExitCode, Failure> {
    let user_dict = args
        .user_dict
        .as_deref()
        .map(writer::read_user_dict)
        .transpose()?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_message("rebuilding");
    let report = writer::rebuild(index, user_dict.as_deref(), &mut |p| match p {
        Progress::Found(n) => bar.set_length(n as u64),
        Progress::Done => bar.inc(1),
        Progress::Committing => bar.set_message("committing"),
    })?;
    bar.finish_and_clear();
    for p in report.warnings.iter().chain(&report.failed) {
        eprintln!("jianghua: {}", p.reason);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        jianghua::output::json::write_line(&mut out, &report)?;
    } else {
        jianghua::output::human::write_ingest(&mut out, &report)?;
    }
    out.flush()?;
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
