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
    ///
    /// Refused when that would remove more than half of the recorded
    /// sources (an unmounted or emptied folder looks like that): nothing is
    /// changed, and the error says how many. Add --prune-all to mean it.
    #[arg(long)]
    pub prune: bool,
    /// With --prune: remove them even when they are more than half of the recorded sources.
    #[arg(long, requires = "prune")]
    pub prune_all: bool,
    /// Files written per commit (a crash loses the work of at most one batch, and of the pages still held back for their site's templates).
    #[arg(long, default_value_t = writer::BATCH_FILES, value_name = "N", hide_short_help = true)]
    pub batch: usize,
    /// Bytes of files read per commit (a batch ends at whichever of --batch and this comes first).
    #[arg(long, default_value_t = writer::BATCH_BYTES, value_name = "BYTES", hide_short_help = true)]
    pub batch_bytes: u64,
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
    // A missing path is an error before the index is even opened: a
    // nightly run over an unmounted folder must fail, not report one file.
    writer::check_paths(&args.paths)?;
    let bar = super::progress_bar("ingesting");
    let opts = writer::IngestOptions {
        prune: args.prune,
        prune_all: args.prune_all,
        batch: args.batch,
        batch_bytes: args.batch_bytes,
    };
    let report =
        jianghua::index::store::ingest(index, &args.paths, user_dict.as_deref(), opts, &mut |p| {
            super::advance(&bar, p)
        })?;
    bar.finish_and_clear();
    super::finish_ingest(&report, args.json)
}
