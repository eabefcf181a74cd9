//! The index commands through the binary: `ingest`, `search`, `mentions`,
//! `show`, `stats`, on the fixture pages (and the seeds when present), with
//! `--json` parsed into typed structs before asserting.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Run, run_in};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Report {
    files: usize,
    files_indexed: usize,
    speeches: usize,
    passages: usize,
    failed: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    path: String,
    reason: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Hit {
    rank: usize,
    score: f64,
    doc_id: String,
    passage: usize,
    title: Option<String>,
    date: Option<String>,
    site: Option<String>,
    source: String,
    section: String,
    text: String,
    highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Count {
    phrase: String,
    occurrences: usize,
    passages: usize,
    speeches: usize,
}

#[derive(Debug, Deserialize)]
struct Group {
    group: Option<String>,
    occurrences: usize,
}

#[derive(Debug, Deserialize)]
struct Stats {
    speeches: usize,
    passages: usize,
    sources: usize,
    index_bytes: u64,
}

#[derive(Debug, Deserialize)]
struct Shown {
    doc_id: String,
    title: Option<String>,
    passages: Vec<ShownPassage>,
}

#[derive(Debug, Deserialize)]
struct ShownPassage {
    no: usize,
    text: String,
}

/// A working folder with the fixture pages indexed once.
struct Indexed {
    dir: tempfile::TempDir,
    report: Report,
}

fn fixtures() -> PathBuf {
    common::repo_root().join("tests/fixtures/pages")
}

fn indexed() -> &'static Indexed {
    static INDEXED: OnceLock<Indexed> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let dir = common::tempdir();
        let run = run_in(
            dir.path(),
            &["ingest".as_ref(), fixtures().as_os_str(), "--json".as_ref()],
        );
        assert_eq!(run.code, Some(0), "{}", run.describe());
        let report: Report =
            serde_json::from_str(run.stdout.trim()).expect("ingest --json is one object");
        Indexed { dir, report }
    })
}

fn jh(args: &[&str]) -> Run {
    run_in(indexed().dir.path(), args)
}

fn lines<T: for<'de> Deserialize<'de>>(run: &Run) -> Vec<T> {
    assert_eq!(run.code, Some(0), "{}", run.describe());
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn search(q: &str, extra: &[&str]) -> Vec<Hit> {
    let mut args = vec!["search", q, "--json"];
    args.extend(extra);
    lines(&jh(&args))
}

fn fold(s: &str) -> String {
    jianghua::fold::fold(s)
}

fn chars(s: &str, span: [usize; 2]) -> String {
    s.chars().skip(span[0]).take(span[1] - span[0]).collect()
}

#[test]
fn ingest_reports_what_it_indexed() {
    let r = &indexed().report;
    assert_eq!(r.files, 19);
    assert_eq!(r.files_indexed, 19);
    assert!(r.failed.is_empty());
    let stats: Vec<Stats> = lines(&jh(&["stats", "--json"]));
    assert_eq!(stats[0].speeches, r.speeches);
    assert_eq!(stats[0].passages, r.passages);
    assert_eq!(stats[0].sources, 19);
    assert!(stats[0].index_bytes > 0);
}

#[test]
fn search_returns_passages_with_highlights_titles_and_dates() {
    let hits = search("招商引资", &["--limit", "5"]);
    assert_eq!(hits.len(), 5);
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h.rank, i + 1);
        assert!(!h.highlights.is_empty(), "{h:?}");
        assert!(h.title.is_some() || h.source.contains("03_gbk"), "{h:?}");
        assert_eq!(h.doc_id.len(), 16);
        for &span in &h.highlights {
            assert_eq!(
                fold(&chars(&h.text, span)),
                fold("招商引资"),
                "highlight {span:?} of {:?}",
                h.text
            );
        }
    }
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().any(|h| h.date.is_some()));
}

#[test]
fn traditional_and_simplified_searches_agree() {
    for (t, s) in [
        ("招商引資", "招商引资"),
        ("\"百日會戰\"", "\"百日会战\""),
        ("營商環境 項目", "营商环境 项目"),
    ] {
        let (a, b) = (search(t, &["--limit", "50"]), search(s, &["--limit", "50"]));
        assert!(!a.is_empty(), "{t}");
        assert_eq!(a, b, "{t} / {s}");
    }
}

#[test]
fn exact_phrases_rank_above_loose_matches_and_highlight_only_themselves() {
    let hits = search("\"双过半\"", &["--limit", "50"]);
    assert!(!hits.is_empty());
    for h in &hits {
        let n = fold(&h.text).matches(&fold("双过半")).count();
        assert_eq!(h.highlights.len(), n, "{h:?}");
        for &span in &h.highlights {
            assert_eq!(fold(&chars(&h.text, span)), fold("双过半"));
        }
    }
    // A word query: passages holding it exactly come before the rest.
    let hits = search("营商环境", &["--limit", "50"]);
    let exact: Vec<bool> = hits
        .iter()
        .map(|h| fold(&h.text).contains(&fold("营商环境")))
        .collect();
    assert!(exact.windows(2).all(|w| w[0] >= w[1]), "{exact:?}");
}

#[test]
fn a_word_the_ngrams_cannot_pin_down_matches_exactly_or_by_its_jieba_tokens() {
    // The comma leaves a gap in the n-grams, so every candidate is checked
    // against its text: it must hold the word, or both its jieba tokens.
    let hits = search("招商,引资", &["--limit", "500"]);
    let texts: Vec<String> = hits.iter().map(|h| fold(&h.text)).collect();
    assert!(
        texts
            .iter()
            .all(|t| t.contains("招商,引资") || (t.contains("招商") && t.contains("引资")))
    );
    assert!(texts.iter().any(|t| !t.contains("招商,引资")), "{texts:?}");
}

#[test]
fn exclusions_or_fields_and_dates_filter() {
    let all = search("招商", &["--limit", "500"]);
    let without = search("招商 -会员", &["--limit", "500"]);
    assert!(without.len() < all.len());
    assert!(
        without
            .iter()
            .all(|h| !fold(&h.text).contains(&fold("会员")))
    );
    let either = search("双过半 OR 百日会战", &["--limit", "500"]);
    let (a, b) = (
        search("双过半", &["--limit", "500"]),
        search("百日会战", &["--limit", "500"]),
    );
    assert!(either.len() >= a.len().max(b.len()));
    let site = search("招商 site:某某文秘网", &["--limit", "500"]);
    assert!(
        !site.is_empty()
            && site.iter().all(|h| h
                .site
                .as_deref()
                .is_some_and(|s| fold(s).contains(&fold("某某文秘网"))))
    );
    let titled = search("投资 title:篇二", &["--limit", "500"]);
    assert!(
        !titled.is_empty()
            && titled
                .iter()
                .all(|h| h.title.as_deref().unwrap_or("").contains("篇二"))
    );
    let dated = search(
        "招商",
        &[
            "--limit",
            "500",
            "--since",
            "2023-01-01",
            "--until",
            "2023-12-31",
        ],
    );
    assert!(!dated.is_empty());
    assert!(
        dated
            .iter()
            .all(|h| h.date.as_deref().is_some_and(|d| d.starts_with("2023")))
    );
    let by_date = search("招商", &["--limit", "20", "--sort", "date"]);
    let dates: Vec<&str> = by_date
        .iter()
        .map(|h| h.date.as_deref().unwrap_or(""))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let page2 = search("招商", &["--limit", "3", "--offset", "3"]);
    assert_eq!(page2.first().map(|h| h.rank), Some(4));
    assert_eq!(
        page2,
        all[3..6]
            .iter()
            .map(|h| Hit {
                rank: h.rank,
                ..clone_hit(h)
            })
            .collect::<Vec<_>>()
    );
}

fn clone_hit(h: &Hit) -> Hit {
    serde_json::from_str(&serde_json::json!({
        "rank": h.rank, "score": h.score, "doc_id": h.doc_id, "passage": h.passage, "title": h.title,
        "date": h.date, "site": h.site, "source": h.source, "section": h.section, "text": h.text,
        "highlights": h.highlights,
    }).to_string())
    .expect("round trip")
}

#[test]
fn malformed_queries_exit_2_with_one_sentence() {
    for q in [
        "",
        "   ",
        "\"abc",
        "“abc",
        "-",
        "-会员",
        "OR 招商",
        "招商 OR",
        "\"\"",
        "title:",
    ] {
        let run = jh(&["search", q]);
        assert_eq!(run.code, Some(2), "{q:?}: {}", run.describe());
        assert!(!run.panicked());
        let err: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(err.len(), 1, "{q:?}: {}", run.describe());
        assert!(err[0].starts_with("jianghua: "), "{q:?}: {}", err[0]);
    }
    let run = jh(&["search", "招商", "--since", "May 2024"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    let run = jh(&["mentions", " "]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
}

#[test]
fn mentions_counts_and_groups() {
    let c: Vec<Count> = lines(&jh(&["mentions", "百日会战", "--count", "--json"]));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].phrase, "百日会战");
    assert!(
        c[0].occurrences >= c[0].passages && c[0].passages >= c[0].speeches && c[0].speeches > 0
    );
    let t: Vec<Count> = lines(&jh(&["mentions", "百日會戰", "--count", "--json"]));
    assert_eq!(
        (t[0].occurrences, t[0].passages, t[0].speeches),
        (c[0].occurrences, c[0].passages, c[0].speeches)
    );
    for by in ["speech", "site", "year", "month"] {
        let groups: Vec<Group> = lines(&jh(&["mentions", "百日会战", "--by", by, "--json"]));
        assert_eq!(
            groups.iter().map(|g| g.occurrences).sum::<usize>(),
            c[0].occurrences,
            "--by {by}"
        );
        if by == "month" {
            assert!(groups.iter().flat_map(|g| &g.group).all(|m| m.len() == 7));
        }
    }
    let kwic = jh(&["mentions", "双过半"]);
    assert_eq!(kwic.code, Some(0));
    assert!(
        kwic.stdout.contains("【双过半】") || kwic.stdout.contains("【雙過半】"),
        "{}",
        kwic.stdout
    );
}

#[test]
fn show_prints_a_speech_by_id() {
    let hit = &search("招商引资", &["--limit", "1"])[0];
    let shown: Vec<Shown> = lines(&jh(&["show", &hit.doc_id, "--json"]));
    assert_eq!(shown[0].doc_id, hit.doc_id);
    assert_eq!(shown[0].title, hit.title);
    let p = shown[0]
        .passages
        .iter()
        .find(|p| p.no == hit.passage)
        .expect("the hit's passage");
    assert_eq!(p.text, hit.text);
    let run = jh(&["show", "not-an-id"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    let run = jh(&["show", "0123456789abcdef"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("no speech"));
    let raw = jh(&["show", &hit.doc_id, "--raw"]);
    assert_eq!(raw.code, Some(0), "{}", raw.describe());
}

#[test]
fn commands_without_an_index_say_how_to_build_one() {
    let dir = common::tempdir();
    for cmd in [
        &["stats"][..],
        &["search", "招商"],
        &["mentions", "招商"],
        &["show", "0123456789abcdef"],
    ] {
        let run = run_in(dir.path(), cmd);
        assert_eq!(run.code, Some(1), "{}", run.describe());
        assert!(
            run.stderr.contains("no index at") && run.stderr.contains("ingest"),
            "{}",
            run.describe()
        );
    }
}

#[test]
fn bad_files_are_named_and_the_rest_indexed() {
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    fs::copy(
        fixtures().join("01_wenmi_simplified.txt"),
        pages.join("good.txt"),
    )
    .unwrap();
    fs::write(pages.join("empty.txt"), b"").unwrap();
    fs::write(pages.join("binary.bin"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fs::write(pages.join("chrome.txt"), "文章搜索\n相关文章\n下载此文档\n").unwrap();
    let run = run_in(
        dir.path(),
        &["ingest".as_ref(), pages.as_os_str(), "--json".as_ref()],
    );
    assert_eq!(run.code, Some(3), "{}", run.describe());
    let report: Report = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(report.files_indexed, 1);
    assert_eq!(report.failed.len(), 3, "{:?}", report.failed);
    for name in ["empty.txt", "binary.bin", "chrome.txt"] {
        assert!(
            report
                .failed
                .iter()
                .any(|p| p.path.ends_with(name) && p.reason.contains(name)),
            "{name}"
        );
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("jianghua: ") && l.contains(name)),
            "{name}: {}",
            run.stderr
        );
    }
    assert!(!run.panicked());
}

#[test]
fn reingesting_the_same_pages_keeps_one_copy_of_each_speech() {
    let dir = common::tempdir();
    let path: &Path = &fixtures();
    for _ in 0..2 {
        let run = run_in(dir.path(), &["ingest".as_ref(), path.as_os_str()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
    }
    let stats: Vec<Stats> = lines(&run_in(dir.path(), &["stats", "--json"]));
    assert_eq!(stats[0].speeches, indexed().report.speeches);
    assert_eq!(stats[0].passages, indexed().report.passages);
}

#[test]
fn a_new_user_dictionary_asks_for_rebuild_and_rebuild_keeps_ids() {
    let dir = common::tempdir();
    let pages = fixtures();
    let run = run_in(dir.path(), &["ingest".as_ref(), pages.as_os_str()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let before: Vec<Hit> = lines(&run_in(
        dir.path(),
        &["search", "招商引资", "--json", "--limit", "100"],
    ));
    let dict = dir.path().join("words.txt");
    fs::write(&dict, "工作会议 50000 n\n").unwrap();
    let run = run_in(
        dir.path(),
        &[
            "ingest".as_ref(),
            pages.as_os_str(),
            "--user-dict".as_ref(),
            dict.as_os_str(),
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("rebuild"), "{}", run.describe());
    let run = run_in(
        dir.path(),
        &["rebuild".as_ref(), "--user-dict".as_ref(), dict.as_os_str()],
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let after: Vec<Hit> = lines(&run_in(
        dir.path(),
        &["search", "招商引资", "--json", "--limit", "100"],
    ));
    let ids = |h: &[Hit]| {
        let mut v: Vec<(String, usize)> = h.iter().map(|h| (h.doc_id.clone(), h.passage)).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&before), ids(&after));
    // The new word is one jieba token now: a loose search for it finds it.
    let hits: Vec<Hit> = lines(&run_in(dir.path(), &["search", "工作会议", "--json"]));
    assert!(!hits.is_empty());
    // Nothing is left beside the index.
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
