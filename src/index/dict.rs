//! jieba's dictionary, vendored as `data/jieba_dict.txt`.
//!
//! The file is jieba-rs 0.11's `dict.txt` unchanged: one `word freq tag`
//! line per word, 349,045 lines sorted bytewise by word. Both the indexing
//! tokenizer and the query path read this copy, so there is one source of
//! truth for how text is segmented.
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
}
