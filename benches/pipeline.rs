//! decode + extract + clean + split + structure (`pipeline::process`), per
//! page group, in bytes of raw page per second. Each iteration asserts the
//! number of speeches found.

mod common;

use std::hint::black_box;

use common::{Page, bytes_of, fixtures_dir, pages, seeds_dir};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianghua::pipeline::process;

fn speeches(group: &[&Page]) -> usize {
    group
        .iter()
        .map(|p| {
            process(black_box(&p.bytes))
                .unwrap_or_else(|e| panic!("{}: {e}", p.name))
                .speeches
                .len()
        })
        .sum()
}

fn bench_group(c: &mut Criterion, name: &str, group: &[&Page], expected: Option<usize>) {
    if group.is_empty() {
        return;
    }
    let want = speeches(group);
    if let Some(e) = expected {
        assert_eq!(want, e, "{name}: speeches (DESIGN.md's ground truth)");
    }
    assert!(want > 0, "{name}: no speech found");
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(bytes_of(group)));
    g.bench_function(name, |b| {
        b.iter(|| assert_eq!(speeches(group), want));
    });
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    if let Some(dir) = seeds_dir() {
        let seeds = pages(&dir);
        let (big, small): (Vec<&Page>, Vec<&Page>) =
            seeds.iter().partition(|p| p.name.starts_with("000_"));
        // Seed 000 is a compilation of 15 speeches; 001–004 are one each.
        bench_group(c, "seed_000_compilation", &big, Some(15));
        let n = small.len();
        bench_group(c, "seeds_001_004", &small, Some(n));
    }
    let fixtures = pages(&fixtures_dir());
    let (html, txt): (Vec<&Page>, Vec<&Page>) =
        fixtures.iter().partition(|p| p.name.ends_with(".html"));
    bench_group(c, "fixtures_txt", &txt, None);
    bench_group(c, "fixtures_html", &html, None);
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = pipeline
}
criterion_main!(benches);
