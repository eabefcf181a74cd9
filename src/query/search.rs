//! Ranked passages for a query.
//!
//! Matching and ranking are separate concerns. *Matching* is exact where the
//! user asked for exactness: a quoted phrase must occur as written (folded),
//! checked on the n-gram field; a plain word matches a passage that holds it
//! exactly *or* holds all its jieba tokens (as tokens of the passage);
//! `title:` matches the passages of a speech whose folded title holds the
//! text, `site:` those of a site whose folded name holds it. Every store
//! matches the same passages (`index::pg` answers the same definition).
//! *Ranking* is `query::rank`'s: BM25 over the jieba words of every text
//! word and phrase, a length prior, and a large constant for every word or
//! phrase found exactly, so exact matches rank above loose ones. The match
//! query scores only that constant: every other clause (loose tokens,
//! fields, filters) scores 0.
//!
//! A known term (policy vocabulary or user dictionary) is found exactly by
//! its own token in `body_terms`, with no positions to read. Otherwise the
//! n-gram index pins a phrase down exactly only when its tokens cover
//! every char of it ([`phrase_is_determined`]). A phrase with punctuation or
//! spaces inside, or an ASCII word at its edge, is looked up as candidates
//! and every candidate checked against its folded text (and title); in a
//! clause with such a term, every alternative is checked, and a word's
//! loose match is read from the passages holding all its tokens. Such an
//! exclusion is applied by that check alone (an over-matching exclusion
//! would hide passages that do not hold the phrase).
//!
//! Each term is folded, looked up and cut by jieba once per query (not once
//! per candidate), and a term or clause typed twice is one (`招商 招商` is
//! `招商`), so the work of a query grows with its length and no faster.

use std::collections::HashSet;

use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RegexQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, TantivyDocument, Term};

use crate::index::analyzers::{LazyJieba, jieba_tokens, phrase_is_determined};
use crate::index::schema::{KIND_SOURCE, KIND_SPEECH};
use crate::index::{SpeechIndex, stored_text, stored_u64};
use crate::query::filter::{BadDate, Filter};
use crate::query::highlight::{Mark, highlights_with};
use crate::query::mentions::{WordTerms, body_candidates, phrase_candidates};
use crate::query::parse::{Clause, Field, ParseError, Term as QTerm, parse};
use crate::query::rank::{EXACT_BONUS, Explanation, RankKey, Ranker};
use crate::query::scope::SpeechScope;

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
    /// How many results (0: none, only the total).
    pub limit: usize,
    /// How many results to skip.
    pub offset: usize,
    /// Only the speeches of a site or a date range.
    pub filter: Filter,
    /// Order.
    pub sort: Sort,
    /// Say how each score was made ([`Result::explain`]).
    pub explain: bool,
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
    /// How the score was made (with [`Options::explain`]).
    pub explain: Option<Explanation>,
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
    /// A date option is not a date.
    #[error("{0}")]
    BadDate(#[from] BadDate),
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The store failed (a PostgreSQL server, say).
    #[error("{0}")]
    Index(#[from] crate::index::IndexError),
    /// The store cannot do what the options ask (a sentence saying why).
    #[error("{0}")]
    Unsupported(&'static str),
}

/// A query term with what the search works out of it, once per query.
pub(crate) struct Prepared<'q> {
    /// The term as parsed.
    pub(crate) term: &'q QTerm,
    /// The folded text.
    pub(crate) folded: String,
    /// A text or title term the index finds exactly (a known term, or a
    /// phrase its n-grams pin down).
    exact: bool,
    /// A text word's jieba tokens, each once, in order (none for phrases
    /// and other fields).
    pub(crate) tokens: Vec<String>,
}

impl Prepared<'_> {
    /// Whether passages must be checked against their text (or title) for
    /// this term.
    fn needs_check(&self) -> bool {
        self.term.field != Field::Site && !self.exact
    }

    /// Whether the term may also match by all its jieba tokens (a text
    /// word with tokens).
    pub(crate) fn loose(&self) -> bool {
        self.term.field == Field::Text && !self.term.phrase && !self.tokens.is_empty()
    }

    /// What makes two terms the same term.
    fn key(&self) -> (Field, &str, bool) {
        (self.term.field, &self.folded, self.term.phrase)
    }
}

/// A clause of [`Prepared`] terms.
pub(crate) enum PClause<'q> {
    /// At least one must match.
    Any(Vec<Prepared<'q>>),
    /// Must not match.
    Not(Prepared<'q>),
}

impl PClause<'_> {
    /// Whether passages must be checked against their text for this
    /// clause (an excluded text term always is).
    fn needs_check(&self) -> bool {
        match self {
            PClause::Any(terms) => terms.iter().any(Prepared::needs_check),
            PClause::Not(t) => t.needs_check() || t.term.field == Field::Text,
        }
    }

    /// The clause's terms (one for an exclusion).
    pub(crate) fn terms(&self) -> &[Prepared<'_>] {
        match self {
            PClause::Any(terms) => terms,
            PClause::Not(t) => std::slice::from_ref(t),
        }
    }
}

/// What makes two clauses the same: excluded or not, and their terms'
/// fields, folded texts and forms.
type ClauseKey = (bool, Vec<(Field, String, bool)>);

/// Folds, looks up and cuts every term once, and drops the terms and
/// clauses typed twice (the same folded text in the same field and form).
/// `known` says whether a folded text is a known term (its own token in
/// the index).
pub(crate) fn prepare<'q>(
    jieba: &LazyJieba,
    known: &dyn Fn(&str) -> bool,
    clauses: &'q [Clause],
) -> Vec<PClause<'q>> {
    let one = |t: &'q QTerm| {
        let folded = crate::fold::fold(&t.text);
        let text = t.field == Field::Text;
        let exact = match t.field {
            Field::Text => known(&folded) || phrase_is_determined(&folded),
            Field::Title => phrase_is_determined(&folded),
            Field::Site => true,
        };
        let mut tokens = Vec::new();
        if text && !t.phrase {
            let mut seen = HashSet::new();
            for (tok, _) in jieba_tokens(jieba, &folded) {
                if seen.insert(tok.clone()) {
                    tokens.push(tok);
                }
            }
        }
        Prepared {
            term: t,
            folded,
            exact,
            tokens,
        }
    };
    let mut seen: HashSet<ClauseKey> = HashSet::new();
    let mut out = Vec::new();
    for c in clauses {
        let clause = match c {
            Clause::Any(terms) => {
                let mut alternatives: Vec<Prepared<'q>> = Vec::with_capacity(terms.len());
                for t in terms {
                    let p = one(t);
                    if !alternatives.iter().any(|a| a.key() == p.key()) {
                        alternatives.push(p);
                    }
                }
                PClause::Any(alternatives)
            }
            Clause::Not(t) => PClause::Not(one(t)),
        };
        let mut key: Vec<(Field, String, bool)> = clause
            .terms()
            .iter()
            .map(|p| (p.term.field, p.folded.clone(), p.term.phrase))
            .collect();
        key.sort_by(|a, b| (a.1.as_str(), a.2).cmp(&(b.1.as_str(), b.2)));
        if seen.insert((matches!(clause, PClause::Not(_)), key)) {
            out.push(clause);
        }
    }
    out
}

/// The query for one term of the query language.
fn term_query(
    idx: &SpeechIndex,
    p: &Prepared<'_>,
    words: &mut WordTerms<'_>,
) -> tantivy::Result<Box<dyn Query>> {
    let f = &idx.fields;
    let folded = &p.folded;
    Ok(match p.term.field {
        Field::Title => match phrase_candidates(f.title_ngram, folded, words)? {
            // Titles are indexed on speech documents: widen to their passages.
            Some(q) => unscored(Box::new(SpeechScope::new(q, f.kind))),
            // No token (punctuation alone): every passage, checked.
            None => unscored(Box::new(AllQuery)),
        },
        Field::Site => {
            let pattern = format!(".*{}.*", regex::escape(folded.trim()));
            RegexQuery::from_pattern(&pattern, f.site_key)
                .map(|q| unscored(Box::new(q)))
                .unwrap_or_else(|_| Box::new(EmptyQuery))
        }
        Field::Text => {
            // The bonus for an exact match only where the index can tell;
            // elsewhere the candidates still match (the check keeps those
            // that hold the word), but score nothing of their own.
            let bonus = if p.exact { EXACT_BONUS } else { 0.0 };
            // A phrase with no token (punctuation alone) is looked for in
            // every passage.
            let candidates =
                body_candidates(idx, folded, words)?.unwrap_or_else(|| Box::new(AllQuery));
            let exact: Box<dyn Query> = Box::new(ConstScoreQuery::new(candidates, bonus));
            if p.term.phrase {
                return Ok(exact);
            }
            // All of the word's jieba tokens, for a loose match (ranked by
            // `rank`, so it scores nothing here).
            let loose = p.loose().then(|| unscored(loose_query(idx, p)));
            let whole_is_a_token = p.tokens.iter().any(|tok| tok == folded);
            match loose {
                // The word is one of its own tokens, so a passage that has
                // them all holds the word: the exact matches are all the
                // matches (no union with the tokens to fill).
                Some(_) if whole_is_a_token => exact,
                loose => Box::new(BooleanQuery::new(
                    std::iter::once(exact)
                        .chain(loose)
                        .map(|q| (Occur::Should, q))
                        .collect(),
                )),
            }
        }
    })
}

/// The passages holding all of a word's jieba tokens.
fn loose_query(idx: &SpeechIndex, p: &Prepared<'_>) -> Box<dyn Query> {
    let all: Vec<(Occur, Box<dyn Query>)> = p
        .tokens
        .iter()
        .map(|tok| {
            let q = TermQuery::new(
                Term::from_field_text(idx.fields.body_jieba, tok),
                IndexRecordOption::WithFreqs,
            );
            (Occur::Must, Box::new(q) as Box<dyn Query>)
        })
        .collect();
    Box::new(BooleanQuery::new(all))
}

/// Builds the whole tantivy query: the clauses, passages only, the filter.
fn build(
    idx: &SpeechIndex,
    clauses: &[PClause<'_>],
    opts: &Options,
    words: &mut WordTerms<'_>,
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
            PClause::Any(terms) if terms.len() == 1 => {
                parts.push((Occur::Must, term_query(idx, &terms[0], words)?))
            }
            PClause::Any(terms) => {
                let mut any = Vec::with_capacity(terms.len());
                for t in terms {
                    any.push((Occur::Should, term_query(idx, t, words)?));
                }
                parts.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
            // An excluded text term is excluded by the check on the text
            // (exact occurrences only, never a loose jieba match): as a
            // tantivy exclusion, a phrase query trips a debug assertion of
            // tantivy 0.27's `PhraseScorer::seek_danger`.
            PClause::Not(t) if t.needs_check() || t.term.field == Field::Text => {}
            PClause::Not(t) => parts.push((Occur::MustNot, term_query(idx, t, words)?)),
        }
    }
    // The filter's clauses score nothing already.
    parts.extend(opts.filter.bounds()?.clauses(f));
    Ok(Box::new(BooleanQuery::new(parts)))
}

/// A query that matches what `q` matches and scores 0 (only the exact
/// clauses score: see `query::rank`).
fn unscored(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// Whether a passage satisfies the clauses that need checking, given its
/// folded text, title and site; `loose` says whether it holds all of a
/// word's jieba tokens. In a clause with a term to check, every
/// alternative is checked (the candidates of one may be anything).
fn holds(
    clauses: &[PClause<'_>],
    folded: &str,
    title: &str,
    site: &str,
    loose: &dyn Fn(&Prepared<'_>) -> bool,
) -> bool {
    let contains = |p: &Prepared<'_>| match p.term.field {
        Field::Title => title.contains(p.folded.as_str()),
        Field::Site => site.contains(p.folded.trim()),
        Field::Text => folded.contains(p.folded.as_str()),
    };
    // A word may also match by all its jieba tokens.
    let term_holds = |p: &Prepared<'_>| contains(p) || (p.loose() && loose(p));
    clauses.iter().all(|c| match c {
        PClause::Any(terms) => {
            !terms.iter().any(Prepared::needs_check) || terms.iter().any(term_holds)
        }
        not @ PClause::Not(t) => !not.needs_check() || !contains(t),
    })
}

/// What highlights show of a query: each positive text term once, with
/// its jieba tokens.
pub(crate) fn marks(clauses: &[PClause<'_>]) -> (Vec<Mark>, Vec<Vec<String>>) {
    let mut marked = HashSet::new();
    clauses
        .iter()
        .filter_map(|c| match c {
            PClause::Any(terms) => Some(terms),
            PClause::Not(_) => None,
        })
        .flatten()
        .filter(|p| p.term.field == Field::Text && marked.insert(p.key()))
        .map(|p| {
            let mark = Mark {
                folded: p.folded.clone(),
                phrase: p.term.phrase,
            };
            (mark, p.tokens.clone())
        })
        .unzip()
}

/// The folded positive text terms of a query (what ranks), in query order.
pub(crate) fn positive_texts<'c>(clauses: &'c [PClause<'_>]) -> Vec<&'c str> {
    let mut texts: Vec<&str> = Vec::new();
    for c in clauses {
        if let PClause::Any(terms) = c {
            for p in terms.iter().filter(|p| p.term.field == Field::Text) {
                texts.push(&p.folded);
            }
        }
    }
    texts
}

/// The ranking of a query: its positive text words and phrases, over the
/// searcher's statistics.
fn ranker(
    idx: &SpeechIndex,
    searcher: &tantivy::Searcher,
    clauses: &[PClause<'_>],
    sort: Sort,
) -> tantivy::Result<Ranker> {
    let texts = positive_texts(clauses);
    Ranker::new(searcher, idx.fields, &idx.jieba, &texts, sort == Sort::Date)
}

/// Runs a query.
pub fn search(
    idx: &SpeechIndex,
    query: &str,
    opts: &Options,
) -> std::result::Result<Found, SearchError> {
    let parsed = parse(query)?;
    let clauses = prepare(&idx.jieba, &|t| idx.terms.contains(t), &parsed.clauses);
    let searcher = idx.searcher()?;
    let q = build(idx, &clauses, opts, &mut WordTerms::new(&searcher))?;
    let check = clauses.iter().any(PClause::needs_check);
    if !check && opts.limit == 0 {
        // The total alone: nothing to rank, nothing to read.
        return Ok(Found {
            total: searcher.search(q.as_ref(), &Count)?,
            results: Vec::new(),
        });
    }
    let ranker = ranker(idx, &searcher, &clauses, opts.sort)?;
    let (mut total, hits) = if check {
        // With a check, rank every candidate, keep those that hold, then page.
        let total = searcher.search(q.as_ref(), &Count)?;
        let top = TopDocs::with_limit(total.max(1)).order_by(ranker.clone());
        (total, searcher.search(q.as_ref(), &top)?)
    } else {
        // One pass counts and ranks.
        let top = TopDocs::with_limit(opts.limit)
            .and_offset(opts.offset)
            .order_by(ranker.clone());
        searcher.search(q.as_ref(), &(Count, top))?
    };
    let (marks, mark_tokens) = marks(&clauses);
    let f = &idx.fields;
    // The passages that hold all tokens of each word to check (a word
    // matches by them, or by its text).
    let mut loose_sets: Vec<(&Prepared<'_>, HashSet<DocAddress>)> = Vec::new();
    if check {
        let checked = clauses.iter().filter_map(|c| match c {
            PClause::Any(terms) if terms.iter().any(Prepared::needs_check) => Some(terms),
            _ => None,
        });
        for p in checked.flatten() {
            if p.loose() {
                let set = searcher.search(loose_query(idx, p).as_ref(), &DocSetCollector)?;
                loose_sets.push((p, set));
            }
        }
    }
    let mut docs: Vec<(RankKey, DocAddress, TantivyDocument)> = Vec::with_capacity(hits.len());
    for (key, addr) in hits {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if check {
            let folded = crate::fold::fold(&stored_text(&doc, f.text).unwrap_or_default());
            let title = crate::fold::fold(&stored_text(&doc, f.title).unwrap_or_default());
            let site = crate::fold::fold(&stored_text(&doc, f.site).unwrap_or_default());
            let loose = |p: &Prepared<'_>| {
                loose_sets
                    .iter()
                    .any(|(q, set)| std::ptr::eq(*q, p) && set.contains(&addr))
            };
            if !holds(&clauses, &folded, &title, &site, &loose) {
                continue;
            }
        }
        docs.push((key, addr, doc));
    }
    if check {
        total = docs.len();
        docs = docs
            .into_iter()
            .skip(opts.offset)
            .take(opts.limit)
            .collect();
    }
    let mut results = Vec::with_capacity(docs.len());
    for (i, (key, addr, doc)) in docs.into_iter().enumerate() {
        let text = stored_text(&doc, f.text).unwrap_or_default();
        let explain = if opts.explain {
            let seg = searcher.segment_reader(addr.segment_ord);
            Some(ranker.segment(seg)?.explain(addr.doc_id, key.bonus))
        } else {
            None
        };
        results.push(Result {
            rank: opts.offset + i + 1,
            score: key.score,
            explain,
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
