//! Stage 3, clean: lines → kept lines + an account of everything removed.
//!
//! STUB: the ordered rule list comes next.

use serde::Serialize;

/// The classes of noise (DESIGN.md's table) and of lines consumed as metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseClass {
    /// `您的位置:新文秘网>>…>>正文`.
    Breadcrumb,
}

/// A removed line, or the part of a line removed by a repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// 1-based line number in the extracted text.
    pub line: usize,
    /// The text removed (the whole line, or the piece cut out of it).
    pub text: String,
    /// Why.
    pub class: NoiseClass,
    /// True when only part of the line was removed and the rest was kept.
    pub repair: bool,
}

/// A kept line of speech text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The source lines this text came from (more than one after a rejoin).
    pub lines: std::ops::RangeInclusive<usize>,
    /// The cleaned text (original script).
    pub text: String,
}

/// A fact about the page found while cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The site name.
    Site(String),
}

/// The output of cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Kept lines in order.
    pub kept: Vec<Kept>,
    /// Everything removed or repaired, in line order.
    pub removed: Vec<Removed>,
    /// Facts with the line they were found on.
    pub facts: Vec<(usize, Fact)>,
    /// Blank lines (whitespace only).
    pub blank: Vec<usize>,
}

/// Cleans the lines of one document.
pub fn clean(lines: &[String]) -> Cleaned {
    let mut out = Cleaned::default();
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            out.blank.push(i + 1);
        } else {
            out.kept.push(Kept {
                lines: i + 1..=i + 1,
                text: l.trim().to_owned(),
            });
        }
    }
    out
}
