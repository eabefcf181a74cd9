//! The crate's error type.
//!
//! Every stage reports failure through [`Error`]; the binary turns it into one
//! sentence on stderr (`jianghua: <path>: <what went wrong>`) and an exit code.
//! Nothing in the library panics on bad input: a panic is a bug.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path could not be read (missing, permissions, a directory, …).
    #[error("{}: cannot read: {}", path.display(), io_reason(source))]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The input could not be turned into text (empty, binary, too large, …).
    #[error("{}: {reason}", path.display())]
    Input {
        /// The file whose content was rejected.
        path: PathBuf,
        /// One sentence saying why, e.g. "the file is empty".
        reason: crate::pipeline::decode::Rejected,
    },
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
    /// The file was decoded and cleaned, but no speech text was left.
    #[error("{}: no speech text found after cleaning ({lines} lines, all removed as noise or blank)", path.display())]
    NoSpeech {
        /// The file that held only noise.
        path: PathBuf,
        /// How many lines the file had.
        lines: usize,
    },
}

/// The crate's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What an I/O error means, in words, without the `(os error N)` tail.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or directory".to_owned(),
        K::PermissionDenied => "permission denied".to_owned(),
        K::IsADirectory => "it is a directory, not a file".to_owned(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}
