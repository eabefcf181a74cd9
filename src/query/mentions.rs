//! Every mention of a phrase, exactly.
//!
//! The answer must equal a plain substring count (non-overlapping, left to
//! right, as `str::matches` and `grep -o` count) over the folded text of
//! every title and passage in the index — no miss, no false hit, whatever
//! the script. So the index is only asked for *candidates*: an n-gram phrase
//! query built with the indexing positions ([`phrase_tokens`]), which can
//! over-match but never miss; then every candidate's stored text is folded
//! and the phrase counted in it. A phrase with no indexable token (only
//! punctuation) scans every document.
//!
//! Counting alone ([`count`]) does better when the phrase's n-grams cover
//! every char of it ([`PhraseTokens::is_determined`](crate::index::analyzers::PhraseTokens::is_determined)): then a match of the tokens
//! at their offsets *is* an occurrence, so occurrences are counted straight
//! from the positional postings — intersected, then counted greedily
//! without overlap, as a substring count does — and the speech, site and
//! date of each document come from fast fields. No stored text is read.
//!
//! A phrase is counted as given, quotes included: `“…”` occur in the text
//! and are counted as text. Only a phrase wrapped whole in ASCII quotes
//! (`"百日会战"`, the habit of search syntax) is taken to mean its inside
//! ([`unquoted`]; the CLI says so). A [`Bounds`] limits the count to the
//! speeches of a site or a date range (the `_in` functions). A phrase is at
//! most [`MAX_QUERY_CHARS`] characters long.

use std::ops::ControlFlow;

use tantivy::Term;
use tantivy::postings::Postings;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use crate::index::analyzers::{Gram, is_cjk, phrase_tokens};
use crate::index::schema::{KIND_SPEECH, flag, speech_starts};
use crate::index::{DocId, SpeechIndex, stored};
use crate::query::filter::Bounds;
use crate::query::parse::MAX_QUERY_CHARS;

/// Errors of a mentions query.
#[derive(Debug, thiserror::Error)]
pub enum MentionsError {
    /// The phrase is empty or only whitespace.
    #[error("the phrase is empty: give the words to count, e.g. jianghua mentions 百日会战")]
    Empty,
    /// More than [`MAX_QUERY_CHARS`] characters.
    #[error("the phrase is {chars} characters long, more than the {max} a phrase may have", max = MAX_QUERY_CHARS)]
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The store failed (a PostgreSQL server down, say).
    #[error("{0}")]
    Store(#[from] crate::index::IndexError),
}

/// The mentions in one title or passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The speech's id.
    pub doc_id: String,
    /// The passage ordinal, or `None` for the speech's title.
    pub passage: Option<usize>,
    /// The speech's title.
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// Source path.
    pub source: String,
    /// Section path (empty for titles and unsectioned passages).
    pub section: String,
    /// The title or passage text, original script.
    pub text: String,
    /// Char offsets `[start, end)` in `text` of each occurrence.
    pub spans: Vec<(usize, usize)>,
    /// The same occurrences as byte offsets in `text`, one per span.
    pub bytes: Vec<(usize, usize)>,
    /// The passage holds mojibake.
    pub mojibake: bool,
}

/// All mentions of a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentions {
    /// The phrase as given.
    pub phrase: String,
    /// Titles and passages that mention it, ordered by source, speech and passage.
    pub hits: Vec<Hit>,
}

impl Mentions {
    /// Total occurrences.
    pub fn occurrences(&self) -> usize {
        self.hits.iter().map(|h| h.spans.len()).sum()
    }
    /// Passages (and titles) with at least one occurrence.
    pub fn passages(&self) -> usize {
        self.hits.len()
    }
    /// Speeches with at least one occurrence.
    pub fn speeches(&self) -> usize {
        let mut ids: Vec<&str> = self.hits.iter().map(|h| h.doc_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

/// How often a phrase occurs in one title or passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The speech's id, as [`DocId::key`].
    pub doc_key: u64,
    /// The speech's title.
    pub title: Option<String>,
    /// The speech's site.
    pub site: Option<String>,
    /// The speech's date as the number `YYYYMMDD` (0: unknown).
    pub day: u64,
    /// Occurrences in this title or passage.
    pub occurrences: usize,
}

impl Tally {
    /// The speech's id.
    pub fn doc_id(&self) -> DocId {
        DocId::from_key(self.doc_key)
    }

    /// The speech's date, `YYYY-MM-DD`.
    pub fn date(&self) -> Option<String> {
        crate::index::writer::day_date(self.day)
    }
}

/// Counts of a phrase, per title or passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// The phrase as given.
    pub phrase: String,
    /// One entry per title or passage with at least one occurrence.
    pub tallies: Vec<Tally>,
}

impl Counts {
    /// Total occurrences.
    pub fn occurrences(&self) -> usize {
        self.tallies.iter().map(|t| t.occurrences).sum()
    }
    /// Titles and passages with an occurrence.
    pub fn passages(&self) -> usize {
        self.tallies.len()
    }
    /// Speeches with an occurrence.
    pub fn speeches(&self) -> usize {
        let mut ids: Vec<u64> = self.tallies.iter().map(|t| t.doc_key).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

impl From<&Mentions> for Counts {
    fn from(m: &Mentions) -> Counts {
        let tallies = m
            .hits
            .iter()
            .map(|h| Tally {
                doc_key: DocId::parse(&h.doc_id).map_or(0, |d| d.key()),
                title: h.title.clone(),
                site: h.site.clone(),
                day: crate::index::writer::day_number(h.date.as_deref()),
                occurrences: h.spans.len(),
            })
            .collect();
        Counts {
            phrase: m.phrase.clone(),
            tallies,
        }
    }
}

/// Whether a proper prefix of the phrase is also a suffix of it (then
/// occurrences can overlap, as `aa` in `aaa`).
fn overlaps_itself(folded: &str) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    (1..chars.len()).any(|k| chars[..k] == chars[chars.len() - k..])
}

/// Greedy non-overlapping count of sorted match starts for a phrase of `len` chars.
fn count_starts(starts: &[u32], len: u32) -> usize {
    let mut n = 0;
    let mut free_from = 0u32;
    for &p in starts {
        if p >= free_from {
            n += 1;
            free_from = p + len;
        }
    }
    n
}

/// Keeps the values of `a` that are also in `b` (both sorted).
fn intersect_sorted(a: &mut Vec<u32>, b: &[u32]) {
    let mut j = 0;
    a.retain(|x| {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        j < b.len() && b[j] == *x
    });
}

/// A string fast field of one segment, each distinct value resolved once
/// (a speech's passages share its id, title and site).
pub(crate) struct StrLookup {
    col: Option<tantivy::columnar::StrColumn>,
    seen: std::collections::HashMap<u64, Option<String>>,
}

impl StrLookup {
    pub(crate) fn new(col: Option<tantivy::columnar::StrColumn>) -> StrLookup {
        StrLookup {
            col,
            seen: std::collections::HashMap::new(),
        }
    }

    pub(crate) fn get(&mut self, doc: tantivy::DocId) -> Option<String> {
        let col = self.col.as_ref()?;
        let ord = col.term_ords(doc).next()?;
        self.seen
            .entry(ord)
            .or_insert_with(|| {
                let mut s = String::new();
                col.ord_to_str(ord, &mut s)
                    .ok()
                    .filter(|found| *found)
                    .map(|_| s)
            })
            .clone()
    }
}

/// Where a count comes from: tokens of a field at char offsets in the
/// phrase, and how they give the count.
struct Source {
    field: tantivy::schema::Field,
    tokens: Vec<(u32, String)>,
    by: By,
}

/// How a [`Source`]'s tokens give the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    /// The one token's frequency is the count.
    Freq,
    /// Matches of the tokens at their offsets, counted without overlap.
    Positions,
    /// The one token is a CJK char: the count is the sum of the
    /// frequencies of the terms that start with it (every occurrence is
    /// exactly one such token, see `index::analyzers`).
    Prefix,
}

impl Source {
    /// How the index can count a folded phrase without reading text: a
    /// known term from its own counted tokens, a phrase its n-grams
    /// determine from their positions; `None` otherwise.
    fn of(idx: &SpeechIndex, folded: &str) -> Option<Source> {
        if idx.terms.contains(folded) {
            return Some(Source {
                field: idx.fields.body_terms,
                tokens: vec![(0, folded.to_owned())],
                by: By::Freq,
            });
        }
        let tokens = phrase_tokens(folded);
        if !tokens.is_determined() {
            return None;
        }
        if let Some(open) = tokens.open {
            // Determined with an open token: the phrase is that one char.
            return Some(Source {
                field: idx.fields.body_ngram,
                tokens: vec![(0, open.text)],
                by: By::Prefix,
            });
        }
        let exact = tokens.exact;
        Some(Source {
            field: idx.fields.body_ngram,
            // One token and no self-overlap: its frequency is the count.
            by: if exact.len() == 1 && !overlaps_itself(folded) {
                By::Freq
            } else {
                By::Positions
            },
            tokens: exact.into_iter().map(|g| (g.pos as u32, g.text)).collect(),
        })
    }
}

/// Counts a phrase from the postings alone.
fn count_from_postings(
    idx: &SpeechIndex,
    folded: &str,
    source: Source,
    sink: &mut impl Sink,
) -> Result<(), MentionsError> {
    let Source { field, tokens, by } = source;
    if by == By::Prefix {
        return count_by_prefix(idx, field, &tokens[0].1, sink);
    }
    let by_freq = by == By::Freq;
    let len = folded.chars().count() as u32;
    let record = if by_freq {
        IndexRecordOption::WithFreqs
    } else {
        IndexRecordOption::WithFreqsAndPositions
    };
    let searcher = idx.searcher()?;
    let (mut starts, mut buf) = (Vec::new(), Vec::new());
    'segments: for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut postings = Vec::with_capacity(tokens.len());
        for (pos, text) in &tokens {
            match inv
                .read_postings(&Term::from_field_text(field, text), record)
                .map_err(tantivy::TantivyError::from)?
            {
                Some(p) => postings.push((*pos, p)),
                None => continue 'segments,
            }
        }
        // Drive the intersection with the rarest token.
        postings.sort_by_key(|(_, p)| p.doc_freq());
        sink.segment(seg)?;
        let mut doc = postings[0].1.doc();
        while doc != TERMINATED {
            let mut target = doc;
            let aligned = loop {
                let mut moved = false;
                for (_, p) in postings.iter_mut() {
                    // `seek` wants a target at or past the current doc.
                    let d = if p.doc() < target {
                        p.seek(target)
                    } else {
                        p.doc()
                    };
                    if d > target {
                        target = d;
                        moved = true;
                    }
                }
                if target == TERMINATED {
                    break false;
                }
                if !moved {
                    break true;
                }
            };
            if !aligned {
                break;
            }
            doc = target;
            if !seg.is_deleted(doc) {
                let n = if by_freq {
                    postings[0].1.term_freq() as usize
                } else {
                    let mut first = true;
                    for (off, p) in postings.iter_mut() {
                        p.positions(&mut buf);
                        let shifted = buf.iter().filter(|&&x| x >= *off).map(|&x| x - *off);
                        if first {
                            starts.clear();
                            starts.extend(shifted);
                            first = false;
                        } else {
                            let other: Vec<u32> = shifted.collect();
                            intersect_sorted(&mut starts, &other);
                        }
                        if starts.is_empty() {
                            break;
                        }
                    }
                    count_starts(&starts, len)
                };
                if n > 0 {
                    sink.add(doc, n);
                }
            }
            doc = postings[0].1.advance();
        }
    }
    sink.finish();
    Ok(())
}

/// Counts a CJK char: in each title or passage, the sum of the
/// frequencies of the n-gram terms that start with it (its unigram and its
/// bigrams), read a block of postings at a time. A sink that keeps only
/// totals takes a segment without deletes as one set of documents.
fn count_by_prefix(
    idx: &SpeechIndex,
    field: tantivy::schema::Field,
    prefix: &str,
    sink: &mut impl Sink,
) -> Result<(), MentionsError> {
    let searcher = idx.searcher()?;
    let (mut counts, mut marks): (Vec<u32>, Vec<u8>) = (Vec::new(), Vec::new());
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let max_doc = seg.max_doc() as usize;
        let whole = !sink.per_doc() && !seg.has_deletes();
        if whole {
            marks.clear();
            marks.resize(max_doc, 0);
        } else {
            counts.clear();
            counts.resize(max_doc, 0);
        }
        let mut occurrences = 0usize;
        let mut terms = inv
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        // One reader of postings, reset for each term (a new one clears
        // two 128-entry blocks: for the 419 terms of 的 in each segment,
        // more than their postings' decoding).
        let mut reader: Option<tantivy::postings::BlockSegmentPostings> = None;
        while terms.advance() && terms.key().starts_with(prefix.as_bytes()) {
            let block = match reader.as_mut() {
                Some(block) => {
                    inv.reset_block_postings_from_terminfo(terms.value(), block)
                        .map_err(tantivy::TantivyError::from)?;
                    block
                }
                None => reader.insert(
                    inv.read_block_postings_from_terminfo(
                        terms.value(),
                        IndexRecordOption::WithFreqs,
                    )
                    .map_err(tantivy::TantivyError::from)?,
                ),
            };
            while !block.docs().is_empty() {
                if whole {
                    // Plain stores, no read: a bitset's read-modify-write
                    // per doc was most of the time of a count of 的.
                    for &doc in block.docs() {
                        marks[doc as usize] = 1;
                    }
                    occurrences += block.freqs().iter().sum::<u32>() as usize;
                } else {
                    for (&doc, &freq) in block.docs().iter().zip(block.freqs()) {
                        counts[doc as usize] += freq;
                    }
                }
                block.advance();
            }
        }
        if reader.is_none() {
            // No term starts with the char in this segment.
            continue;
        }
        sink.segment(seg)?;
        if whole {
            sink.add_set(&marks, occurrences);
            continue;
        }
        if !sink.per_doc() {
            // A segment with deletes, for totals: its live matches as one
            // set too (most segments of a re-ingested folder have deletes,
            // and a speech looked up per document was most of a count of 的).
            marks.clear();
            marks.resize(max_doc, 0);
            let mut occurrences = 0usize;
            for (doc, &n) in counts.iter().enumerate() {
                if n > 0 && !seg.is_deleted(doc as tantivy::DocId) {
                    marks[doc] = 1;
                    occurrences += n as usize;
                }
            }
            sink.add_set(&marks, occurrences);
            continue;
        }
        for (doc, &n) in counts.iter().enumerate() {
            if n > 0 && !seg.is_deleted(doc as tantivy::DocId) {
                sink.add(doc as tantivy::DocId, n as usize);
            }
        }
    }
    sink.finish();
    Ok(())
}

/// What a count keeps of each title or passage that mentions the phrase.
pub(crate) trait Sink {
    /// Starts reading a segment.
    fn segment(&mut self, seg: &tantivy::SegmentReader) -> tantivy::Result<()>;
    /// `n` occurrences in `doc` of the current segment.
    fn add(&mut self, doc: tantivy::DocId, n: usize);
    /// Every segment is read.
    fn finish(&mut self) {}
    /// Whether the sink needs each document's count ([`Sink::add`]), or
    /// can take a segment's matches as one set ([`Sink::add_set`]).
    fn per_doc(&self) -> bool {
        true
    }
    /// The matches of the current segment, which has no deletes: the
    /// documents `doc` with `marks[doc]` not 0, with `occurrences` in all.
    /// Only called when [`Sink::per_doc`] is false.
    fn add_set(&mut self, marks: &[u8], occurrences: usize) {
        let _ = (marks, occurrences);
        unreachable!("add_set on a sink that counts per document")
    }
}

/// Keeps a [`Tally`] per title or passage.
struct Tallies {
    detail: Detail,
    tallies: Vec<Tally>,
    columns: Option<TallyColumns>,
}

/// The speech fields of one segment.
pub(crate) struct TallyColumns {
    pub(crate) keys: std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>,
    pub(crate) days: std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>,
    pub(crate) titles: StrLookup,
    pub(crate) sites: StrLookup,
}

impl TallyColumns {
    /// The columns of `seg`; titles and sites (strings behind compressed
    /// dictionaries) only as far as `detail` asks.
    pub(crate) fn of(seg: &tantivy::SegmentReader, detail: Detail) -> tantivy::Result<Self> {
        let fast = seg.fast_fields();
        let str_col = |name: &str, wanted: bool| -> tantivy::Result<_> {
            Ok(StrLookup::new(if wanted { fast.str(name)? } else { None }))
        };
        Ok(TallyColumns {
            keys: fast.u64("doc_key")?.first_or_default_col(0),
            days: fast.u64("day")?.first_or_default_col(0),
            titles: str_col("title", detail.title)?,
            sites: str_col("site", detail.site)?,
        })
    }
}

impl Sink for Tallies {
    fn segment(&mut self, seg: &tantivy::SegmentReader) -> tantivy::Result<()> {
        self.columns = Some(TallyColumns::of(seg, self.detail)?);
        Ok(())
    }

    fn add(&mut self, doc: tantivy::DocId, n: usize) {
        let Some(c) = self.columns.as_mut() else {
            return;
        };
        self.tallies.push(Tally {
            doc_key: c.keys.get_val(doc),
            title: c.titles.get(doc),
            site: c.sites.get(doc),
            day: c.days.get_val(doc),
            occurrences: n,
        });
    }
}

/// The totals of a count: occurrences, titles and passages, speeches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Occurrences.
    pub occurrences: usize,
    /// Titles and passages with an occurrence.
    pub passages: usize,
    /// Speeches with an occurrence.
    pub speeches: usize,
}

impl From<&Counts> for Totals {
    fn from(c: &Counts) -> Totals {
        Totals {
            occurrences: c.occurrences(),
            passages: c.passages(),
            speeches: c.speeches(),
        }
    }
}

/// Adds up totals; tells speeches apart by the speech documents that start
/// them (a speech's documents are contiguous in one segment, speech first:
/// see `index::schema`), read from the `kind` postings in step with the
/// matches, so no per-document column is touched.
#[derive(Default)]
struct TotalsSink {
    totals: Totals,
    /// The speech documents of the current segment, positioned at the
    /// first one after the last match.
    starts: Option<tantivy::postings::SegmentPostings>,
    /// Whether a match of this segment has been counted yet.
    any: bool,
}

impl Sink for TotalsSink {
    fn segment(&mut self, seg: &tantivy::SegmentReader) -> tantivy::Result<()> {
        self.starts = speech_starts(seg, seg.schema().get_field("kind")?)?;
        self.any = false;
        Ok(())
    }

    fn add(&mut self, doc: tantivy::DocId, n: usize) {
        self.totals.occurrences += n;
        self.totals.passages += 1;
        // A new speech starts at or before `doc` since the last match.
        let new_speech = match self.starts.as_mut() {
            Some(starts) if starts.doc() <= doc => {
                starts.seek(doc + 1);
                true
            }
            _ => !self.any,
        };
        self.any = true;
        if new_speech {
            self.totals.speeches += 1;
        }
    }

    fn per_doc(&self) -> bool {
        false
    }

    fn add_set(&mut self, marks: &[u8], occurrences: usize) {
        self.totals.occurrences += occurrences;
        // A speech runs from its speech document to the next one's; the
        // documents before the first (if any) count as one, as in `add`.
        // Marks are 0 or 1: a range's sum is its matching documents.
        let mut tally = |from: usize, to: usize| {
            let n: usize = marks[from..to].iter().map(|m| *m as usize).sum();
            self.totals.passages += n;
            self.totals.speeches += usize::from(n > 0);
        };
        let mut from = 0usize;
        if let Some(starts) = self.starts.as_mut() {
            while starts.doc() != TERMINATED {
                let to = starts.doc() as usize;
                tally(from, to);
                from = to;
                starts.advance();
            }
        }
        tally(from, marks.len());
    }
}

/// Which speech fields a count needs besides the id and date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    /// Fill in `Tally::title`.
    pub title: bool,
    /// Fill in `Tally::site`.
    pub site: bool,
}

impl Detail {
    /// Everything.
    pub const ALL: Detail = Detail {
        title: true,
        site: true,
    };
}

/// Counts every mention of a phrase (per title and passage), exactly as
/// [`mentions`] finds them, reading no stored text when the index can tell.
/// Titles and sites are filled in only as far as `detail` asks.
pub fn count(idx: &SpeechIndex, phrase: &str, detail: Detail) -> Result<Counts, MentionsError> {
    count_in(idx, phrase, detail, &Bounds::default())
}

/// [`count`] within the speeches `bounds` admits.
pub fn count_in(
    idx: &SpeechIndex,
    phrase: &str,
    detail: Detail,
    bounds: &Bounds,
) -> Result<Counts, MentionsError> {
    if !bounds.is_empty() {
        // The filter needs each speech's site: counted in full, then kept.
        let detail = Detail {
            site: detail.site || bounds.site_key.is_some(),
            ..detail
        };
        let mut c = count(idx, phrase, detail)?;
        c.tallies
            .retain(|t| bounds.admits(t.site.as_deref(), t.day) && bounds.admits_speech(t.doc_key));
        return Ok(c);
    }
    let sink = Tallies {
        detail,
        tallies: Vec::new(),
        columns: None,
    };
    Ok(match counted(idx, phrase, sink)? {
        Ok(sink) => Counts {
            phrase: phrase.to_owned(),
            tallies: sink.tallies,
        },
        Err(verified) => verified,
    })
}

/// The totals of [`count`], without a tally per passage: what
/// `mentions --count` prints.
pub fn totals(idx: &SpeechIndex, phrase: &str) -> Result<Totals, MentionsError> {
    totals_in(idx, phrase, &Bounds::default())
}

/// [`totals`] within the speeches `bounds` admits.
pub fn totals_in(
    idx: &SpeechIndex,
    phrase: &str,
    bounds: &Bounds,
) -> Result<Totals, MentionsError> {
    if !bounds.is_empty() {
        return Ok(Totals::from(&count_in(
            idx,
            phrase,
            Detail::default(),
            bounds,
        )?));
    }
    Ok(match counted(idx, phrase, TotalsSink::default())? {
        Ok(sink) => sink.totals,
        Err(verified) => Totals::from(&verified),
    })
}

/// Counts a phrase into `sink` from the postings when the index can tell
/// (`Ok`), or else from [`mentions`], verified against the text (`Err`).
pub(crate) fn counted<S: Sink>(
    idx: &SpeechIndex,
    phrase: &str,
    mut sink: S,
) -> Result<Result<S, Counts>, MentionsError> {
    let folded = checked(phrase)?;
    Ok(match Source::of(idx, &folded) {
        Some(source) => {
            count_from_postings(idx, &folded, source, &mut sink)?;
            Ok(sink)
        }
        None => Err(Counts::from(&mentions(idx, phrase)?)),
    })
}

/// The folded phrase, unless it is empty or too long.
pub fn checked(phrase: &str) -> Result<String, MentionsError> {
    let chars = phrase.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(MentionsError::TooLong { chars });
    }
    let folded = crate::fold::fold(phrase);
    if folded.trim().is_empty() {
        return Err(MentionsError::Empty);
    }
    Ok(folded)
}

/// The inside of a phrase wrapped whole in ASCII double quotes
/// (`"百日会战"`, or full-width `＂…＂`), which is what it is counted as;
/// `None` for any other phrase, counted as given (curly quotes `“…”` occur
/// in the text and are counted).
pub fn unquoted(phrase: &str) -> Option<&str> {
    let is_quote = |c: char| c == '"' || c == '＂';
    let inner = phrase.strip_prefix(is_quote)?.strip_suffix(is_quote)?;
    (!inner.trim().is_empty()).then_some(inner)
}

/// Non-overlapping occurrences of `needle` in `hay`, as char spans.
pub fn find_spans(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    Finder::new(needle).spans(hay).chars
}

/// Where a phrase occurs in a text, as [`Finder`] finds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Occurrences {
    /// Char spans `[start, end)`, leftmost first, not overlapping.
    pub chars: Vec<(usize, usize)>,
    /// The same spans in bytes.
    pub bytes: Vec<(usize, usize)>,
}

/// A folded phrase, ready to be found in many texts (a listing builds one
/// and searches every candidate with it).
pub struct Finder {
    finder: memchr::memmem::Finder<'static>,
    chars: usize,
    forms: Forms,
}

/// How [`Finder::spans_in`] finds the phrase in a text as it is, unfolded.
enum Forms {
    /// Nothing but the phrase folds to the phrase (是 and 的 have no other
    /// form): it is found as it is.
    Itself,
    /// Any of its forms (會議 and 会议, ＡＩ and ai): all have its number
    /// of chars, so a match of one is a match of the folded phrase there.
    Any(aho_corasick::AhoCorasick),
    /// The text is folded and searched (too many forms to list, or
    /// [`Finder::new`], which does not list them).
    Fold,
}

/// The most forms of a phrase [`Finder::with_forms`] searches for at once;
/// a phrase with more is found in each text's folded form.
const MAX_FORMS: usize = 64;

impl Finder {
    /// A finder of `needle` (folded already) in folded texts.
    pub fn new(needle: &str) -> Finder {
        Finder {
            finder: memchr::memmem::Finder::new(needle.as_bytes()).into_owned(),
            chars: needle.chars().count(),
            forms: Forms::Fold,
        }
    }

    /// A finder of `needle` (folded already) that [`Finder::spans_in`]
    /// looks for in a text as it is, in every form that folds to it, where
    /// there are at most 64: no text is folded then.
    pub fn with_forms(needle: &str) -> Finder {
        let mut finder = Finder::new(needle);
        let chars: Vec<char> = needle.chars().collect();
        let each = crate::fold::preimages(&chars);
        let count = (each.iter()).try_fold(1usize, |n, f| {
            n.checked_mul(f.len())
                .filter(|&n| (1..=MAX_FORMS).contains(&n))
        });
        finder.forms = match count {
            Some(1) if each.iter().zip(&chars).all(|(f, c)| f[0] == *c) => Forms::Itself,
            Some(_) => {
                let mut forms = vec![String::new()];
                for f in &each {
                    forms = (forms.iter())
                        .flat_map(|s| f.iter().map(move |&c| format!("{s}{c}")))
                        .collect();
                }
                match aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(&forms)
                {
                    Ok(ac) => Forms::Any(ac),
                    Err(_) => Forms::Fold,
                }
            }
            None => Forms::Fold,
        };
        finder
    }

    /// The non-overlapping occurrences in `hay` (folded), leftmost first:
    /// as char spans, and as byte spans.
    pub fn spans(&self, hay: &str) -> Occurrences {
        let mut at = Occurrences::default();
        let len = self.finder.needle().len();
        if len > 0 {
            at.bytes = (self.finder.find_iter(hay.as_bytes()))
                .map(|b| (b, b + len))
                .collect();
            self.chars_of(hay, &at.bytes, &mut at.chars);
        }
        at
    }

    /// The occurrences in `text` (not folded) of the phrase, as a search of
    /// its folded form finds them: char spans, and byte spans in `text`
    /// itself. `buf` is reused for the folded text, where one is made.
    pub fn spans_in(&self, text: &str, buf: &mut String) -> Occurrences {
        let mut at = Occurrences::default();
        self.bytes_in(text, buf, &mut at.bytes);
        self.chars_of(text, &at.bytes, &mut at.chars);
        at
    }

    /// The byte spans that [`Finder::spans_in`] gives, into `out`, with no
    /// chars counted (a listing counts them on another thread).
    pub fn bytes_in(&self, text: &str, buf: &mut String, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let len = self.finder.needle().len();
        match &self.forms {
            _ if len == 0 => {}
            Forms::Itself => {
                out.extend(self.finder.find_iter(text.as_bytes()).map(|b| (b, b + len)))
            }
            Forms::Any(ac) => out.extend(ac.find_iter(text).map(|m| (m.start(), m.end()))),
            Forms::Fold => self.bytes_folded(text, buf, out),
        }
    }

    /// The char spans of byte spans of the phrase in `text` (in order, not
    /// overlapping, as [`Finder::bytes_in`] gives them), into `out`.
    pub fn chars_of(&self, text: &str, bytes: &[(usize, usize)], out: &mut Vec<(usize, usize)>) {
        out.clear();
        let (mut chars_before, mut last) = (0, 0);
        for &(b, e) in bytes {
            chars_before += text[last..b].chars().count();
            out.push((chars_before, chars_before + self.chars));
            chars_before += self.chars;
            last = e;
        }
    }

    /// [`Finder::bytes_in`] by folding `text` into `buf` and searching that.
    fn bytes_folded(&self, text: &str, buf: &mut String, out: &mut Vec<(usize, usize)>) {
        buf.clear();
        if crate::fold::fold_into(text, buf) {
            // Every char kept its length: the folded text's byte offsets
            // are the text's own.
            let len = self.finder.needle().len();
            out.extend(self.finder.find_iter(buf.as_bytes()).map(|b| (b, b + len)));
        } else {
            // A char folded to one of another length (a full-width form):
            // the byte offsets are the text's own, walked to char by char.
            let chars = self.spans(buf).chars;
            let mut offsets = (text.char_indices().map(|(b, _)| b))
                .chain([text.len()])
                .enumerate()
                .peekable();
            // (Spans are in order: the walk only goes ahead.)
            let mut to = |n: usize| {
                while let Some(&(k, b)) = offsets.peek() {
                    if k == n {
                        return b;
                    }
                    offsets.next();
                }
                text.len()
            };
            for &(s, e) in &chars {
                let start = to(s);
                out.push((start, to(e)));
            }
        }
    }
}

/// The query that every title or passage holding the folded phrase
/// matches: a known term's own token (exact, no positions to read), else
/// [`phrase_candidates`] on the n-gram field. `None` when the phrase has no
/// token.
pub(crate) fn body_candidates(
    idx: &SpeechIndex,
    folded: &str,
    words: &mut WordTerms<'_>,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    if idx.terms.contains(folded) {
        return Ok(Some(Box::new(TermQuery::new(
            Term::from_field_text(idx.fields.body_terms, folded),
            IndexRecordOption::Basic,
        ))));
    }
    phrase_candidates(idx.fields.body_ngram, folded, words)
}

/// The word and joint terms of n-gram fields (the terms that start with no
/// CJK char), read from each segment's term dictionary once per query and
/// kept sorted. An edge word of a phrase is matched against them in memory:
/// a regex over the dictionary for each edge word cost a scan of the whole
/// dictionary per word (2.7 s for a query of 1,000 one-letter words).
pub(crate) struct WordTerms<'s> {
    searcher: &'s tantivy::Searcher,
    fields: Vec<(tantivy::schema::Field, Vec<String>)>,
}

impl<'s> WordTerms<'s> {
    /// Nothing read yet.
    pub(crate) fn new(searcher: &'s tantivy::Searcher) -> WordTerms<'s> {
        WordTerms {
            searcher,
            fields: Vec::new(),
        }
    }

    /// The word terms of a field, sorted, read on first use.
    fn of(&mut self, field: tantivy::schema::Field) -> tantivy::Result<&[String]> {
        let at = match self.fields.iter().position(|(f, _)| *f == field) {
            Some(at) => at,
            None => {
                let mut all = std::collections::BTreeSet::new();
                for seg in self.searcher.segment_readers() {
                    word_terms(seg.inverted_index(field)?.as_ref(), &mut all)?;
                }
                self.fields.push((field, all.into_iter().collect()));
                self.fields.len() - 1
            }
        };
        Ok(&self.fields[at].1)
    }
}

/// The terms of a field that start with `prefix`, in every segment (a range
/// of the term dictionaries: no regex to build and run); with `live`, only
/// those that some live document holds.
pub(crate) fn prefixed_terms(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    prefix: &str,
    live: bool,
) -> tantivy::Result<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut terms = inv
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() && terms.key().starts_with(prefix.as_bytes()) {
            if live {
                let mut postings = inv
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED && seg.is_deleted(doc) {
                    doc = postings.advance();
                }
                if doc == TERMINATED {
                    continue;
                }
            }
            out.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(out)
}

/// Adds the terms of one segment's dictionary that start with no CJK char,
/// skipping each block of CJK chars in one jump (the terms are in byte
/// order, which is char order).
fn word_terms(
    inv: &tantivy::InvertedIndexReader,
    out: &mut std::collections::BTreeSet<String>,
) -> tantivy::Result<()> {
    let mut from = String::new();
    loop {
        let mut stream = inv
            .terms()
            .range()
            .ge(from.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        let mut next = None;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            match term.chars().next() {
                Some(c) if is_cjk(c) => {
                    next = Some(c);
                    break;
                }
                _ => {
                    out.insert(term.to_owned());
                }
            }
        }
        // Past the run of CJK chars that `c` starts.
        let Some(c) = next else { return Ok(()) };
        let mut code = c as u32;
        while char::from_u32(code).is_some_and(is_cjk) {
            code += 1;
        }
        match (code..=char::MAX as u32).find_map(char::from_u32) {
            Some(after) => from = after.to_string(),
            None => return Ok(()),
        }
    }
}

/// The candidates of an edge word (`g`, in a phrase of `n` chars): the
/// texts with a word term that may hold it there. An edge word may be the
/// end (start edge) or the start (end edge) of a longer word in the text;
/// a one-word phrase, any part of one.
fn edge_query(
    field: tantivy::schema::Field,
    g: &Gram,
    n: usize,
    words: &[String],
) -> Box<dyn Query> {
    let w = g.text.as_str();
    let len = w.chars().count();
    let terms: Vec<&String> = match (g.pos == 0, g.pos + len == n) {
        (true, true) => words.iter().filter(|t| t.contains(w)).collect(),
        (true, false) => words.iter().filter(|t| t.ends_with(w)).collect(),
        _ => words[words.partition_point(|t| t.as_str() < w)..]
            .iter()
            .take_while(|t| t.starts_with(w))
            .collect(),
    };
    terms_query(field, terms)
}

/// The texts holding any of `terms` (none: no text).
fn terms_query<T: AsRef<str>>(field: tantivy::schema::Field, terms: Vec<T>) -> Box<dyn Query> {
    if terms.is_empty() {
        Box::new(EmptyQuery)
    } else {
        Box::new(TermSetQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t.as_ref())),
        ))
    }
}

/// The n-gram query that every text holding the folded phrase matches (it
/// may over-match at ASCII word edges, never miss); `None` when the phrase
/// has no token. Shared by `mentions` (candidates to verify) and `search`
/// (exact-phrase matching).
pub(crate) fn phrase_candidates(
    field: tantivy::schema::Field,
    folded: &str,
    words: &mut WordTerms<'_>,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let tokens = phrase_tokens(folded);
    let determined = tokens.is_determined();
    let (exact, edges) = (tokens.exact, tokens.edges);
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match exact.len() {
        0 => {}
        1 => musts.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(field, &exact[0].text),
                IndexRecordOption::WithFreqs,
            )),
        )),
        _ => {
            let terms = exact
                .iter()
                .map(|g| (g.pos, Term::from_field_text(field, &g.text)))
                .collect();
            musts.push((Occur::Must, Box::new(PhraseQuery::new_with_offset(terms))));
        }
    }
    let n = folded.chars().count();
    // An open char's token is one of the terms that start with it; which
    // one, and where, the text decides.
    if let Some(open) = &tokens.open {
        let prefixed = prefixed_terms(words.searcher, field, &open.text, false)?;
        musts.push((
            Occur::Must,
            terms_query(field, prefixed.into_iter().collect()),
        ));
    }
    // Edge words add nothing when the exact tokens already pin every char
    // down (joints over `3+7+5`), and each costs a pass over the word terms.
    let edges = if determined { Vec::new() } else { edges };
    if !edges.is_empty() {
        let words = words.of(field)?;
        for g in &edges {
            musts.push((Occur::Must, edge_query(field, g, n, words)));
        }
    }
    Ok((!musts.is_empty()).then(|| Box::new(BooleanQuery::new(musts)) as Box<dyn Query>))
}

/// Finds every mention of a phrase in the index.
pub fn mentions(idx: &SpeechIndex, phrase: &str) -> Result<Mentions, MentionsError> {
    mentions_in(idx, phrase, &Bounds::default())
}

/// [`mentions`] within the speeches `bounds` admits.
pub fn mentions_in(
    idx: &SpeechIndex,
    phrase: &str,
    bounds: &Bounds,
) -> Result<Mentions, MentionsError> {
    let mut hits = Vec::new();
    for_each_mention_in(idx, phrase, bounds, |hit| {
        hits.push(hit.clone());
        ControlFlow::Continue(())
    })?;
    Ok(Mentions {
        phrase: phrase.to_owned(),
        hits,
    })
}

/// Candidates the reader of [`for_each_mention_in`] hands over at once, at
/// most (the first batches are smaller, so the first hit is not held back).
const BATCH: usize = 128;

/// Batches read ahead of the caller of [`for_each_mention_in`] at most.
const READ_AHEAD: usize = 4;

/// Decompressed store blocks a listing keeps, per segment (tantivy's own
/// searcher keeps as many).
const STORE_CACHE_BLOCKS: usize = 100;

/// Hands every title and passage that mentions the phrase to `each`, in
/// the order of [`Mentions::hits`] (by source path, then speech id, the
/// title before the passages in order), one at a time: nothing is
/// collected, so memory stays flat whatever the number of hits, and the
/// first hit comes as soon as it is read. `each` stops the stream by
/// returning [`ControlFlow::Break`] (a page is full, the reader is gone).
///
/// The order is the index's own: the `source` field's term dictionary of
/// each segment is sorted, so the segments' dictionaries are merged as
/// they are read, and the candidates under each source (a few passages)
/// are put in order there. Texts are read in that order, which is the
/// order the ingest wrote them in, so the store's blocks are read once.
///
/// Two threads share the work: a second one finds the candidates, reads
/// each one's stored bytes (decompressing the store's blocks) and finds the
/// phrase in its text as it is, in every form that folds to the phrase
/// ([`Finder::with_forms`]), and hands over the hits with their byte spans
/// in batches (1, 2, 4, … up to 128, so the first hit is not held back), at
/// most four ahead; the caller's thread reads each hit's other fields into
/// one reused [`Hit`], counts its char spans and lends it to `each`. When
/// `each` stops, the reader stops at its next batch.
pub fn for_each_mention_in(
    idx: &SpeechIndex,
    phrase: &str,
    bounds: &Bounds,
    mut each: impl FnMut(&Hit) -> ControlFlow<()>,
) -> Result<(), MentionsError> {
    use std::sync::mpsc::{channel, sync_channel};
    let folded = checked(phrase)?;
    let f = &idx.fields;
    let (found_tx, found_rx) = sync_channel::<Vec<Found>>(READ_AHEAD);
    // The batches the caller is done with go back to be freed where they
    // were allocated: the allocator frees another thread's memory slower.
    let (done_tx, done_rx) = channel::<Vec<Found>>();
    // Shared: the reader finds the byte spans, the caller counts the chars.
    let finder = Finder::with_forms(&folded);
    std::thread::scope(|scope| {
        let phrase = folded.as_str();
        let finder = &finder;
        let reader = scope.spawn(move || {
            let mut buf = String::new();
            let mut batch = Vec::with_capacity(1);
            let read = read_candidates(idx, phrase, bounds, |doc| {
                let Some(found) = found_in(doc, f, finder, &mut buf)? else {
                    return Ok(ControlFlow::Continue(()));
                };
                batch.push(found);
                if batch.len() < batch.capacity() {
                    return Ok(ControlFlow::Continue(()));
                }
                done_rx.try_iter().for_each(drop);
                let next = Vec::with_capacity((batch.len() * 2).min(BATCH));
                Ok(match found_tx.send(std::mem::replace(&mut batch, next)) {
                    Ok(()) => ControlFlow::Continue(()),
                    // The caller stopped and dropped the receiver.
                    Err(_) => ControlFlow::Break(()),
                })
            });
            if !batch.is_empty() {
                // (A caller that stopped has no use for the rest.)
                let _ = found_tx.send(batch);
            }
            read
        });
        let mut failed = None;
        // One hit, refilled for each found candidate: its strings keep
        // their buffers.
        let mut hit = Hit {
            doc_id: String::new(),
            passage: None,
            title: None,
            date: None,
            site: None,
            source: String::new(),
            section: String::new(),
            text: String::new(),
            spans: Vec::new(),
            bytes: Vec::new(),
            mojibake: false,
        };
        'read: for batch in found_rx.iter() {
            for found in &batch {
                if let Err(e) = fill_hit(&mut hit, found, f, finder) {
                    failed = Some(e);
                    break 'read;
                }
                if each(&hit).is_break() {
                    break 'read;
                }
            }
            // (A reader that has finished has no use for them.)
            let _ = done_tx.send(batch);
        }
        // Dropping the receiver ends the reader at its next send.
        drop(found_rx);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match failed {
            Some(e) => Err(e.into()),
            None => read,
        }
    })
}

/// A candidate that holds the phrase: its stored bytes (a slice of the
/// store's decompressed block, not a copy) and where the phrase is in its
/// text.
struct Found {
    doc: tantivy::directory::OwnedBytes,
    bytes: Vec<(usize, usize)>,
}

/// The candidate's text, read from its stored bytes and searched (folded
/// into `buf` only for a phrase of many forms); `None` when it does not
/// hold the phrase after all.
fn found_in(
    doc: tantivy::directory::OwnedBytes,
    f: &crate::index::schema::Fields,
    finder: &Finder,
    buf: &mut String,
) -> Result<Option<Found>, MentionsError> {
    let mut text: Option<&[u8]> = None;
    stored::for_each_value(&doc, |field, v| {
        if let (true, stored::RawValue::Text(t)) = (field == f.text, v) {
            text.get_or_insert(t);
        }
    })
    .map_err(tantivy::TantivyError::from)?;
    let mut bytes = Vec::new();
    let text = stored::text(text.unwrap_or_default()).map_err(tantivy::TantivyError::from)?;
    finder.bytes_in(text, buf, &mut bytes);
    Ok((!bytes.is_empty()).then_some(Found { doc, bytes }))
}

/// [`for_each_mention_in`]'s reader: the stored bytes of every candidate
/// for the folded, checked phrase, in the listing's order.
fn read_candidates(
    idx: &SpeechIndex,
    folded: &str,
    bounds: &Bounds,
    mut each: impl FnMut(tantivy::directory::OwnedBytes) -> Result<ControlFlow<()>, MentionsError>,
) -> Result<(), MentionsError> {
    let searcher = idx.searcher()?;
    let stores = (searcher.segment_readers().iter())
        .map(|seg| stored::store_reader(&idx.data_dir, seg, STORE_CACHE_BLOCKS))
        .collect::<Result<Vec<_>, _>>()
        .map_err(tantivy::TantivyError::from)?;
    let candidates = body_candidates(idx, folded, &mut WordTerms::new(&searcher))?
        .unwrap_or_else(|| Box::new(AllQuery));
    let filter = bounds.clauses(&idx.fields);
    let query: Box<dyn Query> = if filter.is_empty() {
        candidates
    } else {
        let mut parts = vec![(Occur::Must, candidates)];
        parts.extend(filter);
        Box::new(BooleanQuery::new(parts))
    };
    let f = &idx.fields;
    let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
    // Per segment: the live candidates, the source dictionary, the sort keys.
    struct Seg {
        cands: tantivy::BitSet,
        left: u32,
        doc_key: tantivy::columnar::Column<u64>,
        kind: tantivy::columnar::Column<u64>,
        passage: tantivy::columnar::Column<u64>,
    }
    let mut segs = Vec::new();
    let mut invs = Vec::new();
    for seg in searcher.segment_readers() {
        let mut cands = tantivy::BitSet::with_max_value(seg.max_doc());
        let mut left = 0;
        weight.for_each_no_score(seg, &mut |docs| {
            for &d in docs {
                if !seg.is_deleted(d) {
                    cands.insert(d);
                    left += 1;
                }
            }
        })?;
        let fast = seg.fast_fields();
        invs.push(seg.inverted_index(f.source)?);
        segs.push(Seg {
            cands,
            left,
            doc_key: fast.u64("doc_key")?,
            kind: fast.u64("kind")?,
            passage: fast.u64("passage")?,
        });
    }
    let mut streams = Vec::with_capacity(segs.len());
    for (s, inv) in segs.iter().zip(&invs) {
        let mut st = inv.terms().stream().map_err(tantivy::TantivyError::from)?;
        let live = s.left > 0 && st.advance();
        streams.push((st, live));
    }
    // Where a candidate sits: (speech id, title 0 / passage n + 1, segment, doc).
    let mut group: Vec<(u64, u64, usize, tantivy::DocId)> = Vec::new();
    let mut key: Vec<u8> = Vec::new();
    while let Some(min) = streams
        .iter()
        .filter(|(_, live)| *live)
        .map(|(st, _)| st.key())
        .min()
    {
        key.clear();
        key.extend_from_slice(min);
        group.clear();
        for (i, (st, live)) in streams.iter_mut().enumerate() {
            if !*live || st.key() != key.as_slice() {
                continue;
            }
            let s = &mut segs[i];
            let mut postings = invs[i]
                .read_postings_from_terminfo(st.value(), IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if s.cands.contains(doc) {
                    s.cands.remove(doc);
                    s.left -= 1;
                    let rank = if s.kind.first(doc) == Some(KIND_SPEECH) {
                        0
                    } else {
                        s.passage.first(doc).unwrap_or(0) + 1
                    };
                    group.push((s.doc_key.first(doc).unwrap_or(0), rank, i, doc));
                }
                doc = postings.advance();
            }
            *live = s.left > 0 && st.advance();
        }
        group.sort_unstable();
        for &(_, _, seg, doc) in &group {
            if each(stores[seg].get_document_bytes(doc)?)?.is_break() {
                return Ok(());
            }
        }
    }
    // Candidates under no source (none are written so; read last).
    for (i, s) in segs.iter().enumerate() {
        if s.left == 0 {
            continue;
        }
        for doc in 0..s.cands.max_value() {
            if s.cands.contains(doc) && each(stores[i].get_document_bytes(doc)?)?.is_break() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// `hit` made the hit of a found candidate: its other fields read from its
/// stored bytes into the hit's own buffers (the text is checked to be
/// UTF-8 again, which costs a hundredth of keeping it apart).
fn fill_hit(
    hit: &mut Hit,
    found: &Found,
    f: &crate::index::schema::Fields,
    finder: &Finder,
) -> Result<(), tantivy::TantivyError> {
    use stored::RawValue::{Text, U64};
    let mut texts: [Option<&[u8]>; 7] = [None; 7];
    let (mut kind, mut passage, mut flags) = (None, None, None);
    let slots = [
        f.text, f.doc_id, f.title, f.date, f.site, f.source, f.section,
    ];
    stored::for_each_value(&found.doc, |field, v| match v {
        Text(t) => {
            if let Some(i) = slots.iter().position(|&s| s == field) {
                texts[i].get_or_insert(t);
            }
        }
        U64(n) if field == f.kind => _ = kind.get_or_insert(n),
        U64(n) if field == f.passage => _ = passage.get_or_insert(n),
        U64(n) if field == f.flags => _ = flags.get_or_insert(n),
        U64(_) => {}
    })?;
    let set = |to: &mut String, from: Option<&[u8]>| -> Result<(), stored::StoredError> {
        to.clear();
        to.push_str(stored::text(from.unwrap_or_default())?);
        Ok(())
    };
    let set_some =
        |to: &mut Option<String>, from: Option<&[u8]>| -> Result<(), stored::StoredError> {
            match (from, to.as_mut()) {
                (None, _) => *to = None,
                (Some(t), Some(s)) => {
                    s.clear();
                    s.push_str(stored::text(t)?);
                }
                (Some(t), None) => *to = Some(stored::text(t)?.to_owned()),
            }
            Ok(())
        };
    set(&mut hit.text, texts[0])?;
    set(&mut hit.doc_id, texts[1])?;
    set_some(&mut hit.title, texts[2])?;
    set_some(&mut hit.date, texts[3])?;
    set_some(&mut hit.site, texts[4])?;
    set(&mut hit.source, texts[5])?;
    set(&mut hit.section, texts[6])?;
    hit.passage = (kind != Some(KIND_SPEECH)).then(|| passage.unwrap_or(0) as usize);
    hit.bytes.clone_from(&found.bytes);
    finder.chars_of(&hit.text, &hit.bytes, &mut hit.spans);
    hit.mojibake = flags.unwrap_or(0) & flag::MOJIBAKE != 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{find_spans, unquoted};

    #[test]
    fn only_ascii_quotes_around_the_whole_phrase_are_dropped() {
        assert_eq!(unquoted("\"百日会战\""), Some("百日会战"));
        assert_eq!(unquoted("＂百日會戰＂"), Some("百日會戰"));
        assert_eq!(unquoted("“百日会战”"), None);
        assert_eq!(unquoted("\"百日会战"), None);
        assert_eq!(unquoted("百日\"会战\""), None);
        assert_eq!(unquoted("\"\""), None);
        assert_eq!(unquoted("\""), None);
    }

    #[test]
    fn greedy_counts_and_self_overlap() {
        use super::{count_starts, intersect_sorted, overlaps_itself};
        assert_eq!(count_starts(&[0, 1, 2, 3], 2), 2);
        assert_eq!(count_starts(&[0, 2, 5], 2), 3);
        assert!(overlaps_itself("aa") && overlaps_itself("会会") && overlaps_itself("aba"));
        assert!(!overlaps_itself("招商引资") && !overlaps_itself("会"));
        let mut a = vec![1, 3, 5, 7];
        intersect_sorted(&mut a, &[0, 3, 4, 7, 9]);
        assert_eq!(a, [3, 7]);
    }

    #[test]
    fn spans_are_non_overlapping_char_offsets() {
        assert_eq!(find_spans("招商引资,招商", "招商"), [(0, 2), (5, 7)]);
        assert_eq!(find_spans("aaaa", "aa"), [(0, 2), (2, 4)]);
        assert_eq!(find_spans("aaa", "aa"), [(0, 2)]);
        assert_eq!(find_spans("无", "有"), []);
    }

    proptest::proptest! {
        /// Byte spans cut the original text at the chars the char spans
        /// name, and what they cut folds to the phrase, whether or not the
        /// fold changed the text's byte lengths (full-width forms do).
        #[test]
        fn byte_spans_cut_the_original_at_the_char_spans(
            text in "[aＡéÉ發发髮Ｂb𠀀 ]{0,60}",
            needle in "[aé发b𠀀 ]{1,4}",
            forms: bool,
        ) {
            // With forms, most of these needles are found in the text as it
            // is (as one form, or any of up to 64); the rest, and all
            // without, in the folded text.
            let finder = if forms {
                super::Finder::with_forms(&needle)
            } else {
                super::Finder::new(&needle)
            };
            let super::Occurrences { chars, bytes } = finder.spans_in(&text, &mut String::new());
            // The listing's split: byte spans on one thread, chars on another.
            let (mut alone, mut counted) = (Vec::new(), Vec::new());
            finder.bytes_in(&text, &mut String::new(), &mut alone);
            finder.chars_of(&text, &alone, &mut counted);
            proptest::prop_assert_eq!((&alone, &counted), (&bytes, &chars));
            proptest::prop_assert_eq!(&chars, &find_spans(&crate::fold::fold(&text), &needle));
            proptest::prop_assert_eq!(chars.len(), bytes.len());
            let offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            for (&(s, e), &(bs, be)) in chars.iter().zip(&bytes) {
                proptest::prop_assert_eq!((offsets[s], offsets[e]), (bs, be));
                proptest::prop_assert_eq!(crate::fold::fold(&text[bs..be]), needle.clone());
            }
        }
    }
}
