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

/// Whether `index` names the current directory (`.`, `./`, or its own path).
fn is_the_working_directory(index: &Path) -> bool {
    let here = std::env::current_dir().and_then(|d| d.canonicalize());
    match (index.canonicalize(), here) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Runs `rebuild`.
pub fn run(index: &Path, args: RebuildArgs) -> Result<ExitCode, Failure> {
    if is_the_working_directory(index) {
        return Err(Failure::Usage(format!(
            "refusing to rebuild the index at {} because it is the current directory; run it from outside: cd .. && jianghua --index NAME rebuild",
            index.display()
        )));
    }
    let user_dict = args
        .user_dict
        .as_deref()
        .map(writer::read_user_dict)
        .transpose()?;
    let bar = super::progress_bar("rebuilding");
    let report = jianghua::index::store::rebuild(index, user_dict.as_deref(), &mut |p| {
        super::advance(&bar, p)
    })?;
    bar.finish_and_clear();
    super::finish_ingest(&report, args.json)
}
