//! Generates two tables the library includes.
//!
//! The first-char table of the vendored jieba dictionary, which
//! `src/index/dict.rs` includes: for each char that starts a word of
//! `data/jieba_dict.txt`, the byte range of its lines, so that looking a
//! text's words up starts from a few hundred lines instead of binary
//! searching the whole 5 MB file from every start char (about four times
//! faster on a passage). The table is checked against the file by
//! `dict::tests::the_first_char_table_covers_the_file`.
//!
//! The fold table: `data/fold_chars.tsv` and the rules in code
//! (`src/fold/table.rs`) as static arrays, so folding needs no set-up at run
//! time (building them took a third of a millisecond at every start-up).
//! Checked char by char by `fold::tests::the_static_table_is_the_tsv_and_the_rules`.
//!
//! The digest of the bundled fold table, dictionary hash and policy terms,
//! which the index fingerprint includes (`index::BUNDLED_DIGEST`), checked
//! by `index::tests::the_bundled_digest_is_worked_out`.
//!
//! The GBK codes of every BMP char, which mojibake detection looks up
//! (`src/pipeline/clean/mojibake.rs`), from `src/pipeline/clean/gbk_code.rs`:
//! encoding 65,536 chars at run time took about half of `jianghua clean` on
//! one page. Checked char by char by
//! `mojibake::tests::the_static_gbk_table_is_the_encoder`, and against the
//! encoder over whole runs by `the_table_agrees_with_the_encoder`.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/fold/table.rs"]
mod fold_table;

#[path = "src/pipeline/clean/gbk_code.rs"]
mod gbk_code;

fn main() {
    let dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let dir = Path::new(&dir);
    dict_first_chars(dir);
    fold_tables(dir);
    gbk_codes(dir);
    bundled_digest(dir);
    // A position-dependent executable: the loader then has no relocations
    // to apply to its tables at every start (a PIE has tens of thousands,
    // which cost `search` and `mentions` half a millisecond per run).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}

/// Writes `fold_table.rs`: `BMP`, the folded form of every BMP code point,
/// and `ASTRAL`, the sorted `(from, to)` pairs of the astral chars that fold.
fn fold_tables(dir: &Path) {
    const TABLE: &str = "data/fold_chars.tsv";
    println!("cargo::rerun-if-changed={TABLE}");
    println!("cargo::rerun-if-changed=src/fold/table.rs");
    let text = std::fs::read_to_string(TABLE).unwrap_or_else(|e| panic!("{TABLE}: {e}"));
    let pairs = fold_table::parse_table(&text).unwrap_or_else(|e| panic!("{TABLE}: {e}"));
    let mut bmp: Vec<char> = (0..0x1_0000u32)
        .map(|u| char::from_u32(u).map_or('\u{FFFD}', fold_table::fold_width_space_case))
        .collect();
    let mut astral = Vec::new();
    for (from, to) in pairs {
        match bmp.get_mut(from as usize) {
            Some(slot) => *slot = to,
            None => astral.push((from, to)),
        }
    }
    astral.sort_unstable();
    let mut out = String::from("static BMP: [char; 0x1_0000] = [\n");
    for c in bmp {
        let _ = writeln!(out, "'\\u{{{:x}}}',", c as u32);
    }
    out.push_str("];\nstatic ASTRAL: &[(char, char)] = &[\n");
    for (from, to) in astral {
        let _ = writeln!(
            out,
            "('\\u{{{:x}}}', '\\u{{{:x}}}'),",
            from as u32, to as u32
        );
    }
    out.push_str("];\n");
    let path = dir.join("fold_table.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Writes `gbk_codes.rs`: `GBK_CODES`, the [`gbk_code::gbk_code`] of every
/// BMP char (0 for the surrogate gap).
fn gbk_codes(dir: &Path) {
    println!("cargo::rerun-if-changed=src/pipeline/clean/gbk_code.rs");
    let mut out = String::from("static GBK_CODES: [u16; 0x1_0000] = [\n");
    for u in 0..0x1_0000u32 {
        let code = char::from_u32(u).map_or(0, gbk_code::gbk_code);
        let _ = writeln!(out, "{code},");
    }
    out.push_str("];\n");
    let path = dir.join("gbk_codes.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Writes `bundled_digest.rs`: the BLAKE3 digest of what the binary
/// bundles that decides how text is folded and tokenized (the fold table,
/// the hash of jieba's dictionary, the policy terms), which the index
/// fingerprint hashes with the schema version and the user dictionary
/// (`index::fingerprint`): hashing the 57 KB at every start took 60 µs of
/// each `mentions`.
fn bundled_digest(dir: &Path) {
    const FOLD: &str = "data/fold_chars.tsv";
    const DICT: &str = "data/jieba_dict.txt";
    const TERMS: &str = "data/policy_terms.txt";
    let read = |path: &str| {
        println!("cargo::rerun-if-changed={path}");
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let mut h = blake3::Hasher::new();
    h.update(&read(FOLD));
    h.update(b"\0");
    h.update(blake3::hash(&read(DICT)).to_hex().as_bytes());
    h.update(b"\0");
    h.update(&read(TERMS));
    let out = format!("{:?}\n", h.finalize().as_bytes());
    let path = dir.join("bundled_digest.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Writes `dict_first_chars.rs`: for each first char of the jieba
/// dictionary's lines, the byte range of those lines.
fn dict_first_chars(dir: &Path) {
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
    let path = dir.join("dict_first_chars.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
