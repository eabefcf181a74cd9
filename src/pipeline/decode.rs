//! Stage 1, decode: file bytes → UTF-8 text.
//!
//! Scraped pages arrive in any encoding (UTF-8 with or without a BOM, GBK,
//! GB18030, Big5, UTF-16), often with a `<meta charset>` that lies, sometimes
//! with a few corrupted byte runs, and sometimes they are not text at all
//! (a PDF or a DOCX saved with a `.txt` name). This module decides which
//! encoding the bytes are in, turns them into UTF-8 with `\n` line ends, and
//! counts every byte run it had to replace with U+FFFD. It must never panic,
//! never guess when the bytes say for certain (a BOM, valid UTF-8), and never
//! let a handful of bad bytes turn a whole UTF-8 file into mojibake. It knows
//! nothing about HTML structure beyond the charset declaration.
//!
//! The decision, in order:
//!
//! 1. over [`MAX_BYTES`] → [`Rejected::TooLarge`]; a known binary signature
//!    (PDF, ZIP/DOCX, OLE .doc, PNG, JPEG, GIF, ELF, gzip, …) →
//!    [`Rejected::Binary`];
//! 2. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides, and is dropped;
//! 3. bytes that read cleanly as BOM-less UTF-16 are UTF-16: NULs almost
//!    all on one side of the code units (ASCII-heavy text), or, for Chinese
//!    text with little ASCII, high bytes almost all those of Chinese text on
//!    one side and not on the other; other NUL bytes mean binary, and so does
//!    a high share of C0 control bytes;
//! 4. valid UTF-8 is UTF-8 (a page re-saved as UTF-8 often keeps its old
//!    `<meta charset=gbk>`; legacy CJK text is practically never valid UTF-8);
//! 5. a declared charset (`<meta charset>`, `<meta http-equiv … charset=>`,
//!    `<?xml … encoding=>`, in the first [`PRESCAN_BYTES`]) is used when it
//!    decodes the bytes cleanly;
//! 6. bytes that are *mostly* UTF-8 (few invalid runs among the non-ASCII
//!    characters) are UTF-8 with replacement;
//! 7. otherwise `chardetng` guesses, from the bytes up to the first line end
//!    after 4,096 non-ASCII bytes (from all of them if that
//!    guess meets malformed bytes further on); a declaration that decodes
//!    mostly cleanly is kept over the guess, one that does not loses to a
//!    guess that decodes with fewer malformed runs.
//!
//! `GBK` bytes that hold GB18030 four-byte sequences are reported as
//! `gb18030` (the WHATWG GBK decoder is the gb18030 decoder, so the text is
//! the same either way).

use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    DecoderResult, Encoding, GB18030, GBK, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252,
    X_USER_DEFINED,
};
use regex::bytes::Regex;

/// Files larger than this are refused (speech pages are kilobytes; a file this
/// big is a dump or a binary, and would hold the whole pipeline up).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// How many bytes at the start of a file are searched for a declared charset.
///
/// Browsers look at the first 1024 bytes; Chinese portal pages often put
/// kilobytes of comments, scripts and styles before their `<meta>`, so we
/// look further.
pub const PRESCAN_BYTES: usize = 8 * 1024;

/// Decoded text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without any byte-order mark; line ends normalised to `\n`.
    pub text: String,
    /// WHATWG name of the encoding used (`UTF-8`, `GBK`, `gb18030`, `Big5`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// How many malformed byte runs were replaced with U+FFFD.
    pub replaced: usize,
}

/// Why bytes were refused as text. Displays as one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    /// Zero bytes, or only a BOM.
    #[error("the file is empty")]
    Empty,
    /// Text, but only whitespace (spaces, line ends, `　`).
    #[error("the file holds only whitespace")]
    Blank,
    /// Over [`MAX_BYTES`].
    #[error("the file is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit, [`MAX_BYTES`].
        limit: usize,
    },
    /// Looks like a binary file, not text.
    #[error("the file is binary, not text ({why})")]
    Binary {
        /// What gave it away, e.g. "NUL bytes at offset 12".
        why: String,
    },
    /// Not a regular file: a FIFO, socket or device (never read: it could
    /// block forever or never end).
    #[error("it is {kind}, not a regular file")]
    NotRegular {
        /// What it is: "a FIFO", "a socket", "a character device", …
        kind: &'static str,
    },
    /// The pipeline did not finish within the per-file budget
    /// ([`crate::pipeline::FILE_BUDGET`]).
    #[error(
        "the file took longer than {} s to clean (the per-file limit); skipped",
        limit.as_secs()
    )]
    TookTooLong {
        /// The budget it exceeded.
        limit: std::time::Duration,
    },
}

/// Decodes the bytes of one file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Rejected> {
    if bytes.len() > MAX_BYTES {
        return Err(Rejected::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(Rejected::Empty);
    }
    if let Some(kind) = magic_number(bytes) {
        return Err(binary(format!("it starts with a {kind} signature")));
    }

    let (encoding, text, replaced) = if let Some((encoding, bom_len)) = sniff_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding == UTF_8 {
            check_binary_bytes(body)?;
        }
        let (text, replaced) = decode_counting(encoding, body);
        if encoding != UTF_8 {
            check_binary_chars(&text)?;
        }
        (encoding, text, replaced)
    } else if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        match bomless_utf16(bytes) {
            Some((encoding, text)) => (encoding, text, 0),
            None => {
                let count = bytes.iter().filter(|&&b| b == 0).count();
                return Err(binary(format!(
                    "{count} NUL byte{}, the first at offset {nul}",
                    if count == 1 { "" } else { "s" }
                )));
            }
        }
    } else if let Some((encoding, text)) = bomless_utf16(bytes) {
        (encoding, text, 0)
    } else {
        check_binary_bytes(bytes)?;
        let (encoding, text, replaced) = choose_encoding(bytes);
        (name_gbk_family(encoding, bytes), text, replaced)
    };

    let text = normalize_newlines(text.trim_start_matches('\u{feff}'));
    if text.is_empty() {
        return Err(Rejected::Empty);
    }
    if text.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
        return Err(Rejected::Blank);
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        replaced,
    })
}

fn binary(why: String) -> Rejected {
    Rejected::Binary { why }
}

/// Well-known signatures of binary formats that get saved with text names.
const MAGIC_NUMBERS: &[(&[u8], &str)] = &[
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX/XLSX"),
    (b"PK\x05\x06", "ZIP"),
    (b"PK\x07\x08", "ZIP"),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "OLE/DOC/XLS"),
    (b"\x89PNG\r\n\x1A\n", "PNG"),
    (b"\xFF\xD8\xFF", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x7FELF", "ELF"),
    (b"\x1F\x8B", "gzip"),
    (b"BZh91AY&SY", "bzip2"),
    (b"\xFD7zXZ\x00", "xz"),
    (b"\x28\xB5\x2F\xFD", "zstd"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip"),
    (b"Rar!\x1A\x07", "RAR"),
    (b"{\\rtf", "RTF"),
];

/// Names the binary format whose signature starts `bytes`, if any.
fn magic_number(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some("WebP");
    }
    MAGIC_NUMBERS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, kind)| kind)
}

/// The encoding a byte-order mark announces, and the mark's length.
fn sniff_bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// Whether a byte (or char) below U+0020 is a control that text does not hold.
fn is_stray_control(c: u32) -> bool {
    c < 0x20 && !matches!(c, 0x09 | 0x0A | 0x0C | 0x0D | 0x1B)
}

/// Above this share of stray C0 controls (one in twenty), text is binary.
fn too_many_controls(controls: usize, total: usize) -> bool {
    controls > 0 && controls.saturating_mul(20) > total
}

fn controls_message(controls: usize, total: usize) -> String {
    let percent = controls.saturating_mul(100) / total.max(1);
    format!("{percent}% of its {total} bytes are control characters")
}

/// Binary checks for ASCII-compatible bytes: NULs and stray C0 controls.
///
/// In UTF-8, GBK, GB18030 and Big5, a byte below 0x20 is always that ASCII
/// control (no multi-byte sequence uses such a byte), so counting bytes is
/// counting characters.
fn check_binary_bytes(bytes: &[u8]) -> Result<(), Rejected> {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let count = bytes.iter().filter(|&&b| b == 0).count();
        return Err(binary(format!(
            "{count} NUL byte{}, the first at offset {nul}",
            if count == 1 { "" } else { "s" }
        )));
    }
    let controls = bytes
        .iter()
        .filter(|&&b| is_stray_control(u32::from(b)))
        .count();
    if too_many_controls(controls, bytes.len()) {
        return Err(binary(controls_message(controls, bytes.len())));
    }
    Ok(())
}

/// Binary checks on decoded UTF-16 text: U+0000 or stray C0 controls.
fn check_binary_chars(text: &str) -> Result<(), Rejected> {
    if let Some(nul) = text.chars().position(|c| c == '\0') {
        return Err(binary(format!(
            "NUL characters, the first at character {nul}"
        )));
    }
    let total = text.chars().count();
    let controls = text
        .chars()
        .filter(|&c| is_stray_control(u32::from(c)))
        .count();
    if too_many_controls(controls, total) {
        let percent = controls.saturating_mul(100) / total.max(1);
        return Err(binary(format!(
            "{percent}% of its {total} characters are control characters"
        )));
    }
    Ok(())
}

/// Reads BOM-less UTF-16 text: the NUL bytes (high bytes of ASCII code units)
/// sit almost all at odd offsets (LE) or even offsets (BE), or, with few
/// NULs, the high bytes are those of Chinese text ([`chinese_byte_order`]);
/// and the bytes decode without a single malformed unit into text that
/// passes the binary checks. Anything else with NULs is binary.
fn bomless_utf16(bytes: &[u8]) -> Option<(&'static Encoding, String)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i.is_multiple_of(2) {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    // The other side may hold a few NULs: U+4E00 一 is 00 4E in UTF-16BE.
    let encoding = if odd >= 8 * even.max(1) {
        UTF_16LE
    } else if even >= 8 * odd.max(1) {
        UTF_16BE
    } else {
        chinese_byte_order(bytes)?
    };
    let (text, replaced) = decode_counting(encoding, bytes);
    if replaced > 0 || check_binary_chars(&text).is_err() {
        return None;
    }
    Some((encoding, text))
}

/// Whether a UTF-16 code unit with this high byte is one Chinese text is
/// made of: ASCII and Latin-1 (00), general punctuation, letterlike
/// symbols, arrows, enclosed numbers, box drawing and shapes (20–27: `“”—…
/// ①■★`), CJK punctuation, kana, bopomofo and enclosed CJK (30–33: `、。《》
/// ㈠`), CJK unified ideographs (4E–9F), CJK compatibility and full-width
/// forms (FE–FF: `，：！（）`).
fn chinese_high_byte(b: u8) -> bool {
    matches!(b, 0x00 | 0x20..=0x27 | 0x30..=0x33 | 0x4E..=0x9F | 0xFE | 0xFF)
}

/// At least this many code units before the shape of the bytes says UTF-16.
const UTF16_MIN_UNITS: usize = 8;

/// The byte order of BOM-less UTF-16 Chinese text, told from its shape when
/// NUL bytes are too few to tell (text with little or no ASCII): in that
/// order at least 95% of the code units have a high byte of Chinese text
/// ([`chinese_high_byte`]), in the other at most 60% (low bytes of
/// ideographs are spread over all 256 values, so about 40% do by chance).
/// GBK, GB18030 and Big5 lead bytes (81–FE, mostly B0–F9) and UTF-8 lead
/// bytes (E0–EF) are not such high bytes, and ASCII text scores alike in
/// both orders, so legacy and UTF-8 pages never pass; valid UTF-8 is never
/// even tried.
fn chinese_byte_order(bytes: &[u8]) -> Option<&'static Encoding> {
    let units = bytes.len() / 2;
    if units < UTF16_MIN_UNITS || std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        if let [low, high] = *pair {
            le += usize::from(chinese_high_byte(high));
            be += usize::from(chinese_high_byte(low));
        }
    }
    let mostly = |n: usize| n.saturating_mul(100) >= units.saturating_mul(95);
    let at_most_chance = |n: usize| n.saturating_mul(100) <= units.saturating_mul(60);
    if mostly(le) && at_most_chance(be) {
        Some(UTF_16LE)
    } else if mostly(be) && at_most_chance(le) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes with `encoding` (no BOM handling), replacing each malformed byte
/// run with one U+FFFD and counting them.
fn decode_counting(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut rest = bytes;
    let mut replaced = 0;
    loop {
        let needed = decoder
            .max_utf8_buffer_length_without_replacement(rest.len())
            .unwrap_or_else(|| rest.len().saturating_mul(3))
            .max(16);
        text.reserve(needed);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(_, _) => {
                replaced += 1;
                text.push('\u{fffd}');
            }
        }
    }
    (text, replaced)
}

/// Non-ASCII characters in `text` that are not replacements we made.
fn real_non_ascii(text: &str, replaced: usize) -> usize {
    text.chars()
        .filter(|c| !c.is_ascii())
        .count()
        .saturating_sub(replaced)
}

/// A decoding is "mostly clean" when its malformed runs are at most one in
/// six of the non-ASCII characters it produced. Legacy CJK bytes read as
/// UTF-8 fail by far (nine runs in ten are invalid); a UTF-8 file with a few
/// cut or corrupted characters passes.
fn mostly_clean(text: &str, replaced: usize) -> bool {
    replaced.saturating_mul(5) <= real_non_ascii(text, replaced)
}

/// Below this many non-ASCII characters, valid UTF-8 does not outvote a
/// declaration that decodes cleanly (a few GBK bytes can be valid UTF-8 by
/// chance; a sentence cannot).
const UTF8_OUTVOTES_DECLARATION: usize = 4;

/// Picks the encoding of BOM-less, non-binary bytes (rules 4–7 of the module
/// documentation), and returns the bytes decoded with it (and the malformed
/// runs replaced): each decoding made to decide is kept, not made again.
fn choose_encoding(bytes: &[u8]) -> (&'static Encoding, String, usize) {
    let declared = declared_encoding(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
        if let Some(d) = declared.filter(|&d| d != UTF_8 && non_ascii < UTF8_OUTVOTES_DECLARATION) {
            let (d_text, d_replaced) = decode_counting(d, bytes);
            if d_replaced == 0 {
                return (d, d_text, 0);
            }
        }
        return (UTF_8, text.to_owned(), 0);
    }
    let declared = declared.map(|d| {
        let (text, replaced) = decode_counting(d, bytes);
        let clean = mostly_clean(&text, replaced);
        (d, text, replaced, clean)
    });
    let declared = match declared {
        Some((d, text, 0, _)) => return (d, text, 0),
        other => other,
    };
    let (utf8_text, utf8_replaced) = decode_counting(UTF_8, bytes);
    if mostly_clean(&utf8_text, utf8_replaced) {
        return (UTF_8, utf8_text, utf8_replaced);
    }
    let (guess, guess_text, guess_replaced) = guess_and_decode(bytes);
    match declared {
        None => (guess, guess_text, guess_replaced),
        Some((d, text, replaced, true)) => (d, text, replaced),
        Some((d, text, replaced, false)) => {
            if guess != d && guess_replaced < replaced {
                (guess, guess_text, guess_replaced)
            } else {
                (d, text, replaced)
            }
        }
    }
}

/// Non-ASCII bytes `chardetng` reads before it guesses (about 2,000 CJK
/// chars): the rest of a long page does not change its guess (on the 2,526
/// undeclared legacy pages of the 200 MB benchmark corpus, not one guess
/// changed even at 1,024), and reading it was a tenth of an ingest's work.
const GUESS_NON_ASCII: usize = 4096;

/// The bytes `chardetng` reads: up to the first line end after
/// [`GUESS_NON_ASCII`] non-ASCII bytes, or all of them. A line end is a char
/// boundary in every encoding guessed here (no trail byte is below 0x30), so
/// the sample never ends inside a char, which would count against the right
/// encoding.
fn guess_sample(bytes: &[u8]) -> &[u8] {
    let mut non_ascii = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x80 {
            non_ascii += 1;
        } else if b == b'\n' && non_ascii >= GUESS_NON_ASCII {
            return bytes.get(..=i).unwrap_or(bytes);
        }
    }
    bytes
}

/// `chardetng`'s guess from a sample of the bytes, and the bytes decoded
/// with it. Should the guess meet malformed bytes past the sample, the
/// guess from all the bytes is taken instead.
fn guess_and_decode(bytes: &[u8]) -> (&'static Encoding, String, usize) {
    let sample = guess_sample(bytes);
    let guess = guess_encoding(sample);
    let (text, replaced) = decode_counting(guess, bytes);
    if replaced == 0 || sample.len() == bytes.len() {
        return (guess, text, replaced);
    }
    let whole = guess_encoding(bytes);
    if whole == guess {
        return (guess, text, replaced);
    }
    let (whole_text, whole_replaced) = decode_counting(whole, bytes);
    (whole, whole_text, whole_replaced)
}

/// What `chardetng` makes of the bytes.
fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    // `None`: we do not know the page's domain; UTF-8 was ruled out before.
    detector.guess(None, Utf8Detection::Deny)
}

/// `GBK` becomes `gb18030` when the bytes use GB18030 four-byte sequences.
fn name_gbk_family(encoding: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    if encoding == GBK && has_gb18030_four_byte(bytes) {
        GB18030
    } else {
        encoding
    }
}

/// Whether GBK-family bytes hold a four-byte sequence (lead, digit, lead, digit).
fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if !(0x81..=0xFE).contains(&b) {
            i += 1;
            continue;
        }
        match (bytes.get(i + 1), bytes.get(i + 2), bytes.get(i + 3)) {
            (Some(0x30..=0x39), Some(0x81..=0xFE), Some(0x30..=0x39)) => return true,
            (Some(0x30..=0x39), _, _) => i += 1,
            _ => i += 2,
        }
    }
    false
}

/// `<meta … charset=LABEL` (either form of the meta tag) in bytes of any
/// encoding: ASCII-only case-insensitive, any byte inside the tag.
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern, covered by the tests: it cannot fail to compile.
    Regex::new(r#"(?i-u)<meta[\s/][^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
        .expect("literal regex")
});

/// `<?xml … encoding="LABEL"` at the very start (XHTML pages).
static XML_ENCODING: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern, covered by the tests: it cannot fail to compile.
    Regex::new(r#"(?i-u)\A\s*<\?xml[^>]*?encoding\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
        .expect("literal regex")
});

/// `<!-- … -->`, or an unclosed comment running to the end.
static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern, covered by the tests: it cannot fail to compile.
    Regex::new(r"(?s-u)<!--.*?(?:-->|\z)").expect("literal regex")
});

/// The charset a page declares in its first [`PRESCAN_BYTES`], mapped as the
/// WHATWG prescan does: labels through `Encoding::for_label` (gb2312 → GBK),
/// UTF-16 → UTF-8 (a declaration cannot be read in UTF-16 bytes),
/// x-user-defined → windows-1252; unknown labels and the `replacement`
/// encoding count as no declaration. Declarations inside comments are
/// ignored.
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = bytes.get(..PRESCAN_BYTES).unwrap_or(bytes);
    let comments: Vec<(usize, usize)> = COMMENT
        .find_iter(window)
        .map(|m| (m.start(), m.end()))
        .collect();
    let in_comment = |at: usize| comments.iter().any(|&(s, e)| s <= at && at < e);
    let label = XML_ENCODING
        .captures(window)
        .into_iter()
        .chain(
            META_CHARSET
                .captures_iter(window)
                .filter(|c| c.get(0).is_some_and(|m| !in_comment(m.start()))),
        )
        .find_map(|c| c.get(1).and_then(|m| Encoding::for_label(m.as_bytes())))?;
    if label == REPLACEMENT {
        None
    } else if label == UTF_16LE || label == UTF_16BE {
        Some(UTF_8)
    } else if label == X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else {
        Some(label)
    }
}

/// `\r\n` and lone `\r` become `\n`.
fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            out.push('\n');
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::BIG5;
    use proptest::prelude::*;

    const BOM_CHAR: char = '\u{feff}';

    const SIMPLIFIED: &str = "同志们：今天我们召开全市招商引资攻坚大会，进一步推进“双过半”目标（2024年）。营商环境 OK，亩均效益 100%！";
    const TRADITIONAL: &str = "同志們：今天我們召開全市招商引資攻堅大會，進一步推進「雙過半」目標（2024年）。營商環境 OK，畝均效益 100%！";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "sample not representable in {}",
            encoding.name()
        );
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian { b"\xFE\xFF" } else { b"\xFF\xFE" });
        }
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&pair);
        }
        out
    }

    fn ok(bytes: &[u8]) -> Decoded {
        match decode(bytes) {
            Ok(decoded) => decoded,
            Err(e) => panic!("rejected: {e}"),
        }
    }

    fn why_binary(bytes: &[u8]) -> String {
        match decode(bytes) {
            Err(Rejected::Binary { why }) => why,
            other => panic!("expected Binary, got {other:?}"),
        }
    }

    #[test]
    fn utf8_without_bom() {
        let d = ok(SIMPLIFIED.as_bytes());
        assert_eq!(
            (d.text.as_str(), d.encoding, d.replaced),
            (SIMPLIFIED, "UTF-8", 0)
        );
    }

    #[test]
    fn utf8_with_bom_drops_the_bom() {
        let bytes = [b"\xEF\xBB\xBF".as_slice(), TRADITIONAL.as_bytes()].concat();
        let d = ok(&bytes);
        assert_eq!((d.text.as_str(), d.encoding), (TRADITIONAL, "UTF-8"));
    }

    #[test]
    fn gbk_detected() {
        let d = ok(&encode(GBK, SIMPLIFIED));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.replaced),
            (SIMPLIFIED, "GBK", 0)
        );
    }

    #[test]
    fn gb18030_four_byte_detected() {
        let text = format!("{SIMPLIFIED}生僻字𠀀与㐀。");
        let bytes = encode(GB18030, &text);
        assert!(bytes.windows(4).any(|w| w == b"\x95\x32\x82\x36"));
        let d = ok(&bytes);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.replaced),
            (text.as_str(), "gb18030", 0)
        );
    }

    #[test]
    fn big5_detected() {
        let d = ok(&encode(BIG5, TRADITIONAL));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.replaced),
            (TRADITIONAL, "Big5", 0)
        );
    }

    /// `lines` copies of `text`, one per line.
    fn page(text: &str, lines: usize) -> String {
        format!("{text}\n").repeat(lines)
    }

    #[test]
    fn long_pages_are_guessed_from_a_sample_that_ends_at_a_line_end() {
        for (encoding, text, name) in [(GBK, SIMPLIFIED, "GBK"), (BIG5, TRADITIONAL, "Big5")] {
            let text = page(text, 200);
            let bytes = encode(encoding, &text);
            let sample = super::guess_sample(&bytes);
            assert!(
                sample.len() < bytes.len() / 2,
                "{name}: sample of {}",
                sample.len()
            );
            assert!(sample.ends_with(b"\n"));
            assert!(sample.iter().filter(|&&b| b >= 0x80).count() >= super::GUESS_NON_ASCII);
            let d = ok(&bytes);
            assert_eq!(
                (d.text.as_str(), d.encoding, d.replaced),
                (text.as_str(), name, 0)
            );
        }
    }

    #[test]
    fn a_sample_guess_that_breaks_further_on_yields_to_the_guess_from_all_bytes() {
        // Big5 for the sample, then a long GBK part that Big5 cannot read.
        let head = encode(BIG5, &page(TRADITIONAL, 60));
        let tail = encode(GBK, &page(SIMPLIFIED, 600));
        let bytes = [head.as_slice(), tail.as_slice()].concat();
        let sample = super::guess_sample(&bytes);
        assert!(sample.len() <= head.len());
        assert_eq!(super::guess_encoding(sample), BIG5);
        let whole = super::guess_encoding(&bytes);
        assert_ne!(whole, BIG5);
        let d = ok(&bytes);
        assert_eq!(d.encoding, whole.name());
        assert_eq!(d.replaced, super::decode_counting(whole, &bytes).1);
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
            let d = ok(&utf16(TRADITIONAL, big_endian, true));
            assert_eq!(
                (d.text.as_str(), d.encoding, d.replaced),
                (TRADITIONAL, name, 0)
            );
        }
    }

    #[test]
    fn utf16_without_bom_is_read_not_rejected() {
        let text = "一、招商引资 (2024)\n二、营商环境\n";
        for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
            let d = ok(&utf16(text, big_endian, false));
            assert_eq!((d.text.as_str(), d.encoding), (text, name));
        }
    }

    /// Chinese text with no ASCII at all (so no NUL byte in UTF-16).
    const ONLY_CJK: &str = "同志们：今天我们召开全市招商引资攻坚大会，进一步推进“双过半”目标。营商环境持续优化，亩均效益稳步提升！";

    /// Mostly ASCII, a little Chinese.
    const ASCII_HEAVY: &str = "Work report 2024, section 3: investment promotion (招商引资) grew by 12.5% year on year; see http://example.gov.cn/report.\n";

    #[test]
    fn utf16_without_bom_chinese_or_ascii_heavy_both_orders() {
        let cases = [
            ("only CJK", ONLY_CJK.repeat(3)),
            ("only CJK, short", ONLY_CJK.chars().take(12).collect()),
            ("Simplified", page(SIMPLIFIED, 3)),
            ("Traditional", page(TRADITIONAL, 3)),
            ("ASCII-heavy", page(ASCII_HEAVY, 3)),
        ];
        for (what, text) in &cases {
            for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
                let d = ok(&utf16(text, big_endian, false));
                assert_eq!(
                    (d.text.as_str(), d.encoding, d.replaced),
                    (text.as_str(), name, 0),
                    "{what} in {name}"
                );
            }
        }
    }

    #[test]
    fn legacy_and_utf8_pages_are_never_taken_for_utf16() {
        let texts = [
            ONLY_CJK.repeat(3),
            page(SIMPLIFIED, 20),
            page(TRADITIONAL, 20),
            format!("<html><head><meta charset=gbk></head><body><p>{ONLY_CJK}</p></body></html>"),
        ];
        for text in &texts {
            for encoding in [UTF_8, GBK, GB18030, BIG5] {
                let (bytes, _, unmappable) = encoding.encode(text);
                if unmappable {
                    continue;
                }
                let d = ok(&bytes);
                assert!(
                    !d.encoding.starts_with("UTF-16"),
                    "{} bytes read as {}",
                    encoding.name(),
                    d.encoding
                );
                assert_eq!(d.text, *text, "{}", encoding.name());
            }
        }
        // Cut UTF-8 (invalid, odd or even length) is still UTF-8.
        let bytes = ONLY_CJK.repeat(3).into_bytes();
        for cut in 1..=4 {
            let d = ok(&bytes[..bytes.len() - cut]);
            assert_eq!(d.encoding, "UTF-8", "cut by {cut}");
        }
    }

    #[test]
    fn html_meta_charset_gbk() {
        let page = format!(
            "<html><head><meta charset=gbk><title>讲话</title></head><body><p>{SIMPLIFIED}</p></body></html>"
        );
        let d = ok(&encode(GBK, &page));
        assert_eq!((d.text.as_str(), d.encoding), (page.as_str(), "GBK"));
    }

    #[test]
    fn html_http_equiv_gb2312_maps_to_gbk() {
        let page = format!(
            "<HTML><HEAD>\r\n<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GB2312'>\r\n</HEAD><BODY>{SIMPLIFIED}</BODY></HTML>"
        );
        let d = ok(&encode(GBK, &page));
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, page.replace("\r\n", "\n"));
    }

    #[test]
    fn html_meta_big5_quoted() {
        let page = format!(
            "<meta http-equiv=\"Content-Type\" content=\"text/html;charset=big5\" /><p>{TRADITIONAL}</p>"
        );
        let d = ok(&encode(BIG5, &page));
        assert_eq!((d.text.as_str(), d.encoding), (page.as_str(), "Big5"));
    }

    #[test]
    fn html_without_declaration_is_detected() {
        let page = format!("<html><body><div>{SIMPLIFIED}</div><p>{SIMPLIFIED}</p></body></html>");
        let d = ok(&encode(GBK, &page));
        assert_eq!((d.text.as_str(), d.encoding), (page.as_str(), "GBK"));
    }

    #[test]
    fn lying_declaration_loses_to_valid_utf8() {
        let page =
            format!("<html><head><meta charset=\"gbk\"></head><body>{SIMPLIFIED}</body></html>");
        let d = ok(page.as_bytes());
        assert_eq!(
            (d.text.as_str(), d.encoding, d.replaced),
            (page.as_str(), "UTF-8", 0)
        );
    }

    #[test]
    fn declared_utf8_but_gbk_bytes_is_detected() {
        let page = format!("<meta charset=utf-8><p>{SIMPLIFIED}</p><p>{SIMPLIFIED}</p>");
        let d = ok(&encode(GBK, &page));
        assert_eq!((d.text.as_str(), d.encoding), (page.as_str(), "GBK"));
    }

    #[test]
    fn declared_gbk_with_a_corrupt_byte_stays_gbk() {
        let head = encode(GBK, &format!("<meta charset=gb2312><p>{SIMPLIFIED}"));
        let tail = encode(GBK, &format!("{SIMPLIFIED}</p>"));
        let bytes = [head.as_slice(), b"\xFF", &tail].concat();
        let d = ok(&bytes);
        assert_eq!((d.encoding, d.replaced), ("GBK", 1));
        assert_eq!(
            d.text,
            format!("<meta charset=gb2312><p>{SIMPLIFIED}\u{fffd}{SIMPLIFIED}</p>")
        );
    }

    #[test]
    fn declaration_in_a_comment_is_ignored() {
        assert_eq!(
            declared_encoding(b"<!-- <meta charset=big5> --><meta charset=gbk>"),
            Some(GBK)
        );
        assert_eq!(declared_encoding(b"<!-- <meta charset=big5>"), None);
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding='GB2312'?>"),
            Some(GBK)
        );
        assert_eq!(declared_encoding(b"<meta charset=\"utf-16\">"), Some(UTF_8));
        assert_eq!(declared_encoding(b"<meta charset=nonsense>"), None);
    }

    #[test]
    fn ascii_with_declaration_reports_the_declaration() {
        let d = ok(b"<meta charset=gb18030><p>hello</p>");
        assert_eq!(d.encoding, "gb18030");
    }

    #[test]
    fn mostly_utf8_keeps_utf8_and_counts_runs() {
        let good = SIMPLIFIED.as_bytes();
        // Three corrupted runs: a lone continuation byte, a truncated
        // three-byte sequence, and two invalid bytes in a row.
        let bytes = [
            good,
            b"\x80",
            good,
            b"\xE6\x8B",
            b"\n",
            good,
            b"\xFF\xFE",
            good,
        ]
        .concat();
        let d = ok(&bytes);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 4, "\\xFF and \\xFE are two runs: {:?}", d.text);
        let pieces: Vec<&str> = d.text.split('\u{fffd}').collect();
        let second = format!("\n{SIMPLIFIED}");
        assert_eq!(pieces, [SIMPLIFIED, SIMPLIFIED, &second, "", SIMPLIFIED]);
    }

    #[test]
    fn cut_last_character_is_one_run() {
        let mut bytes = SIMPLIFIED.as_bytes().to_vec();
        bytes.extend_from_slice("招".as_bytes().get(..2).unwrap_or_default());
        let d = ok(&bytes);
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 1));
        assert_eq!(d.text, format!("{SIMPLIFIED}\u{fffd}"));
    }

    #[test]
    fn replacement_characters_in_valid_utf8_are_not_malformed() {
        let text = "段落被截断了�\n下一段。";
        let d = ok(text.as_bytes());
        assert_eq!((d.text.as_str(), d.replaced), (text, 0));
    }

    #[test]
    fn line_ends_are_normalised() {
        let d = ok("一\r\n二\r三\n\r\n四".as_bytes());
        assert_eq!(d.text, "一\n二\n三\n\n四");
        let d = ok(&encode(GBK, &format!("{SIMPLIFIED}\r\n{SIMPLIFIED}\r")));
        assert_eq!(d.text, format!("{SIMPLIFIED}\n{SIMPLIFIED}\n"));
    }

    #[test]
    fn empty_inputs() {
        for bytes in [b"".as_slice(), b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"] {
            assert_eq!(decode(bytes), Err(Rejected::Empty), "{bytes:?}");
        }
    }

    #[test]
    fn whitespace_only_has_its_own_reason() {
        let utf16_blank = utf16(" \n\u{3000}\t\n", false, true);
        for bytes in [
            b"  \n\t\r\n ".as_slice(),
            b"\xEF\xBB\xBF \n",
            "\u{3000}\n".as_bytes(),
            &utf16_blank,
        ] {
            assert_eq!(decode(bytes), Err(Rejected::Blank), "{bytes:?}");
        }
        assert_eq!(
            Rejected::Blank.to_string(),
            "the file holds only whitespace"
        );
        assert_ne!(Rejected::Blank.to_string(), Rejected::Empty.to_string());
    }

    #[test]
    fn too_large() {
        let bytes = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(
            decode(&bytes),
            Err(Rejected::TooLarge {
                size: MAX_BYTES as u64 + 1,
                limit: MAX_BYTES
            })
        );
        assert!(decode(&bytes[..MAX_BYTES]).is_ok());
    }

    #[test]
    fn nul_bytes_are_binary() {
        let why = why_binary(b"abc\0def\0\0 some text");
        assert_eq!(why, "3 NUL bytes, the first at offset 3");
        // Behind a UTF-16 BOM, NUL bytes are normal; NUL characters are not.
        assert!(why_binary(b"\xFF\xFEa\0\0\0\0\0b\0").contains("NUL characters"));
        // Neither UTF-16 shape: NULs on both sides.
        assert!(why_binary(b"a\0\0b\0c\0\0d\0\0e").contains("NUL bytes"));
    }

    #[test]
    fn magic_numbers_are_binary() {
        for (bytes, kind) in [
            (b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR".as_slice(), "PNG"),
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3", "PDF"),
            (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", "OLE"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "JPEG"),
            (b"GIF89a\x01\0\x01\0", "GIF"),
            (b"\x7FELF\x02\x01\x01", "ELF"),
            (b"\x1F\x8B\x08\0", "gzip"),
        ] {
            let why = why_binary(bytes);
            assert!(why.contains(kind), "{why}");
        }
    }

    #[test]
    fn random_bytes_are_binary() {
        // A fixed pseudo-random sequence (xorshift), with and without NULs.
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let random: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[3]
            })
            .collect();
        assert!(why_binary(&random).contains("NUL"));
        let no_nul: Vec<u8> = random.iter().map(|&b| b.max(1)).collect();
        assert!(why_binary(&no_nul).ends_with("% of its 4096 bytes are control characters"));
    }

    #[test]
    fn a_few_controls_are_text() {
        let text = format!("{SIMPLIFIED}\x0b{SIMPLIFIED}\x1b[0m\x0c");
        assert_eq!(ok(text.as_bytes()).text, text);
    }

    #[test]
    fn messages_are_sentences() {
        let e = decode(b"\x89PNG\r\n\x1A\n").map(|_| ()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the file is binary, not text (it starts with a PNG signature)"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_never_leaves_cr(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(d) = decode(&bytes) {
                prop_assert!(!d.text.contains('\r'));
                prop_assert!(!d.text.starts_with(BOM_CHAR), "text starts with a BOM");
            }
        }

        #[test]
        fn legacy_and_cut_utf8_text_is_never_read_as_utf16(
            chars in proptest::collection::vec(
                proptest::sample::select(format!("{SIMPLIFIED}{TRADITIONAL}{ONLY_CJK}").chars().collect::<Vec<_>>()),
                8..160,
            ),
            which in 0usize..4,
            cut in 0usize..3,
        ) {
            let text: String = chars.into_iter().collect();
            let encoding = [UTF_8, GBK, BIG5, GB18030][which];
            let (bytes, _, _) = encoding.encode(&text);
            let bytes = &bytes[..bytes.len().saturating_sub(cut)];
            if let Ok(d) = decode(bytes) {
                prop_assert!(!d.encoding.starts_with("UTF-16"), "{} read as {}", encoding.name(), d.encoding);
            }
        }

        #[test]
        fn never_panics_on_text_like_bytes(
            text in "[a-z<>=\"' \r\n/!-]{0,40}(charset=(gbk|big5|utf-8|gb18030|utf-16))?[\u{4e00}-\u{4e40}。，\r\n]{0,60}",
            cut in 0usize..200,
            which in 0usize..4,
        ) {
            let encoding = [UTF_8, GBK, BIG5, GB18030][which];
            let (bytes, _, _) = encoding.encode(&text);
            let bytes = &bytes[..cut.min(bytes.len())];
            if let Ok(d) = decode(bytes) {
                prop_assert!(!d.text.contains('\r'));
            }
        }
    }
}
