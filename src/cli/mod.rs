//! Command-line interface: clap definitions and one module per subcommand.
//! Each subcommand parses its arguments, calls the library and hands the
//! result to `jianghua::output`; nothing here knows how cleaning works.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod clean;
mod completions;
mod ingest;
mod mentions;
mod pg;
mod rebuild;
mod search;
mod serve;
mod show;
mod stats;

/// jianghua (讲话): full-text search for Chinese policy speeches scraped from the web.
///
/// Pages may be dirty: site chrome, paywall stubs, pinyin after characters,
/// GBK or Big5 bytes, Traditional and Simplified script mixed, several
/// speeches in one file. jianghua cleans them into speeches and passages.
#[derive(Debug, Parser)]
#[command(name = "jianghua", version, about, long_about)]
pub struct Args {
    /// The index: a directory, or a PostgreSQL database (`postgres://USER@HOST:PORT/DB`).
    #[arg(
        long,
        global = true,
        env = "JIANGHUA_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what the cleaner makes of one file: its speeches, metadata and passages.
    ///
    /// Decodes the file (any of UTF-8, GBK, GB18030, Big5, UTF-16; HTML or
    /// plain text), removes site chrome, stubs, outline and filler, repairs
    /// pinyin annotations and hard wraps, splits compilations and finds each
    /// speech's title, date, site, truncation and sections.
    ///
    /// Exit status: 0 ok; 1 the file could not be read or held no speech;
    /// 2 usage; 3 output was produced but some bytes could not be decoded.
    Clean(clean::CleanArgs),
    /// Clean and index files and folders (recursively).
    ///
    /// Every file is decoded, cleaned and split into speeches; each speech's
    /// passages are indexed. A file that cannot be read or holds no speech is
    /// named on stderr with the reason, and the others go on. The same speech
    /// found twice (a repost) is indexed once.
    ///
    /// Exit status: 0 ok; 1 error (e.g. the index is locked by another
    /// ingest); 3 finished, but some files failed.
    Ingest(ingest::IngestArgs),
    /// Re-ingest every recorded source into a fresh index and swap it in.
    ///
    /// Needed after a dictionary or schema change (commands say so). The new
    /// index is built beside the live one, which searches keep using until
    /// the swap; the old one is removed only after it.
    Rebuild(rebuild::RebuildArgs),
    /// Ranked passages for a query: exact matches first, then BM25 over jieba words.
    ///
    /// Shows title · date · site, the section, and the passage with the
    /// matched characters highlighted. Each word or phrase found exactly
    /// adds 100; BM25 over the query's jieba words (a policy term is one
    /// word) is weighed by a length prior, chars / (chars + 40), so a
    /// heading does not outrank the paragraph under it, and by 1.5 when
    /// the query's words are in the passage's headings. Equal scores go
    /// newer speech first, then by speech id and passage: the same order in
    /// every build. `--explain` shows how each score was made.
    Search(search::SearchArgs),
    /// Every occurrence of a phrase, exactly: no miss, no false hit, in either script.
    ///
    /// Counts what a plain substring count over the cleaned, folded text of
    /// every title and passage would count (繁/简, full-width and case are
    /// folded). Shows each occurrence in context, grouped by speech.
    Mentions(mentions::MentionsArgs),
    /// One speech, cleaned, with its metadata.
    Show(show::ShowArgs),
    /// What the index holds: speeches, passages, sources, sites, dates, size.
    Stats(stats::StatsArgs),
    /// The index in a browser, and a JSON API: search, mentions with a chart, speeches.
    ///
    /// Opens the index once and answers from memory; sees new commits of
    /// `ingest` and `rebuild` swaps without a restart.
    Serve(serve::ServeArgs),
    /// Make a PostgreSQL store, sharded over worker servers (`pg init --shard URL…`).
    ///
    /// An index can be a PostgreSQL database: `--index postgres://…`.
    /// `ingest`, `rebuild`, `mentions`, `show` and `stats` work on it
    /// (`search` and `serve` are still to come); the answers are those of a
    /// folder index of the same pages.
    Pg(pg::PgArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff): `jianghua man > jianghua.1; man ./jianghua.1`.
    Man,
}

/// Why a command did not finish normally.
#[derive(Debug)]
pub enum Failure {
    /// stdout was closed by the reader: stop quietly.
    BrokenPipe,
    /// An error: one sentence, exit status 1.
    Error(String),
    /// A usage error (bad arguments, malformed query): one sentence, exit status 2.
    Usage(String),
}

impl From<jianghua::Error> for Failure {
    fn from(e: jianghua::Error) -> Self {
        Failure::Error(e.to_string())
    }
}

impl From<jianghua::index::IndexError> for Failure {
    fn from(e: jianghua::index::IndexError) -> Self {
        Failure::Error(e.to_string())
    }
}

impl From<tantivy::TantivyError> for Failure {
    fn from(e: tantivy::TantivyError) -> Self {
        Failure::Error(format!("index error: {e}"))
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Error(format!(
                "cannot write output: {}",
                jianghua::error::io_reason(&e)
            ))
        }
    }
}

/// The command line as clap should see it: after `search`, an argument
/// that starts with one `-` (`-会员`, `-"某某"`, `-title:通知`) is an
/// exclusion of the query, never an option (every option of `search` is
/// long, but `-h`), so its `-` becomes the full-width `－`, which the query
/// syntax reads alike. Without this, clap would refuse `search 招商 -会员`
/// as an unknown option. Everything after `--` is left as it is.
pub fn exclusions_as_words(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut in_search = false;
    let mut after_dashes = false;
    let mut skip_value = false;
    for (i, arg) in args.into_iter().enumerate() {
        let text = arg.to_str().map(str::to_owned);
        match text.as_deref() {
            _ if i == 0 || after_dashes => {}
            Some(_) if skip_value => skip_value = false,
            Some("--") => after_dashes = true,
            // The global option's value before the subcommand.
            Some("--index") if !in_search => skip_value = true,
            Some("search") if !in_search => in_search = true,
            Some(t)
                if in_search
                    && t.len() > 1
                    && t.starts_with('-')
                    && !t.starts_with("--")
                    && t != "-h" =>
            {
                out.push(format!("－{}", &t[1..]).into());
                continue;
            }
            _ => {}
        }
        out.push(arg);
    }
    out
}

/// Runs a parsed command line.
pub fn run(args: Args) -> Result<ExitCode, Failure> {
    match args.command {
        Command::Clean(a) => clean::run(a),
        Command::Ingest(a) => ingest::run(&args.index, a),
        Command::Rebuild(a) => rebuild::run(&args.index, a),
        Command::Search(a) => search::run(&args.index, a),
        Command::Mentions(a) => mentions::run(&args.index, a),
        Command::Show(a) => show::run(&args.index, a),
        Command::Stats(a) => stats::run(&args.index, a),
        Command::Serve(a) => serve::run(&args.index, a),
        Command::Pg(a) => pg::run(&args.index, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
    }
}

/// A progress bar on stderr for ingest-like work (hidden when stderr is not
/// a terminal), and the callback that drives it.
fn progress_bar(message: &'static str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {pos}/{len} files ({eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Moves a progress bar along.
fn advance(bar: &indicatif::ProgressBar, p: jianghua::index::writer::Progress) {
    use jianghua::index::writer::Progress;
    match p {
        Progress::Found(n) => bar.set_length(n as u64),
        Progress::Done => bar.inc(1),
        Progress::Committing => bar.set_message("committing"),
    }
}

/// Prints an ingest report: problems on stderr, the report on stdout; exit
/// status 3 when some files failed.
fn finish_ingest(
    report: &jianghua::index::writer::IngestReport,
    json: bool,
) -> Result<ExitCode, Failure> {
    use std::io::Write;
    for p in report.warnings.iter().chain(&report.failed) {
        eprintln!("jianghua: {}", p.reason);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        jianghua::output::json::write_line(&mut out, report)?;
    } else {
        jianghua::output::human::write_ingest(&mut out, report)?;
    }
    out.flush()?;
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
