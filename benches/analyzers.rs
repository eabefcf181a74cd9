//! The two analyzers over the folded text of the biggest page, in bytes per
//! second, each iteration asserting its token count:
//! - the n-gram analyzer (`ngrams`, and the tantivy `NgramTokenizer` that
//!   indexing uses);
//! - jieba in search mode (`jieba_tokens`, as queries and highlights use it,
//!   and the cang-jie `LazyJieba` stream that indexing uses), with the
//!   dictionary already loaded.
//!
//! Loading the dictionary (jieba's default one plus the policy terms) is
//! timed on its own.

mod common;

use std::hint::black_box;

use common::{big_page, text_of};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianghua::fold::fold;
use jianghua::index::analyzers::{LazyJieba, NgramTokenizer, build_jieba, jieba_tokens, ngrams};
use tantivy::tokenizer::{TokenStream, Tokenizer};

fn stream_len<T: Tokenizer>(tok: &mut T, text: &str) -> usize {
    let mut s = tok.token_stream(text);
    let mut n = 0;
    while s.advance() {
        n += 1;
    }
    n
}

fn steady(c: &mut Criterion) {
    let folded = fold(&text_of(&big_page()));
    let bytes = folded.len() as u64;

    let grams = ngrams(&folded).len();
    let mut ngram_tok = NgramTokenizer;
    assert_eq!(stream_len(&mut ngram_tok, &folded), grams);
    let jieba = LazyJieba::new(String::new());
    jieba.jieba(); // load the dictionary before timing
    let words = jieba_tokens(&jieba, &folded).len();
    let mut jieba_tok = jieba.clone();
    let stream_words = stream_len(&mut jieba_tok, &folded);
    assert!(grams > 0 && words > 0 && stream_words > 0);

    let mut g = c.benchmark_group("analyzers");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("ngrams", |b| {
        b.iter(|| assert_eq!(ngrams(black_box(&folded)).len(), grams));
    });
    g.bench_function("ngram_tokenizer_stream", |b| {
        b.iter(|| assert_eq!(stream_len(&mut ngram_tok, black_box(&folded)), grams));
    });
    g.sample_size(10);
    g.bench_function("jieba_tokens", |b| {
        b.iter(|| assert_eq!(jieba_tokens(&jieba, black_box(&folded)).len(), words));
    });
    g.bench_function("jieba_tokenizer_stream", |b| {
        b.iter(|| assert_eq!(stream_len(&mut jieba_tok, black_box(&folded)), stream_words));
    });
    g.finish();
}

fn dictionary(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyzers");
    g.sample_size(10);
    g.bench_function("load_dictionary", |b| {
        b.iter(|| {
            let jieba = build_jieba(black_box(""));
            // The policy terms are in: 百日会战 is one word.
            let cut = jieba.cut("百日会战", false);
            assert_eq!(cut.len(), 1, "{cut:?}");
            jieba
        });
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3));
    targets = steady, dictionary
}
criterion_main!(benches);
