//! Stage 5, structure: a part → a speech with metadata and passages.
//!
//! STUB.

use super::clean::Cleaned;
use super::split::Part;

/// Shown and total characters from a truncation notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncation {
    /// Characters the site showed.
    pub shown: u32,
    /// Characters the full text has.
    pub total: u32,
}

/// One passage of a speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 0-based ordinal within the speech.
    pub no: usize,
    /// Heading path, e.g. `二、全面提升项目推进效率 › 1、加强督查指导`; empty when none.
    pub section: String,
    /// Cleaned text in the original script.
    pub text: String,
}

/// One clean speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speech {
    /// 0-based index of the speech in its file.
    pub part: usize,
    /// Title, if one was found.
    pub title: Option<String>,
    /// `YYYY-MM-DD`, if a date was found.
    pub date: Option<String>,
    /// Site name, if one was found.
    pub site: Option<String>,
    /// Truncation notice, if any.
    pub truncated: Option<Truncation>,
    /// The outline block's lines.
    pub outline: Vec<String>,
    /// The passages.
    pub passages: Vec<Passage>,
}

/// Builds speeches from the parts of a cleaned page.
pub fn structure(cleaned: &Cleaned, parts: &[Part]) -> Vec<Speech> {
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| Speech {
            part: i,
            title: None,
            date: None,
            site: None,
            truncated: None,
            outline: vec![],
            passages: cleaned.kept[p.kept.clone()]
                .iter()
                .enumerate()
                .map(|(no, k)| Passage {
                    no,
                    section: String::new(),
                    text: k.text.clone(),
                })
                .collect(),
        })
        .collect()
}
