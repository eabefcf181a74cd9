//! `jianghua mentions PHRASE… [--count] [--by speech|site|year|month] [--site SITE] [--since D] [--until D] [--limit N] [--offset N] [--json | --csv]`.
//!
//! Each argument is its own phrase, counted and shown on its own, in the
//! order given: Chinese puts no spaces between words, so two arguments are
//! two phrases, never one phrase with a space (and a chart of several
//! phrases wants one series each).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use jianghua::index::store::Store;
use jianghua::output::kwic::{self, GroupBy, PageError};
use jianghua::output::{csv, human, json};
use jianghua::query::filter::Filter;
use jianghua::query::mentions::{MentionsError, unquoted};

use super::Failure;
use super::search::FilterArgs;

/// How to group counts.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum By {
    /// One row per speech.
    Speech,
    /// One row per site (names folded: 新文秘網 is 新文秘网).
    Site,
    /// One row per year, every year of the range.
    Year,
    /// One row per month, every month of the range.
    Month,
}

/// Arguments of `mentions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each PHRASE is counted on its own, exactly as written (Traditional and Simplified, \
full-width and case folded): `mentions 百日会战 双过半` counts two phrases, one after the other; \
no phrase is ever joined to the next. Curly quotes are part of a phrase (`mentions “百日会战”` counts \
the quoted form, as the text has it); a phrase wrapped in ASCII quotes (`'\"百日会战\"'`) is counted \
without them, with a note on stderr. A phrase is at most 1,000 characters.\n\n\
--by year|month draws a bar chart on a terminal; piped, and for speech and site, --by prints tab-separated values with a header line (`period\toccurrences\tpassages\tspeeches` for \
year and month, every period from the first to the last, or over --since/--until, zeros included), \
with a leading `phrase` column when several phrases are given. --limit and --offset page through the \
listed occurrences (of each phrase); the totals line counts them all.\n\n\
The listing is written as it is found, in a fixed order: by source path, then speech id, the title \
before the passages, each in text order. The first occurrence is printed at once, memory stays flat \
however many there are, --limit stops the search when its page is full, and `| head` stops it at once."
)]
pub struct MentionsArgs {
    /// The phrase to find (any script; one character or many; digits and ASCII too).
    #[arg(allow_hyphen_values = true, value_name = "PHRASE")]
    pub phrase: String,
    /// More phrases, each counted on its own (a later one starting with `-` goes after `--`).
    #[arg(value_name = "MORE")]
    pub more: Vec<String>,
    /// Print only the totals: occurrences, passages, speeches (one line per phrase).
    #[arg(long)]
    pub count: bool,
    /// Print counts per speech, site, year or month (tab-separated, with a header).
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Option<By>,
    /// Which speeches to count in.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// How many occurrences to list (of each phrase; all by default).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// How many occurrences to skip before listing (of each phrase).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub context: usize,
    /// Print JSON Lines.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV for spreadsheets: a header, then one row per occurrence,
    /// group (--by) or phrase (--count).
    #[arg(long)]
    pub csv: bool,
}

/// The columns a bar may take: what `$COLUMNS` leaves beside the period
/// and the number, 50 at most (40 when the width is unknown).
fn chart_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .map_or(40, |c| c.saturating_sub(22).clamp(10, 50))
}

/// The phrases to count: each argument, without the ASCII quotes around a
/// whole one (said on stderr).
fn phrases(args: &MentionsArgs) -> Vec<String> {
    std::iter::once(&args.phrase)
        .chain(&args.more)
        .map(|p| match unquoted(p) {
            Some(inner) => {
                eprintln!(
                    "jianghua: note: counting {inner} without the ASCII quotes around it (mentions counts a phrase as written; curly quotes “…” are counted as text)"
                );
                inner.to_owned()
            }
            None => p.clone(),
        })
        .collect()
}

/// Runs `mentions`.
pub fn run(index: &Path, args: MentionsArgs) -> Result<ExitCode, Failure> {
    let fail = |e: MentionsError| match e {
        MentionsError::Empty | MentionsError::TooLong { .. } => Failure::Usage(e.to_string()),
        e => Failure::Error(e.to_string()),
    };
    let phrases = phrases(&args);
    let bounds = Filter::from(args.filter)
        .bounds()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let store = Store::open_for_process(index)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let several = phrases.len() > 1;
    if let Some(by) = args.by {
        let by = match by {
            By::Speech => GroupBy::Speech,
            By::Site => GroupBy::Site,
            By::Year => GroupBy::Year,
            By::Month => GroupBy::Month,
        };
        // Years and months are drawn as bars on a terminal; numbers otherwise.
        let chart = !args.json
            && !args.csv
            && matches!(by, GroupBy::Year | GroupBy::Month)
            && std::io::IsTerminal::is_terminal(&std::io::stdout());
        if args.csv {
            csv::header(&mut out, csv::GROUPS_HEADER)?;
        } else if !args.json && !chart {
            human::write_groups_header(&mut out, by, several)?;
        }
        let all: Vec<Vec<kwic::Group>> = kwic::grouped_in(store, &phrases, by, &bounds)
            .map_err(fail)?
            .into_iter()
            .map(|(_, groups)| groups)
            .collect();
        if chart {
            let series: Vec<(&str, &[kwic::Group])> = phrases
                .iter()
                .map(String::as_str)
                .zip(all.iter().map(Vec::as_slice))
                .collect();
            human::write_chart(&mut out, &series, chart_width())?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        for (phrase, groups) in phrases.iter().zip(all) {
            if args.json {
                json::write_groups(&mut out, phrase, &groups)?
            } else if args.csv {
                for g in &groups {
                    csv::group_row(&mut out, phrase, g)?;
                }
            } else {
                human::write_groups(&mut out, several.then_some(phrase.as_str()), &groups)?
            }
        }
    } else if args.count {
        // Totals need neither text nor a tally per passage.
        if args.csv {
            csv::header(&mut out, csv::COUNT_HEADER)?;
        }
        for phrase in &phrases {
            let t = store.totals_in(phrase, &bounds).map_err(fail)?;
            if args.json {
                json::write_count(&mut out, phrase, &t)?
            } else if args.csv {
                csv::count_row(&mut out, phrase, &t)?
            } else {
                human::write_count(&mut out, phrase, &t)?
            }
        }
    } else {
        let page = Page {
            page: kwic::Page {
                offset: args.offset,
                limit: args.limit,
                context: args.context,
            },
            format: if args.json {
                Format::Json
            } else if args.csv {
                Format::Csv
            } else {
                Format::Human
            },
        };
        if args.csv {
            csv::header(&mut out, csv::OCCURRENCES_HEADER)?;
        }
        for (i, phrase) in phrases.iter().enumerate() {
            if i > 0 && page.format == Format::Human {
                writeln!(out)?;
            }
            list(&mut out, store, phrase, &bounds, &page, several).map_err(|e| match e {
                PageError::Query(e) => fail(e),
                PageError::Sink(e) => e.into(),
            })?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Which occurrences a listing shows, and how.
struct Page {
    page: kwic::Page,
    format: Format,
}

/// How a listing is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Csv,
}

/// Streams the occurrences of one phrase to `out` as they are found
/// ([`kwic::for_each_line_in`]): the first is written (and flushed) at
/// once, `--limit` stops the stream when the page is full, and a closed
/// pipe stops it at the next write. The totals line of the human listing
/// counts every occurrence.
fn list(
    out: &mut impl Write,
    store: Store<'_>,
    phrase: &str,
    bounds: &jianghua::query::filter::Bounds,
    args: &Page,
    several: bool,
) -> Result<(), PageError<std::io::Error>> {
    let mut human = if args.format == Format::Human {
        Some(human::MentionsListing::start(out, phrase, several).map_err(PageError::Sink)?)
    } else {
        None
    };
    let mut flushed = false;
    let paged = kwic::for_each_line_in(store, phrase, bounds, args.page, |l| {
        match human.as_mut() {
            Some(h) => h.line(out, l)?,
            None if args.format == Format::Csv => csv::occurrence_row(out, phrase, l)?,
            None => json::write_mentions(out, phrase, std::slice::from_ref(l))?,
        }
        // The first line goes out at once; the rest fill the buffer.
        if !flushed {
            flushed = true;
            out.flush()?;
        }
        Ok(())
    })?;
    if human.is_some() {
        let totals = paged
            .totals(store, phrase, bounds)
            .map_err(PageError::Query)?;
        human::MentionsListing::end(out, phrase, &totals, args.page.offset, paged.shown)
            .map_err(PageError::Sink)?;
    }
    Ok(())
}
