//! `search` top-10 over an index of the fixtures and seeds (built once,
//! untimed, with the policy terms worked out before timing). Each iteration
//! asserts that the query found something. The `long_query` group times
//! queries of 1,000 characters (the longest allowed) in the shapes that once
//! cost seconds (many one-letter words, many lone characters), for
//! `search` and `mentions --count`: the work must stay linear in the length.

mod common;

use std::hint::black_box;

use common::Corpus;
use criterion::{Criterion, criterion_group, criterion_main};
use jianghua::query::mentions::totals;
use jianghua::query::search::{Options, search};

/// 1,000-character queries: (name, query).
fn long_queries() -> Vec<(&'static str, String)> {
    let pairs: Vec<String> = (0..333u32)
        .map(|i| {
            let a = char::from(b'a' + (i % 26) as u8);
            let b = char::from(b'a' + (i / 26) as u8);
            format!("{a}{b}")
        })
        .collect();
    vec![
        ("repeated_term", "招商引资".repeat(250)),
        ("spaced_terms", vec!["招商引资"; 200].join(" ")),
        ("one_letter_words", "a ".repeat(500)),
        ("two_letter_words", pairs.join(" ")),
        ("lone_chars", "招 ".repeat(500)),
    ]
}

const QUERIES: &[(&str, &str)] = &[
    ("word", "招商引资"),
    ("phrase_and_word", "\"营商环境\" 项目"),
    ("or", "百日会战 OR 双过半"),
    ("traditional_not", "招商引資 -会员"),
];

fn bench(c: &mut Criterion) {
    let corpus = Corpus::build();
    corpus.idx.jieba.additions(); // once per process: steady state only
    let opts = Options {
        limit: 10,
        ..Default::default()
    };
    let mut g = c.benchmark_group("search");
    for &(name, q) in QUERIES {
        let found = search(&corpus.idx, q, &opts).expect("search");
        eprintln!(
            "search {q}: {} results of {} passages",
            found.results.len(),
            found.total
        );
        assert!(!found.results.is_empty(), "{q}: no result");
        g.bench_function(name, |b| {
            b.iter(|| {
                let found = search(&corpus.idx, black_box(q), &opts).expect("search");
                assert!(!found.results.is_empty() && found.results.len() <= 10);
                found
            });
        });
    }
    g.finish();

    let mut g = c.benchmark_group("long_query");
    for (name, q) in long_queries() {
        assert!(q.chars().count() <= 1000, "{name}");
        g.bench_function(format!("search_{name}"), |b| {
            b.iter(|| search(&corpus.idx, black_box(&q), &opts).expect("search"))
        });
        g.bench_function(format!("mentions_count_{name}"), |b| {
            b.iter(|| totals(&corpus.idx, black_box(&q)).expect("mentions"))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = bench
}
criterion_main!(benches);
