//! The ingest pipeline: file bytes in, clean speeches out.
//!
//! ```text
//! bytes → decode → extract → clean → split → structure → Vec<Speech>
//! ```
//!
//! Each stage is a module with one job and plain owned data in and out; no
//! stage prints, and none knows about the index. [`process`] runs them all.
//! Line numbers are 1-based and always refer to the lines of the *extracted*
//! text (for a plain-text file, the lines of the decoded file), so every line
//! can be accounted for: it ends up in a passage, in a speech's `removed`
//! list, or is blank.

pub mod clean;
pub mod decode;
pub mod extract;
pub mod heading;
pub mod split;
pub mod structure;

use std::io::Read;
use std::path::Path;

pub use clean::{NoiseClass, Removed};
pub use structure::{Flag, Passage, Speech, Truncation};

/// What the pipeline made of one file.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The encoding the bytes were decoded from (WHATWG name, e.g. `GBK`).
    pub encoding: &'static str,
    /// How many malformed byte runs were replaced with U+FFFD while decoding.
    pub replaced: usize,
    /// Whether the input was HTML (and went through the HTML extractor).
    pub html: bool,
    /// How many lines the extracted text has.
    pub lines: usize,
    /// The extracted lines (1-based line `n` is `text_lines[n - 1]`).
    pub text_lines: Vec<String>,
    /// Blank lines (1-based).
    pub blank: Vec<usize>,
    /// Removed lines that belong to no speech (a page of noise only).
    pub unattached: Vec<Removed>,
    /// The speeches found, in file order.
    pub speeches: Vec<Speech>,
}

/// Runs every stage on the bytes of one file.
///
/// Fails only when the bytes cannot be taken as text at all (empty, binary,
/// too large); any text, however dirty, gives a [`Processed`] value (possibly
/// with no speech in it).
pub fn process(bytes: &[u8]) -> Result<Processed, decode::Rejected> {
    let decoded = decode::decode(bytes)?;
    let extracted = extract::extract(&decoded.text);
    let cleaned = clean::clean(&extracted.lines);
    let parts = split::split(&cleaned);
    let (speeches, unattached) = structure::structure(&cleaned, &parts);
    Ok(Processed {
        encoding: decoded.encoding,
        replaced: decoded.replaced,
        html: extracted.html,
        lines: extracted.lines.len(),
        text_lines: extracted.lines,
        blank: cleaned.blank,
        unattached,
        speeches,
    })
}

/// One file read and run through the pipeline.
#[derive(Debug, Clone)]
pub struct CleanedFile {
    /// The path as given, for display.
    pub source: String,
    /// What the pipeline made of it.
    pub processed: Processed,
}

/// Reads a file and runs the pipeline on it.
///
/// Fails with one-sentence errors for a path that cannot be read (missing,
/// a directory, no permission), for bytes that are not text (empty, binary,
/// over [`decode::MAX_BYTES`]), and for a file with no speech text left after
/// cleaning.
pub fn clean_file(path: &Path) -> crate::Result<CleanedFile> {
    let bytes = read_limited(path)?;
    clean_bytes(path, &bytes)
}

/// Reads a file of at most [`decode::MAX_BYTES`] (a larger one is refused
/// before it is read).
pub fn read_limited(path: &Path) -> crate::Result<Vec<u8>> {
    let read_err = |source| crate::Error::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    let too_large = |size| crate::Error::Input {
        path: path.to_owned(),
        reason: decode::Rejected::TooLarge {
            size,
            limit: decode::MAX_BYTES,
        },
    };
    if meta.len() > decode::MAX_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Read at most one byte past the limit: the file may grow while we read.
    std::fs::File::open(path)
        .and_then(|f| f.take(decode::MAX_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    if bytes.len() > decode::MAX_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Runs the pipeline on the bytes of a file that was read from `path`.
pub fn clean_bytes(path: &Path, bytes: &[u8]) -> crate::Result<CleanedFile> {
    let processed = process(bytes).map_err(|reason| crate::Error::Input {
        path: path.to_owned(),
        reason,
    })?;
    if processed.speeches.is_empty() {
        return Err(crate::Error::NoSpeech {
            path: path.to_owned(),
            lines: processed.lines,
        });
    }
    Ok(CleanedFile {
        source: path.display().to_string(),
        processed,
    })
}
