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
pub mod split;
pub mod structure;

pub use structure::{Passage, Speech, Truncation};

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
    let speeches = structure::structure(&cleaned, &parts);
    Ok(Processed {
        encoding: decoded.encoding,
        replaced: decoded.replaced,
        html: extracted.html,
        lines: extracted.lines.len(),
        text_lines: extracted.lines,
        speeches,
    })
}
