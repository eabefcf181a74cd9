//! `search` top-10 over an index of the fixtures and seeds (built once,
//! untimed, with the policy terms worked out before timing). Each iteration
//! asserts that the query found something.

mod common;

use std::hint::black_box;

use common::Corpus;
use criterion::{Criterion, criterion_group, criterion_main};
use jianghua::query::search::{Options, search};

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
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = bench
}
criterion_main!(benches);
