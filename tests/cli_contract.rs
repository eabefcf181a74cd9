//! The CLI as documented (issue 13): several query words, several
//! `mentions` phrases, `--site`/`--since`/`--until`/`--limit`/`--offset`,
//! folded site names, zero-filled periods and clean TSV, `--limit 0`,
//! escaped file names, id prefixes, and query bounds. Each test runs the
//! real binary and reads `--json` into typed structs before asserting.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Run, run_in};
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Hit {
    rank: usize,
    score: f64,
    doc_id: String,
    passage: usize,
    site: Option<String>,
    date: Option<String>,
    source: String,
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

#[derive(Debug, Deserialize, PartialEq)]
struct Group {
    phrase: String,
    group: Option<String>,
    occurrences: usize,
    passages: usize,
    speeches: usize,
}

#[derive(Debug, Deserialize)]
struct Occurrence {
    phrase: String,
    doc_id: String,
    source: String,
    passage: Option<usize>,
    site: Option<String>,
    date: Option<String>,
    start: usize,
    end: usize,
}

#[derive(Debug, Deserialize)]
struct SiteCount {
    site: Option<String>,
    speeches: usize,
}

#[derive(Debug, Deserialize)]
struct Stats {
    speeches: usize,
    sites: usize,
    by_site: Vec<SiteCount>,
}

#[derive(Debug, Deserialize)]
struct Shown {
    doc_id: String,
    source: String,
}

/// A working folder holding an index of some pages.
struct Indexed {
    dir: tempfile::TempDir,
}

impl Indexed {
    /// Ingests `pages` into a fresh index.
    fn of(pages: &Path) -> Indexed {
        let dir = common::tempdir();
        let run = run_in(dir.path(), &["ingest".as_ref(), pages.as_os_str()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        Indexed { dir }
    }

    fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// The JSON lines of a successful run.
    fn json<T: for<'de> Deserialize<'de>>(&self, args: &[&str]) -> Vec<T> {
        let mut all = args.to_vec();
        all.push("--json");
        let run = self.run(&all);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        run.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// The fixture pages, indexed once.
fn fixtures() -> &'static Indexed {
    static INDEXED: OnceLock<Indexed> = OnceLock::new();
    INDEXED.get_or_init(|| Indexed::of(&common::repo_root().join("tests/fixtures/pages")))
}

/// A speech page in the style of the scraped ones: a breadcrumb naming the
/// site, a title, a publish stamp, then paragraphs.
fn page(site: &str, title: &str, date: &str, body: &[&str]) -> String {
    let mut s = format!(
        "您的位置:{site}>>领导讲话/>>正文\n\n{title}\n\n发表时间:{date} 9:00:00\n\n同志们:\n"
    );
    for p in body {
        s.push_str(p);
        s.push('\n');
    }
    s
}

/// Three small speeches: two from one site spelt two ways (新文秘網 and
/// 新文秘网), one from another; dated 2023-11, 2024-02 and 2024-03; and a
/// fourth file whose name holds a newline.
fn sites() -> &'static (Indexed, PathBuf) {
    static INDEXED: OnceLock<(Indexed, PathBuf)> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let pages = common::tempdir().keep();
        let write = |name: &str, text: String| fs::write(pages.join(name), text).expect("write a page");
        write(
            "a.txt",
            page(
                "新文秘網",
                "在全縣招商引資大會上的講話",
                "2024/3/5",
                &[
                    "今天召開全縣招商引資大會,主要任務是動員全縣上下抓項目、優環境,確保招商引資工作開好局。",
                    "招商引資是全縣經濟工作的生命線,要把營商環境作為第一競爭力來抓。",
                ],
            ),
        );
        write(
            "b.txt",
            page(
                "新文秘网",
                "在全县优化营商环境推进会上的讲话",
                "2023/11/20",
                &[
                    "优化营商环境就是解放生产力,招商引资和营商环境要一起抓、一起促。",
                    "各部门要对标先进地区,持续深化“放管服”改革,推动政务服务事项一网通办。",
                ],
            ),
        );
        write(
            "c.txt",
            page(
                "公文范文网",
                "在全县项目建设调度会上的讲话",
                "2024/2/18",
                &[
                    "项目建设是稳增长的关键一招,招商引资项目要早签约、早开工、早投产。",
                    "要开展项目建设“百日会战”,以百日会战的实际成效检验干部作风。",
                ],
            ),
        );
        write(
            "line\nbreak.txt",
            page(
                "公文范文网",
                "在全县文明创建动员会上的讲话",
                "2024/2/20",
                &["文明创建没有旁观者,人人都是参与者,人人都是受益者,要以创建促发展。"],
            ),
        );
        (Indexed::of(&pages), pages)
    })
}

// 1. Several query words are one query.

#[test]
fn search_words_as_separate_arguments_are_anded_like_one_argument() {
    let idx = fixtures();
    for (words, joined) in [
        (&["招商引资", "项目"][..], "招商引资 项目"),
        (&["\"一网通办\"", "营商环境"][..], "\"一网通办\" 营商环境"),
        (&["-会员", "招商"][..], "-会员 招商"),
        (&["招商", "-会员"][..], "招商 -会员"),
        (
            &["招商引资", "-\"百日会战\"", "项目"][..],
            "招商引资 -\"百日会战\" 项目",
        ),
        (
            &["--offset", "0", "招商", "-title:通知"][..],
            "招商 -title:通知",
        ),
    ] {
        let mut args = vec!["search"];
        args.extend(words);
        args.extend(["--limit", "50"]);
        let apart: Vec<Hit> = idx.json(&args);
        let together: Vec<Hit> = idx.json(&["search", joined, "--limit", "50"]);
        assert!(!together.is_empty(), "{joined}: no result");
        assert_eq!(apart, together, "{words:?}");
    }
    // Options after the words still count as options, exclusions or not.
    let two: Vec<Hit> = idx.json(&["search", "招商", "项目", "--limit", "2"]);
    assert_eq!(two.len(), 2);
    let two: Vec<Hit> = idx.json(&["search", "招商", "-会员", "--limit", "2"]);
    assert_eq!(two.len(), 2);
    let excluded: Vec<Hit> = idx.json(&["search", "招商引资", "-百日会战", "--limit", "500"]);
    let all: Vec<Hit> = idx.json(&["search", "招商引资", "--limit", "500"]);
    assert!(!excluded.is_empty() && excluded.len() < all.len());
}

// 2. Several mentions phrases, each on its own.

#[test]
fn mentions_counts_each_phrase_on_its_own_in_the_given_order() {
    let idx = fixtures();
    let both: Vec<Count> = idx.json(&["mentions", "双过半", "百日会战", "--count"]);
    let one = |p: &str| idx.json::<Count>(&["mentions", p, "--count"]).remove(0);
    assert_eq!(both, [one("双过半"), one("百日会战")]);
    assert!(both.iter().all(|c| c.occurrences > 0));
    let human = idx.run(&["mentions", "双过半", "百日会战", "--count"]);
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", human.stdout);
    assert!(lines[0].starts_with("双过半\t") && lines[1].starts_with("百日会战\t"));

    // The listing: each phrase's occurrences in turn, each carrying its phrase.
    let listed: Vec<Occurrence> = idx.json(&["mentions", "双过半", "百日会战"]);
    let phrases: Vec<&str> = listed.iter().map(|o| o.phrase.as_str()).collect();
    let n = both[0].occurrences;
    assert_eq!(phrases.len(), n + both[1].occurrences);
    assert!(phrases[..n].iter().all(|p| *p == "双过半"));
    assert!(phrases[n..].iter().all(|p| *p == "百日会战"));

    // --by: JSON objects carry the phrase; TSV gets a leading phrase column.
    let groups: Vec<Group> = idx.json(&["mentions", "双过半", "百日会战", "--by", "year"]);
    assert!(groups.iter().any(|g| g.phrase == "双过半"));
    assert!(groups.iter().any(|g| g.phrase == "百日会战"));
    let tsv = idx.run(&["mentions", "双过半", "百日会战", "--by", "year"]);
    assert_eq!(
        tsv.stdout.lines().next(),
        Some("phrase\tperiod\toccurrences\tpassages\tspeeches")
    );
}

#[test]
fn ascii_quotes_around_a_phrase_are_dropped_with_a_note_and_curly_ones_are_text() {
    let idx = fixtures();
    let plain: Vec<Count> = idx.json(&["mentions", "百日会战", "--count"]);
    let run = idx.run(&["mentions", "\"百日会战\"", "--count", "--json"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let quoted: Count = serde_json::from_str(run.stdout.trim()).expect("one object");
    assert_eq!(quoted, plain[0]);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("quotes"), "{}", run.stderr);
    // Curly quotes occur in the text: counted as written.
    let curly: Vec<Count> = idx.json(&["mentions", "“百日会战”", "--count"]);
    assert_eq!(curly[0].phrase, "“百日会战”");
    assert!(curly[0].occurrences > 0 && curly[0].occurrences <= plain[0].occurrences);
    let help = idx.run(&["mentions", "--help"]);
    assert!(help.stdout.contains("Curly quotes"), "{}", help.stdout);
}

// 3. --site, --since/--until, --limit/--offset.

#[test]
fn site_is_a_folded_filter_on_search_and_mentions() {
    let (idx, _) = sites();
    for site in ["新文秘网", "新文秘網"] {
        let hits: Vec<Hit> = idx.json(&["search", "招商引资", "--site", site, "--limit", "50"]);
        assert!(!hits.is_empty());
        let folded: Vec<String> = hits
            .iter()
            .map(|h| jianghua::fold::fold(h.site.as_deref().unwrap_or("")))
            .collect();
        assert!(folded.iter().all(|s| s == "新文秘网"), "{folded:?}");
        assert_eq!(
            hits.iter()
                .map(|h| &h.doc_id)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            2,
            "both spellings of the site"
        );
        let c: Vec<Count> = idx.json(&["mentions", "招商引资", "--site", site, "--count"]);
        let listed: Vec<Occurrence> = idx.json(&["mentions", "招商引资", "--site", site]);
        assert_eq!(c[0].occurrences, listed.len());
        assert_eq!(c[0].speeches, 2);
        assert!(listed.iter().all(|o| o.site.is_some()));
    }
    let all: Vec<Count> = idx.json(&["mentions", "招商引资", "--count"]);
    assert_eq!(all[0].speeches, 3);
}

#[test]
fn mentions_since_and_until_take_the_date_forms_of_search() {
    let (idx, _) = sites();
    let in_2024: Vec<Occurrence> = idx.json(&["mentions", "招商引资", "--since", "2024"]);
    assert!(!in_2024.is_empty());
    assert!(
        in_2024
            .iter()
            .all(|o| o.date.as_deref().is_some_and(|d| d >= "2024-01-01"))
    );
    let feb: Vec<Count> = idx.json(&[
        "mentions",
        "招商引资",
        "--since",
        "2024-02",
        "--until",
        "2024-02-29",
        "--count",
    ]);
    assert_eq!(feb[0].speeches, 1);
    let bad = idx.run(&["mentions", "招商引资", "--until", "2024-13"]);
    assert_eq!(bad.code, Some(2), "{}", bad.describe());
}

#[test]
fn mentions_limit_and_offset_page_through_occurrences() {
    let idx = fixtures();
    let all: Vec<Occurrence> = idx.json(&["mentions", "招商引资"]);
    assert!(all.len() > 5);
    let page: Vec<Occurrence> =
        idx.json(&["mentions", "招商引资", "--offset", "2", "--limit", "3"]);
    let key = |o: &Occurrence| (o.doc_id.clone(), o.passage, o.start, o.end);
    assert_eq!(
        page.iter().map(key).collect::<Vec<_>>(),
        all[2..5].iter().map(key).collect::<Vec<_>>()
    );
    let human = idx.run(&["mentions", "招商引资", "--offset", "2", "--limit", "3"]);
    assert!(human.stdout.contains("shown: 3–5"), "{}", human.stdout);
    // An offset alone: the rest of the listing, also from inside a passage.
    for offset in [1, 3] {
        let rest: Vec<Occurrence> =
            idx.json(&["mentions", "招商引资", "--offset", &offset.to_string()]);
        assert_eq!(
            rest.iter().map(key).collect::<Vec<_>>(),
            all[offset..].iter().map(key).collect::<Vec<_>>()
        );
    }
    let beyond = idx.run(&["mentions", "招商引资", "--offset", "100000"]);
    assert_eq!(beyond.code, Some(0), "{}", beyond.describe());
    assert!(beyond.stdout.contains("none shown"), "{}", beyond.stdout);
    // The totals line counts every occurrence, not the page.
    let count: Vec<Count> = idx.json(&["mentions", "招商引资", "--count"]);
    let total = format!("{} occurrences of 招商引资", count[0].occurrences);
    assert_eq!(count[0].occurrences, all.len());
    assert!(human.stdout.contains(&total), "{}", human.stdout);
}

#[test]
fn mentions_are_listed_by_source_then_speech_then_passage() {
    let idx = fixtures();
    for phrase in ["的", "招商引资", "。"] {
        let all: Vec<Occurrence> = idx.json(&["mentions", phrase]);
        assert!(all.len() > 10, "{phrase}: {}", all.len());
        // The title (no passage) before the passages, each in text order.
        let key = |o: &Occurrence| (o.source.clone(), o.doc_id.clone(), o.passage, o.start);
        let keys: Vec<_> = all.iter().map(key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{phrase}");
        assert!(all.iter().all(|o| o.phrase == phrase));
    }
}

#[test]
fn a_listing_read_only_in_part_stops_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let idx = fixtures();
    // More than a pipe holds, so the listing is still writing when the
    // reader goes (as `| head -1` does).
    let all = idx.run(&["mentions", "的", "。", "招商引资", "--context", "300"]);
    assert!(all.stdout.len() > 100_000, "{}", all.stdout.len());
    let mut child = Command::new(common::bin())
        .args(["mentions", "的", "。", "招商引资", "--context", "300"])
        .current_dir(idx.dir.path())
        .env("JIANGHUA_INDEX", idx.dir.path().join("jianghua-test-index"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jianghua");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a first line");
    // The reader is dropped here: the pipe closes.
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!first.is_empty());
}

// 4. Site names folded when grouped and in stats.

#[test]
fn sites_are_grouped_by_their_folded_name() {
    let (idx, _) = sites();
    let groups: Vec<Group> = idx.json(&["mentions", "招商引资", "--by", "site"]);
    let names: Vec<Option<&str>> = groups.iter().map(|g| g.group.as_deref()).collect();
    assert_eq!(names.len(), 2, "{groups:?}");
    let wenmi = groups
        .iter()
        .find(|g| {
            g.group
                .as_deref()
                .is_some_and(|s| jianghua::fold::fold(s) == "新文秘网")
        })
        .expect("the site in one group");
    assert_eq!(wenmi.speeches, 2);
    let stats: Vec<Stats> = idx.json(&["stats"]);
    let s = &stats[0];
    assert_eq!(s.sites, 2);
    assert_eq!(
        s.by_site.iter().map(|c| c.speeches).sum::<usize>(),
        s.speeches
    );
    let first = &s.by_site[0];
    assert_eq!(
        first.speeches, 2,
        "公文范文网 and 新文秘网 have two speeches each"
    );
    assert!(s.by_site.iter().all(|c| c.site.is_some()));
    let human = idx.run(&["stats"]);
    assert!(
        human.stdout.contains("公文范文网\t2 speeches"),
        "{}",
        human.stdout
    );
}

// 5. Periods without gaps, clean TSV.

#[test]
fn months_run_without_gaps_and_print_as_tsv() {
    let (idx, _) = sites();
    let months: Vec<Group> = idx.json(&["mentions", "招商引资", "--by", "month"]);
    let periods: Vec<&str> = months.iter().filter_map(|g| g.group.as_deref()).collect();
    assert_eq!(
        periods,
        ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
    );
    assert_eq!(months[1].occurrences, 0);
    let within: Vec<Group> = idx.json(&[
        "mentions",
        "招商引资",
        "--by",
        "year",
        "--since",
        "2022",
        "--until",
        "2025",
    ]);
    let years: Vec<&str> = within.iter().filter_map(|g| g.group.as_deref()).collect();
    assert_eq!(years, ["2022", "2023", "2024", "2025"]);
    let tsv = idx.run(&["mentions", "招商引资", "--by", "month"]);
    let lines: Vec<&str> = tsv.stdout.lines().collect();
    assert_eq!(lines[0], "period\toccurrences\tpassages\tspeeches");
    assert_eq!(lines[2], "2023-12\t0\t0\t0");
    assert!(
        lines.iter().all(|l| l.split('\t').count() == 4),
        "{lines:?}"
    );
    for (by, header, columns) in [
        (
            "speech",
            "speech\toccurrences\tpassages\tspeeches\ttitle",
            5,
        ),
        ("site", "site\toccurrences\tpassages\tspeeches", 4),
    ] {
        let tsv = idx.run(&["mentions", "招商引资", "--by", by]);
        let lines: Vec<&str> = tsv.stdout.lines().collect();
        assert_eq!(lines[0], header);
        assert!(
            lines.iter().all(|l| l.split('\t').count() == columns),
            "{lines:?}"
        );
        assert!(lines[1..].iter().all(|l| {
            l.split('\t')
                .skip(1)
                .take(3)
                .all(|n| n.parse::<usize>().is_ok())
        }));
    }
}

// 6. --limit 0, escaped file names, id prefixes.

#[test]
fn search_limit_zero_prints_no_result() {
    let idx = fixtures();
    let none: Vec<Hit> = idx.json(&["search", "招商引资", "--limit", "0"]);
    assert!(none.is_empty());
    let human = idx.run(&["search", "招商引资", "--limit", "0"]);
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", human.stdout);
    assert!(lines[0].starts_with("0 of "), "{}", human.stdout);
}

#[test]
fn a_newline_in_a_file_name_is_escaped_in_human_output_only() {
    let (idx, _) = sites();
    let hits: Vec<Hit> = idx.json(&["search", "文明创建"]);
    assert!(
        hits[0].source.ends_with("line\nbreak.txt"),
        "{:?}",
        hits[0].source
    );
    for args in [
        &["search", "文明创建"][..],
        &["mentions", "文明创建"][..],
        &["show", hits[0].doc_id.as_str()][..],
    ] {
        let run = idx.run(args);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        assert!(
            run.stdout.contains("line\\nbreak.txt"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("line\nbreak"),
            "{args:?}: {}",
            run.stdout
        );
    }
    let shown: Vec<Shown> = idx.json(&["show", hits[0].doc_id.as_str()]);
    assert!(shown[0].source.ends_with("line\nbreak.txt"));
}

#[test]
fn show_takes_a_unique_id_prefix() {
    let idx = fixtures();
    let hits: Vec<Hit> = idx.json(&["search", "招商引资", "--limit", "50"]);
    let ids: std::collections::BTreeSet<&str> = hits.iter().map(|h| h.doc_id.as_str()).collect();
    // The shortest prefix of at least 4 digits that no other id shares.
    let id = ids.iter().next().expect("an id");
    let unique = (4..=16)
        .map(|n| &id[..n])
        .find(|p| ids.iter().filter(|i| i.starts_with(p)).count() == 1)
        .expect("a unique prefix");
    let shown: Vec<Shown> = idx.json(&["show", unique]);
    assert_eq!(shown[0].doc_id, *id);
    let upper = unique.to_ascii_uppercase();
    assert_eq!(idx.json::<Shown>(&["show", &upper])[0].doc_id, *id);
    let short = idx.run(&["show", &id[..3]]);
    assert_eq!(short.code, Some(2), "{}", short.describe());
    let unknown = idx.run(&["show", "ffffffff0"]);
    assert_eq!(unknown.code, Some(1), "{}", unknown.describe());
    assert_eq!(unknown.stderr.lines().count(), 1);
}

#[test]
fn an_ambiguous_id_prefix_is_a_usage_error_naming_the_matches() {
    let idx = fixtures();
    let hits: Vec<Hit> = idx.json(&["search", "招商", "--limit", "100"]);
    let mut ids: Vec<&str> = hits.iter().map(|h| h.doc_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    // Any four digits that two ids share, else give up quietly (the ids are hashes).
    let Some(shared) = ids
        .windows(2)
        .find(|w| w[0][..4] == w[1][..4])
        .map(|w| &w[0][..4])
    else {
        return;
    };
    let n = ids.iter().filter(|i| i.starts_with(shared)).count();
    let run = idx.run(&["show", shared]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains(&format!("matches {n} speeches")),
        "{}",
        run.stderr
    );
}

// 7. Query bounds.

#[test]
fn queries_and_phrases_over_1000_chars_are_usage_errors() {
    let idx = fixtures();
    let long = "招商引资".repeat(251);
    for args in [
        vec!["search", long.as_str()],
        vec!["mentions", long.as_str()],
        vec!["mentions", long.as_str(), "--count"],
    ] {
        let run = idx.run(&args);
        assert_eq!(run.code, Some(2), "{}", run.describe());
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("1004 characters"), "{}", run.stderr);
    }
}

#[test]
fn repeated_terms_are_one_term() {
    let idx = fixtures();
    let once: Vec<Hit> = idx.json(&["search", "招商", "--limit", "50"]);
    let thrice: Vec<Hit> = idx.json(&["search", "招商 招商 招商", "--limit", "50"]);
    assert!(!once.is_empty());
    assert_eq!(once, thrice);
    let mixed: Vec<Hit> = idx.json(&["search", "招商 招商 \"双过半\" \"双过半\"", "--limit", "50"]);
    let plain: Vec<Hit> = idx.json(&["search", "招商 \"双过半\"", "--limit", "50"]);
    assert_eq!(mixed, plain);
}

#[test]
fn a_1000_char_query_of_any_shape_answers() {
    let idx = fixtures();
    let shapes = [
        "招商引资".repeat(250),
        vec!["招商引资"; 200].join(" "),
        format!("\"{}\"", "招商引资".repeat(249)),
        "a ".repeat(500),
        "ab".repeat(500),
        "招 ".repeat(500),
        (0..333u32)
            .map(|i| {
                format!(
                    "{}{}",
                    char::from(b'a' + (i % 26) as u8),
                    char::from(b'a' + (i / 26) as u8)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    ];
    for q in &shapes {
        assert!(q.chars().count() <= 1000);
        for args in [
            vec!["search", q.as_str()],
            vec!["mentions", q.as_str(), "--count"],
        ] {
            // How fast is benches/search.rs's `long_query` group.
            let run = idx.run(&args);
            assert_eq!(run.code, Some(0), "{}", run.describe());
            assert!(!run.panicked());
        }
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_clap_definitions() {
    for (shell, marks) in [
        ("bash", vec!["_jianghua()", "mentions", "--since"]),
        ("zsh", vec!["#compdef jianghua", "serve", "--addr"]),
        ("fish", vec!["complete -c jianghua", "search", "explain"]),
    ] {
        let run = common::run(&["completions", shell]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        for m in marks {
            assert!(run.stdout.contains(m), "{shell} completions lack {m}");
        }
    }
    let run = common::run(&["completions", "tcsh"]);
    assert_eq!(run.code, Some(2), "an unknown shell is a usage error");
    let run = common::run(&["man"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stdout.starts_with(".ie") || run.stdout.contains(".TH jianghua"));
    for section in [
        "JIANGHUA SEARCH",
        "JIANGHUA MENTIONS",
        "JIANGHUA SERVE",
        "\\-\\-explain",
    ] {
        assert!(run.stdout.contains(section), "the man page lacks {section}");
    }
}

#[test]
fn mentions_by_month_piped_is_numbers_and_csv_is_rows() {
    let idx = fixtures();
    let tsv = idx.run(&["mentions", "招商引资", "双过半", "--by", "month"]);
    assert_eq!(tsv.code, Some(0), "{}", tsv.describe());
    // Piped: the tab-separated numbers, never a chart's bars.
    assert!(tsv.stdout.starts_with("phrase\tperiod\toccurrences"));
    assert!(!tsv.stdout.contains('█'));
    let csv = idx.run(&["mentions", "招商引资", "双过半", "--by", "month", "--csv"]);
    let rows: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(rows[0], "phrase,group,title,occurrences,passages,speeches");
    // One row per phrase and period, as the TSV has them.
    assert_eq!(rows.len(), tsv.stdout.lines().count());
    // Both phrases over the same periods.
    let periods = |p: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r.starts_with(&format!("{p},")))
            .map(|r| r.split(',').nth(1).unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(periods("招商引资"), periods("双过半"));
    let json = idx.run(&["mentions", "招商引资", "--csv", "--json"]);
    assert_eq!(
        json.code,
        Some(2),
        "--csv and --json together are a usage error"
    );
}
