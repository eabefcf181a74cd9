//! The two analyzers over the folded text of the biggest page, in bytes per
//! second, each iteration asserting its token count:
//! - the n-gram analyzer (`ngrams`, and the tantivy `NgramTokenizer` that
//!   indexing uses);
//! - jieba in search mode over the whole dictionary (`cut_for_search`, and
//!   the cang-jie `LazyJieba` stream that indexing uses), with the
//!   dictionary already loaded.
//!
//! The query path's jieba (`jieba_tokens`: a jieba built for each text from
//! the dictionary words in it) is timed on what it gets: the words of the
//! end-to-end benchmark's queries, one call per word, and one 500-char
//! passage, with the dictionary search (`dict::words_in`) apart.
//!
//! Loading the whole dictionary (jieba's plus the policy terms) and working
//! out the additions the query path needs are timed on their own.

mod common;

use std::hint::black_box;

use common::{big_page, text_of};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianghua::fold::fold;
use jianghua::index::analyzers::{
    Additions, LazyJieba, NgramTokenizer, build_jieba, jieba_tokens, ngrams,
};
use jianghua::index::dict;
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
    let whole = jieba.jieba(); // load the dictionary before timing
    let words = whole.cut_for_search(&folded, false).len();
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
    g.bench_function("jieba_cut_for_search", |b| {
        b.iter(|| assert_eq!(whole.cut_for_search(black_box(&folded), false).len(), words));
    });
    g.bench_function("jieba_tokenizer_stream", |b| {
        b.iter(|| assert_eq!(stream_len(&mut jieba_tok, black_box(&folded)), stream_words));
    });
    g.finish();
}

/// The words of the queries of `benches/e2e_run.py`, as `search` segments
/// them: each on its own (quoted phrases are not segmented).
const QUERY_WORDS: &[&str] = &[
    "招商引资",
    "营商环境",
    "项目建设",
    "高质量发展",
    "百日会战",
    "专精特新",
    "项目",
    "招商",
    "项目为王",
    "双过半",
    "经济",
    "产业链",
    "工业倍增",
    "园区",
    "民营经济",
    "服务",
    "落地",
    "放管服",
    "改革",
    "四敢",
    "干部",
    "企业",
];

fn query_path(c: &mut Criterion) {
    let jieba = LazyJieba::new(String::new());
    jieba.additions(); // worked out before timing, as once per process
    let queries: Vec<String> = QUERY_WORDS.iter().map(|q| fold(q)).collect();
    let tokens = |qs: &[String]| {
        qs.iter()
            .map(|q| jieba_tokens(&jieba, q).len())
            .sum::<usize>()
    };
    let query_tokens = tokens(&queries);
    let passage: String = fold(&text_of(&big_page())).chars().take(500).collect();
    let passage_tokens = jieba_tokens(&jieba, &passage).len();
    let passage_words = dict::words_in(&passage).len();
    // The small jieba cuts as the whole one does.
    let whole = jieba.jieba();
    assert_eq!(
        passage_tokens,
        whole
            .cut_for_search(&passage, false)
            .iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .count()
    );
    assert!(query_tokens >= queries.len() && passage_words > 100);

    let mut g = c.benchmark_group("analyzers");
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function("jieba_tokens_queries", |b| {
        b.iter(|| assert_eq!(tokens(black_box(&queries)), query_tokens));
    });
    g.throughput(Throughput::Bytes(passage.len() as u64));
    g.bench_function("jieba_tokens_passage", |b| {
        b.iter(|| {
            assert_eq!(
                jieba_tokens(&jieba, black_box(&passage)).len(),
                passage_tokens
            )
        });
    });
    g.bench_function("dict_words_in_passage", |b| {
        b.iter(|| assert_eq!(dict::words_in(black_box(&passage)).len(), passage_words));
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
    g.bench_function("load_additions", |b| {
        b.iter(|| Additions::new(black_box("")));
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3));
    targets = steady, query_path, dictionary
}
criterion_main!(benches);
