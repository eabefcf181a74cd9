//! `jianghua ingest PATH… [--user-dict FILE] [--json]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jianghua::index::writer;

use super::Failure;

/// Arguments of `ingest`.
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files and folders to index (folders recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Extra words for the tokenizer, in jieba's user-dictionary format (`词语 频率 词性` per line).
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// Also remove the speeches of recorded files under these paths that no longer exist.
    #[arg(long)]
    pub prune: bool,
    /// Files read per commit (a crash loses at most one batch).
    #[arg(long, default_value_t = writer::BATCH_FILES, value_name = "N", hide_short_help = true)]
    pub batch: usize,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ingest`.
pub fn run(index: &Path, args: IngestArgs) -> Result<ExitCode, Failure> {
    let user_dict = args
        .user_dict
        .as_deref()
        .map(writer::read_user_dict)
        .transpose()?;
    let idx = writer::open_for_writing(index, user_dict.as_deref())?;
    let bar = super::progress_bar("ingesting");
    let opts = writer::IngestOptions {
        prune: args.prune,
        batch: args.batch,
    };
    let report = writer::ingest(&idx, &args.paths, opts, &mut |p| super::advance(&bar, p))?;
    bar.finish_and_clear();
    super::finish_ingest(&report, args.json)
}
