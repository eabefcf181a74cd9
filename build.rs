//! Generates the first-char table of the vendored jieba dictionary, which
//! `src/index/dict.rs` includes: for each char that starts a word of
//! `data/jieba_dict.txt`, the byte range of its lines, so that looking a
//! text's words up starts from a few hundred lines instead of binary
//! searching the whole 5 MB file from every start char (about four times
//! faster on a passage). The table is checked against the file by
//! `dict::tests::the_first_char_table_covers_the_file`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    const DICT: &str = "data/jieba_dict.txt";
    println!("cargo::rerun-if-changed={DICT}");
    let text = std::fs::read_to_string(DICT).unwrap_or_else(|e| panic!("{DICT}: {e}"));
    let mut ranges: Vec<(char, usize, usize)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        // `split_inclusive` yields no empty piece.
        let first = line.chars().next().unwrap_or('\n');
        match ranges.last_mut() {
            Some(range) if range.0 == first => range.2 = end,
            _ => ranges.push((first, offset, end)),
        }
        offset = end;
    }
    let mut out = String::from("&[\n");
    for (c, start, end) in ranges {
        let _ = writeln!(out, "    ('\\u{{{:x}}}', {start}, {end}),", c as u32);
    }
    out.push_str("]\n");
    let dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = Path::new(&dir).join("dict_first_chars.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
