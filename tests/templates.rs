//! Site templates learned from the folder, driving the binary: a line that
//! recurs on many pages of one site is removed from all of them (and only
//! from them), and the index a folder gives does not depend on the order
//! of its files or nights. The pages are made up for these tests.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::run_in;
use serde::Deserialize;

/// A line of the made-up site's chrome that no cleaner rule knows.
const SLOGAN: &str = "某某文稿网 · 用心做好每一篇";
/// The site's menu row.
const MENU: &str = "文稿精选 领导讲话 述职报告 心得体会";

/// Four different speeches: a title and their body sentences.
const SPEECHES: &[(&str, &[&str])] = &[
    (
        "在全镇春耕生产动员会上的讲话",
        &[
            "今年春耕时间紧任务重,各村要把农资供应摆在前头。",
            "要组织农技人员下到田间地头,手把手教给群众新技术。",
            "抓好小型水利设施的修缮,确保春灌用水不误农时。",
        ],
    ),
    (
        "在社区志愿服务总结会上的发言",
        &[
            "过去一年,我们社区的志愿者队伍从三十人发展到两百人。",
            "大家走进独居老人的家,帮着打扫卫生、陪着说说话。",
            "明年要把助餐点办到每一个小区,让老人吃上热乎饭。",
        ],
    ),
    (
        "在县图书馆新馆开馆仪式上的致辞",
        &[
            "新馆藏书四十万册,设有少儿阅览室和古籍修复工作间。",
            "希望大家常来馆里坐坐,把读书当成一种生活习惯。",
            "我们还将开通流动书车,把图书送到偏远的山村学校。",
        ],
    ),
    (
        "在全市河湖清淤工作推进会上的讲话",
        &[
            "入汛以前,各区要完成主要河道的清淤疏浚任务。",
            "淤泥要做到无害化处置,决不能一挖了之再造污染。",
            "河长要带头巡河,发现问题当场交办、限时整改。",
        ],
    ),
];

/// The made-up site's domain, in every page's file name.
const SITE: &str = "mouwengao.com";

fn page(title: &str, body: &[&str]) -> String {
    let mut s = format!("{SLOGAN}\n{MENU}\n\n{title}\n同志们:\n");
    for line in body {
        s.push_str(line);
        s.push('\n');
    }
    s.push_str(&format!("\n{SLOGAN}\n{MENU}\n"));
    s
}

/// Writes the site's four pages and one page of another site that has the
/// slogan once, after its body; returns the folder and the file paths.
fn folder(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let pages = dir.join("pages");
    fs::create_dir_all(&pages).unwrap();
    let mut files = Vec::new();
    for (i, (title, body)) in SPEECHES.iter().enumerate() {
        let path = pages.join(format!("{:02}_{SITE}.txt", i + 1));
        fs::write(&path, page(title, body)).unwrap();
        files.push(path);
    }
    let other = pages.join("09_qitazhan.org.txt");
    fs::write(
        &other,
        format!(
            "在乡村教师座谈会上的讲话\n同志们:\n乡村教师扎根山区,撑起了孩子们走出大山的希望。\n要落实好生活补助,让老师们安心从教。\n{SLOGAN}\n"
        ),
    )
    .unwrap();
    files.push(other);
    (pages, files)
}

#[derive(Debug, Deserialize)]
struct Report {
    recleaned: usize,
    speeches: usize,
    speeches_removed: usize,
    failed: Vec<serde_json::Value>,
}

fn ingest(dir: &Path, index: &Path, paths: &[&Path]) -> Report {
    let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref()];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    args.extend(["--index".as_ref(), index.as_os_str(), "--json".as_ref()]);
    let run = run_in(dir, &args);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let r: Report = serde_json::from_str(run.stdout.trim()).expect("an ingest report");
    assert!(r.failed.is_empty(), "{r:?}");
    r
}

/// `jianghua ARGS --index INDEX`, stdout (exit 0 asserted).
fn out(dir: &Path, index: &Path, args: &[&str]) -> String {
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    all.extend(["--index".as_ref(), index.as_os_str()]);
    let run = run_in(dir, &all);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    run.stdout
}

/// The sources of each occurrence of `phrase`.
fn mention_sources(dir: &Path, index: &Path, phrase: &str) -> Vec<String> {
    out(dir, index, &["mentions", phrase, "--json"])
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["source"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

/// The site's menu (a template) is in no passage, and every title and
/// sentence of the site's speeches is found once.
fn assert_menu_gone_and_every_speech_line_kept(dir: &Path, index: &Path) {
    assert_eq!(
        mention_sources(dir, index, "述职报告"),
        Vec::<String>::new()
    );
    for (title, body) in SPEECHES {
        for s in body.iter().copied().chain([*title]) {
            let n = mention_sources(dir, index, s.trim_end_matches('。'));
            assert_eq!(n.len(), 1, "{s}: {n:?}");
        }
    }
}

/// What the tests compare between indexes of one folder.
fn outputs(dir: &Path, index: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for phrase in [
        "用心做好每一篇",
        "述职报告",
        "同志们",
        "春耕",
        "志愿者",
        "清淤",
    ] {
        v.push(out(dir, index, &["mentions", phrase, "--json"]));
        v.push(out(dir, index, &["mentions", phrase, "--count", "--json"]));
    }
    // BM25 counts the terms of deleted documents until tantivy merges their
    // segment away, so a score depends on what was re-indexed on the way
    // (as after any edit of a file); the hits, their order and their texts
    // may not.
    for query in ["河道 清淤", "图书馆", "老人", "某某文稿网"] {
        let hits: Vec<String> = out(dir, index, &["search", query, "--json"])
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                v.as_object_mut().expect("an object").remove("score");
                v.to_string()
            })
            .collect();
        v.push(hits.join("\n"));
    }
    v
}

fn assert_same(got: &[String], expected: &[String], what: &str) {
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(expected) {
        assert_eq!(g, e, "{what}");
    }
}

#[test]
fn a_line_on_every_page_of_a_site_is_its_template_and_goes() {
    let dir = common::tempdir();
    let (pages, files) = folder(dir.path());
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &[&pages]);
    let slogan = mention_sources(dir.path(), &index, "用心做好每一篇");
    assert_eq!(slogan.len(), 1, "{slogan:?}");
    assert!(slogan[0].ends_with("09_qitazhan.org.txt"), "{slogan:?}");
    assert_menu_gone_and_every_speech_line_kept(dir.path(), &index);
    let stats: serde_json::Value =
        serde_json::from_str(out(dir.path(), &index, &["stats", "--json"]).trim()).unwrap();
    assert_eq!(
        stats["templates"],
        serde_json::json!([{"site": SITE, "templates": 2}]),
        "the slogan and the menu"
    );
    // The slogan is removed as the site's template, and `clean` of one
    // page alone (no folder to learn from) keeps it: the test can fail.
    let alone = run_in(
        dir.path(),
        &["clean".as_ref(), files[0].as_os_str(), "--json".as_ref()],
    );
    assert_eq!(alone.code, Some(0), "{}", alone.describe());
    assert!(alone.stdout.contains("用心做好每一篇"), "{}", alone.stdout);
}

#[test]
fn the_index_of_a_folder_does_not_depend_on_the_order_of_files_or_nights() {
    let dir = common::tempdir();
    let (pages, files) = folder(dir.path());
    let at = |name: &str| dir.path().join(name);

    // One night.
    ingest(dir.path(), &at("one"), &[&pages]);
    let expected = outputs(dir.path(), &at("one"));

    // Two nights: two pages of the site first (no template yet), then all.
    ingest(dir.path(), &at("two"), &[&files[2], &files[3], &files[4]]);
    let second = ingest(dir.path(), &at("two"), &[&pages]);
    assert!(second.recleaned >= 2, "{second:?}");
    assert_same(&outputs(dir.path(), &at("two")), &expected, "two nights");

    // Three nights in another order, with every page of the site but one
    // first (the template is learned in the first night).
    ingest(dir.path(), &at("three"), &[&files[3], &files[1], &files[0]]);
    ingest(dir.path(), &at("three"), &[&files[4]]);
    ingest(dir.path(), &at("three"), &[&pages]);
    assert_same(
        &outputs(dir.path(), &at("three")),
        &expected,
        "three nights",
    );

    // A second ingest of the same folder changes nothing; a rebuild gives
    // the same index.
    let again = ingest(dir.path(), &at("one"), &[&pages]);
    assert_eq!(again.recleaned, 0);
    let run = run_in(
        dir.path(),
        &[
            "rebuild".as_ref(),
            "--index".as_ref(),
            at("two").as_os_str(),
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_same(&outputs(dir.path(), &at("two")), &expected, "rebuild");
}

#[test]
fn one_ingest_indexes_each_page_once_even_those_cleaned_before_the_template_was_known() {
    let dir = common::tempdir();
    let (pages, _) = folder(dir.path());
    let index = dir.path().join("index");
    let r = ingest(dir.path(), &index, &[&pages]);
    // The site's first pages were cleaned before its template was learned
    // and cleaned again; they were held back, so none was written first
    // and then replaced.
    assert!(r.recleaned >= 2, "{r:?}");
    assert_eq!(r.speeches_removed, 0, "{r:?}");
    assert_eq!(r.speeches, 5, "{r:?}");
    assert_eq!(
        mention_sources(dir.path(), &index, "用心做好每一篇").len(),
        1,
        "only the other site keeps the slogan"
    );
}

/// A made-up page of its own site: a title and two sentences no other page has.
fn other_site_page(n: usize) -> String {
    format!(
        "在第{n}片区环境整治会上的讲话\n同志们:\n第{n}片区要把背街小巷的垃圾清运落实到人。\n第{n}片区的老旧管网改造要赶在雨季以前完工。\n"
    )
}

#[test]
fn pages_let_go_before_their_template_was_learned_are_settled_by_the_last_pass() {
    // The site's pages far apart in the walk, each after pages of forty
    // other sites: more sites than an ingest holds pages of, so each page
    // of the site is written before the next one comes, and its template
    // reaches the first ones only in the ingest's last pass.
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    fs::create_dir_all(&pages).unwrap();
    let mut n = 0;
    for (i, (title, body)) in SPEECHES.iter().enumerate() {
        fs::write(pages.join(format!("{i}_0_{SITE}.txt")), page(title, body)).unwrap();
        for k in 0..40 {
            n += 1;
            fs::write(
                pages.join(format!("{i}_1_{k:02}_pianqu{k}.org.txt")),
                other_site_page(n),
            )
            .unwrap();
        }
    }
    let index = dir.path().join("index");
    let r = ingest(dir.path(), &index, &[&pages]);
    assert!(r.recleaned >= 2, "{r:?}");
    assert!(r.speeches_removed >= 2, "written, then replaced: {r:?}");
    assert_eq!(r.speeches, SPEECHES.len() + n + r.speeches_removed, "{r:?}");
    assert_eq!(
        mention_sources(dir.path(), &index, "用心做好每一篇"),
        Vec::<String>::new()
    );
    assert_menu_gone_and_every_speech_line_kept(dir.path(), &index);
}

#[test]
fn copies_of_one_speech_do_not_make_its_title_a_template() {
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    fs::create_dir_all(&pages).unwrap();
    let (title, body) = SPEECHES[0];
    // The same speech at four addresses of one site, two of them re-scraped
    // with a closing line more.
    for (i, extra) in ["", "", "谢谢大家。", "预祝今年农业生产获得好收成。"]
        .iter()
        .enumerate()
    {
        let mut text = format!("{title}\n同志们:\n");
        for line in body {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(extra);
        fs::write(pages.join(format!("{i:02}_copies.net.txt")), text).unwrap();
    }
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &[&pages]);
    let titles = mention_sources(dir.path(), &index, "春耕生产动员会");
    // Three speeches (the two identical copies are one), each with its title.
    assert_eq!(titles.len(), 3, "{titles:?}");
}

/// A speech's title is never a template, even when every page of the site
/// lists it (a "hot articles" box): on its own page it is the title, and
/// where it is listed it stays as written, so no speech ever loses a title
/// or a body line shaped like one (the generated corpora put part titles
/// of one compilation on several pages; `mentions` must equal their truth).
#[test]
fn a_title_listed_under_other_pages_is_no_template() {
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    fs::create_dir_all(&pages).unwrap();
    let listed = SPEECHES[0].0;
    for (i, (title, body)) in SPEECHES.iter().enumerate() {
        let mut text = format!("{title}\n同志们:\n");
        for line in *body {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&format!("\n{listed}\n在全县秋粮收购工作会议上的讲话\n"));
        fs::write(pages.join(format!("{i:02}_{SITE}.txt")), text).unwrap();
    }
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &[&pages]);
    let titles = mention_sources(dir.path(), &index, "春耕生产动员会");
    assert_eq!(titles.len(), SPEECHES.len(), "{titles:?}");
    let own = out(
        dir.path(),
        &index,
        &["mentions", "春耕生产动员会", "--json"],
    );
    assert_eq!(
        own.matches("\"passage\":null").count(),
        1,
        "its own page has it as the title: {own}"
    );
    assert_eq!(
        mention_sources(dir.path(), &index, "秋粮收购").len(),
        SPEECHES.len()
    );
}
