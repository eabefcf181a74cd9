//! `jianghua mentions PHRASE [--count] [--by speech|site|year|month] [--json]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use jianghua::output::kwic::{self, GroupBy};
use jianghua::query::mentions::{Detail, MentionsError, count, mentions, totals};

use super::Failure;

/// How to group counts.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum By {
    /// One line per speech.
    Speech,
    /// One line per site.
    Site,
    /// One line per year.
    Year,
    /// One line per month.
    Month,
}

/// Arguments of `mentions`.
#[derive(Debug, clap::Args)]
pub struct MentionsArgs {
    /// The phrase to find (any script; one character or many; digits and ASCII too).
    #[arg(allow_hyphen_values = true)]
    pub phrase: String,
    /// Print only the totals: occurrences, passages, speeches.
    #[arg(long)]
    pub count: bool,
    /// Print counts per speech, site, year or month.
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Option<By>,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub context: usize,
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

/// Runs `mentions`.
pub fn run(index: &Path, args: MentionsArgs) -> Result<ExitCode, Failure> {
    let idx = jianghua::index::SpeechIndex::open_for_process(index)?;
    let fail = |e: MentionsError| match e {
        MentionsError::Empty => Failure::Usage(e.to_string()),
        e => Failure::Error(e.to_string()),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    use jianghua::output::{human, json};
    if let Some(by) = args.by {
        // Counting needs no text: the fast path.
        let detail = Detail {
            title: matches!(by, By::Speech),
            site: matches!(by, By::Site),
        };
        let c = count(idx, &args.phrase, detail).map_err(fail)?;
        let by = match by {
            By::Speech => GroupBy::Speech,
            By::Site => GroupBy::Site,
            By::Year => GroupBy::Year,
            By::Month => GroupBy::Month,
        };
        let groups = kwic::groups(&c, by);
        if args.json {
            json::write_groups(&mut out, &groups)?
        } else {
            human::write_groups(&mut out, &groups)?
        }
    } else if args.count {
        // Totals need neither text nor a tally per passage.
        let t = totals(idx, &args.phrase).map_err(fail)?;
        if args.json {
            json::write_count(&mut out, &args.phrase, &t)?
        } else {
            human::write_count(&mut out, &args.phrase, &t)?
        }
    } else {
        let m = mentions(idx, &args.phrase).map_err(fail)?;
        let lines = kwic::lines(&m, args.context);
        if args.json {
            json::write_mentions(&mut out, &lines)?
        } else {
            human::write_mentions(&mut out, &m, &lines)?
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
