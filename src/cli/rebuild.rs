//! `jianghua rebuild [--user-dict FILE] [--json]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jianghua::index::writer;

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
    let bar = super::progress_bar("rebuilding");
    let report = writer::rebuild(index, user_dict.as_deref(), &mut |p| {
        super::advance(&bar, p)
    })?;
    bar.finish_and_clear();
    super::finish_ingest(&report, args.json)
}
