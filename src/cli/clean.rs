//! `jianghua clean FILE [--explain] [--json]`; `FILE` may be `-`, standard
//! input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Failure;

/// Arguments of `clean`.
#[derive(Debug, clap::Args)]
pub struct CleanArgs {
    /// The file to clean (a scraped page: text or HTML, any encoding); `-`
    /// reads the page from standard input (shown as `(stdin)`; the same size
    /// limit applies). A file named `-` is `./-`.
    pub file: PathBuf,
    /// Also list every removed or repaired line, with its line number and class of noise.
    #[arg(long)]
    pub explain: bool,
    /// Print JSON Lines (one object per speech) instead of text for people.
    #[arg(long)]
    pub json: bool,
}

/// How standard input is named in the output and in errors.
const STDIN: &str = "(stdin)";

/// Runs `clean`.
pub fn run(args: CleanArgs) -> Result<ExitCode, Failure> {
    let cleaned = if args.file.as_os_str() == "-" {
        let name = Path::new(STDIN);
        let bytes = jianghua::pipeline::read_to_limit(name, std::io::stdin().lock(), 0)?;
        jianghua::pipeline::clean_bytes(name, &bytes)?
    } else {
        jianghua::clean_file(&args.file)?
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        jianghua::output::json::write_clean(&mut out, &cleaned, args.explain)?;
    } else {
        jianghua::output::human::write_clean(&mut out, &cleaned, args.explain)?;
    }
    out.flush()?;
    if cleaned.processed.replaced > 0 {
        eprintln!(
            "jianghua: {}: {} undecodable byte run(s) were replaced with U+FFFD ({})",
            cleaned.source, cleaned.processed.replaced, cleaned.processed.encoding
        );
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
