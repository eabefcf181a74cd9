//! Stage 4, split: one page → the parts that are separate speeches.
//!
//! STUB.

use super::clean::Cleaned;

/// One speech's share of a cleaned page: a range of indices into `Cleaned::kept`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Indices into `Cleaned::kept`.
    pub kept: std::ops::Range<usize>,
}

/// Splits a cleaned page into parts.
pub fn split(cleaned: &Cleaned) -> Vec<Part> {
    vec![Part {
        kept: 0..cleaned.kept.len(),
    }]
}
