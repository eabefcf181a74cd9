//! The record of ingested sources, kept in the index itself.
//!
//! Every ingested file has one source document (`kind` = [`KIND_SOURCE`]):
//! its path, size, modification time, content hash and the ids of the
//! speeches it yielded, and what it tells about its site's templates (site
//! key, candidate and body fingerprints, the templates removed from it; see
//! `pipeline::template`). Source documents are committed in the same tantivy
//! commit as the passages they describe, so the record and the passages can
//! never disagree, whatever moment a crash strikes. From the record an
//! ingest knows what it may skip (same size and mtime: not even read; same
//! hash: not cleaned again), which speeches a changed or vanished file takes
//! with it, and how many sources still hold a speech (a repost keeps it).
//!
//! Paths are stored losslessly: a path that is not valid UTF-8 is escaped
//! ([`path_key`]) and restored exactly ([`key_path`]), so such a file can be
//! found again by `rebuild` and `--prune`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::schema::{Fields, KIND_SOURCE};
use super::{DocId, IndexError, SpeechIndex};
use crate::pipeline::template::{Fingerprint, PagePrints};

/// Marks a key holding escaped bytes (a path that is not UTF-8).
const BYTES_PREFIX: &str = "\u{0}bytes:";

/// The key a path is recorded under: the path itself when it is UTF-8,
/// else its bytes in hex after a marker no real path starts with.
pub fn path_key(path: &Path) -> String {
    match path.to_str() {
        Some(s) => s.to_owned(),
        None => {
            let bytes = path.as_os_str().as_encoded_bytes();
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            format!("{BYTES_PREFIX}{hex}")
        }
    }
}

/// The path a key was made from.
pub fn key_path(key: &str) -> PathBuf {
    let Some(hex) = key.strip_prefix(BYTES_PREFIX) else {
        return PathBuf::from(key);
    };
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    path_from_bytes(bytes)
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// What the index records about one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes when read.
    pub size: u64,
    /// Its modification time (nanoseconds since the epoch) when read.
    pub mtime: u64,
    /// blake3 of its bytes (hex).
    pub hash: String,
    /// The speeches it yielded.
    pub ids: Vec<DocId>,
    /// Its site ([`crate::pipeline::template::site_key`]).
    pub site: String,
    /// Its template candidates and body fingerprint.
    pub prints: PagePrints,
    /// The template fingerprints removed from it when it was indexed
    /// (sorted): its candidates that were its site's templates then.
    pub applied: Vec<Fingerprint>,
}

/// The recorded sources of an index, and how many sources hold each speech.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Records by path key.
    pub records: HashMap<String, Record>,
    /// Number of sources that yield each speech.
    pub refs: HashMap<DocId, usize>,
}

impl Sources {
    /// Loads the record from the last commit.
    pub fn load(idx: &SpeechIndex) -> Result<Sources, IndexError> {
        let searcher = idx.searcher()?;
        let f = &idx.fields;
        let q = TermQuery::new(
            Term::from_field_u64(f.kind, KIND_SOURCE),
            IndexRecordOption::Basic,
        );
        let mut records = HashMap::new();
        for addr in searcher.search(&q, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let Some(key) = super::stored_text(&doc, f.source_key) else {
                continue;
            };
            let ids: Vec<DocId> = doc
                .get_all(f.speech_ids)
                .filter_map(|v| v.as_str())
                .filter_map(DocId::parse)
                .collect();
            let record = Record {
                path: key_path(&key),
                size: super::stored_u64(&doc, f.size),
                mtime: super::stored_u64(&doc, f.mtime),
                hash: super::stored_text(&doc, f.hash).unwrap_or_default(),
                ids,
                site: super::stored_text(&doc, f.tpl_site).unwrap_or_default(),
                prints: PagePrints {
                    candidates: doc
                        .get_all(f.tpl_candidates)
                        .filter_map(|v| v.as_u64())
                        .collect(),
                    body: super::stored_u64(&doc, f.tpl_body),
                },
                applied: doc
                    .get_all(f.tpl_applied)
                    .filter_map(|v| v.as_u64())
                    .collect(),
            };
            records.insert(key, record);
        }
        Ok(Sources::of_records(records))
    }

    /// The sources of these records, with the count of sources holding
    /// each speech worked out.
    pub fn of_records(records: HashMap<String, Record>) -> Sources {
        let mut refs: HashMap<DocId, usize> = HashMap::new();
        for id in records.values().flat_map(|r| &r.ids) {
            *refs.entry(id.clone()).or_default() += 1;
        }
        Sources { records, refs }
    }

    /// Records a source's new state; returns the speech ids it no longer
    /// yields that no other source holds (to be deleted), and the new ids no
    /// other source held before (to be written).
    pub fn set(&mut self, key: &str, record: Record) -> (Vec<DocId>, Vec<DocId>) {
        let old = self.records.remove(key).map(|r| r.ids).unwrap_or_default();
        let mut gone = Vec::new();
        let mut fresh = Vec::new();
        for id in record.ids.iter().filter(|id| !old.contains(id)) {
            let n = self.refs.entry(id.clone()).or_default();
            *n += 1;
            if *n == 1 {
                fresh.push(id.clone());
            }
        }
        for id in old.iter().filter(|id| !record.ids.contains(id)) {
            if self.release(id) {
                gone.push(id.clone());
            }
        }
        self.records.insert(key.to_owned(), record);
        (gone, fresh)
    }

    /// Forgets a source; returns the speech ids no other source holds.
    pub fn remove(&mut self, key: &str) -> Vec<DocId> {
        let old = self.records.remove(key).map(|r| r.ids).unwrap_or_default();
        old.iter().filter(|id| self.release(id)).cloned().collect()
    }

    /// Drops one reference; true when it was the last.
    fn release(&mut self, id: &DocId) -> bool {
        match self.refs.get_mut(id) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            _ => {
                self.refs.remove(id);
                true
            }
        }
    }
}

/// The source paths an index of any schema version records: its source
/// documents' keys, or (before source documents existed) the distinct
/// values of the passages' `source` field. For `rebuild` across versions.
pub fn recorded_paths(index: &tantivy::Index) -> Result<Vec<PathBuf>, IndexError> {
    let schema = index.schema();
    let field = schema
        .get_field("source_key")
        .or_else(|_| schema.get_field("source"));
    let Ok(field) = field else {
        return Ok(Vec::new());
    };
    let searcher = super::searcher_of(index)?;
    let terms = super::live_terms(&searcher, field)?;
    let out: std::collections::BTreeSet<PathBuf> = terms
        .iter()
        .map(|t| key_path(&String::from_utf8_lossy(t)))
        .collect();
    Ok(out.into_iter().collect())
}

/// The source document for a record.
pub fn record_doc(f: &Fields, key: &str, r: &Record) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_u64(f.kind, KIND_SOURCE);
    // Every document has a flags and a day value, so those columns are dense
    // and ranking reads them without a lookup of which documents have one.
    d.add_u64(f.flags, 0);
    d.add_u64(f.day, 0);
    d.add_text(f.source_key, key);
    d.add_text(f.source, r.path.display().to_string());
    d.add_u64(f.size, r.size);
    d.add_u64(f.mtime, r.mtime);
    d.add_text(f.hash, &r.hash);
    for id in &r.ids {
        d.add_text(f.speech_ids, id.as_str());
    }
    d.add_text(f.tpl_site, &r.site);
    for fp in &r.prints.candidates {
        d.add_u64(f.tpl_candidates, *fp);
    }
    d.add_u64(f.tpl_body, r.prints.body);
    for fp in &r.applied {
        d.add_u64(f.tpl_applied, *fp);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> DocId {
        DocId::parse(&format!("{n:016x}")).unwrap()
    }

    fn rec(ids: &[u8]) -> Record {
        Record {
            path: "x".into(),
            size: 1,
            mtime: 1,
            hash: "h".into(),
            ids: ids.iter().map(|n| id(*n)).collect(),
            site: "s".into(),
            prints: PagePrints::default(),
            applied: Vec::new(),
        }
    }

    #[test]
    fn a_speech_held_by_two_sources_stays_until_both_are_gone() {
        let mut s = Sources::default();
        assert_eq!(s.set("a", rec(&[1, 2])), (vec![], vec![id(1), id(2)]));
        assert_eq!(s.set("b", rec(&[2])), (vec![], vec![]));
        assert_eq!(s.set("a", rec(&[1, 3])), (vec![], vec![id(3)]));
        assert_eq!(s.remove("b"), vec![id(2)]);
        assert_eq!(s.remove("a"), vec![id(1), id(3)]);
        assert!(s.refs.is_empty());
    }

    #[test]
    fn paths_that_are_not_utf8_round_trip() {
        assert_eq!(
            key_path(&path_key(Path::new("/tmp/讲话.txt"))),
            PathBuf::from("/tmp/讲话.txt")
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/\xff\xfe.txt"));
            let key = path_key(odd);
            assert!(key.starts_with(BYTES_PREFIX));
            assert_eq!(key_path(&key), odd);
        }
    }
}
