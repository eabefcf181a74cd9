//! What the benches share: the pages (seeds when present, fixtures always)
//! and an index built once from them, outside any timed loop.
#![allow(dead_code)] // each bench uses part of this

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;
use jianghua::fold::fold;
use jianghua::index::writer::{find_files, ingest};
use jianghua::index::{DocId, SpeechIndex};

/// Criterion for heavy work on this 2-core machine: 10 samples, short runs.
pub fn quick() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The test fixtures (always in the repository).
pub fn fixtures_dir() -> PathBuf {
    manifest().join("tests/fixtures/pages")
}

/// The real scraped pages of `../shared/corpus/seeds/`, when present.
pub fn seeds_dir() -> Option<PathBuf> {
    let seeds = manifest().join("../shared/corpus/seeds");
    if seeds.is_dir() {
        Some(seeds)
    } else {
        eprintln!(
            "note: {} is missing; benching the fixtures only",
            seeds.display()
        );
        None
    }
}

/// One page as read from disk.
pub struct Page {
    /// The file name.
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Every file of a folder, sorted by name.
pub fn pages(dir: &Path) -> Vec<Page> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| Page {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        })
        .collect()
}

/// Total bytes of some pages.
pub fn bytes_of(pages: &[&Page]) -> u64 {
    pages.iter().map(|p| p.bytes.len() as u64).sum()
}

/// The decoded, extracted text of a page (its lines joined).
pub fn text_of(page: &Page) -> String {
    jianghua::pipeline::process(&page.bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", page.name))
        .text_lines
        .join("\n")
}

/// The biggest page: seed 000 (a 15-speech compilation) when the seeds are
/// present, else the biggest fixture.
pub fn big_page() -> Page {
    let mut all = seeds_dir().map_or_else(|| pages(&fixtures_dir()), |d| pages(&d));
    all.sort_by_key(|p| std::cmp::Reverse(p.bytes.len()));
    all.swap_remove(0)
}

/// Folders indexed by the search and mentions benches.
pub fn roots() -> Vec<PathBuf> {
    let mut roots = vec![fixtures_dir()];
    roots.extend(seeds_dir());
    roots
}

/// An index of the fixtures and seeds in a temp dir, and the folded text of
/// every title and passage it should hold (each speech once, as the index
/// keeps reposts once).
pub struct Corpus {
    _dir: tempfile::TempDir,
    /// The index.
    pub idx: SpeechIndex,
    /// Folded titles and passages.
    pub folded: Vec<String>,
}

impl Corpus {
    /// Builds the index (not timed).
    pub fn build() -> Corpus {
        let dir = tempfile::tempdir().expect("temp dir");
        let index_dir = dir.path().join("index");
        let idx = SpeechIndex::create(&index_dir, "").expect("create index");
        let roots = roots();
        let report = ingest(&idx, &roots, Default::default(), &mut |_| {}).expect("ingest");
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert!(report.speeches > 0, "nothing indexed");
        let mut by_id: BTreeMap<DocId, Vec<String>> = BTreeMap::new();
        let (files, _) = find_files(&roots, &index_dir);
        for f in files {
            let cleaned = jianghua::clean_file(&f).expect("clean");
            for s in &cleaned.processed.speeches {
                let mut texts: Vec<String> = s.title.iter().map(|t| fold(t)).collect();
                texts.extend(s.passages.iter().map(|p| fold(&p.text)));
                by_id.insert(DocId::of(s), texts);
            }
        }
        Corpus {
            _dir: dir,
            idx,
            folded: by_id.into_values().flatten().collect(),
        }
    }

    /// Non-overlapping occurrences of a phrase, as `grep -o | wc -l` counts
    /// them over the folded corpus.
    pub fn naive_count(&self, phrase: &str) -> usize {
        let p = fold(phrase);
        self.folded
            .iter()
            .map(|t| t.matches(p.as_str()).count())
            .sum()
    }
}
