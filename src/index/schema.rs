//! The tantivy schema: one document per passage, plus one per speech.
//!
//! Passage documents (`kind` = [`KIND_PASSAGE`]) carry the passage text,
//! stored in the original script for display and indexed twice over its
//! folded form three times: `body_jieba` (jieba tokens, for BM25 ranking),
//! `body_ngram` (one token per CJK char: its bigram with the next char, or
//! the char alone at the end of a run; plus other words; positioned by
//! char index, for exact phrase candidates) and `body_terms` (one token per
//! counted occurrence of a known term, see `index::terms`). Speech documents (`kind` =
//! [`KIND_SPEECH`]) carry the title as their text, indexed the same way so
//! `mentions` counts titles too, and the speech's metadata as JSON for
//! `show`. Source documents ([`KIND_SOURCE`]) record the ingested files
//! (see `sources`). Every speech and passage document carries the speech fields (doc id, title, date,
//! site, source) so a passage hit needs no second lookup.
//!
//! A speech's documents are added as one group (see `writer`), so they sit
//! together in one segment: the speech document, then its passages in
//! order. Merges keep that order. A passage's speech is therefore the last
//! speech document at or before it, which lets `mentions --count` tell
//! speeches apart from the `kind` postings alone (schema 7).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bump when the schema or the analyzers change: an index built with
/// another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 12;

/// `kind` of a passage document.
pub const KIND_PASSAGE: u64 = 0;
/// `kind` of a speech document (title + metadata).
pub const KIND_SPEECH: u64 = 1;
/// `kind` of a source document (one per ingested file; see `sources`).
pub const KIND_SOURCE: u64 = 2;

/// Flag bits stored in `flags`.
pub mod flag {
    /// The page cut the text at the end of this passage.
    pub const TRUNCATED: u64 = 1;
    /// The passage holds a mojibake run (kept out of ranking).
    pub const MOJIBAKE: u64 = 2;
    /// A paywall stub hid text next to this passage.
    pub const ELIDED: u64 = 4;
}

/// The speech documents of a segment, in doc order, as postings of `kind`:
/// each starts its speech's run of documents (see the module documentation),
/// so seeking past a document finds where the next speech starts. `None`
/// when the segment holds no speech.
pub fn speech_starts(
    seg: &tantivy::SegmentReader,
    kind: Field,
) -> tantivy::Result<Option<tantivy::postings::SegmentPostings>> {
    Ok(seg.inverted_index(kind)?.read_postings(
        &tantivy::Term::from_field_u64(kind, KIND_SPEECH),
        IndexRecordOption::Basic,
    )?)
}

/// Name of the jieba analyzer.
pub const JIEBA: &str = "jianghua_jieba";
/// Name of the n-gram analyzer.
pub const NGRAM: &str = "jianghua_ngram";

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// [`KIND_PASSAGE`] or [`KIND_SPEECH`].
    pub kind: Field,
    /// The speech's content id (hex).
    pub doc_id: Field,
    /// The same id as a number (fast field: counts speeches without strings).
    pub doc_key: Field,
    /// Passage ordinal (0 for speech documents).
    pub passage: Field,
    /// Title, original script (stored, and a fast field for counts by speech).
    pub title: Field,
    /// Folded title, n-gram indexed, for `title:` queries (speech documents
    /// only; see `query::scope`).
    pub title_ngram: Field,
    /// `YYYY-MM-DD` (stored only; absent when unknown).
    pub date: Field,
    /// The date as `yyyymmdd` (0 when unknown), for ranges and sorting.
    pub day: Field,
    /// Site name, original script (stored, and a fast field for counts by site).
    pub site: Field,
    /// Folded site name, for `site:` queries.
    pub site_key: Field,
    /// Source path.
    pub source: Field,
    /// Section path (stored).
    pub section: Field,
    /// Folded section path, jieba words without frequencies (passages
    /// only): the headings a passage sits under, for the ranking.
    pub section_jieba: Field,
    /// [`flag`] bits.
    pub flags: Field,
    /// The passage's length in chars (fast field: the ranking's length
    /// prior, `query::rank`); the title's on a speech document.
    pub chars: Field,
    /// Passage text (or title), original script (stored only).
    pub text: Field,
    /// Folded text, jieba tokens.
    pub body_jieba: Field,
    /// Folded text, n-grams with char positions.
    pub body_ngram: Field,
    /// One token per counted occurrence of a known term (see `index::terms`).
    pub body_terms: Field,
    /// Speech metadata as JSON (speech documents only).
    pub meta: Field,
    /// Source documents: the path key (lossless).
    pub source_key: Field,
    /// Source documents: file size in bytes.
    pub size: Field,
    /// Source documents: modification time, nanoseconds since the epoch.
    pub mtime: Field,
    /// Source documents: blake3 of the file's bytes.
    pub hash: Field,
    /// Source documents: ids of the speeches the file yielded.
    pub speech_ids: Field,
    /// Source documents: the file's site, for templates
    /// (`pipeline::template::site_key`).
    pub tpl_site: Field,
    /// Source documents: fingerprints of the page's template candidates.
    pub tpl_candidates: Field,
    /// Source documents: the page's body fingerprint.
    pub tpl_body: Field,
    /// Source documents: the template fingerprints removed from the page
    /// when it was indexed.
    pub tpl_applied: Field,
}

fn analyzed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        kind: b.add_u64_field("kind", INDEXED | FAST | STORED),
        doc_id: b.add_text_field("doc_id", STRING | STORED | FAST),
        doc_key: b.add_u64_field("doc_key", FAST),
        passage: b.add_u64_field("passage", INDEXED | FAST | STORED),
        title: b.add_text_field("title", TextOptions::default().set_stored().set_fast("raw")),
        title_ngram: b.add_text_field(
            "title_ngram",
            analyzed(NGRAM, IndexRecordOption::WithFreqsAndPositions),
        ),
        date: b.add_text_field("date", STORED),
        day: b.add_u64_field("day", INDEXED | FAST),
        site: b.add_text_field("site", TextOptions::default().set_stored().set_fast("raw")),
        site_key: b.add_text_field("site_key", STRING),
        source: b.add_text_field("source", STRING | STORED),
        section: b.add_text_field("section", STORED),
        section_jieba: b.add_text_field("section_jieba", analyzed(JIEBA, IndexRecordOption::Basic)),
        flags: b.add_u64_field("flags", FAST | STORED),
        chars: b.add_u64_field("chars", FAST),
        text: b.add_text_field("text", STORED),
        body_jieba: b.add_text_field("body_jieba", analyzed(JIEBA, IndexRecordOption::WithFreqs)),
        body_ngram: b.add_text_field(
            "body_ngram",
            analyzed(NGRAM, IndexRecordOption::WithFreqsAndPositions),
        ),
        body_terms: b.add_text_field(
            "body_terms",
            analyzed(super::terms::TERMS, IndexRecordOption::WithFreqs),
        ),
        meta: b.add_text_field("meta", STORED),
        source_key: b.add_text_field("source_key", STRING | STORED),
        size: b.add_u64_field("size", STORED),
        mtime: b.add_u64_field("mtime", STORED),
        hash: b.add_text_field("hash", STORED),
        speech_ids: b.add_text_field("speech_ids", STRING | STORED),
        tpl_site: b.add_text_field("tpl_site", STORED),
        tpl_candidates: b.add_u64_field("tpl_candidates", STORED),
        tpl_body: b.add_u64_field("tpl_body", STORED),
        tpl_applied: b.add_u64_field("tpl_applied", STORED),
    };
    (b.build(), fields)
}

/// The field handles of an existing schema, or the name of a missing field.
pub fn fields_of(schema: &Schema) -> Result<Fields, String> {
    let f = |name: &str| schema.get_field(name).map_err(|_| name.to_owned());
    Ok(Fields {
        kind: f("kind")?,
        doc_id: f("doc_id")?,
        doc_key: f("doc_key")?,
        passage: f("passage")?,
        title: f("title")?,
        title_ngram: f("title_ngram")?,
        date: f("date")?,
        day: f("day")?,
        site: f("site")?,
        site_key: f("site_key")?,
        source: f("source")?,
        section: f("section")?,
        section_jieba: f("section_jieba")?,
        flags: f("flags")?,
        chars: f("chars")?,
        text: f("text")?,
        body_jieba: f("body_jieba")?,
        body_ngram: f("body_ngram")?,
        body_terms: f("body_terms")?,
        meta: f("meta")?,
        source_key: f("source_key")?,
        size: f("size")?,
        mtime: f("mtime")?,
        hash: f("hash")?,
        speech_ids: f("speech_ids")?,
        tpl_site: f("tpl_site")?,
        tpl_candidates: f("tpl_candidates")?,
        tpl_body: f("tpl_body")?,
        tpl_applied: f("tpl_applied")?,
    })
}
