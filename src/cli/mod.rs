//! Command-line interface: clap definitions and one module per subcommand.
//! Each subcommand parses its arguments, calls the library and hands the
//! result to `jianghua::output`; nothing here knows how cleaning works.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod clean;

/// jianghua (讲话): full-text search for Chinese policy speeches scraped from the web.
///
/// Pages may be dirty: site chrome, paywall stubs, pinyin after characters,
/// GBK or Big5 bytes, Traditional and Simplified script mixed, several
/// speeches in one file. jianghua cleans them into speeches and passages.
#[derive(Debug, Parser)]
#[command(name = "jianghua", version, about, long_about)]
pub struct Args {
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
}

/// Why a command did not finish normally.
#[derive(Debug)]
pub enum Failure {
    /// stdout was closed by the reader: stop quietly.
    BrokenPipe,
    /// A real error: printed as one sentence.
    Error(jianghua::Error),
}

impl From<jianghua::Error> for Failure {
    fn from(e: jianghua::Error) -> Self {
        Failure::Error(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Error(jianghua::Error::Output(e))
        }
    }
}

/// Runs a parsed command line.
pub fn run(args: Args) -> Result<ExitCode, Failure> {
    match args.command {
        Command::Clean(a) => clean::run(a),
    }
}
