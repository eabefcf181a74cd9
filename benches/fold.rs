//! The search form (`fold::fold`) of a page's text, Simplified and
//! Traditional, in bytes per second. Each iteration asserts that the char
//! count is kept (one char in, one char out).

mod common;

use std::hint::black_box;

use common::{big_page, fixtures_dir, pages, text_of};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianghua::fold::fold;

fn bench_text(c: &mut Criterion, name: &str, text: &str) {
    let chars = text.chars().count();
    assert!(chars > 0, "{name}: empty text");
    let mut g = c.benchmark_group("fold");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            let out = fold(black_box(text));
            assert_eq!(out.chars().count(), chars);
            out
        });
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    // Simplified: the biggest page (seed 000 when present).
    let simplified = text_of(&big_page());
    bench_text(c, "simplified_page", &simplified);
    // Traditional: the Traditional fixtures (UTF-8 with BOM, Big5, breadcrumb).
    let trad: Vec<String> = pages(&fixtures_dir())
        .iter()
        .filter(|p| p.name.contains("trad"))
        .map(text_of)
        .collect();
    assert!(!trad.is_empty(), "no Traditional fixture");
    let trad = trad.join("\n");
    assert!(
        trad.contains('們') || trad.contains('會'),
        "not Traditional"
    );
    bench_text(c, "traditional_pages", &trad);
}

criterion_group!(benches, bench);
criterion_main!(benches);
