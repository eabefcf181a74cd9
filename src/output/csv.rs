//! CSV for spreadsheets (`search --csv`, `mentions --csv`, and the web
//! API's `format=csv`): a header row, then one row per result, group or
//! occurrence, RFC 4180 quoting (a field with a comma, a quote or a line
//! break is quoted, its quotes doubled), lines ending `\r\n`.
//!
//! Scraped text is untrusted, and a spreadsheet runs a cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula: such a
//! text cell gets a leading `'` (numbers are written as numbers).

use std::io::{self, Write};

use crate::output::kwic::{Group, Line};
use crate::query::search::Result as Found;

/// The header of `search` rows.
pub const SEARCH_HEADER: &[&str] = &[
    "rank", "score", "doc_id", "passage", "title", "date", "site", "source", "section", "text",
];
/// The header of `mentions --count` rows.
pub const COUNT_HEADER: &[&str] = &["phrase", "occurrences", "passages", "speeches"];
/// The header of `mentions --by` rows.
pub const GROUPS_HEADER: &[&str] = &[
    "phrase",
    "group",
    "title",
    "occurrences",
    "passages",
    "speeches",
];
/// The header of `mentions` listing rows.
pub const OCCURRENCES_HEADER: &[&str] = &[
    "phrase", "doc_id", "passage", "title", "date", "site", "source", "section", "start", "end",
    "left", "match", "right",
];

/// One field as CSV: neutralised against formulas, quoted when needed.
pub fn field(text: &str) -> String {
    let guarded = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A cell: text (guarded and quoted) or a number.
pub enum Cell<'a> {
    /// Text, possibly absent (an empty cell).
    Text(Option<&'a str>),
    /// A whole number.
    Int(usize),
    /// A score.
    Float(f32),
}

/// Writes one row.
pub fn row(out: &mut impl Write, cells: &[Cell<'_>]) -> io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match c {
            Cell::Text(t) => line.push_str(&field(t.unwrap_or(""))),
            Cell::Int(n) => line.push_str(&n.to_string()),
            Cell::Float(x) => line.push_str(&x.to_string()),
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

/// Writes a header row.
pub fn header(out: &mut impl Write, names: &[&str]) -> io::Result<()> {
    let cells: Vec<Cell<'_>> = names.iter().map(|n| Cell::Text(Some(n))).collect();
    row(out, &cells)
}

/// Writes one ranked passage.
pub fn search_row(out: &mut impl Write, r: &Found) -> io::Result<()> {
    row(
        out,
        &[
            Cell::Int(r.rank),
            Cell::Float(r.score),
            Cell::Text(Some(&r.doc_id)),
            Cell::Int(r.passage),
            Cell::Text(r.title.as_deref()),
            Cell::Text(r.date.as_deref()),
            Cell::Text(r.site.as_deref()),
            Cell::Text(Some(&r.source)),
            Cell::Text(Some(&r.section)),
            Cell::Text(Some(&r.text)),
        ],
    )
}

/// Writes a phrase's totals.
pub fn count_row(
    out: &mut impl Write,
    phrase: &str,
    t: &crate::query::mentions::Totals,
) -> io::Result<()> {
    row(
        out,
        &[
            Cell::Text(Some(phrase)),
            Cell::Int(t.occurrences),
            Cell::Int(t.passages),
            Cell::Int(t.speeches),
        ],
    )
}

/// Writes one group of a phrase's counts.
pub fn group_row(out: &mut impl Write, phrase: &str, g: &Group) -> io::Result<()> {
    row(
        out,
        &[
            Cell::Text(Some(phrase)),
            Cell::Text(g.key.as_deref()),
            Cell::Text(g.title.as_deref()),
            Cell::Int(g.occurrences),
            Cell::Int(g.passages),
            Cell::Int(g.speeches),
        ],
    )
}

/// Writes one occurrence with its context.
pub fn occurrence_row(out: &mut impl Write, phrase: &str, l: &Line<'_>) -> io::Result<()> {
    let h = l.hit;
    let passage = h.passage.map(|p| p.to_string());
    row(
        out,
        &[
            Cell::Text(Some(phrase)),
            Cell::Text(Some(&h.doc_id)),
            Cell::Text(passage.as_deref()),
            Cell::Text(h.title.as_deref()),
            Cell::Text(h.date.as_deref()),
            Cell::Text(h.site.as_deref()),
            Cell::Text(Some(&h.source)),
            Cell::Text(Some(&h.section)),
            Cell::Int(l.span.0),
            Cell::Int(l.span.1),
            Cell::Text(Some(l.left)),
            Cell::Text(Some(l.matched)),
            Cell::Text(Some(l.right)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("招商引资"), "招商引资");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-5%"), "'-5%");
        assert_eq!(field("@sum"), "'@sum");
        assert_eq!(field(""), "");
    }
}
