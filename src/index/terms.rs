//! Known terms counted at ingest: the bundled policy vocabulary
//! (`data/policy_terms.txt`) and the index's user dictionary.
//!
//! Programs people track (百日会战, 专精特新, 一网通办 …) are exactly these
//! terms, so the index keeps, in the `body_terms` field, one token per
//! occurrence of each of them in every title and passage: for each term on
//! its own, the non-overlapping occurrences from the left, as a plain
//! substring count finds them over the folded text. `mentions --count` of a
//! known term is then the sum of one posting list's term frequencies, with
//! no positions to intersect and no text to read. Any other phrase is
//! counted from the n-gram positions (see `query::mentions`).

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use tantivy::tokenizer::{Token, Tokenizer};

use super::analyzers::{VecStream, added_entries};

/// The policy vocabulary's words, folded and sorted, one per line (see
/// [`Vocabulary::new`]).
const POLICY_WORDS: &str = include_str!("../../data/policy_words.txt");

/// The tokenizer name registered with tantivy.
pub const TERMS: &str = "jianghua_terms";

/// The folded known terms, and an automaton over them built on first use.
#[derive(Debug)]
pub struct Vocabulary {
    /// Folded, sorted, deduplicated.
    words: Vec<String>,
    automaton: OnceLock<Option<AhoCorasick>>,
}

impl Vocabulary {
    /// The policy vocabulary plus the words of a user dictionary (already
    /// validated; lines that do not parse add nothing).
    ///
    /// With no user dictionary the words are read from
    /// `data/policy_words.txt` (folded, sorted), which a test keeps equal to
    /// what [`Vocabulary::worked_out`] gives: every `mentions` opens a
    /// vocabulary, and folding and sorting it took a tenth of a millisecond.
    pub fn new(user_dict: &str) -> Vocabulary {
        if user_dict.trim().is_empty() {
            return Vocabulary {
                words: POLICY_WORDS.lines().map(str::to_owned).collect(),
                automaton: OnceLock::new(),
            };
        }
        Self::worked_out(user_dict)
    }

    /// The vocabulary worked out from the dictionaries.
    pub fn worked_out(user_dict: &str) -> Vocabulary {
        let mut words: Vec<String> = added_entries(user_dict)
            .map(|(word, _, _)| crate::fold::fold(&word))
            .filter(|w| !w.trim().is_empty())
            .collect();
        words.sort_unstable();
        words.dedup();
        Vocabulary {
            words,
            automaton: OnceLock::new(),
        }
    }

    /// Whether a folded phrase is a known term.
    pub fn contains(&self, folded: &str) -> bool {
        self.words
            .binary_search_by(|w| w.as_str().cmp(folded))
            .is_ok()
    }

    /// The known terms, folded and sorted.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Every counted occurrence in folded text: `(term index, byte range)`,
    /// for each term its non-overlapping occurrences from the left (as
    /// `str::matches` finds them), ordered by where they end.
    pub fn occurrences(&self, folded: &str) -> Vec<(usize, Range<usize>)> {
        // A DFA (a few MB for the policy vocabulary) scans about twice as
        // fast as the default NFA; ingest, the only caller, builds it once.
        let automaton = self.automaton.get_or_init(|| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&self.words)
                .or_else(|_| AhoCorasick::new(&self.words))
                .ok()
        });
        let Some(ac) = automaton else {
            return Vec::new();
        };
        let mut free_from: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for m in ac.find_overlapping_iter(folded) {
            let t = m.pattern().as_usize();
            if free_from.len() <= t {
                free_from.resize(t + 1, 0);
            }
            if m.start() >= free_from[t] {
                free_from[t] = m.end();
                out.push((t, m.range()));
            }
        }
        out
    }
}

/// The tantivy tokenizer of `body_terms`: one token per counted occurrence
/// of a known term in the (folded) text.
#[derive(Debug, Clone)]
pub struct TermTokenizer(pub Arc<Vocabulary>);

impl Tokenizer for TermTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let tokens = self
            .0
            .occurrences(text)
            .into_iter()
            .enumerate()
            .map(|(position, (t, bytes))| Token {
                offset_from: bytes.start,
                offset_to: bytes.end,
                position,
                text: self.0.words[t].clone(),
                position_length: 1,
            })
            .collect();
        VecStream::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_policy_words_are_worked_out() {
        let worked_out = Vocabulary::worked_out("");
        let text: String = worked_out
            .words()
            .iter()
            .map(|w| format!("{w}\n"))
            .collect();
        if std::env::var_os("JIANGHUA_REGENERATE").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/policy_words.txt");
            std::fs::write(path, &text).expect("write the bundled policy words");
            return;
        }
        assert_eq!(
            POLICY_WORDS, text,
            "data/policy_words.txt is stale: rerun this test with JIANGHUA_REGENERATE=1"
        );
        assert_eq!(Vocabulary::new("").words(), worked_out.words());
    }

    #[test]
    fn knows_the_policy_terms_and_the_user_words_folded() {
        let v = Vocabulary::new("雙過半\n哈哈 5\n");
        assert!(v.contains("专精特新"));
        assert!(v.contains("双过半"));
        assert!(v.contains("哈哈"));
        assert!(!v.contains("专精"));
    }

    #[test]
    fn counts_each_term_like_a_substring_count() {
        let v = Vocabulary::new("哈哈\n精特\n");
        let text = "哈哈哈哈哈,专精特新、专精特新企业";
        let occ = v.occurrences(text);
        for w in ["哈哈", "专精特新", "精特"] {
            let t = v.words().iter().position(|x| x == w).unwrap();
            let n = occ.iter().filter(|(i, _)| *i == t).count();
            assert_eq!(n, text.matches(w).count(), "{w}");
        }
    }
}
