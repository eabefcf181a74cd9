//! Hostile pages (`pipeline::process`): deeply nested HTML against a flat
//! page of the same kind, in bytes of raw page per second. The depth cap of
//! `pipeline::extract` makes nesting cost what flat markup costs; without it
//! 200,000 nested `<div>` took minutes. Each iteration asserts that the
//! speech paragraph in the innermost block is found.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianghua::pipeline::process;

/// The speech paragraph every page holds.
const PARAGRAPH: &str =
    "同志们,今年全市招商引资要紧盯先进制造业项目,做到签约一批、开工一批、投产一批。";

/// `depth` nested `<div>` around a title and the paragraph.
fn nested(depth: usize) -> Vec<u8> {
    format!(
        "<html><body>{}<h1>在全市招商引资推进会上的讲话</h1><p>{PARAGRAPH}</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
    .into_bytes()
}

/// A flat page of about `bytes` bytes: one `<div><p>` block per paragraph.
fn flat(bytes: usize) -> Vec<u8> {
    let block = format!("<div><p>{PARAGRAPH}</p></div>\n");
    format!(
        "<html><body><h1>在全市招商引资推进会上的讲话</h1>{}</body></html>",
        block.repeat(bytes / block.len())
    )
    .into_bytes()
}

/// Runs the pipeline and checks that the paragraph came out as a passage.
fn holds_the_paragraph(page: &[u8]) -> bool {
    process(black_box(page)).is_ok_and(|p| {
        p.speeches
            .iter()
            .flat_map(|s| &s.passages)
            .any(|passage| passage.text == PARAGRAPH)
    })
}

fn hostile(c: &mut Criterion) {
    let pages = [
        ("flat_2mb", flat(2_200_000)),
        ("nested_200k_2mb", nested(200_000)),
        ("nested_1m_11mb", nested(1_000_000)),
    ];
    let mut g = c.benchmark_group("hostile");
    for (name, page) in &pages {
        assert!(holds_the_paragraph(page), "{name}: the paragraph is lost");
        g.throughput(Throughput::Bytes(page.len() as u64));
        g.bench_function(*name, |b| b.iter(|| assert!(holds_the_paragraph(page))));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = hostile
}
criterion_main!(benches);
