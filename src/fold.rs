//! The search form of text.
//!
//! STUB: to be replaced by the OpenCC-derived table.

/// Folds one character to its search form.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
            .unwrap_or(c)
            .to_ascii_lowercase(),
        '\u{3000}' => ' ',
        _ => c.to_ascii_lowercase(),
    }
}

/// Folds a string; the result has exactly as many chars as the input.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}
