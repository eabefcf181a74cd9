//! Ranked passages for a query.
//!
//! Matching and ranking are separate concerns. *Matching* is exact where the
//! user asked for exactness: a quoted phrase must occur as written (folded),
//! checked on the n-gram field; a plain word matches a passage that holds it
//! exactly *or* holds all its jieba tokens. *Ranking* is BM25 over the jieba
//! field, plus a large constant for every word or phrase found exactly, so
//! exact matches rank above loose ones. Passages flagged as mojibake are kept
//! but pushed down (their garbage must not win on term statistics).
//!
//! A known term (policy vocabulary or user dictionary) is found exactly by
//! its own token in `body_terms`, with no positions to read. Otherwise the
//! n-gram index pins a phrase down exactly only when its tokens cover
//! every char of it ([`phrase_is_determined`]). A phrase with punctuation or
//! spaces inside, or an ASCII word at its edge, is looked up as candidates
//! and every candidate checked against its folded text; such an exclusion is
//! applied by that check alone (an over-matching exclusion would hide
//! passages that do not hold the phrase).

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, TantivyDocument, Term};

use crate::index::analyzers::{jieba_tokens, phrase_is_determined};
use crate::index::schema::{KIND_SOURCE, KIND_SPEECH, flag};
use crate::index::{SpeechIndex, stored_text, stored_u64};
use crate::query::highlight::{Mark, highlights_with};
use crate::query::mentions::{body_candidates, phrase_candidates};
use crate::query::parse::{Clause, Field, ParseError, Term as QTerm, parse};
use crate::query::scope::SpeechScope;

/// Score added for each query word or phrase found exactly in a passage.
const EXACT_BONUS: Score = 100.0;
/// Factor applied to the score of a passage that holds mojibake.
const MOJIBAKE_FACTOR: Score = 0.05;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest speech first (then best match).
    Date,
}

/// Options of a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// How many results.
    pub limit: usize,
    /// How many results to skip.
    pub offset: usize,
    /// Only speeches dated on or after (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only speeches dated on or before (`YYYY-MM-DD`).
    pub until: Option<String>,
    /// Order.
    pub sort: Sort,
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Result {
    /// 1-based rank (offset included).
    pub rank: usize,
    /// Ranking score.
    pub score: Score,
    /// The speech's id.
    pub doc_id: String,
    /// Passage ordinal.
    pub passage: usize,
    /// Title.
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Source path.
    pub source: String,
    /// Section path.
    pub section: String,
    /// Passage text, original script.
    pub text: String,
    /// Char spans `[start, end)` in `text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

/// The results of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Passages matching the query (before limit and offset).
    pub total: usize,
    /// The requested page of results.
    pub results: Vec<Result>,
}

/// Errors of a search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query is malformed.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A date option is not `YYYY-MM-DD`.
    #[error("{0:?} is not a date: use YYYY-MM-DD (e.g. 2024-05-21)")]
    BadDate(String),
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) → `yyyymmdd`, rounding down or up.
fn day_bound(date: &str, up: bool) -> Option<u64> {
    let parts: Vec<&str> = date.trim().split(['-', '/', '.']).collect();
    let num = |i: usize, default: u64| {
        parts
            .get(i)
            .map_or(Some(default), |p| p.parse::<u64>().ok())
    };
    let y = num(0, 0)?;
    let m = num(1, if up { 12 } else { 1 })?;
    let d = num(2, if up { 31 } else { 1 })?;
    ((1000..=9999).contains(&y)
        && (1..=12).contains(&m)
        && (1..=31).contains(&d)
        && parts.len() <= 3)
        .then_some(y * 10_000 + m * 100 + d)
}

/// The query for one term of the query language.
fn term_query(idx: &SpeechIndex, t: &QTerm) -> Box<dyn Query> {
    let f = &idx.fields;
    let folded = crate::fold::fold(&t.text);
    match t.field {
        Field::Title => match phrase_candidates(f.title_ngram, &folded) {
            // Titles are indexed on speech documents: widen to their passages.
            Some(q) => Box::new(SpeechScope::new(q, f.kind)),
            None => Box::new(EmptyQuery),
        },
        Field::Site => {
            let pattern = format!(".*{}.*", regex::escape(folded.trim()));
            RegexQuery::from_pattern(&pattern, f.site_key)
                .map(|q| Box::new(q) as Box<dyn Query>)
                .unwrap_or_else(|_| Box::new(EmptyQuery))
        }
        Field::Text => {
            // The bonus for an exact match only where the index can tell;
            // elsewhere the candidates still match (the check keeps those
            // that hold the word), but score nothing of their own.
            let bonus = if is_exact(idx, &folded) {
                EXACT_BONUS
            } else {
                0.0
            };
            // A phrase with no token (punctuation alone) is looked for in
            // every passage.
            let candidates = body_candidates(idx, &folded).unwrap_or_else(|| Box::new(AllQuery));
            let exact: Box<dyn Query> = Box::new(ConstScoreQuery::new(candidates, bonus));
            if t.phrase {
                return exact;
            }
            let tokens = jieba_tokens(&idx.jieba, &folded);
            // All of the word's jieba tokens, for a loose match and for BM25.
            let loose = (!tokens.is_empty()).then(|| {
                let all: Vec<(Occur, Box<dyn Query>)> = tokens
                    .iter()
                    .map(|(tok, _)| {
                        let q = TermQuery::new(
                            Term::from_field_text(f.body_jieba, tok),
                            IndexRecordOption::WithFreqs,
                        );
                        (Occur::Must, Box::new(q) as Box<dyn Query>)
                    })
                    .collect();
                Box::new(BooleanQuery::new(all)) as Box<dyn Query>
            });
            let whole_is_a_token = tokens.iter().any(|(tok, _)| *tok == folded);
            match loose {
                Some(loose) if whole_is_a_token => {
                    // The word is one of its own tokens, so a passage that
                    // has them all holds the word: the exact matches are all
                    // the matches, and the tokens only rank them. The exact
                    // query drives, and the tokens are read only where it
                    // matched (no union of both to fill and score).
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, exact),
                        (Occur::Should, loose),
                    ]))
                }
                loose => Box::new(BooleanQuery::new(
                    std::iter::once(exact)
                        .chain(loose)
                        .map(|q| (Occur::Should, q))
                        .collect(),
                )),
            }
        }
    }
}

/// Builds the whole tantivy query: the clauses, passages only, date range.
fn build(
    idx: &SpeechIndex,
    clauses: &[Clause],
    opts: &Options,
) -> std::result::Result<Box<dyn Query>, SearchError> {
    let f = &idx.fields;
    // Passages only: leaving out the speech and source documents (about
    // one in fifty) is much cheaper than intersecting with the posting list
    // of nearly every document.
    let mut parts: Vec<(Occur, Box<dyn Query>)> = [KIND_SPEECH, KIND_SOURCE]
        .into_iter()
        .map(|kind| {
            let q = TermQuery::new(Term::from_field_u64(f.kind, kind), IndexRecordOption::Basic);
            (Occur::MustNot, Box::new(q) as Box<dyn Query>)
        })
        .collect();
    for c in clauses {
        match c {
            Clause::Any(terms) if terms.len() == 1 => {
                parts.push((Occur::Must, term_query(idx, &terms[0])))
            }
            Clause::Any(terms) => {
                let any = terms
                    .iter()
                    .map(|t| (Occur::Should, term_query(idx, t)))
                    .collect();
                parts.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
            Clause::Not(t) if needs_check(idx, t) => {}
            Clause::Not(t) if t.field == Field::Text => {
                // Exclude exact occurrences only, never a loose jieba match.
                let folded = crate::fold::fold(&t.text);
                if let Some(q) = body_candidates(idx, &folded) {
                    parts.push((Occur::MustNot, q));
                }
            }
            Clause::Not(t) => parts.push((Occur::MustNot, term_query(idx, t))),
        }
    }
    let lower = match &opts.since {
        Some(d) => {
            Bound::Included(day_bound(d, false).ok_or_else(|| SearchError::BadDate(d.clone()))?)
        }
        None => Bound::Unbounded,
    };
    let upper = match &opts.until {
        Some(d) => {
            Bound::Included(day_bound(d, true).ok_or_else(|| SearchError::BadDate(d.clone()))?)
        }
        None => Bound::Unbounded,
    };
    if opts.since.is_some() || opts.until.is_some() {
        let lower = match lower {
            Bound::Unbounded => Bound::Included(1),
            b => b,
        };
        let range = RangeQuery::new(
            lower.map(|d| Term::from_field_u64(f.day, d)),
            upper.map(|d| Term::from_field_u64(f.day, d)),
        );
        parts.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(range), 0.0)),
        ));
    }
    Ok(Box::new(BooleanQuery::new(parts)))
}

/// Whether the index finds a folded phrase exactly: a known term (its own
/// token in `body_terms`) or a phrase the n-grams pin down.
fn is_exact(idx: &SpeechIndex, folded: &str) -> bool {
    idx.terms.contains(folded) || phrase_is_determined(folded)
}

/// Whether a term is a text phrase (or a text exclusion) the index cannot
/// pin down, so that passages must be checked against their text.
fn needs_check(idx: &SpeechIndex, t: &QTerm) -> bool {
    t.field == Field::Text && !is_exact(idx, &crate::fold::fold(&t.text))
}

/// The jieba tokens of each word (not phrase) that needs checking, by its
/// folded text: worked out once per query, not once per candidate.
fn loose_tokens(idx: &SpeechIndex, clauses: &[Clause]) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for c in clauses {
        if let Clause::Any(terms) = c {
            for t in terms.iter().filter(|t| !t.phrase && needs_check(idx, t)) {
                let folded = crate::fold::fold(&t.text);
                let tokens = jieba_tokens(&idx.jieba, &folded);
                out.insert(folded, tokens.into_iter().map(|(tok, _)| tok).collect());
            }
        }
    }
    out
}

/// Whether a passage's folded text satisfies the clauses that need checking
/// (`loose`: [`loose_tokens`] of the clauses).
fn holds(
    idx: &SpeechIndex,
    clauses: &[Clause],
    loose: &HashMap<String, Vec<String>>,
    folded: &str,
) -> bool {
    let contains = |t: &QTerm| folded.contains(&crate::fold::fold(&t.text));
    let term_holds = |t: &QTerm| {
        if !needs_check(idx, t) || contains(t) {
            return true;
        }
        // A word may also match by all its jieba tokens.
        !t.phrase
            && loose
                .get(&crate::fold::fold(&t.text))
                .is_some_and(|tokens| {
                    !tokens.is_empty() && tokens.iter().all(|tok| folded.contains(tok.as_str()))
                })
    };
    clauses.iter().all(|c| match c {
        Clause::Any(terms) => {
            !terms.iter().any(|t| needs_check(idx, t)) || terms.iter().any(term_holds)
        }
        Clause::Not(t) => !needs_check(idx, t) || !contains(t),
    })
}

/// `top` ranked by date first when sorting by date, with mojibake passages
/// down-ranked.
fn ranked(
    top: TopDocs,
    sort: Sort,
) -> impl tantivy::collector::Collector<Fruit = Vec<((u64, Score), DocAddress)>> {
    top.tweak_score(move |seg: &tantivy::SegmentReader| {
        let flags = seg
            .fast_fields()
            .u64("flags")
            .ok()
            .map(|c| c.first_or_default_col(0));
        let days = seg
            .fast_fields()
            .u64("day")
            .ok()
            .map(|c| c.first_or_default_col(0));
        move |doc: tantivy::DocId, score: Score| {
            let bits = flags.as_ref().map_or(0, |c| c.get_val(doc));
            let score = if bits & flag::MOJIBAKE != 0 {
                score * MOJIBAKE_FACTOR
            } else {
                score
            };
            let day = match sort {
                Sort::Date => days.as_ref().map_or(0, |c| c.get_val(doc)),
                Sort::Relevance => 0,
            };
            (day, score)
        }
    })
}

/// Runs a query.
pub fn search(
    idx: &SpeechIndex,
    query: &str,
    opts: &Options,
) -> std::result::Result<Found, SearchError> {
    let parsed = parse(query)?;
    let q = build(idx, &parsed.clauses, opts)?;
    let searcher = idx.searcher()?;
    let check = parsed.clauses.iter().any(|c| match c {
        Clause::Any(terms) => terms.iter().any(|t| needs_check(idx, t)),
        Clause::Not(t) => needs_check(idx, t),
    });
    let (mut total, hits) = if check {
        // With a check, rank every candidate, keep those that hold, then page.
        let total = searcher.search(q.as_ref(), &Count)?;
        let top = TopDocs::with_limit(total.max(1));
        (total, searcher.search(q.as_ref(), &ranked(top, opts.sort))?)
    } else {
        // One pass counts and ranks.
        let top = TopDocs::with_limit(opts.limit.max(1)).and_offset(opts.offset);
        searcher.search(q.as_ref(), &(Count, ranked(top, opts.sort)))?
    };
    let marks: Vec<Mark> = parsed
        .positive_terms()
        .map(|t| Mark {
            folded: crate::fold::fold(&t.text),
            phrase: t.phrase,
        })
        .collect();
    let mark_tokens: Vec<Vec<String>> = marks
        .iter()
        .map(|m| {
            if m.phrase {
                Vec::new()
            } else {
                jieba_tokens(&idx.jieba, &m.folded)
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            }
        })
        .collect();
    let loose = loose_tokens(idx, &parsed.clauses);
    let f = &idx.fields;
    let mut docs: Vec<(Score, TantivyDocument)> = Vec::with_capacity(hits.len());
    for ((_, score), addr) in hits {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let folded = crate::fold::fold(&stored_text(&doc, f.text).unwrap_or_default());
        if check && !holds(idx, &parsed.clauses, &loose, &folded) {
            continue;
        }
        docs.push((score, doc));
    }
    if check {
        total = docs.len();
        docs = docs
            .into_iter()
            .skip(opts.offset)
            .take(opts.limit.max(1))
            .collect();
    }
    let mut results = Vec::with_capacity(docs.len());
    for (i, (score, doc)) in docs.into_iter().enumerate() {
        let text = stored_text(&doc, f.text).unwrap_or_default();
        results.push(Result {
            rank: opts.offset + i + 1,
            score,
            doc_id: stored_text(&doc, f.doc_id).unwrap_or_default(),
            passage: stored_u64(&doc, f.passage) as usize,
            title: stored_text(&doc, f.title),
            date: stored_text(&doc, f.date),
            site: stored_text(&doc, f.site),
            source: stored_text(&doc, f.source).unwrap_or_default(),
            section: stored_text(&doc, f.section).unwrap_or_default(),
            highlights: highlights_with(&text, &marks, &mark_tokens),
            text,
        });
    }
    Ok(Found { total, results })
}

#[cfg(test)]
mod tests {
    use super::day_bound;

    #[test]
    fn date_bounds() {
        assert_eq!(day_bound("2024-05-21", false), Some(20240521));
        assert_eq!(day_bound("2024-05", false), Some(20240501));
        assert_eq!(day_bound("2024", true), Some(20241231));
        assert_eq!(day_bound("May 2024", false), None);
        assert_eq!(day_bound("2024-13-01", false), None);
    }
}
