//! `jianghua search QUERY [--limit N] [--offset N] [--since D] [--until D] [--sort relevance|date] [--json]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use jianghua::query::search::{Options, SearchError, Sort, search};

use super::Failure;

/// Result order.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortBy {
    /// Best match first (exact matches above loose ones).
    Relevance,
    /// Newest speech first.
    Date,
}

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Query syntax: words are ANDed (招商引资 营商环境); \"…\" or “…” is an exact phrase; \
-word excludes; A OR B; title:…; site:…. Traditional and Simplified script match alike."
)]
pub struct SearchArgs {
    /// The query, e.g. '招商引资 "营商环境" -会员 site:新文秘网'.
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// How many passages to show.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// How many passages to skip (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Only speeches dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only speeches dated on or before this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Order of the results.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortBy,
    /// Print JSON Lines, one object per passage.
    #[arg(long)]
    pub json: bool,
}

/// Runs `search`.
pub fn run(index: &Path, args: SearchArgs) -> Result<ExitCode, Failure> {
    let idx = jianghua::index::SpeechIndex::open_for_process(index)?;
    let opts = Options {
        limit: args.limit,
        offset: args.offset,
        since: args.since,
        until: args.until,
        sort: match args.sort {
            SortBy::Relevance => Sort::Relevance,
            SortBy::Date => Sort::Date,
        },
    };
    let found = search(idx, &args.query, &opts).map_err(|e| match e {
        SearchError::Parse(_) | SearchError::BadDate(_) => Failure::Usage(e.to_string()),
        e => Failure::Error(e.to_string()),
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        jianghua::output::json::write_search(&mut out, &found)?;
    } else {
        jianghua::output::human::write_search(&mut out, &found)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
