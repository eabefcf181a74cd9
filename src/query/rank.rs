//! How a matching passage is scored, and in which order equal scores go.
//!
//! `search` decides *which* passages match (see `query::search`); this
//! module decides their order. The score of a passage is
//!
//! ```text
//! score = EXACT_BONUS × (query words and phrases found exactly)
//!       + prior(length) × BM25(the query's jieba words) × context
//! ```
//!
//! times [`MOJIBAKE_FACTOR`] when the passage holds mojibake. A query with
//! no text word (`title:…` or `site:…` alone) has a BM25 of 1 for every
//! passage, so the prior orders them.
//!
//! - **BM25** is computed here, over the passage's jieba tokens, for every
//!   text word *and phrase* of the query: a phrase is ranked like the words
//!   it is made of, never by a constant. The query's words are jieba's cut
//!   without search mode's extra parts ([`jieba_words`]), so a policy term
//!   in the dictionary (营商环境, 百日会战) counts once, as itself, weighted
//!   by its own rarity, not again as 营商 and 环境. It has no length
//!   normalisation of its own ([`B`] = 0; the prior does that job): on the
//!   judged set (`tests/ranking/`) b = 0.75 favoured short passages that
//!   merely name the term.
//! - **The length prior** `chars / (chars + PRIOR_CHARS)` keeps a heading or
//!   a one-line passage from outranking the paragraph it heads: a
//!   12-character heading keeps a fifth of its BM25, a 300-character
//!   paragraph nearly all of it. The length is the passage's exact number of
//!   chars (the `chars` fast field), so two passages of different lengths
//!   never tie on it.
//! - **The context** `1 + SECTION_WEIGHT × (share of the query's words in
//!   the passage's section path)`: a paragraph under a heading about the
//!   topic is about it (the heading is context of the passages under it,
//!   and as a passage of its own it is short, so the prior keeps it down).
//! - **The exact bonus** comes from the match query itself (its exact
//!   clauses score [`EXACT_BONUS`] each, everything else 0), so exact
//!   matches stay above loose ones whatever their BM25.
//!
//! The statistics (document count, document frequencies, token totals) are
//! those of the whole searcher, deleted documents included until a merge
//! drops them, as tantivy's own BM25 counts them; two builds of the same
//! folder have the same ones, so they give the same scores. Equal scores
//! are ordered by a stable key, never by where a document sits in the
//! index: the newer speech first, then the smaller speech id, then the
//! earlier passage ([`RankKey`]).

use std::cmp::{Ordering, Reverse};
use std::sync::Arc;

use tantivy::collector::sort_key::{Comparator, NaturalComparator};
use tantivy::collector::{SegmentSortKeyComputer, SortKeyComputer, TopNComputer};
use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

use crate::index::analyzers::{LazyJieba, jieba_words};
use crate::index::schema::{Fields, flag};

/// Score added for each query word or phrase found exactly in a passage.
pub const EXACT_BONUS: Score = 100.0;
/// Factor applied to the score of a passage that holds mojibake (its
/// garbage must not win on term statistics).
pub const MOJIBAKE_FACTOR: Score = 0.05;
/// BM25's term-frequency saturation.
pub const K1: Score = 1.2;
/// BM25's length normalisation (0: none, 1: full).
pub const B: Score = 0.0;
/// How much a query word in the section path raises a passage's BM25.
pub const SECTION_WEIGHT: Score = 0.5;
/// The length, in chars, at which the prior is one half.
pub const PRIOR_CHARS: Score = 40.0;
/// The greatest context factor (every query word in the section path).
const MAX_CONTEXT: Score = 1.0 + SECTION_WEIGHT;
/// How far above its computed value a score bound is taken, for the
/// rounding of sums made in another order than the score's.
const BOUND_SLACK: Score = 1.0 + 1e-4;

/// What the ranking knows of one query word.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    term: Term,
    idf: Score,
}

/// The ranking of one query: its words with their weights, and the
/// collection's statistics. Shared by every segment's [`SegmentRanker`].
#[derive(Debug, Clone)]
pub struct Ranker {
    words: Arc<Vec<Word>>,
    /// Average jieba tokens per document.
    avg_tokens: Score,
    fields: Fields,
    /// Sort by date before score.
    by_date: bool,
    /// No passage's BM25 exceeds this: each word's part stays under
    /// `idf × (K1 + 1)` however often the passage holds it.
    max_bm25: Score,
}

/// The sort key of a ranked passage: greater ranks first. Fields compare
/// in order; the last three make every key distinct and stable.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct RankKey {
    /// The speech's day when sorting by date, else 0.
    pub sort_day: u64,
    /// The score.
    pub score: Score,
    /// The speech's day (`yyyymmdd`, 0 unknown): newer first on a tie.
    pub day: u64,
    /// The speech id: smaller first.
    pub doc_key: Reverse<u64>,
    /// The passage number: earlier first.
    pub passage: Reverse<u64>,
    /// The exact bonus the match query gave (decides nothing).
    pub bonus: Score,
}

/// One word's part of a passage's BM25.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPart {
    /// The word (folded).
    pub word: String,
    /// How often the passage holds it as a jieba token.
    pub tf: u32,
    /// Its inverse document frequency.
    pub idf: Score,
    /// Its BM25 part.
    pub score: Score,
}

/// How a passage's score was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Query words and phrases the passage holds exactly.
    pub exact: u32,
    /// `exact × EXACT_BONUS`.
    pub bonus: Score,
    /// The BM25 parts, one per query word.
    pub words: Vec<WordPart>,
    /// Their sum.
    pub bm25: Score,
    /// Query words in the passage's section path.
    pub in_section: u32,
    /// The context factor.
    pub context: Score,
    /// The passage's length in jieba tokens (as the index stores it).
    pub tokens: u32,
    /// The passage's length in chars.
    pub chars: u32,
    /// The length prior.
    pub prior: Score,
    /// Whether the mojibake factor applied.
    pub mojibake: bool,
    /// The score.
    pub score: Score,
}

impl Ranker {
    /// The ranking of the given positive text terms (folded words and
    /// phrases), over the searcher's statistics.
    pub fn new(
        searcher: &Searcher,
        fields: Fields,
        jieba: &LazyJieba,
        terms: &[&str],
        by_date: bool,
    ) -> tantivy::Result<Ranker> {
        let docs: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum();
        let mut tokens = 0u64;
        for seg in searcher.segment_readers() {
            tokens += seg.inverted_index(fields.body_jieba)?.total_num_tokens();
        }
        let mut words: Vec<Word> = Vec::new();
        for t in terms {
            for w in jieba_words(jieba, t) {
                if words.iter().any(|seen| seen.text == w) {
                    continue;
                }
                let term = Term::from_field_text(fields.body_jieba, &w);
                let df = searcher.doc_freq(&term)?.min(docs);
                words.push(Word {
                    text: w,
                    term,
                    idf: idf(df, docs),
                });
            }
        }
        let max_bm25 = if words.is_empty() {
            1.0
        } else {
            words.iter().map(|w| w.idf * (K1 + 1.0)).sum()
        };
        Ok(Ranker {
            max_bm25,
            words: Arc::new(words),
            avg_tokens: if docs == 0 {
                1.0
            } else {
                (tokens as Score / docs as Score).max(1.0)
            },
            fields,
            by_date,
        })
    }

    /// This ranking on one segment.
    pub fn segment(&self, seg: &SegmentReader) -> tantivy::Result<SegmentRanker> {
        let f = &self.fields;
        let inv = seg.inverted_index(f.body_jieba)?;
        let in_sections = seg.inverted_index(f.section_jieba)?;
        let mut postings = Vec::with_capacity(self.words.len());
        let mut sections = Vec::with_capacity(self.words.len());
        for w in self.words.iter() {
            postings.push(inv.read_postings(&w.term, IndexRecordOption::WithFreqs)?);
            let t = Term::from_field_text(f.section_jieba, &w.text);
            sections.push(in_sections.read_postings(&t, IndexRecordOption::Basic)?);
        }
        let u64s = |name: &str| -> tantivy::Result<Column<u64>> { seg.fast_fields().u64(name) };
        Ok(SegmentRanker {
            ranker: self.clone(),
            postings,
            sections,
            tokens: seg.get_fieldnorms_reader(f.body_jieba)?,
            chars: u64s("chars")?,
            flags: u64s("flags")?,
            day: u64s("day")?,
            doc_key: u64s("doc_key")?,
            passage: u64s("passage")?,
        })
    }
}

/// BM25's inverse document frequency (as tantivy computes it).
fn idf(df: u64, docs: u64) -> Score {
    let x = ((docs - df) as Score + 0.5) / (df as Score + 0.5);
    (1.0 + x).ln()
}

/// The length prior of a passage of `chars` chars.
fn prior(chars: Score) -> Score {
    chars / (chars + PRIOR_CHARS)
}

/// The postings moved forward to `doc`, if they hold it.
fn at(postings: &mut Option<SegmentPostings>, doc: DocId) -> Option<&SegmentPostings> {
    let p = postings.as_mut()?;
    if p.doc() < doc {
        p.seek(doc);
    }
    (p.doc() == doc && doc != TERMINATED).then_some(&*p)
}

/// A [`Ranker`] on one segment: reads the words' postings forward as the
/// matching documents come, in doc order.
pub struct SegmentRanker {
    ranker: Ranker,
    postings: Vec<Option<SegmentPostings>>,
    /// The words' postings in the section paths.
    sections: Vec<Option<SegmentPostings>>,
    tokens: FieldNormReader,
    chars: Column<u64>,
    flags: Column<u64>,
    day: Column<u64>,
    doc_key: Column<u64>,
    passage: Column<u64>,
}

impl SegmentRanker {
    /// How often each query word occurs in `doc`; `doc` must not be before
    /// a document asked for earlier.
    fn tf(&mut self, i: usize, doc: DocId) -> u32 {
        at(&mut self.postings[i], doc).map_or(0, |p| p.term_freq())
    }

    /// Whether a query word is in the section path of `doc` (the same
    /// forward order).
    fn in_section(&mut self, i: usize, doc: DocId) -> bool {
        at(&mut self.sections[i], doc).is_some()
    }

    /// One word's BM25 part.
    fn part(&self, idf: Score, tf: u32, tokens: u32) -> Score {
        if tf == 0 {
            return 0.0;
        }
        let tf = tf as Score;
        let norm = K1 * (1.0 - B + B * tokens as Score / self.ranker.avg_tokens);
        idf * tf * (K1 + 1.0) / (tf + norm)
    }

    /// The score of `doc`, given the match query's score (its exact bonus).
    fn score(&mut self, doc: DocId, bonus: Score) -> Score {
        self.made(doc, bonus, false).score
    }

    /// How the score of `doc` is made.
    pub fn explain(&mut self, doc: DocId, bonus: Score) -> Explanation {
        self.made(doc, bonus, true)
    }

    /// The BM25 of `doc` (1 when the query has no text word), and each
    /// word's part when `parts` is given.
    fn bm25(&mut self, doc: DocId, tokens: u32, mut parts: Option<&mut Vec<WordPart>>) -> Score {
        let words = Arc::clone(&self.ranker.words);
        if words.is_empty() {
            // No text word to weigh (`title:…`, `site:…` alone): every
            // passage is one match, and the prior orders them.
            return 1.0;
        }
        let mut bm25 = 0.0;
        for (i, w) in words.iter().enumerate() {
            let tf = self.tf(i, doc);
            let score = self.part(w.idf, tf, tokens);
            bm25 += score;
            if let Some(kept) = parts.as_deref_mut() {
                kept.push(WordPart {
                    word: w.text.clone(),
                    tf,
                    idf: w.idf,
                    score,
                });
            }
        }
        bm25
    }

    /// The score of `doc` and how it is made; the words' parts only when
    /// `parts` (ranking every match needs the score alone).
    fn made(&mut self, doc: DocId, bonus: Score, parts: bool) -> Explanation {
        let tokens = self.tokens.fieldnorm(doc);
        let chars = self.chars.first(doc).unwrap_or(0) as u32;
        let mut kept = Vec::new();
        let bm25 = self.bm25(doc, tokens, parts.then_some(&mut kept));
        let words = self.ranker.words.len();
        let in_section = (0..words)
            .map(|i| u32::from(self.in_section(i, doc)))
            .sum::<u32>();
        let prior = prior(chars as Score);
        let mojibake = self.flags.first(doc).unwrap_or(0) & flag::MOJIBAKE != 0;
        let context = if words == 0 {
            1.0
        } else {
            1.0 + SECTION_WEIGHT * in_section as Score / words as Score
        };
        let mut score = bonus + prior * bm25 * context;
        if mojibake {
            score *= MOJIBAKE_FACTOR;
        }
        Explanation {
            exact: (bonus / EXACT_BONUS).round() as u32,
            bonus,
            words: kept,
            bm25,
            in_section,
            context,
            tokens,
            chars,
            prior,
            mojibake,
            score,
        }
    }

    /// The sort key of `doc`.
    pub fn key(&mut self, doc: DocId, bonus: Score) -> RankKey {
        let score = self.score(doc, bonus);
        let day = self.day.first(doc).unwrap_or(0);
        RankKey {
            sort_day: if self.ranker.by_date { day } else { 0 },
            score,
            day,
            doc_key: Reverse(self.doc_key.first(doc).unwrap_or(0)),
            passage: Reverse(self.passage.first(doc).unwrap_or(0)),
            bonus,
        }
    }

    /// Whether `doc` cannot enter the top kept so far, whose lowest key is
    /// `threshold`: decided from an upper bound of its key, made of what is
    /// cheap to read first (its day when sorting by date, its length, then
    /// its BM25), so most passages of a frequent term are dropped without
    /// reading the rest of their key. Never drops a passage whose exact key
    /// would pass, so the top is the one of ranking every match.
    fn cannot_pass<C: Comparator<RankKey>>(
        &mut self,
        doc: DocId,
        bonus: Score,
        threshold: &RankKey,
        order: &C,
    ) -> bool {
        let sort_day = if self.ranker.by_date {
            self.day.first(doc).unwrap_or(0)
        } else {
            0
        };
        // The greatest key with this day and a score of at most `score`;
        // a little above it, as the bound's floating-point sums are not
        // made in the score's order.
        let not_above = |score: Score| {
            let best = RankKey {
                sort_day,
                score: score * BOUND_SLACK,
                day: u64::MAX,
                doc_key: Reverse(0),
                passage: Reverse(0),
                bonus,
            };
            order.compare(&best, threshold) != Ordering::Greater
        };
        let prior = prior(self.chars.first(doc).unwrap_or(0) as Score);
        if not_above(bonus + prior * self.ranker.max_bm25 * MAX_CONTEXT) {
            return true;
        }
        let tokens = self.tokens.fieldnorm(doc);
        let bm25 = self.bm25(doc, tokens, None);
        not_above(bonus + prior * bm25 * MAX_CONTEXT)
    }
}

impl SortKeyComputer for Ranker {
    type SortKey = RankKey;
    type Child = SegmentRanker;
    type Comparator = NaturalComparator;

    fn requires_scoring(&self) -> bool {
        true
    }

    fn segment_sort_key_computer(&self, seg: &SegmentReader) -> tantivy::Result<SegmentRanker> {
        self.segment(seg)
    }
}

impl SegmentSortKeyComputer for SegmentRanker {
    type SortKey = RankKey;
    type SegmentSortKey = RankKey;
    type SegmentComparator = NaturalComparator;

    fn segment_sort_key(&mut self, doc: DocId, score: Score) -> RankKey {
        self.key(doc, score)
    }

    fn compute_sort_key_and_collect<C: Comparator<RankKey>>(
        &mut self,
        doc: DocId,
        score: Score,
        top: &mut TopNComputer<RankKey, DocId, C>,
    ) {
        if let Some(threshold) = &top.threshold
            && self.cannot_pass(doc, score, threshold, &C::default())
        {
            return;
        }
        top.push(self.key(doc, score), doc);
    }

    fn convert_segment_sort_key(&self, key: RankKey) -> RankKey {
        key
    }
}
