//! Stage 2, extract: text → block lines.
//!
//! STUB: to be replaced by the real HTML extractor.

/// The lines of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// One entry per line, without the line break.
    pub lines: Vec<String>,
    /// Whether the text was HTML.
    pub html: bool,
}

/// Splits text into lines; HTML is turned into block lines first.
pub fn extract(text: &str) -> Extracted {
    Extracted {
        lines: text.split('\n').map(str::to_owned).collect(),
        html: false,
    }
}
