//! The fold table's two halves that both the build script and the library
//! need: the rules done in code and the parser of `data/fold_chars.tsv`.
//! `build.rs` includes this file to turn the table into static arrays; it
//! must stay free of crate dependencies.

/// The part of folding that is done in code rather than by the table:
/// full-width ASCII → ASCII, ideographic and no-break space → `' '`, ASCII
/// capitals → lower case.
pub fn fold_width_space_case(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            // U+FF01..=U+FF5E minus 0xFEE0 is U+0021..=U+007E: always a char.
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase())
        }
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c.to_ascii_lowercase(),
    }
}

/// Parses the `from<TAB>to` table; `#` lines and blank lines are skipped.
pub fn parse_table(text: &str) -> Result<Vec<(char, char)>, String> {
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let one_char = |field: Option<&str>| {
            let mut chars = field?.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        };
        let mut fields = line.split('\t');
        match (
            one_char(fields.next()),
            one_char(fields.next()),
            fields.next(),
        ) {
            (Some(from), Some(to), None) => pairs.push((from, to)),
            _ => {
                return Err(format!(
                    "line {}: expected `from<TAB>to`, got {line:?}",
                    n + 1
                ));
            }
        }
    }
    Ok(pairs)
}
