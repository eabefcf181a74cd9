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

use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::index::SpeechIndex;
use crate::index::analyzers::phrase_tokens;
use crate::index::schema::{KIND_SPEECH, flag};

/// Errors of a mentions query.
#[derive(Debug, thiserror::Error)]
pub enum MentionsError {
    /// The phrase is empty or only whitespace.
    #[error("the phrase is empty: give the words to count, e.g. jianghua mentions 百日会战")]
    Empty,
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
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

/// Non-overlapping occurrences of `needle` in `hay`, as char spans.
pub fn find_spans(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let n = needle.chars().count();
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut last = 0;
    for (b, _) in hay.match_indices(needle) {
        chars_before += hay[last..b].chars().count();
        out.push((chars_before, chars_before + n));
        chars_before += n;
        last = b + needle.len();
    }
    out
}

/// The candidate query for a folded phrase.
fn candidates(idx: &SpeechIndex, folded: &str) -> Box<dyn Query> {
    let field = idx.fields.body_ngram;
    let (exact, edges) = phrase_tokens(folded);
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match exact.len() {
        0 => {}
        1 => musts.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(field, &exact[0].text),
                IndexRecordOption::Basic,
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
    for g in &edges {
        let len = g.text.chars().count();
        let escaped = regex::escape(&g.text);
        // An edge word may be the end (start edge) or the start (end edge)
        // of a longer word in the text; a one-word phrase, any part of one.
        let pattern = match (g.pos == 0, g.pos + len == n) {
            (true, true) => format!(".*{escaped}.*"),
            (true, false) => format!(".*{escaped}"),
            _ => format!("{escaped}.*"),
        };
        if let Ok(q) = RegexQuery::from_pattern(&pattern, field) {
            musts.push((Occur::Must, Box::new(q)));
        }
    }
    if musts.is_empty() {
        Box::new(AllQuery)
    } else {
        Box::new(BooleanQuery::new(musts))
    }
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

fn u64_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// Finds every mention of a phrase in the index.
pub fn mentions(idx: &SpeechIndex, phrase: &str) -> Result<Mentions, MentionsError> {
    let folded = crate::fold::fold(phrase);
    if folded.trim().is_empty() {
        return Err(MentionsError::Empty);
    }
    let reader = idx.index.reader()?;
    let searcher = reader.searcher();
    let query = candidates(idx, &folded);
    let addresses = searcher.search(query.as_ref(), &DocSetCollector)?;
    let f = &idx.fields;
    let mut hits = Vec::new();
    for addr in addresses {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = text_of(&doc, f.text).unwrap_or_default();
        let spans = find_spans(&crate::fold::fold(&text), &folded);
        if spans.is_empty() {
            continue;
        }
        let is_title = u64_of(&doc, f.kind) == KIND_SPEECH;
        hits.push(Hit {
            doc_id: text_of(&doc, f.doc_id).unwrap_or_default(),
            passage: (!is_title).then(|| u64_of(&doc, f.passage) as usize),
            title: text_of(&doc, f.title),
            date: text_of(&doc, f.date),
            site: text_of(&doc, f.site),
            source: text_of(&doc, f.source).unwrap_or_default(),
            section: text_of(&doc, f.section).unwrap_or_default(),
            text,
            spans,
            mojibake: u64_of(&doc, f.flags) & flag::MOJIBAKE != 0,
        });
    }
    hits.sort_by(|a, b| (&a.source, &a.doc_id, a.passage).cmp(&(&b.source, &b.doc_id, b.passage)));
    Ok(Mentions {
        phrase: phrase.to_owned(),
        hits,
    })
}

#[cfg(test)]
mod tests {
    use super::find_spans;

    #[test]
    fn spans_are_non_overlapping_char_offsets() {
        assert_eq!(find_spans("招商引资,招商", "招商"), [(0, 2), (5, 7)]);
        assert_eq!(find_spans("aaaa", "aa"), [(0, 2), (2, 4)]);
        assert_eq!(find_spans("aaa", "aa"), [(0, 2)]);
        assert_eq!(find_spans("无", "有"), []);
    }
}
