//! The two analyzers, both over folded text ([`crate::fold`]).
//!
//! **n-gram** (exact phrases): every CJK char makes one token, the bigram
//! of it and the next char when that is CJK too, else the char alone (a
//! unigram, at the end of a run of CJK); every other run of letters or
//! digits is one word token; an ASCII symbol between two such letters or
//! digits makes a joint token of the three chars (`3+7` in `3+7+5`, `5.6`,
//! `05-21`), so phrases like `3+7+5` are pinned down too; other punctuation
//! and spaces make no token. So an occurrence of a CJK char is exactly one
//! token that starts with it: a one-char phrase is counted over the terms
//! with that prefix ([`PhraseTokens::open`]). A token's
//! position is the char index where it starts — decided here, once: phrase
//! queries are built with the same offsets ([`phrase_tokens`]), so a phrase
//! query can only over-match (ASCII words at the phrase's edges may be parts
//! of longer words), never miss.
//!
//! **jieba** (ranking): jieba in search mode, without HMM, over the folded
//! text, with jieba's dictionary (vendored, [`dict`]), the policy terms and
//! the user's dictionary (words folded too). Ingest indexes through
//! cang-jie over the whole dictionary, built once per process on first use
//! ([`LazyJieba`], about 100 ms). Queries and highlights segment short texts
//! instead with a jieba built for each text from the dictionary words in it
//! and one word that balances the total frequency ([`jieba_for`]), which
//! cuts the text exactly as the whole dictionary does, so `search` never
//! loads it (and `mentions`, `stats` load no dictionary at all).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use cang_jie::{CangJieTokenizer, TokenizerOption};
use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::index::dict;

/// The bundled policy-term dictionary (jieba user-dictionary format).
pub const POLICY_TERMS: &str = include_str!("../../data/policy_terms.txt");

/// What [`POLICY_TERMS`] add to jieba's dictionary, worked out beforehand
/// (see [`Additions::new`]).
const POLICY_ADDITIONS: &str = include_str!("../../data/policy_additions.tsv");

/// Whether a char is written as one CJK unit (Han, kana, hangul, bopomofo).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}' | '\u{3040}'..='\u{30FF}' | '\u{3100}'..='\u{312F}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Whether a char belongs to a word token (a letter or digit that is not CJK).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// One n-gram token: text, char position, byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gram {
    /// The token text.
    pub text: String,
    /// Char index where it starts (the tantivy position).
    pub pos: usize,
    /// Byte range in the input.
    pub bytes: std::ops::Range<usize>,
    /// What kind of token it is.
    pub kind: GramKind,
}

/// Kinds of n-gram tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GramKind {
    /// One CJK char, at the end of a run of CJK.
    Unigram,
    /// Two adjacent CJK chars.
    Bigram,
    /// A run of non-CJK letters and digits.
    Word,
    /// An ASCII symbol with the letter or digit on each side of it.
    Joint,
}

/// Tokenizes folded text into n-grams (see the module doc).
pub fn ngrams(text: &str) -> Vec<Gram> {
    let mut stream = NgramStream::new(text);
    let mut out = Vec::with_capacity(text.len() / 2);
    while stream.advance() {
        let t = stream.token();
        out.push(Gram {
            text: t.text.clone(),
            pos: t.position,
            bytes: t.offset_from..t.offset_to,
            kind: stream.kind,
        });
    }
    out
}

/// The n-grams of a text, one at a time, in one reused token (indexing
/// makes one per CJK char: a `String` for each was a tenth of an ingest's
/// time in the allocator).
pub struct NgramStream<'a> {
    text: &'a str,
    /// Byte offset and char index of the next char to read.
    at: usize,
    pos: usize,
    token: Token,
    kind: GramKind,
}

impl<'a> NgramStream<'a> {
    /// A stream over the n-grams of folded `text`.
    pub fn new(text: &'a str) -> NgramStream<'a> {
        NgramStream {
            text,
            at: 0,
            pos: 0,
            token: Token::default(),
            kind: GramKind::Unigram,
        }
    }

    fn emit(&mut self, bytes: std::ops::Range<usize>, pos: usize, kind: GramKind) -> bool {
        self.token.text.clear();
        self.token.text.push_str(&self.text[bytes.clone()]);
        self.token.offset_from = bytes.start;
        self.token.offset_to = bytes.end;
        self.token.position = pos;
        self.token.position_length = 1;
        self.kind = kind;
        true
    }
}

impl TokenStream for NgramStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(c) = self.text[self.at..].chars().next() {
            let (from, pos) = (self.at, self.pos);
            let mut to = from + c.len_utf8();
            if is_cjk(c) {
                (self.at, self.pos) = (to, pos + 1);
                return match self.text[to..].chars().next().filter(|n| is_cjk(*n)) {
                    Some(n) => self.emit(from..to + n.len_utf8(), pos, GramKind::Bigram),
                    None => self.emit(from..to, pos, GramKind::Unigram),
                };
            }
            if is_word_char(c) {
                let mut chars = 1;
                for d in self.text[to..].chars().take_while(|d| is_word_char(*d)) {
                    to += d.len_utf8();
                    chars += 1;
                }
                (self.at, self.pos) = (to, pos + chars);
                return self.emit(from..to, pos, GramKind::Word);
            }
            (self.at, self.pos) = (to, pos + 1);
            if c.is_ascii_punctuation()
                && let Some(before) = self.text[..from].chars().next_back()
                && is_word_char(before)
                && let Some(after) = self.text[to..].chars().next()
                && is_word_char(after)
            {
                let bytes = from - before.len_utf8()..to + after.len_utf8();
                return self.emit(bytes, pos - 1, GramKind::Joint);
            }
        }
        false
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The n-gram tokens that any text containing a phrase must also contain
/// at the same offsets from where the phrase starts ([`phrase_tokens`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhraseTokens {
    /// Tokens the text holds exactly so: every CJK bigram, the unigram of a
    /// lone CJK char that a non-CJK char follows, every joint, and every
    /// word with a non-word char or the phrase's CJK on both sides.
    pub exact: Vec<Gram>,
    /// Words at the phrase's edges, which may be parts of longer words in
    /// the text.
    pub edges: Vec<Gram>,
    /// A lone CJK char that ends the phrase: the text holds a token that
    /// starts with it (its unigram, or its bigram with whatever CJK char
    /// follows it there), but which one the phrase cannot tell.
    pub open: Option<Gram>,
    /// The phrase's length in chars.
    pub len: usize,
}

impl PhraseTokens {
    /// Whether the index pins down every occurrence of the phrase from its
    /// n-grams alone: a phrase query over the exact tokens matches exactly
    /// the texts that contain the phrase, or the phrase is one CJK char,
    /// counted over the terms that start with it. Not so when the phrase
    /// holds spaces or punctuation that no joint covers, starts or ends
    /// inside a word that no joint covers whole (the edge words themselves
    /// pin nothing down: they may be parts of longer words), or ends in a
    /// lone CJK char after other chars (its token is open).
    pub fn is_determined(&self) -> bool {
        let n = self.len;
        if self.open.is_some() {
            return n == 1;
        }
        let mut covered = vec![false; n];
        for g in &self.exact {
            let len = g.text.chars().count();
            covered[g.pos..(g.pos + len).min(n)]
                .iter_mut()
                .for_each(|c| *c = true);
        }
        n > 0 && covered.iter().all(|c| *c)
    }
}

/// The tokens of a folded phrase (see [`PhraseTokens`]).
pub fn phrase_tokens(folded_phrase: &str) -> PhraseTokens {
    let chars: Vec<char> = folded_phrase.chars().collect();
    let n = chars.len();
    let mut out = PhraseTokens {
        len: n,
        ..PhraseTokens::default()
    };
    for g in ngrams(folded_phrase) {
        match g.kind {
            GramKind::Bigram | GramKind::Joint => out.exact.push(g),
            // The end of a run of CJK: a lone char needs a token of its own
            // (a longer run's last char is in its bigram already).
            GramKind::Unigram if g.pos > 0 && is_cjk(chars[g.pos - 1]) => {}
            GramKind::Unigram if g.pos + 1 < n => out.exact.push(g),
            GramKind::Unigram => out.open = Some(g),
            GramKind::Word => {
                let len = g.text.chars().count();
                if g.pos == 0 || g.pos + len == n {
                    out.edges.push(g);
                } else {
                    out.exact.push(g);
                }
            }
        }
    }
    // An inner word that joints cover char by char (`7` in `3+7+5`) pins
    // down nothing more, and its postings are long: left out.
    let joints: Vec<std::ops::Range<usize>> = out
        .exact
        .iter()
        .filter(|g| g.kind == GramKind::Joint)
        .map(|g| g.pos..g.pos + 3)
        .collect();
    out.exact.retain(|g| {
        g.kind != GramKind::Word
            || !(g.pos..g.pos + g.text.chars().count())
                .all(|i| joints.iter().any(|j| j.contains(&i)))
    });
    out
}

/// Whether the index pins down every occurrence of a folded phrase from
/// its n-grams alone ([`PhraseTokens::is_determined`]).
pub fn phrase_is_determined(folded_phrase: &str) -> bool {
    phrase_tokens(folded_phrase).is_determined()
}

/// The n-gram tokenizer for tantivy.
#[derive(Debug, Clone, Default)]
pub struct NgramTokenizer;

/// A prebuilt stream of tokens.
pub struct VecStream {
    tokens: Vec<Token>,
    at: usize,
}

impl VecStream {
    /// A stream over `tokens`, in order.
    pub fn new(tokens: Vec<Token>) -> VecStream {
        VecStream { tokens, at: 0 }
    }
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

impl Tokenizer for NgramTokenizer {
    type TokenStream<'a> = NgramStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> NgramStream<'a> {
        NgramStream::new(text)
    }
}

/// A dictionary line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {why}")]
pub struct DictError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub why: String,
}

/// A dictionary entry: folded word, frequency, tag.
pub type DictEntry = (String, Option<usize>, Option<String>);

/// Parses a jieba user dictionary (`word [freq [tag]]` per line; `#`
/// comments and blank lines skipped) into folded entries.
pub fn parse_dict(text: &str) -> Result<Vec<DictEntry>, DictError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default();
        let freq = match parts.next() {
            Some(f) => Some(f.parse::<usize>().map_err(|_| DictError {
                line: i + 1,
                why: format!("the frequency {f:?} is not a whole number"),
            })?),
            None => None,
        };
        let tag = parts.next().map(str::to_owned);
        if parts.next().is_some() {
            return Err(DictError {
                line: i + 1,
                why: "more than three fields (word, frequency, tag)".into(),
            });
        }
        out.push((crate::fold::fold(word), freq, tag));
    }
    Ok(out)
}

/// The entries the policy terms and a user dictionary add to jieba's
/// dictionary, in the order they are added. Both must already have parsed.
pub(crate) fn added_entries(user_dict: &str) -> impl Iterator<Item = DictEntry> + '_ {
    // Validated by the caller (and the bundled one by a test).
    [POLICY_TERMS, user_dict]
        .into_iter()
        .flat_map(|text| parse_dict(text).unwrap_or_default())
}

/// Builds jieba with its whole dictionary (the vendored [`dict::TEXT`]),
/// the policy terms and a user dictionary. Both dictionaries must already
/// have parsed. Loading takes about 100 ms; ingest's tokenizer uses it
/// ([`LazyJieba`]), the query path does not ([`jieba_for`]).
pub fn build_jieba(user_dict: &str) -> Jieba {
    let mut jieba = Jieba::empty();
    jieba
        .load_dict(&mut dict::TEXT.as_bytes())
        .expect("the vendored dictionary is well formed (checked by dict's tests)");
    for (word, freq, tag) in added_entries(user_dict) {
        jieba.add_word(&word, freq, tag.as_deref());
    }
    jieba
}

/// The char of the balancing word, which stands in for the dictionary
/// words a small jieba leaves out ([`jieba_for`]): a private-use char, which
/// jieba would not even look up, since it matches words only within runs
/// of CJK, ASCII letters and digits and `+#&._%-`. The word is also chosen
/// to occur nowhere in the text.
const NEVER_CUT: char = '\u{E000}';

/// A word of [`NEVER_CUT`] chars that is not `taken`.
fn balance_word(taken: impl Fn(&str) -> bool) -> String {
    let mut word = String::from(NEVER_CUT);
    while taken(&word) {
        word.push(NEVER_CUT);
    }
    word
}

/// The words that the policy terms and a user dictionary add to jieba's
/// dictionary (or whose frequency they change), as [`build_jieba`] leaves
/// them, and the total frequency of that whole dictionary: what
/// [`jieba_for`] needs besides the vendored dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Additions {
    /// Word, final frequency and tag, sorted by word, each word once.
    words: Vec<(String, usize, String)>,
    /// The sum of the frequencies of the whole dictionary (jieba's `total`).
    total: usize,
}

impl Additions {
    /// Works out the additions of the policy terms and a user dictionary,
    /// which must already have parsed.
    ///
    /// jieba gives an entry without a frequency one of its own
    /// (`suggest_freq`), from the words inside it and the total frequency
    /// as they stand when it is added. Such entries are replayed in order on
    /// a jieba holding the dictionary words inside any entry, with the rest
    /// of the dictionary stood in for by one balancing word, so each gets
    /// the frequency the whole dictionary would give it.
    ///
    /// With no user dictionary, the answer is read from
    /// `data/policy_additions.tsv`, which a test keeps equal to what this
    /// works out: the replay reads a few hundred scattered dictionary pages
    /// and took about 1.8 ms of every `search` process.
    pub fn new(user_dict: &str) -> Additions {
        if user_dict.trim().is_empty()
            && let Some(bundled) = Self::bundled()
        {
            return bundled;
        }
        Self::worked_out(user_dict)
    }

    /// The additions of the policy terms alone, as bundled; `None` if the
    /// file does not parse (a test makes sure it does).
    fn bundled() -> Option<Additions> {
        let mut lines = POLICY_ADDITIONS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let total = lines.next()?.strip_prefix("total\t")?.parse().ok()?;
        let words = lines
            .map(|l| {
                let mut f = l.split('\t');
                let word = f.next()?.to_owned();
                let freq = f.next()?.parse().ok()?;
                let tag = f.next()?.to_owned();
                Some((word, freq, tag))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Additions { words, total })
    }

    /// The bundled file's text for these additions.
    #[cfg(test)]
    fn to_tsv(&self) -> String {
        let mut out = String::from(
            "# policy_additions.tsv: what data/policy_terms.txt adds to jieba's dictionary\n\
             # (word, final frequency, tag), and the dictionary's total frequency after.\n\
             # Worked out by analyzers::Additions; kept equal to it by the test\n\
             # analyzers::tests::the_bundled_additions_are_worked_out\n\
             # (JIANGHUA_REGENERATE=1 rewrites this file). Do not edit.\n",
        );
        out.push_str(&format!("total\t{}\n", self.total));
        for (word, freq, tag) in &self.words {
            out.push_str(&format!("{word}\t{freq}\t{tag}\n"));
        }
        out
    }

    /// Works the additions out from the dictionaries.
    fn worked_out(user_dict: &str) -> Additions {
        let entries: Vec<DictEntry> = added_entries(user_dict).collect();
        let mut replay = entries.iter().any(|(_, freq, _)| freq.is_none()).then(|| {
            let words: Vec<&str> = entries.iter().map(|(w, _, _)| w.as_str()).collect();
            // No dictionary word holds a newline, so none spans two entries.
            let joined = words.join("\n");
            let inside = dict::words_in(&joined);
            let mut jieba = Jieba::empty();
            let mut sum = 0;
            for e in &inside {
                jieba.add_word(e.word, Some(e.freq), Some(e.tag));
                sum += e.freq;
            }
            // `suggest_freq` looks up every token of an entry, even a char
            // jieba does not cut, so the balancing word must be in none.
            let balance = balance_word(|w| jieba.has_word(w) || joined.contains(w));
            jieba.add_word(&balance, Some(dict::TOTAL - sum), None);
            jieba
        });
        let mut total = dict::TOTAL;
        let mut words: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for (word, freq, tag) in entries {
            let freq = match replay.as_mut() {
                Some(jieba) => jieba.add_word(&word, freq, tag.as_deref()),
                // Without a replay every entry has a frequency.
                None => freq.unwrap_or_default(),
            };
            let before = match words.get(&word) {
                Some((freq, tag)) => Some((*freq, tag.clone())),
                None => dict::get(&word).map(|e| (e.freq, e.tag.to_owned())),
            };
            // A word already there keeps its tag; only its frequency changes.
            let tag = match before {
                Some((old, tag)) => {
                    total = total + freq - old;
                    tag
                }
                None => {
                    total += freq;
                    tag.unwrap_or_default()
                }
            };
            words.insert(word, (freq, tag));
        }
        Additions {
            words: words.into_iter().map(|(w, (f, t))| (w, f, t)).collect(),
            total,
        }
    }

    /// Whether `word` is one of the additions.
    fn has(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|(w, _, _)| w.as_str().cmp(word))
            .is_ok()
    }

    /// The additions whose words occur in `text` (each found by narrowing
    /// the sorted words one char at a time, as [`dict::words_in`] does).
    fn words_in(&self, text: &str) -> Vec<&(String, usize, String)> {
        let mut out = Vec::new();
        for (i, _) in text.char_indices() {
            let mut range = &self.words[..];
            for (j, c) in text[i..].char_indices() {
                let prefix = &text[i..i + j + c.len_utf8()];
                range = &range[range.partition_point(|(w, _, _)| w.as_str() < prefix)..];
                range = &range[..range.partition_point(|(w, _, _)| w.starts_with(prefix))];
                match range.first() {
                    None => break,
                    Some(first) if first.0 == prefix => out.push(first),
                    Some(_) => {}
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A small jieba that segments `text` exactly as [`build_jieba`]'s does,
/// built in about 15 µs for a query word and 0.5 ms for a 500-char passage
/// (`benches/analyzers.rs`), where the whole dictionary takes about 100 ms.
///
/// jieba (jieba-rs 0.11, without HMM) consults only the dictionary words
/// that occur in the text it cuts (as its route's edges, and in search mode
/// to offer a long word's 2- and 3-char parts) and the total frequency of
/// the dictionary, through which every word's probability is its frequency
/// divided by the total. Ties go to the longer word whatever the order of
/// the words. So this jieba holds the dictionary words in `text` with their
/// final frequencies and tags, and one balancing word carrying the
/// frequencies of all the others, which gives it the whole dictionary's
/// total. `tests/jieba_subset.rs` checks the equivalence.
pub fn jieba_for(text: &str, additions: &Additions) -> Jieba {
    let mut jieba = Jieba::empty();
    let mut sum = 0;
    for e in dict::words_in(text) {
        // An addition is added below, with its final frequency.
        if !additions.has(e.word) {
            jieba.add_word(e.word, Some(e.freq), Some(e.tag));
            sum += e.freq;
        }
    }
    for (word, freq, tag) in additions.words_in(text) {
        jieba.add_word(word, Some(*freq), Some(tag));
        sum += freq;
    }
    let balance = balance_word(|w| jieba.has_word(w) || text.contains(w));
    // `sum` is part of `total`: the words are distinct words of the dictionary.
    jieba.add_word(&balance, Some(additions.total - sum), None);
    jieba
}

/// The jieba tokenizer: cang-jie in search mode over the whole dictionary
/// ([`build_jieba`]), built on first use. Ingest uses it; the query path
/// segments with [`jieba_tokens`], which never builds it.
#[derive(Clone)]
pub struct LazyJieba {
    user_dict: Arc<String>,
    jieba: Arc<OnceLock<Arc<Jieba>>>,
    additions: Arc<OnceLock<Arc<Additions>>>,
    /// This clone's cang-jie tokenizer (tantivy clones analyzers per thread).
    inner: Option<CangJieTokenizer>,
}

impl LazyJieba {
    /// A tokenizer that will load the given user dictionary.
    pub fn new(user_dict: String) -> LazyJieba {
        LazyJieba {
            user_dict: Arc::new(user_dict),
            jieba: Arc::new(OnceLock::new()),
            additions: Arc::new(OnceLock::new()),
            inner: None,
        }
    }

    /// The jieba instance over the whole dictionary, loading it now if needed.
    pub fn jieba(&self) -> Arc<Jieba> {
        self.jieba
            .get_or_init(|| Arc::new(build_jieba(&self.user_dict)))
            .clone()
    }

    /// The policy terms and user dictionary as [`jieba_for`] takes them,
    /// worked out on first use.
    pub fn additions(&self) -> Arc<Additions> {
        self.additions
            .get_or_init(|| Arc::new(Additions::new(&self.user_dict)))
            .clone()
    }
}

impl Tokenizer for LazyJieba {
    type TokenStream<'a> = <CangJieTokenizer as Tokenizer>::TokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let worker = self.jieba();
        self.inner
            .get_or_insert(CangJieTokenizer {
                worker,
                option: TokenizerOption::ForSearch { hmm: false },
            })
            .token_stream(text)
    }
}

/// The jieba tokens of folded text (search mode), for queries and
/// highlights: the tokens ingest's tokenizer gives the same text, from a
/// jieba built for this text alone ([`jieba_for`]).
pub fn jieba_tokens(tok: &LazyJieba, folded: &str) -> Vec<(String, std::ops::Range<usize>)> {
    jieba_for(folded, &tok.additions())
        .cut_for_search(folded, false)
        .into_iter()
        .filter(|t| t.word.chars().any(char::is_alphanumeric))
        .map(|t| (t.word.to_owned(), t.byte_start..t.byte_end))
        .collect()
}

/// The words of folded text as jieba cuts it without search mode's extra
/// parts (a long word stays one word), each once, in order: what a query
/// word or phrase is ranked by. Every one of them is also a token of the
/// index's jieba field (search mode keeps the whole words it splits).
pub fn jieba_words(tok: &LazyJieba, folded: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for t in jieba_for(folded, &tok.additions()).cut(folded, false) {
        let w = t.word;
        if w.chars().any(char::is_alphanumeric) && !words.iter().any(|seen| seen == w) {
            words.push(w.to_owned());
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_additions_are_worked_out() {
        let worked_out = Additions::worked_out("");
        if std::env::var_os("JIANGHUA_REGENERATE").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/policy_additions.tsv");
            std::fs::write(path, worked_out.to_tsv()).expect("write the bundled additions");
            return;
        }
        assert_eq!(
            Additions::bundled().as_ref(),
            Some(&worked_out),
            "data/policy_additions.tsv is stale: rerun this test with JIANGHUA_REGENERATE=1"
        );
        assert_eq!(POLICY_ADDITIONS, worked_out.to_tsv());
        assert_eq!(Additions::new(""), worked_out);
        // A user dictionary is always worked out.
        assert_ne!(Additions::new("哈哈哈 5"), worked_out);
    }

    fn texts(g: &[Gram]) -> Vec<(&str, usize)> {
        g.iter().map(|g| (g.text.as_str(), g.pos)).collect()
    }

    #[test]
    fn ngrams_are_positioned_by_char_index() {
        let g = ngrams("招商引资,3+7+5项目");
        assert_eq!(
            texts(&g),
            [
                ("招商", 0),
                ("商引", 1),
                ("引资", 2),
                ("资", 3),
                ("3", 5),
                ("3+7", 5),
                ("7", 7),
                ("7+5", 7),
                ("5", 9),
                ("项目", 10),
                ("目", 11)
            ]
        );
        assert_eq!(g[0].bytes, 0..6);
        assert_eq!(g[3].kind, GramKind::Unigram);
    }

    #[test]
    fn every_cjk_char_starts_exactly_one_token() {
        let text = "要以百日会战为抓手,确保双过半;A股、5G和会";
        let grams = ngrams(text);
        for (i, c) in text.chars().enumerate().filter(|(_, c)| is_cjk(*c)) {
            let starting: Vec<&Gram> = grams
                .iter()
                .filter(|g| g.pos == i && g.text.starts_with(c))
                .collect();
            assert_eq!(starting.len(), 1, "{c} at {i}: {grams:?}");
        }
    }

    #[test]
    fn phrase_tokens_keep_edge_words_apart() {
        let t = phrase_tokens("5020项目");
        assert_eq!(texts(&t.exact), [("项目", 4)]);
        assert_eq!(texts(&t.edges), [("5020", 0)]);
        assert_eq!(t.open, None);
        let t = phrase_tokens("项目5020个");
        assert_eq!(texts(&t.exact), [("项目", 0), ("5020", 2)]);
        assert!(t.edges.is_empty());
        assert_eq!(t.open.map(|g| (g.text, g.pos)), Some(("个".into(), 6)));
        let t = phrase_tokens("个5020项目");
        assert_eq!(texts(&t.exact), [("个", 0), ("5020", 1), ("项目", 5)]);
        assert_eq!(t.open, None);
        let t = phrase_tokens("双过半");
        assert_eq!(texts(&t.exact), [("双过", 0), ("过半", 1)]);
        let t = phrase_tokens("会");
        assert!(t.exact.is_empty());
        assert_eq!(t.open.map(|g| (g.text, g.pos)), Some(("会".into(), 0)));
    }

    #[test]
    fn determined_phrases() {
        assert!(phrase_is_determined("招商引资"));
        assert!(phrase_is_determined("项目5020个的"));
        assert!(phrase_is_determined("个5020项目"));
        assert!(!phrase_is_determined("项目5020个"));
        assert!(phrase_is_determined("会"));
        assert!(!phrase_is_determined("a股"));
        assert!(!phrase_is_determined("5020"));
        assert!(!phrase_is_determined("招商,引资"));
        assert!(!phrase_is_determined("、各"));
        assert!(phrase_is_determined("3+7+5"));
        assert!(phrase_is_determined("增长5.6个百分点"));
        let t = phrase_tokens("增长5.6个百分点");
        assert_eq!(
            t.exact.iter().filter(|g| g.kind == GramKind::Word).count(),
            0
        );
        // A word longer than its joints stays.
        let t = phrase_tokens("增长15.6个百分点");
        assert_eq!(
            t.exact.iter().filter(|g| g.kind == GramKind::Word).count(),
            1
        );
        assert!(!phrase_is_determined("增长5.6%"));
        assert!(!phrase_is_determined("13+7"));
        assert!(!phrase_is_determined("+7"));
        assert!(!phrase_is_determined("3+"));
        assert!(!phrase_is_determined("3 + 7"));
        let t = phrase_tokens("3+7+5");
        assert_eq!(texts(&t.exact), [("3+7", 0), ("7+5", 2)]);
        assert_eq!(texts(&t.edges), [("3", 0), ("5", 4)]);
    }

    #[test]
    fn the_bundled_dictionary_parses_and_folds() {
        let d = parse_dict(POLICY_TERMS).unwrap();
        assert!(d.len() >= 400);
        assert!(
            d.iter()
                .any(|(w, _, _)| w == &crate::fold::fold("招商引资"))
        );
        assert_eq!(parse_dict("词 x").unwrap_err().line, 1);
    }

    #[test]
    fn policy_terms_are_single_jieba_tokens() {
        let tok = LazyJieba::new(String::new());
        let words: Vec<String> = tok
            .jieba()
            .cut(&crate::fold::fold("要以百日会战为抓手确保双过半"), false)
            .iter()
            .map(|t| t.word.to_owned())
            .collect();
        assert!(words.contains(&crate::fold::fold("百日会战")), "{words:?}");
        assert!(words.contains(&crate::fold::fold("双过半")), "{words:?}");
    }
}
