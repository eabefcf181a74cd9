//! What the index holds: speeches, passages, sources, sites (with their
//! speeches, names folded), dates, size.

use serde::Serialize;
use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use crate::index::SpeechIndex;
use crate::index::schema::{KIND_PASSAGE, KIND_SOURCE, KIND_SPEECH, speech_starts};

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
    /// Distinct sites (folded: 新文秘網 is 新文秘网).
    pub sites: usize,
    /// Speeches per site, most first (then by name); the speeches with no
    /// known site last, as `site: None`.
    pub by_site: Vec<SiteCount>,
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
    /// Template lines learned per site (`pipeline::template`), sites with
    /// none left out, by site key.
    pub templates: Vec<TemplateCount>,
}

/// How many template lines a site has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateCount {
    /// The site key (`pipeline::template::site_key`).
    pub site: String,
    /// Its template lines.
    pub templates: usize,
}

/// A folder or file that no live index uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leftover {
    /// Its path.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// How many speeches a site has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteCount {
    /// The site, as one of its speeches spell it (the spelling most of them
    /// use; ties: the first in code-point order); `None`: no known site.
    pub site: Option<String>,
    /// Its speeches.
    pub speeches: usize,
}

/// The templates each site's recorded pages make.
pub fn template_counts(sources: &crate::index::sources::Sources) -> Vec<TemplateCount> {
    let mut learner = crate::pipeline::template::Learner::default();
    for r in sources.records.values() {
        learner.add(&r.site, &r.prints);
    }
    learner
        .counts()
        .into_iter()
        .map(|(site, templates)| TemplateCount { site, templates })
        .collect()
}

/// The spelling with the highest count (ties: the first in code-point
/// order): how a site whose name is written several ways is shown.
pub fn usual_spelling(spellings: &std::collections::BTreeMap<String, usize>) -> Option<&str> {
    let mut best: Option<(&str, usize)> = None;
    for (s, &n) in spellings {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s)
}

/// Speeches per folded site name, read from the speech documents' site
/// column.
fn by_site(searcher: &tantivy::Searcher) -> tantivy::Result<Vec<SiteCount>> {
    use std::collections::BTreeMap;
    use tantivy::DocSet;
    let mut spellings: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for seg in searcher.segment_readers() {
        let kind = seg.schema().get_field("kind")?;
        let Some(mut speeches) = speech_starts(seg, kind)? else {
            continue;
        };
        let col = seg.fast_fields().str("site")?;
        let mut name = String::new();
        let mut doc = speeches.doc();
        while doc != tantivy::TERMINATED {
            if !seg.is_deleted(doc) {
                let ord = col.as_ref().and_then(|c| c.term_ords(doc).next());
                let site = match (col.as_ref(), ord) {
                    (Some(c), Some(ord)) if c.ord_to_str(ord, &mut name)? => Some(name.clone()),
                    _ => None,
                };
                *spellings.entry(site).or_default() += 1;
            }
            doc = speeches.advance();
        }
    }
    Ok(site_counts(spellings))
}

/// Speeches per folded site name, from the speeches per spelling (`None`:
/// no known site): most first, then by name, the unknown last.
pub fn site_counts(spellings: impl IntoIterator<Item = (Option<String>, usize)>) -> Vec<SiteCount> {
    use std::collections::BTreeMap;
    // Folded name → (speeches, spellings with their speeches).
    let mut sites: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    let mut unknown = 0;
    for (site, n) in spellings {
        match site {
            Some(name) => {
                let entry = sites.entry(crate::fold::fold(&name)).or_default();
                entry.0 += n;
                *entry.1.entry(name).or_default() += n;
            }
            None => unknown += n,
        }
    }
    let mut out: Vec<SiteCount> = sites
        .into_values()
        .map(|(speeches, spellings)| SiteCount {
            site: usual_spelling(&spellings).map(str::to_owned),
            speeches,
        })
        .collect();
    out.sort_by(|a, b| {
        b.speeches
            .cmp(&a.speeches)
            .then_with(|| a.site.cmp(&b.site))
    });
    if unknown > 0 {
        out.push(SiteCount {
            site: None,
            speeches: unknown,
        });
    }
    out
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
    let sites = by_site(&searcher)?;
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
        sites: sites.iter().filter(|s| s.site.is_some()).count(),
        by_site: sites,
        first_date: crate::index::writer::day_date(first).filter(|_| last > 0),
        last_date: crate::index::writer::day_date(last),
        index_bytes,
        last_ingest: idx.info.last_ingest,
        leftovers,
        // Empty when the records cannot be read: the other figures stand.
        templates: crate::index::sources::Sources::load(idx)
            .map(|s| template_counts(&s))
            .unwrap_or_default(),
    })
}
