//! One speech, cleaned, with its metadata, as the index holds it, by its
//! id or a unique prefix of it (at least [`MIN_PREFIX`] hex digits).

use serde::Deserialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::index::schema::{KIND_SPEECH, flag};
use crate::index::{DocId, SpeechIndex, stored_text, stored_u64};

/// A passage as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassage {
    /// Ordinal.
    pub no: usize,
    /// Section path.
    pub section: String,
    /// Text, original script.
    pub text: String,
    /// Flag names.
    pub flags: Vec<&'static str>,
}

/// A speech as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSpeech {
    /// Its id.
    pub doc_id: String,
    /// Title.
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Source path (the file the speech was first indexed from).
    pub source: String,
    /// Every recorded file that holds the speech (reposts included).
    pub sources: Vec<String>,
    /// Index of the speech in its file.
    pub part: usize,
    /// Encoding the source was decoded from.
    pub encoding: String,
    /// Shown and total chars from a truncation notice.
    pub truncated: Option<[u32; 2]>,
    /// Outline lines.
    pub outline: Vec<String>,
    /// Passages in order.
    pub passages: Vec<StoredPassage>,
}

#[derive(Deserialize, Default)]
struct Meta {
    part: usize,
    encoding: String,
    outline: Vec<String>,
    truncated: Option<[u32; 2]>,
}

/// The fewest hex digits of an id that `show` takes as a prefix.
pub const MIN_PREFIX: usize = 4;

/// Errors of `show`.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    /// Not an id or a prefix of one.
    #[error(
        "{0:?} is not a speech id (16 hex digits as printed by search and mentions, or the first 4 or more of them)"
    )]
    BadId(String),
    /// No such speech.
    #[error("no speech with id {0} in the index")]
    NotFound(String),
    /// No speech id starts with the prefix.
    #[error("no speech id in the index starts with {0}")]
    NoPrefix(String),
    /// More than one speech id starts with the prefix.
    #[error("the id prefix {prefix} matches {matches} speeches: give more of its 16 hex digits")]
    Ambiguous {
        /// The prefix as given (lower case).
        prefix: String,
        /// How many speech ids start with it.
        matches: usize,
    },
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The store failed (a PostgreSQL server down, say).
    #[error("{0}")]
    Store(#[from] crate::index::IndexError),
}

/// What `show` was given: a whole id (`Ok`), or a prefix of one to look
/// up (`Err`, lower case), else the error that it is neither.
pub fn parse_id(id: &str) -> Result<Result<DocId, String>, ShowError> {
    let typed = id.trim().to_ascii_lowercase();
    if let Some(id) = DocId::parse(&typed) {
        return Ok(Ok(id));
    }
    if typed.len() < MIN_PREFIX || typed.len() > 16 || !typed.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(ShowError::BadId(id.to_owned()));
    }
    Ok(Err(typed))
}

/// The one id of the ids a prefix matched, or why there is not one.
pub fn only_match(prefix: String, found: Vec<String>) -> Result<DocId, ShowError> {
    let mut found = found.into_iter();
    match (found.next(), found.len()) {
        (None, _) => Err(ShowError::NoPrefix(prefix)),
        (Some(one), 0) => DocId::parse(&one).ok_or(ShowError::NoPrefix(prefix)),
        (Some(_), more) => Err(ShowError::Ambiguous {
            prefix,
            matches: more + 1,
        }),
    }
}

/// The names of a passage's flag bits.
pub fn flag_names(bits: u64) -> Vec<&'static str> {
    [
        (flag::TRUNCATED, "truncated"),
        (flag::MOJIBAKE, "mojibake"),
        (flag::ELIDED, "elided"),
    ]
    .iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, n)| *n)
    .collect()
}

/// What a speech's stored `meta` JSON says (defaults when it cannot be
/// read): part, encoding, outline, truncation.
pub fn read_meta(json: Option<&str>) -> (usize, String, Vec<String>, Option<[u32; 2]>) {
    let m: Meta = json
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    (m.part, m.encoding, m.outline, m.truncated)
}

/// The id a full id or a unique prefix of one (at least [`MIN_PREFIX`] hex
/// digits) names, from the live speeches' ids.
pub fn resolve(searcher: &tantivy::Searcher, id: &str) -> Result<DocId, ShowError> {
    let typed = match parse_id(id)? {
        Ok(id) => return Ok(id),
        Err(prefix) => prefix,
    };
    let field = searcher.schema().get_field("doc_id")?;
    let found = crate::query::mentions::prefixed_terms(searcher, field, &typed, true)?;
    only_match(typed, found.into_iter().collect())
}

/// Loads one speech by id or unique id prefix ([`resolve`]).
pub fn show(idx: &SpeechIndex, id: &str) -> Result<StoredSpeech, ShowError> {
    let searcher = idx.searcher()?;
    let id = resolve(&searcher, id)?;
    let f = &idx.fields;
    let q = TermQuery::new(
        Term::from_field_text(f.doc_id, id.as_str()),
        IndexRecordOption::Basic,
    );
    let mut docs: Vec<TantivyDocument> = Vec::new();
    for addr in searcher.search(&q, &DocSetCollector)? {
        docs.push(searcher.doc(addr)?);
    }
    let head = docs
        .iter()
        .find(|d| stored_u64(d, f.kind) == KIND_SPEECH)
        .ok_or_else(|| ShowError::NotFound(id.to_string()))?;
    let (part, encoding, outline, truncated) = read_meta(stored_text(head, f.meta).as_deref());
    let mut passages: Vec<StoredPassage> = docs
        .iter()
        .filter(|d| stored_u64(d, f.kind) != KIND_SPEECH)
        .map(|d| StoredPassage {
            no: stored_u64(d, f.passage) as usize,
            section: stored_text(d, f.section).unwrap_or_default(),
            text: stored_text(d, f.text).unwrap_or_default(),
            flags: flag_names(stored_u64(d, f.flags)),
        })
        .collect();
    passages.sort_by_key(|p| p.no);
    let held_by = TermQuery::new(
        Term::from_field_text(f.speech_ids, id.as_str()),
        IndexRecordOption::Basic,
    );
    let mut sources = Vec::new();
    for addr in searcher.search(&held_by, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        sources.extend(stored_text(&doc, f.source));
    }
    sources.sort();
    Ok(StoredSpeech {
        doc_id: id.to_string(),
        title: stored_text(head, f.title),
        date: stored_text(head, f.date),
        site: stored_text(head, f.site),
        source: stored_text(head, f.source).unwrap_or_default(),
        sources,
        part,
        encoding,
        truncated,
        outline,
        passages,
    })
}
