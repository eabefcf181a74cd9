//! Highlighting (`highlights`) over every passage of the biggest page, in
//! bytes of passage text per second, the policy terms worked out beforehand
//! (once per process, as `search` does).
//! Each iteration asserts the total span count.

mod common;

use std::hint::black_box;

use common::big_page;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianghua::fold::fold;
use jianghua::index::analyzers::LazyJieba;
use jianghua::query::highlight::{Mark, highlights};

fn spans(passages: &[String], marks: &[Mark], jieba: &LazyJieba) -> usize {
    passages
        .iter()
        .map(|t| highlights(black_box(t), marks, jieba).len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let page = big_page();
    let processed = jianghua::pipeline::process(&page.bytes).expect("process");
    let passages: Vec<String> = processed
        .speeches
        .iter()
        .flat_map(|s| s.passages.iter().map(|p| p.text.clone()))
        .collect();
    let bytes: u64 = passages.iter().map(|p| p.len() as u64).sum();
    let jieba = LazyJieba::new(String::new());
    jieba.additions(); // once per process: steady state only

    let mark = |t: &str, phrase| Mark {
        folded: fold(t),
        phrase,
    };
    let cases = [
        // Exact occurrences only (a quoted phrase).
        ("phrase", vec![mark("招商引资", true)]),
        // Words: exact where present, else their jieba tokens.
        (
            "words",
            vec![mark("招商引资", false), mark("经济高质量发展", false)],
        ),
    ];
    let mut g = c.benchmark_group("highlight");
    g.throughput(Throughput::Bytes(bytes));
    for (name, marks) in &cases {
        let want = spans(&passages, marks, &jieba);
        eprintln!(
            "highlight {name}: {want} spans in {} passages",
            passages.len()
        );
        assert!(want > 0, "{name}: nothing highlighted");
        g.bench_function(*name, |b| {
            b.iter(|| assert_eq!(spans(&passages, marks, &jieba), want));
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
