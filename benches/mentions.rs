//! `mentions` over an index of the fixtures and seeds (built once, untimed).
//! Each iteration asserts that the occurrence count equals a naive count
//! (`str::matches` over the folded text of every title and passage),
//! computed once beforehand.

mod common;

use std::hint::black_box;

use common::Corpus;
use criterion::{Criterion, criterion_group, criterion_main};
use jianghua::query::mentions::mentions;

const PHRASES: &[(&str, &str)] = &[
    ("baori_huizhan", "百日会战"),
    ("shuang_guoban", "双过半"),
    ("one_char_hui", "会"),
    ("digits_3_7_5", "3+7+5"),
];

fn bench(c: &mut Criterion) {
    let corpus = Corpus::build();
    let mut g = c.benchmark_group("mentions");
    for &(name, phrase) in PHRASES {
        let want = corpus.naive_count(phrase);
        let got = mentions(&corpus.idx, phrase).expect("mentions");
        eprintln!(
            "mentions {phrase}: {want} occurrences (naive), {} in {} passages",
            got.occurrences(),
            got.passages()
        );
        assert_eq!(got.occurrences(), want, "{phrase}");
        g.bench_function(name, |b| {
            b.iter(|| {
                let m = mentions(&corpus.idx, black_box(phrase)).expect("mentions");
                assert_eq!(m.occurrences(), want);
                m
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
