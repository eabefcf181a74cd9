//! `jianghua search QUERY… [--limit N] [--offset N] [--site SITE] [--since D] [--until D] [--sort relevance|date] [--json | --csv] [--explain]`.
//!
//! The words of the query may come as one argument or several: they are
//! joined with a space, so `search 招商引资 营商环境` is
//! `search '招商引资 营商环境'`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use jianghua::query::filter::Filter;
use jianghua::query::search::{Options, SearchError, Sort};

use super::Failure;

/// Result order.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortBy {
    /// Best match first (exact matches above loose ones).
    Relevance,
    /// Newest speech first.
    Date,
}

/// `--site`, `--since` and `--until`, shared by `search` and `mentions`.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// Only speeches from this site (the whole name, compared folded: 新文秘網 is 新文秘网).
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,
    /// Only speeches dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only speeches dated on or before this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl From<FilterArgs> for Filter {
    fn from(a: FilterArgs) -> Filter {
        Filter {
            site: a.site,
            since: a.since,
            until: a.until,
        }
    }
}

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Query syntax: words are ANDed (招商引资 营商环境); \"…\" or “…” is an exact phrase; \
-word excludes; A OR B; title:…; site:…. Traditional and Simplified script match alike. \
Several arguments are one query, joined with spaces: `search 招商引资 营商环境 -会员` is \
`search '招商引资 营商环境 -会员'` (an argument that starts with one `-` is an exclusion, never an option). \
A query is at most 1,000 characters."
)]
pub struct SearchArgs {
    /// The query, e.g. '招商引资 "营商环境" -会员 site:新文秘网'.
    #[arg(allow_hyphen_values = true, value_name = "QUERY")]
    pub query: String,
    /// More words of the query: joined to it with spaces (`-word` excludes, as in the query).
    #[arg(value_name = "MORE")]
    pub more: Vec<String>,
    /// How many passages to show (0: only the total).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// How many passages to skip (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Which speeches to look at.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Order of the results.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortBy,
    /// Print JSON Lines, one object per passage.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV for spreadsheets: a header, then one row per passage.
    #[arg(long)]
    pub csv: bool,
    /// Show how each score was made: the exact bonus, each query word's BM25
    /// part (tf, idf), the passage's length and the length prior.
    #[arg(long)]
    pub explain: bool,
}

/// Runs `search`.
pub fn run(index: &Path, args: SearchArgs) -> Result<ExitCode, Failure> {
    let store = jianghua::index::store::Store::open_for_process(index)?;
    let opts = Options {
        limit: args.limit,
        offset: args.offset,
        filter: args.filter.into(),
        sort: match args.sort {
            SortBy::Relevance => Sort::Relevance,
            SortBy::Date => Sort::Date,
        },
        explain: args.explain,
    };
    let query = std::iter::once(args.query)
        .chain(args.more)
        .collect::<Vec<_>>()
        .join(" ");
    let found = store.search(&query, &opts).map_err(|e| match e {
        SearchError::Parse(_) | SearchError::BadDate(_) | SearchError::Unsupported(_) => {
            Failure::Usage(e.to_string())
        }
        e => Failure::Error(e.to_string()),
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        jianghua::output::json::write_search(&mut out, &found)?;
    } else if args.csv {
        use jianghua::output::csv;
        csv::header(&mut out, csv::SEARCH_HEADER)?;
        for r in &found.results {
            csv::search_row(&mut out, r)?;
        }
    } else {
        jianghua::output::human::write_search(&mut out, &found)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
