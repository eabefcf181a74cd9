//! `jianghua stats [--json]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::Failure;

/// Arguments of `stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `stats`.
pub fn run(index: &Path, args: StatsArgs) -> Result<ExitCode, Failure> {
    let store = jianghua::index::store::Store::open_for_process(index)?;
    let s = store.stats()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        jianghua::output::json::write_line(&mut out, &s)?;
    } else {
        jianghua::output::human::write_stats(&mut out, &s)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
