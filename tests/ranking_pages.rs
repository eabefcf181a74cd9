//! A page of results is the same slice of the ranking however it is asked
//! for: `search` with `--limit N --offset K` equals results K..K+N of the
//! full ranking of every match, for random queries cut from the corpus, in
//! both sorts.
//!
//! The full ranking is asked for with a limit above the number of matches,
//! so the ranker's top never fills and never prunes: every match gets its
//! whole key. A small page fills its top at once, and from then on the
//! ranker drops passages whose key bound cannot enter it
//! (`query::rank`); this test is what says the bound never drops a passage
//! that belongs on the page, and never changes a score.

mod common;

use std::sync::OnceLock;

use jianghua::index::SpeechIndex;
use jianghua::index::writer::ingest;
use jianghua::query::search::{Options, Sort, search};
use proptest::prelude::*;

/// The corpus indexed once, with the passage texts queries are cut from.
struct Corpus {
    _dir: tempfile::TempDir,
    idx: SpeechIndex,
    texts: Vec<String>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let roots = common::fixture_and_seed_roots();
        let idx = SpeechIndex::create(&dir.path().join("index"), "").expect("create index");
        let report = ingest(&idx, &roots, Default::default(), &mut |_| {}).expect("ingest");
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        let (files, _) = jianghua::index::writer::find_files(&roots, &dir.path().join("index"));
        let texts = files
            .iter()
            .flat_map(|f| jianghua::clean_file(f).expect("clean").processed.speeches)
            .flat_map(|s| s.passages.into_iter().map(|p| p.text))
            .collect();
        Corpus {
            _dir: dir,
            idx,
            texts,
        }
    })
}

/// What identifies a ranked passage and its score, bit for bit.
type Row = (String, usize, u32, usize);

fn ranked(query: &str, sort: Sort, limit: usize, offset: usize) -> (usize, Vec<Row>) {
    let opts = Options {
        limit,
        offset,
        sort,
        ..Options::default()
    };
    let found = search(&corpus().idx, query, &opts).unwrap_or_else(|e| panic!("{query}: {e}"));
    let rows = found
        .results
        .iter()
        .map(|r| (r.doc_id.clone(), r.passage, r.score.to_bits(), r.rank))
        .collect();
    (found.total, rows)
}

/// Checks pages of `query` against its full ranking, in both sorts.
fn check_pages(query: &str, pages: &[(usize, usize)]) -> Result<(), TestCaseError> {
    for sort in [Sort::Relevance, Sort::Date] {
        let (total, _) = ranked(query, sort, 0, 0);
        let (_, full) = ranked(query, sort, total.max(1), 0);
        prop_assert_eq!(
            total,
            full.len(),
            "{} {:?}: the full ranking is whole",
            query,
            sort
        );
        for &(limit, offset) in pages {
            let (page_total, page) = ranked(query, sort, limit, offset);
            let want = &full[offset.min(full.len())..(offset + limit).min(full.len())];
            prop_assert_eq!(
                page_total,
                total,
                "{} {:?}: the total of a page",
                query,
                sort
            );
            prop_assert_eq!(
                &page[..],
                want,
                "{} {:?} limit {} offset {}: the page is not that slice of the full ranking",
                query,
                sort,
                limit,
                offset
            );
        }
    }
    Ok(())
}

#[test]
fn pages_of_frequent_terms_are_slices_of_the_full_ranking() {
    let pages = [(1, 0), (3, 0), (10, 0), (10, 10), (7, 37), (5, 90), (20, 3)];
    for q in [
        "的",
        "发展",
        "项目 建设",
        "招商引资",
        "经济 -项目",
        "营商环境 服务 企业",
        "招商 OR 项目",
        "\"高质量发展\" 产业",
    ] {
        let (total, _) = ranked(q, Sort::Relevance, 0, 0);
        check_pages(q, &pages).unwrap_or_else(|e| panic!("{e}"));
        // Enough matches that small pages fill their top and prune.
        if q == "的" {
            assert!(total > 200, "的 matches only {total} passages");
        }
    }
}

/// One to three words, each 1–3 chars cut from a passage.
fn query_from_corpus() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            1usize..=3,
        ),
        1..=3,
    )
    .prop_map(|parts| {
        let texts = &corpus().texts;
        parts
            .into_iter()
            .map(|(t, at, len)| {
                let chars: Vec<char> = texts[t.index(texts.len())]
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                if chars.is_empty() {
                    return "的".to_owned();
                }
                let start = at.index(chars.len());
                chars[start..(start + len).min(chars.len())]
                    .iter()
                    .collect()
            })
            .collect::<Vec<String>>()
            .join(" ")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn a_page_of_a_random_query_is_a_slice_of_its_full_ranking(
        query in query_from_corpus(),
        pages in prop::collection::vec((1usize..=12, 0usize..=40), 1..=4),
    ) {
        check_pages(&query, &pages)?;
    }
}
