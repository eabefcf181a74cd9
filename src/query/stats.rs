//! What the index holds: speeches, passages, sources, sites, dates, size.

use serde::Serialize;
use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use crate::index::SpeechIndex;
use crate::index::schema::{KIND_PASSAGE, KIND_SOURCE, KIND_SPEECH};

/// Figures about an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The index directory.
    pub index: String,
    /// Speeches.
    pub speeches: usize,
    /// Passages.
    pub passages: usize,
    /// Source files recorded.
    pub sources: usize,
    /// Distinct sites.
    pub sites: usize,
    /// Earliest known date (`YYYY-MM-DD`).
    pub first_date: Option<String>,
    /// Latest known date.
    pub last_date: Option<String>,
    /// Bytes on disk.
    pub index_bytes: u64,
    /// When the last ingest committed (seconds since the epoch; 0 = never).
    pub last_ingest: u64,
    /// What interrupted rebuilds and ingests left in (or beside) the index
    /// folder; the next `ingest` or `rebuild` removes it.
    pub leftovers: Vec<Leftover>,
}

/// A folder or file that no live index uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leftover {
    /// Its path.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

fn distinct_terms(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
) -> tantivy::Result<usize> {
    Ok(crate::index::live_terms(searcher, field)?.len())
}

/// Gathers the figures.
pub fn stats(idx: &SpeechIndex) -> tantivy::Result<Stats> {
    let searcher = idx.searcher()?;
    let f = &idx.fields;
    let count = |kind: u64| {
        searcher.search(
            &TermQuery::new(Term::from_field_u64(f.kind, kind), IndexRecordOption::Basic),
            &Count,
        )
    };
    let (mut first, mut last) = (u64::MAX, 0u64);
    for seg in searcher.segment_readers() {
        let days = seg.fast_fields().u64("day")?;
        for doc in seg.doc_ids_alive() {
            for d in days.values_for_doc(doc) {
                if d > 0 {
                    first = first.min(d);
                    last = last.max(d);
                }
            }
        }
    }
    let index_bytes = crate::index::layout::size_of(&idx.data_dir);
    let leftovers = crate::index::layout::Layout::new(&idx.dir)
        .leftovers()
        .unwrap_or_default()
        .into_iter()
        .map(|l| Leftover {
            path: l.path.display().to_string(),
            bytes: l.bytes,
        })
        .collect();
    Ok(Stats {
        index: idx.dir.display().to_string(),
        speeches: count(KIND_SPEECH)?,
        passages: count(KIND_PASSAGE)?,
        sources: count(KIND_SOURCE)?,
        sites: distinct_terms(&searcher, f.site_key)?,
        first_date: crate::index::writer::day_date(first).filter(|_| last > 0),
        last_date: crate::index::writer::day_date(last),
        index_bytes,
        last_ingest: idx.info.last_ingest,
        leftovers,
    })
}
