//! jieba's dictionary, vendored as `data/jieba_dict.txt`, and a view of it
//! that finds the entries a text can use without parsing the whole file.
//!
//! The file is jieba-rs 0.11's `dict.txt` unchanged: one `word freq tag`
//! line per word, 349,045 lines sorted bytewise by word, so the lines whose
//! words start with a given prefix are contiguous. Both the indexing
//! tokenizer and the query path read this copy, so there is one source of
//! truth for how text is segmented.
//!
//! Parsing it into a `Jieba` takes about 100 ms, which ingest pays once but
//! a command that segments a few short texts must not. [`words_in`] instead
//! binary-searches the compiled-in text: from each start char of the text it
//! narrows the range of lines whose words begin with the text from there,
//! one char at a time, until the range is empty. Nothing is parsed or built
//! beforehand.
//!
//! The file is never edited by hand: [`BLAKE3`], [`TOTAL`] and [`ENTRIES`]
//! are checked against it by the tests below, and [`BLAKE3`] is part of the
//! index fingerprint, so a new dictionary asks for `rebuild`.

/// The dictionary text (`word freq tag` lines, sorted bytewise by word).
pub const TEXT: &str = include_str!("../../data/jieba_dict.txt");

/// The BLAKE3 hash of [`TEXT`] (checked by a test, hashed into the index
/// fingerprint so that opening an index need not hash 5 MB).
pub const BLAKE3: &str = "1c058a6efb6f0b874844e5b732cb9b59687ffaf152b3ebecb4956587b185293f";

/// The sum of the frequencies of [`TEXT`], jieba's `total` for it.
pub const TOTAL: usize = 60_101_964;

/// The number of entries (lines) of [`TEXT`].
pub const ENTRIES: usize = 349_045;

/// One dictionary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The word.
    pub word: &'static str,
    /// Its frequency.
    pub freq: usize,
    /// Its part-of-speech tag.
    pub tag: &'static str,
}

/// The byte offset where the line holding byte `pos` starts.
fn line_start(pos: usize) -> usize {
    TEXT.as_bytes()[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// The byte offset of the line after the one starting at `start`.
fn next_line(start: usize) -> usize {
    TEXT[start..]
        .find('\n')
        .map_or(TEXT.len(), |i| start + i + 1)
}

/// The word of the line starting at `start`.
fn word_at(start: usize) -> &'static str {
    let rest = &TEXT[start..];
    &rest[..rest.find(' ').unwrap_or(rest.len())]
}

/// The entry of the line starting at `start`.
fn entry_at(start: usize) -> Entry {
    let line = &TEXT[start..next_line(start)];
    let mut parts = line.split_ascii_whitespace();
    let word = parts.next().unwrap_or_default();
    // Every line has a whole-number frequency (checked by a test).
    let freq = parts.next().and_then(|f| f.parse().ok()).unwrap_or(0);
    let tag = parts.next().unwrap_or_default();
    Entry { word, freq, tag }
}

/// The first line in the line-aligned byte range `lo..hi` whose word is not
/// `before`; `before` must hold for a prefix of the range's lines.
fn partition(mut lo: usize, mut hi: usize, before: impl Fn(&str) -> bool) -> usize {
    while lo < hi {
        let mid = line_start(lo + (hi - lo) / 2);
        if before(word_at(mid)) {
            lo = next_line(mid);
        } else {
            hi = mid;
        }
    }
    lo
}

/// Narrows a line-aligned byte range whose words all start with a prefix
/// of `prefix` to the lines whose words start with `prefix`.
fn narrow(lo: usize, hi: usize, prefix: &str) -> (usize, usize) {
    let lo = partition(lo, hi, |w| w < prefix);
    let hi = partition(lo, hi, |w| w.starts_with(prefix));
    (lo, hi)
}

/// The entry of a word, if the dictionary has it.
pub fn get(word: &str) -> Option<Entry> {
    let (lo, hi) = narrow(0, TEXT.len(), word);
    (lo < hi && word_at(lo) == word).then(|| entry_at(lo))
}

/// Every dictionary entry whose word occurs in `text`, sorted by word, each
/// once.
pub fn words_in(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, _) in text.char_indices() {
        let (mut lo, mut hi) = (0, TEXT.len());
        for (j, c) in text[i..].char_indices() {
            let prefix = &text[i..i + j + c.len_utf8()];
            (lo, hi) = narrow(lo, hi, prefix);
            if lo == hi {
                break;
            }
            if word_at(lo) == prefix {
                out.push(entry_at(lo));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_describe_the_file() {
        assert_eq!(blake3::hash(TEXT.as_bytes()).to_hex().as_str(), BLAKE3);
        let mut total = 0;
        let mut entries = 0;
        let mut last = "";
        for (i, line) in TEXT.lines().enumerate() {
            let fields: Vec<&str> = line.split(' ').collect();
            assert_eq!(fields.len(), 3, "line {}: {line:?}", i + 1);
            let (word, freq) = (fields[0], fields[1]);
            assert!(!word.is_empty() && !fields[2].is_empty(), "line {}", i + 1);
            // Sorted bytewise and distinct, so prefix ranges are contiguous
            // and a word is its range's first line.
            assert!(last < word, "line {}: {word:?} after {last:?}", i + 1);
            assert!(word.chars().all(|c| c > ' '), "line {}", i + 1);
            total += freq.parse::<usize>().unwrap();
            entries += 1;
            last = word;
        }
        assert_eq!((total, entries), (TOTAL, ENTRIES));
        assert!(TEXT.ends_with('\n') && !TEXT.contains('\r'));
    }

    #[test]
    fn looks_up_words() {
        let first = entry_at(0);
        assert_eq!(get(first.word), Some(first));
        assert_eq!(get("中国").map(|e| e.word), Some("中国"));
        assert!(get("中国").unwrap().freq > 0);
        assert_eq!(get("C++").map(|e| e.word), Some("C++"));
        assert_eq!(get("中国中国"), None);
        assert_eq!(get(""), None);
        let last = entry_at(line_start(TEXT.len() - 1));
        assert_eq!(get(last.word), Some(last));
    }

    /// The dictionary words among the substrings of `text`, found naively.
    fn naive_words_in(text: &str) -> Vec<&str> {
        static WORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
            std::sync::LazyLock::new(|| TEXT.lines().map(|l| &l[..l.find(' ').unwrap()]).collect());
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut want: Vec<&str> = Vec::new();
        for (a, &(i, _)) in chars.iter().enumerate() {
            for &(j, c) in &chars[a..] {
                let w = &text[i..j + c.len_utf8()];
                if WORDS.contains(w) {
                    want.push(w);
                }
            }
        }
        want.sort_unstable();
        want.dedup();
        want
    }

    fn words(entries: &[Entry]) -> Vec<&'static str> {
        entries.iter().map(|e| e.word).collect()
    }

    #[test]
    fn finds_every_word_in_a_text() {
        for text in [
            "招商引资是一号工程,C++和AT&T的IP电话;中華人民共和國",
            "",
            "a",
            "\u{E000}中",
        ] {
            assert_eq!(words(&words_in(text)), naive_words_in(text), "{text}");
        }
        let e = words_in("中国人民");
        assert!(e.iter().all(|e| get(e.word) == Some(*e)));
    }

    proptest::proptest! {
        #[test]
        fn words_in_is_the_naive_search(text in "[中国人民共和大会招商引资工程产业链项目建设TAC+#&的了 ,]{0,30}") {
            proptest::prop_assert_eq!(words(&words_in(&text)), naive_words_in(&text));
        }
    }
}
