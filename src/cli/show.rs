//! `jianghua show DOC_ID [--raw] [--json]`: DOC_ID is an id or a unique
//! prefix of one (4 hex digits or more).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use jianghua::query::show::ShowError;

use super::Failure;

/// Arguments of `show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The speech's id (16 hex digits, as `search` and `mentions` print it), or its first 4 or more digits.
    pub doc_id: String,
    /// Print the source file as decoded (before cleaning) instead.
    #[arg(long)]
    pub raw: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `show`.
pub fn run(index: &Path, args: ShowArgs) -> Result<ExitCode, Failure> {
    let store = jianghua::index::store::Store::open_for_process(index)?;
    let s = store.show(&args.doc_id).map_err(|e| match e {
        ShowError::BadId(_) | ShowError::Ambiguous { .. } => Failure::Usage(e.to_string()),
        e => Failure::Error(e.to_string()),
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.raw {
        let bytes = std::fs::read(&s.source).map_err(|e| {
            Failure::Error(format!(
                "{}: cannot read: {}",
                s.source,
                jianghua::error::io_reason(&e)
            ))
        })?;
        let decoded = jianghua::pipeline::decode::decode(&bytes)
            .map_err(|e| Failure::Error(format!("{}: {e}", s.source)))?;
        if args.json {
            jianghua::output::json::write_line(
                &mut out,
                &serde_json::json!({"doc_id": s.doc_id, "source": s.source, "encoding": decoded.encoding, "text": decoded.text}),
            )?;
        } else {
            out.write_all(decoded.text.as_bytes())?;
        }
    } else if args.json {
        jianghua::output::json::write_show(&mut out, &s)?;
    } else {
        jianghua::output::human::write_show(&mut out, &s)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
