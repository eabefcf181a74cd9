//! `mentions` is exact: it equals a naive substring count (non-overlapping)
//! over the folded text of every indexed title and passage, for random
//! phrases cut from the corpus (fixtures, and the seeds when present), and
//! for the named cases of the issue: a phrase across a hard wrap is found
//! once, a phrase that only exists across a removed paywall stub is not
//! found, and Traditional and Simplified queries agree.
//!
//! Every count is taken twice: by `mentions` (n-gram candidates verified
//! against the text) and by `count` (from the postings alone: the counted
//! tokens of known terms, or n-gram positions), which must agree on every
//! title and passage. The index is built with a user dictionary of words
//! cut from the corpus (some overlapping themselves, like `**`), so the
//! known-term path is exercised on more than the policy vocabulary.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jianghua::fold::fold;
use jianghua::index::analyzers::is_cjk;
use jianghua::index::writer::ingest;
use jianghua::index::{DocId, SpeechIndex};
use jianghua::query::mentions::{Counts, Detail, mentions};
use proptest::prelude::*;

/// The corpus indexed once, with the texts the index should hold.
struct Corpus {
    _dir: tempfile::TempDir,
    idx: SpeechIndex,
    /// Original texts of every title and passage, one entry per speech id.
    texts: Vec<String>,
    /// The passages alone (what `search` finds).
    passages: Vec<String>,
    /// The title of each passage's speech (empty when it has none),
    /// parallel to `passages`.
    passage_titles: Vec<String>,
    /// The words of the user dictionary the index was built with.
    user_words: Vec<String>,
}

/// Words for the user dictionary: every 97th 2–6 char piece of the texts
/// without spaces, plus runs of the `*` placeholder (they overlap
/// themselves).
fn user_words(texts: &[String]) -> Vec<String> {
    let mut words: Vec<String> = ["**", "***", "**个"].map(str::to_owned).to_vec();
    let mut n = 0usize;
    for t in texts {
        let chars: Vec<char> = t.chars().collect();
        for start in 0..chars.len() {
            n += 1;
            if n.is_multiple_of(97) {
                let len = 2 + n % 5;
                let w: String = chars[start..(start + len).min(chars.len())]
                    .iter()
                    .collect();
                if w.chars().count() >= 2 && !w.contains(char::is_whitespace) && !w.starts_with('#')
                {
                    words.push(w);
                }
            }
        }
    }
    words
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let roots = common::fixture_and_seed_roots();
        // The naive side: clean every file and keep each speech once.
        let mut by_id: BTreeMap<DocId, Vec<String>> = BTreeMap::new();
        let mut passages_by_id: BTreeMap<DocId, Vec<(String, String)>> = BTreeMap::new();
        let (files, _) = jianghua::index::writer::find_files(&roots, &dir.path().join("index"));
        for f in files {
            let cleaned = jianghua::clean_file(&f).expect("clean");
            for s in &cleaned.processed.speeches {
                let mut texts: Vec<String> = s.title.iter().cloned().collect();
                texts.extend(s.passages.iter().map(|p| p.text.clone()));
                by_id.insert(DocId::of(s), texts);
                let title = s.title.clone().unwrap_or_default();
                passages_by_id.insert(
                    DocId::of(s),
                    s.passages
                        .iter()
                        .map(|p| (title.clone(), p.text.clone()))
                        .collect(),
                );
            }
        }
        let texts: Vec<String> = by_id.into_values().flatten().collect();
        let (passage_titles, passages): (Vec<String>, Vec<String>) =
            passages_by_id.into_values().flatten().unzip();
        let user_words = user_words(&texts);
        let idx = SpeechIndex::create(&dir.path().join("index"), &user_words.join("\n"))
            .expect("create index");
        let report = ingest(&idx, &roots, Default::default(), &mut |_| {}).expect("ingest");
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        Corpus {
            _dir: dir,
            idx,
            texts,
            passages,
            passage_titles,
            user_words,
        }
    })
}

/// What `grep -o PHRASE | wc -l` would say over the folded corpus.
fn naive_count(phrase: &str) -> usize {
    let p = fold(phrase);
    corpus()
        .texts
        .iter()
        .map(|t| fold(t).matches(p.as_str()).count())
        .sum()
}

/// The count by `mentions`, after checking that `count` agrees with it on
/// every title and passage.
fn count(phrase: &str) -> usize {
    let idx = &corpus().idx;
    let verified = Counts::from(&mentions(idx, phrase).expect("mentions"));
    let fast = jianghua::query::mentions::count(idx, phrase, Detail::ALL).expect("count");
    let sorted = |c: &Counts| {
        let mut t: Vec<_> = c
            .tallies
            .iter()
            .map(|t| {
                (
                    t.doc_key,
                    t.occurrences,
                    t.title.clone(),
                    t.site.clone(),
                    t.day,
                )
            })
            .collect();
        t.sort();
        t
    };
    assert_eq!(
        sorted(&fast),
        sorted(&verified),
        "count and mentions disagree on {phrase:?}"
    );
    assert_eq!(
        jianghua::query::mentions::totals(idx, phrase).expect("totals"),
        jianghua::query::mentions::Totals::from(&verified),
        "totals and mentions disagree on {phrase:?}"
    );
    verified.occurrences()
}

/// A random substring (1–8 chars) of a random text of the corpus.
fn phrase_from_corpus() -> impl Strategy<Value = String> {
    common::substring_of(|| &corpus().texts, 8)
}

/// A lone CJK char at the end of a phrase, after 1 to 4 other chars that
/// are not CJK just before it: the char's n-gram is open (its unigram or any
/// of its bigrams), which the index cannot tell from the phrase.
fn open_ended_phrase() -> impl Strategy<Value = String> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        1usize..=4,
    )
        .prop_filter_map("no lone CJK char after a non-CJK one", |(t, at, len)| {
            let texts = &corpus().texts;
            let chars: Vec<char> = texts[t.index(texts.len())].chars().collect();
            let from = at.index(chars.len().max(1));
            let end =
                (from.max(1)..chars.len()).find(|&i| is_cjk(chars[i]) && !is_cjk(chars[i - 1]))?;
            let start = end.saturating_sub(len);
            Some(chars[start..=end].iter().collect())
        })
}

/// One CJK char of a random text of the corpus.
fn cjk_char_from_corpus() -> impl Strategy<Value = String> {
    common::substring_of(|| &corpus().texts, 1).prop_filter("not CJK", |c| c.chars().all(is_cjk))
}

/// How many passages `search` says match a query.
fn search_total(query: &str) -> usize {
    let opts = jianghua::query::search::Options {
        limit: 1,
        ..Default::default()
    };
    jianghua::query::search::search(&corpus().idx, query, &opts)
        .expect("search")
        .total
}

/// How many of `texts` hold the folded phrase.
fn holding(texts: &[String], phrase: &str) -> usize {
    let p = fold(phrase);
    texts
        .iter()
        .filter(|t| fold(t).contains(p.as_str()))
        .count()
}

/// How many passages hold the folded phrase.
fn passages_holding(phrase: &str) -> usize {
    holding(&corpus().passages, phrase)
}

/// How many passages belong to a speech whose folded title holds the folded
/// phrase.
fn passages_titled(phrase: &str) -> usize {
    holding(&corpus().passage_titles, phrase)
}

/// A random substring (1–6 chars) of a random title of the corpus.
fn phrase_from_titles() -> impl Strategy<Value = String> {
    common::substring_of(|| &corpus().passage_titles, 6)
}

/// Whether a phrase can be typed as one query term, bare or in quotes.
fn is_one_term(phrase: &str) -> bool {
    !phrase.trim().is_empty()
        && phrase != "OR"
        && !phrase.contains(|c: char| c.is_whitespace() || "\"“”＂-－:：".contains(c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A quoted phrase finds exactly the passages that hold it; a bare word
    /// finds those and maybe more (loose jieba matches), and exactly those
    /// when the word is one of its own jieba tokens (then holding all the
    /// tokens means holding the word: search's shortcut for such words).
    #[test]
    fn search_finds_exactly_the_passages_holding_a_phrase(phrase in phrase_from_corpus()) {
        prop_assume!(is_one_term(&phrase));
        let holding = passages_holding(&phrase);
        prop_assert_eq!(search_total(&format!("\"{phrase}\"")), holding, "phrase {:?}", phrase);
        let folded = fold(&phrase);
        let tokens = jianghua::index::analyzers::jieba_tokens(&corpus().idx.jieba, &folded);
        let bare = search_total(&phrase);
        if tokens.iter().any(|(t, _)| *t == folded) {
            prop_assert_eq!(bare, holding, "word {:?}", phrase);
        } else {
            prop_assert!(bare >= holding, "word {:?}: {} < {}", phrase, bare, holding);
        }
    }

    /// `title:"…"` finds every passage of the speeches whose title holds the
    /// phrase (titles are indexed on speech documents only), and only those
    /// (a title the n-grams cannot pin down is checked against its text).
    #[test]
    fn title_finds_the_passages_of_the_speeches_titled_so(phrase in phrase_from_titles()) {
        prop_assume!(is_one_term(&phrase));
        let titled = passages_titled(&phrase);
        let found = search_total(&format!("title:\"{phrase}\""));
        prop_assert_eq!(found, titled, "title {:?}", phrase);
        // Narrowing a search by title keeps exactly its passages in those speeches.
        let p = fold(&phrase);
        let c = &corpus();
        let both = c
            .passages
            .iter()
            .zip(&c.passage_titles)
            .filter(|(text, title)| fold(text).contains("招商") && fold(title).contains(p.as_str()))
            .count();
        let with_zhaoshang = c.passages.iter().filter(|t| fold(t).contains("招商")).count();
        let narrowed = search_total(&format!("\"招商\" title:\"{phrase}\""));
        let excluded = search_total(&format!("\"招商\" -title:\"{phrase}\""));
        prop_assert_eq!(narrowed, both, "\"招商\" title {:?}", phrase);
        prop_assert_eq!(excluded, with_zhaoshang - both, "\"招商\" -title {:?}", phrase);
    }

    /// Two phrases joined by OR find exactly the passages that hold either,
    /// whichever of them the n-grams pin down (the candidates of one that
    /// they cannot are checked, and so is the other).
    #[test]
    fn an_or_of_phrases_finds_the_passages_holding_either(
        a in phrase_from_corpus(),
        b in phrase_from_corpus(),
    ) {
        prop_assume!(is_one_term(&a) && is_one_term(&b));
        let (fa, fb) = (fold(&a), fold(&b));
        let either = corpus()
            .passages
            .iter()
            .filter(|t| {
                let t = fold(t);
                t.contains(fa.as_str()) || t.contains(fb.as_str())
            })
            .count();
        let found = search_total(&format!("\"{a}\" OR \"{b}\""));
        prop_assert_eq!(found, either, "{:?} OR {:?}", a, b);
    }

    #[test]
    fn mentions_equal_a_naive_count(phrase in phrase_from_corpus()) {
        prop_assume!(!phrase.trim().is_empty());
        prop_assert_eq!(count(&phrase), naive_count(&phrase), "phrase {:?}", phrase);
    }

    /// One CJK char is counted over the n-gram terms that start with it;
    /// a phrase ending in a lone one is checked against the text.
    #[test]
    fn one_chars_and_open_ended_phrases_are_counted_exactly(
        one in cjk_char_from_corpus(),
        open in open_ended_phrase(),
    ) {
        prop_assert_eq!(count(&one), naive_count(&one), "char {:?}", one);
        prop_assert_eq!(count(&open), naive_count(&open), "phrase {:?}", open);
        if is_one_term(&open) {
            let quoted = format!("\"{open}\"");
            prop_assert_eq!(search_total(&quoted), passages_holding(&open), "phrase {:?}", open);
        }
        prop_assert_eq!(search_total(&format!("\"{one}\"")), passages_holding(&one), "char {:?}", one);
    }

    #[test]
    fn mentions_of_arbitrary_short_strings_are_exact(phrase in "[招商引资会战百日双过半专精特新一二3+7+5 ,。“”]{1,5}") {
        prop_assume!(!phrase.trim().is_empty());
        prop_assert_eq!(count(&phrase), naive_count(&phrase), "phrase {:?}", phrase);
    }
}

#[test]
fn known_terms_are_counted_exactly() {
    let c = corpus();
    assert!(c.idx.terms.contains("**"));
    let policy = jianghua::index::analyzers::parse_dict(jianghua::index::analyzers::POLICY_TERMS)
        .expect("bundled dictionary");
    let mut found = 0;
    for w in policy.iter().map(|(w, _, _)| w).chain(&c.user_words) {
        let n = count(w);
        assert_eq!(n, naive_count(w), "{w}");
        found += usize::from(n > 0);
    }
    assert!(found > 100, "only {found} known terms occur in the corpus");
}

#[test]
fn program_names_are_counted_exactly() {
    for p in [
        "百日会战",
        "双过半",
        "专精特新",
        "招商引资",
        "3+7+5",
        "5020",
        "会",
        "營商環境",
        "2022",
        "小巨人",
    ] {
        assert_eq!(count(p), naive_count(p), "{p}");
    }
    assert!(count("招商引资") > 50);
}

#[test]
fn traditional_and_simplified_queries_agree() {
    for (t, s) in [
        ("百日會戰", "百日会战"),
        ("招商引資", "招商引资"),
        ("營商環境", "营商环境"),
        ("專精特新", "专精特新"),
    ] {
        let (a, b) = (
            mentions(&corpus().idx, t).unwrap(),
            mentions(&corpus().idx, s).unwrap(),
        );
        assert_eq!(a.hits, b.hits, "{t} / {s}");
        assert!(a.occurrences() > 0, "{t} is in the corpus");
    }
}

#[test]
fn a_phrase_across_a_hard_wrap_is_found_once() {
    // Fixture 02 breaks this sentence over three lines; the cleaner rejoins it.
    let m = mentions(&corpus().idx, "作了很好的交流發言").unwrap();
    let hits: Vec<_> = m
        .hits
        .iter()
        .filter(|h| h.source.ends_with("02_trad_outline_bom.txt"))
        .collect();
    assert_eq!(
        hits.iter().map(|h| h.spans.len()).sum::<usize>(),
        1,
        "{hits:?}"
    );
}

#[test]
fn a_phrase_only_across_a_paywall_stub_is_not_found() {
    // Fixture 14: "…全力打好百日" ‖ stub ‖ "会战收官战…".
    let m = mentions(&corpus().idx, "百日会战收官战").unwrap();
    assert_eq!(m.occurrences(), 0, "{:?}", m.hits);
    let m = mentions(&corpus().idx, "打好百日").unwrap();
    assert!(
        m.hits
            .iter()
            .any(|h| h.source.ends_with("14_cross_stub.txt"))
    );
}

#[test]
fn an_empty_phrase_is_refused() {
    assert!(mentions(&corpus().idx, "  ").is_err());
}

#[test]
fn chrome_and_stub_strings_are_found_nowhere() {
    for s in [
        "您的位置",
        "发表时间",
        "上传日期",
        "小编",
        "省略",
        "正式会员",
        "(未完",
        "全文共",
        "收藏《",
        "文章搜索",
        "相关文章",
        "不存在或已删除",
        "注册登陆",
        "客服微信",
        "本文地址",
        "全文阅读已结束",
        "下载此文档",
        "里程碑",
        "目录/提纲",
        "隐藏内容",
        "(jìn)",
        "(huà)",
    ] {
        let m = mentions(&corpus().idx, s).unwrap();
        assert_eq!(
            m.occurrences(),
            0,
            "{s}: {:?}",
            m.hits.iter().map(|h| &h.text).collect::<Vec<_>>()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// A quoted phrase highlights exactly its occurrences, on the original
    /// characters, in every result.
    #[test]
    fn highlights_cover_exactly_the_matched_characters(phrase in phrase_from_corpus()) {
        let p = phrase.trim();
        prop_assume!(p.chars().count() >= 2 && !p.contains(['"', '“', '”']));
        let opts = jianghua::query::search::Options { limit: 20, ..Default::default() };
        let found = jianghua::query::search::search(&corpus().idx, &format!("\"{p}\""), &opts).unwrap();
        for r in &found.results {
            let folded = fold(&r.text);
            let want = jianghua::query::mentions::find_spans(&folded, &fold(p));
            prop_assert!(!want.is_empty(), "result without the phrase {:?}: {:?}", p, r.text);
            prop_assert_eq!(&r.highlights, &jianghua::query::highlight::merge(want));
        }
    }
}

/// The naive counts per period: each title and passage `mentions` lists
/// (already checked against a substring count), grouped by its speech's
/// date within the bounds.
fn naive_periods(
    phrase: &str,
    period: jianghua::query::periods::Period,
    bounds: &jianghua::query::filter::Bounds,
) -> BTreeMap<Option<u64>, (usize, usize, std::collections::BTreeSet<String>)> {
    let mut out: BTreeMap<Option<u64>, (usize, usize, std::collections::BTreeSet<String>)> =
        BTreeMap::new();
    for h in mentions(&corpus().idx, phrase).expect("mentions").hits {
        let day = jianghua::index::writer::day_number(h.date.as_deref());
        let key = DocId::parse(&h.doc_id).expect("id").key();
        if !bounds.admits(h.site.as_deref(), day) || !bounds.admits_speech(key) {
            continue;
        }
        let e = out.entry(period.of(day)).or_default();
        e.0 += h.spans.len();
        e.1 += 1;
        e.2.insert(h.doc_id);
    }
    out
}

/// The same, as `query::periods` counts it from the postings.
fn fast_periods(
    phrase: &str,
    period: jianghua::query::periods::Period,
    bounds: &jianghua::query::filter::Bounds,
) -> BTreeMap<Option<u64>, (usize, usize, usize)> {
    let p = jianghua::query::periods::periods_in(&corpus().idx, phrase, period, bounds)
        .expect("periods");
    let mut out: BTreeMap<Option<u64>, (usize, usize, usize)> = p
        .known
        .iter()
        .map(|(&k, t)| (Some(k), (t.occurrences, t.passages, t.speeches)))
        .collect();
    if p.unknown.passages > 0 {
        let t = p.unknown;
        out.insert(None, (t.occurrences, t.passages, t.speeches));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// `mentions --by year|month` counts, from the postings, what the
    /// listing holds per period: one-char phrases (counted by prefix) and
    /// longer ones, with and without a date or site bound.
    #[test]
    fn counts_per_period_equal_the_listing_grouped(
        phrase in prop_oneof![phrase_from_corpus(), cjk_char_from_corpus()],
        months in any::<bool>(),
        bound in 0usize..4,
    ) {
        use jianghua::query::periods::Period;
        prop_assume!(!phrase.trim().is_empty());
        let period = if months { Period::Month } else { Period::Year };
        let bounds = jianghua::query::filter::Bounds {
            since: (bound == 1).then_some(20200101),
            until: (bound == 2).then_some(20231231),
            site_key: (bound == 3).then(|| fold("新文秘网")),
            speech: None,
        };
        let naive: BTreeMap<_, _> = naive_periods(&phrase, period, &bounds)
            .into_iter()
            .map(|(k, (o, p, s))| (k, (o, p, s.len())))
            .collect();
        prop_assert_eq!(fast_periods(&phrase, period, &bounds), naive, "{:?}", phrase);
    }
}

/// `--count`'s totals take a segment's matches as one set, also in a
/// segment with deleted documents (most segments of a folder ingested
/// again): they equal the per-passage counts there, one-char phrases
/// (counted over the n-gram terms that start with them) and longer ones.
#[test]
fn totals_equal_the_counts_where_segments_hold_deleted_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("pages dir");
    let names = common::fixture_page_names();
    for name in &names {
        std::fs::copy(common::fixture_pages().join(name), pages.join(name)).expect("copy");
    }
    let idx = SpeechIndex::create(&dir.path().join("index"), "").expect("create index");
    let roots = vec![pages.clone()];
    ingest(&idx, &roots, Default::default(), &mut |_| {}).expect("first ingest");
    // Every other page changes (a byte at its end), so its speeches are
    // deleted and written again in a new segment.
    for name in names.iter().step_by(2) {
        let path = pages.join(name);
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.push(b'\n');
        std::fs::write(&path, bytes).expect("write");
    }
    ingest(&idx, &roots, Default::default(), &mut |_| {}).expect("second ingest");
    let searcher = idx.searcher().expect("searcher");
    assert!(
        searcher.segment_readers().iter().any(|s| s.has_deletes()),
        "the test needs a segment with deleted documents"
    );
    for phrase in ["的", "招", "年", "会", "商", "招商引资", "百日会战", "项目"] {
        let totals = jianghua::query::mentions::totals(&idx, phrase).expect("totals");
        let counts = jianghua::query::mentions::count(&idx, phrase, Detail::ALL).expect("count");
        let c = jianghua::query::mentions::Totals::from(&counts);
        assert_eq!(totals, c, "phrase {phrase:?}");
        assert!(
            phrase.chars().count() > 1 || totals.occurrences > 0,
            "{phrase:?} is in the fixtures"
        );
    }
}
