//! `jianghua clean FILE [--explain] [--json]` against the fixture pages of
//! tests/fixtures/pages/ (described in tests/fixtures/PAGES.md) and against bad input.
//!
//! The expectations live in tests/fixtures/expect.json, one entry per
//! page; this file only knows how to check them. Each test collects every
//! failure and reports them together, each naming the page and what was
//! expected.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{Failures, Speech};
use serde::Deserialize;

/// One page of expect.json.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageExpect {
    /// The WHATWG encoding name, or the names any of which is right (a plain
    /// GB18030 file decodes identically as GBK, and detectors say GBK).
    encoding: OneOrMany,
    /// How many speeches.
    speeches: usize,
    /// Per speech, in order.
    parts: Vec<PartExpect>,
    /// Sentences each found inside one passage text.
    #[serde(default)]
    must_contain: Vec<String>,
    /// In no passage text and no title.
    #[serde(default)]
    must_not_contain: Vec<String>,
    /// Placeholders and look-alikes of noise that must survive (inside one passage).
    #[serde(default)]
    must_keep: Vec<String>,
    /// A passage containing one of `in` carries `flag`.
    #[serde(default)]
    flags: Vec<FlagExpect>,
    /// The passage containing `text` has a `section` containing `section`.
    #[serde(default)]
    sections: Vec<SectionExpect>,
    /// Headings on a line of their own: never glued to other text.
    #[serde(default)]
    heading_lines: Vec<String>,
    /// Classes that must occur among the `removed` entries (`--explain`).
    #[serde(default)]
    removed_classes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn names(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartExpect {
    title: Option<String>,
    date: Option<String>,
    site: Option<String>,
    truncated: Option<common::Truncation>,
    outline_len: usize,
    /// Sentences that must be in this speech (checks where a compilation is cut).
    #[serde(default)]
    contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagExpect {
    #[serde(rename = "in")]
    near: Vec<String>,
    flag: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionExpect {
    text: String,
    section: String,
}

fn fixtures() -> PathBuf {
    common::repo_root().join("tests").join("fixtures")
}

fn pages_dir() -> PathBuf {
    fixtures().join("pages")
}

fn manifest() -> BTreeMap<String, PageExpect> {
    let path = pages_dir().with_file_name("expect.json");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a valid manifest: {e}", path.display()))
}

fn is_html(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".htm")
}

#[test]
fn manifest_lists_every_page_and_only_pages() {
    let listed: BTreeSet<String> = manifest().into_keys().collect();
    let on_disk: BTreeSet<String> = fs::read_dir(pages_dir())
        .expect("tests/fixtures/pages/ exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let masters: BTreeSet<String> = fs::read_dir(fixtures().join("src"))
        .expect("tests/fixtures/src/ exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut f = Failures::new();
    for n in on_disk.difference(&listed) {
        f.push(n, "is in tests/fixtures/pages/ but not in expect.json");
    }
    for n in listed.difference(&on_disk) {
        f.push(n, "is in expect.json but not in tests/fixtures/pages/");
    }
    for n in on_disk.symmetric_difference(&masters) {
        f.push(
            n,
            "pages/ and src/ (the masters) disagree: run tests/fixtures/make_pages.py",
        );
    }
    f.check(listed.len() >= 14, "expect.json", || {
        format!("lists {} pages, expected at least 14", listed.len())
    });
    let readme = fs::read_to_string(pages_dir().with_file_name("PAGES.md")).unwrap_or_default();
    for n in &listed {
        f.check(readme.contains(n.as_str()), n, || {
            "is not described in tests/fixtures/PAGES.md".into()
        });
    }
    for (name, e) in manifest() {
        f.check(e.parts.len() == e.speeches, &name, || {
            format!(
                "`speeches` is {} but `parts` has {} entries",
                e.speeches,
                e.parts.len()
            )
        });
    }
    f.finish("the fixture manifest");
}

/// The generated pages are the masters, byte for byte, once decoded with the
/// expected encoding: the generator was run, and WHATWG decoding (what the
/// crate uses) agrees with Python's codecs on every character.
#[test]
fn pages_decode_to_their_masters() {
    let mut f = Failures::new();
    for (name, e) in manifest() {
        let bytes = fs::read(pages_dir().join(&name)).unwrap_or_default();
        let master = fs::read_to_string(fixtures().join("src").join(&name)).unwrap_or_default();
        let label = e.encoding.names()[0];
        let (text, had_errors) = common::decode_with(&bytes, label);
        f.check(!had_errors, &name, || {
            format!("has bytes that are malformed in {label}")
        });
        if text != master {
            let at = text
                .chars()
                .zip(master.chars())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| text.chars().count().min(master.chars().count()));
            let near: String = master
                .chars()
                .skip(at.saturating_sub(10))
                .take(30)
                .collect();
            f.push(
                &name,
                format!("decoded as {label} differs from its master at char {at} (master: {near:?}); run tests/fixtures/make_pages.py"),
            );
        }
    }
    f.finish("the fixture pages");
}

#[test]
fn pages_clean_as_the_manifest_says() {
    let mut f = Failures::new();
    let pages = manifest();
    for (name, e) in &pages {
        check_page(name, e, &mut f);
    }
    f.finish(&format!(
        "{} fixture pages (tests/fixtures/pages/expect.json)",
        pages.len()
    ));
}

fn check_page(name: &str, e: &PageExpect, f: &mut Failures) {
    let path = pages_dir().join(name);
    let (run, parsed) = common::clean_json(&pages_dir(), Path::new(name), true);
    let ctx = name.to_owned();
    if run.panicked() || run.code != Some(0) {
        f.push(&ctx, format!("expected exit 0: {}", run.describe()));
        if run.code.is_none() || run.panicked() {
            return;
        }
    }
    let speeches = match parsed {
        Ok(s) => s,
        Err(err) => {
            f.push(&ctx, err);
            return;
        }
    };
    common::check_invariants(&speeches, &ctx, f);
    if speeches.len() != e.speeches {
        let titles: Vec<Option<&str>> = speeches.iter().map(|s| s.title.as_deref()).collect();
        f.push(
            &ctx,
            format!(
                "expected {} speech(es), got {}: titles {titles:?}",
                e.speeches,
                speeches.len()
            ),
        );
    }

    let names = e.encoding.names();
    for s in &speeches {
        let sctx = format!("{name}, speech {}", s.part);
        f.check(names.contains(&s.encoding.as_str()), &sctx, || {
            format!("encoding: expected {names:?}, got {:?}", s.encoding)
        });
        f.check(s.replaced == 0, &sctx, || {
            format!("replaced: expected 0, got {}", s.replaced)
        });
        f.check(s.source.ends_with(name), &sctx, || {
            format!("source {:?} does not name the file", s.source)
        });
    }

    for (i, (s, x)) in speeches.iter().zip(&e.parts).enumerate() {
        let sctx = format!("{name}, speech {i}");
        f.check(s.title == x.title, &sctx, || {
            format!("title: expected {:?}, got {:?}", x.title, s.title)
        });
        f.check(s.date == x.date, &sctx, || {
            format!("date: expected {:?}, got {:?}", x.date, s.date)
        });
        f.check(s.site == x.site, &sctx, || {
            format!("site: expected {:?}, got {:?}", x.site, s.site)
        });
        f.check(s.truncated == x.truncated, &sctx, || {
            format!(
                "truncated: expected {:?}, got {:?}",
                x.truncated, s.truncated
            )
        });
        f.check(s.outline.len() == x.outline_len, &sctx, || {
            format!(
                "outline: expected {} lines, got {}: {:?}",
                x.outline_len,
                s.outline.len(),
                s.outline
            )
        });
        for c in &x.contains {
            let found = s.passages.iter().any(|p| p.text.contains(c.as_str()));
            f.check(found, &sctx, || {
                let elsewhere: Vec<usize> = common::find_passages(&speeches, c)
                    .iter()
                    .map(|(j, _)| *j)
                    .collect();
                format!(
                    "no passage of this speech contains {c:?} (found in speeches {elsewhere:?})"
                )
            });
        }
    }

    for s in e.must_contain.iter().chain(&e.must_keep) {
        common::check_in_a_passage(&speeches, s, &ctx, f);
    }
    for s in &e.must_not_contain {
        common::check_nowhere(&speeches, s, &ctx, f);
    }
    for h in &e.heading_lines {
        common::check_heading_alone(&speeches, h, &ctx, f);
    }
    for x in &e.flags {
        let candidates: Vec<&common::Passage> = x
            .near
            .iter()
            .flat_map(|n| common::find_passages(&speeches, n))
            .map(|(_, p)| p)
            .collect();
        let ok = candidates
            .iter()
            .any(|p| p.flags.iter().any(|fl| fl == &x.flag));
        f.check(ok, &ctx, || {
            let seen: Vec<(usize, &Vec<String>)> = candidates.iter().map(|p| (p.no, &p.flags)).collect();
            format!(
                "expected flag {:?} on a passage containing one of {:?}; those passages have flags {seen:?}",
                x.flag, x.near
            )
        });
    }
    for x in &e.sections {
        let hits = common::find_passages(&speeches, &x.text);
        let ok = hits
            .iter()
            .any(|(_, p)| p.section.contains(x.section.as_str()));
        f.check(ok, &ctx, || {
            let got: Vec<&str> = hits.iter().map(|(_, p)| p.section.as_str()).collect();
            format!(
                "the passage with {:?} should have a section containing {:?}; sections found: {got:?}",
                x.text, x.section
            )
        });
    }
    let classes: BTreeSet<&str> = speeches
        .iter()
        .flat_map(|s| s.removed.iter().flatten())
        .map(|r| r.class.as_str())
        .collect();
    for c in &e.removed_classes {
        f.check(classes.contains(c.as_str()), &ctx, || {
            format!("--explain lists no removed line of class {c:?}; classes listed: {classes:?}")
        });
    }

    if !is_html(name) {
        let bytes = fs::read(&path).unwrap_or_default();
        let (text, _) = common::decode_with(&bytes, e.encoding.names()[0]);
        let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        common::check_lines_accounted(&speeches, &lines, &ctx, f);
        common::check_outline_not_passages(&speeches, &lines, &ctx, f);
    }
}

#[test]
fn human_output_names_the_title() {
    let mut f = Failures::new();
    for (name, e) in manifest() {
        let run = common::run_in(&pages_dir(), &["clean", name.as_str()]);
        if run.panicked() || run.code != Some(0) {
            f.push(&name, format!("expected exit 0: {}", run.describe()));
            continue;
        }
        f.check(!run.stdout.trim().is_empty(), &name, || {
            "printed nothing".into()
        });
        if let Some(Some(t)) = e.parts.first().map(|p| p.title.as_ref()) {
            f.check(run.stdout.contains(t.as_str()), &name, || {
                format!("the output does not show the title {t:?}")
            });
        }
    }
    f.finish("human output of `jianghua clean`");
}

#[test]
fn json_without_explain_has_no_removed_list() {
    let mut f = Failures::new();
    for name in [
        "01_wenmi_simplified.txt",
        "04_gb18030_pian.txt",
        "11_utf8_rich.html",
    ] {
        let (plain_run, plain) = common::clean_json(&pages_dir(), Path::new(name), false);
        let (_, explained) = common::clean_json(&pages_dir(), Path::new(name), true);
        f.check(plain_run.code == Some(0), name, || plain_run.describe());
        match (plain, explained) {
            (Ok(a), Ok(b)) => {
                let texts = |v: &[Speech]| -> Vec<Vec<String>> {
                    v.iter()
                        .map(|s| s.passages.iter().map(|p| p.text.clone()).collect())
                        .collect()
                };
                f.check(texts(&a) == texts(&b), name, || {
                    "--explain changed the passages".into()
                });
            }
            (Err(e), _) | (_, Err(e)) => f.push(name, e),
        }
    }
    f.finish("--json without --explain");
}

// ---------------------------------------------------------------- bad input

/// Writes `bytes` to `dir/name` and returns the path.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
    p
}

/// A short clean speech (UTF-8).
const GOOD_PAGE: &str = "在全县招商引资大会上的讲话\n同志们:\n今天我们召开全县招商引资大会,总结去年工作,部署今年任务。\n招商引资是发展的生命线,各乡镇、各部门要把招商引资作为一号工程来抓。\n";

/// `clean FILE --json` must fail with `code`, one stderr line naming `shown`.
fn expect_error(dir: &Path, arg: &str, shown: &str, code: i32, what: &str, f: &mut Failures) {
    let run = common::run_in(dir, &["clean", arg, "--json"]);
    f.check(run.code == Some(code), what, || {
        format!("expected exit {code}: {}", run.describe())
    });
    if let Err(e) = common::check_error_line(&run, shown) {
        f.push(what, e);
    }
    f.check(run.stdout.trim().is_empty() || code == 3, what, || {
        format!(
            "printed to stdout on error: {:?}",
            common::clip(&run.stdout, 80)
        )
    });
}

#[test]
fn empty_and_blank_files_are_errors() {
    let dir = common::tempdir();
    let mut f = Failures::new();
    write(dir.path(), "empty.txt", b"");
    write(dir.path(), "bom-only.txt", b"\xEF\xBB\xBF");
    write(dir.path(), "blank.txt", "\n  \r\n\u{3000}\n\t\n".as_bytes());
    for name in ["empty.txt", "bom-only.txt", "blank.txt"] {
        expect_error(dir.path(), name, name, 1, name, &mut f);
    }
    f.finish("empty input");
}

#[test]
fn binary_file_is_an_error() {
    let dir = common::tempdir();
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00".to_vec();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..64 * 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push((x >> 24) as u8);
    }
    write(dir.path(), "picture.png", &bytes);
    let mut f = Failures::new();
    expect_error(
        dir.path(),
        "picture.png",
        "picture.png",
        1,
        "picture.png",
        &mut f,
    );
    f.finish("binary input");
}

#[test]
fn oversized_file_is_an_error() {
    let dir = common::tempdir();
    let line = "今天我们召开全县招商引资大会,总结去年工作,部署今年任务。\n";
    let mut text = String::with_capacity(31 * 1024 * 1024);
    while text.len() < 30 * 1024 * 1024 {
        text.push_str(line);
    }
    write(dir.path(), "huge.txt", text.as_bytes());
    drop(text);
    let mut f = Failures::new();
    expect_error(
        dir.path(),
        "huge.txt",
        "huge.txt",
        1,
        "a 30 MB file",
        &mut f,
    );
    f.finish("oversized input");
}

#[test]
fn invalid_utf8_bytes_are_replaced_and_reported() {
    let dir = common::tempdir();
    let mut bytes = Vec::new();
    bytes.extend_from_slice("在全县招商引资大会上的讲话\n同志们:\n".as_bytes());
    bytes.extend_from_slice("今天我们召开全县招商引资大会,部署全年招商引资工作。".as_bytes());
    bytes.extend_from_slice(b"\xFF\xFE");
    bytes.extend_from_slice("今年全县要新引进亿元以上项目二十个。\n".as_bytes());
    bytes.extend_from_slice(
        "招商引资是发展的生命线,各部门要高度重视,主要负责同志要亲自抓".as_bytes(),
    );
    bytes.extend_from_slice(b"\xE6\x8B\n");
    bytes.extend_from_slice(
        "要把项目建设作为头等大事来抓,做到一个项目、一名领导、一抓到底。\n".as_bytes(),
    );
    bytes.extend_from_slice("对工作推进不力的单位,要及时约谈".as_bytes());
    bytes.extend_from_slice(b"\xC0\xAF");
    bytes.extend_from_slice("主要负责人,确保各项任务落到实处。\n".as_bytes());
    write(dir.path(), "bad-bytes.txt", &bytes);

    let mut f = Failures::new();
    let what = "bad-bytes.txt (UTF-8 with invalid byte runs)";
    let (run, parsed) = common::clean_json(dir.path(), Path::new("bad-bytes.txt"), false);
    f.check(run.code == Some(3), what, || {
        format!("expected exit 3: {}", run.describe())
    });
    if let Err(e) = common::check_error_line(&run, "bad-bytes.txt") {
        f.push(what, e);
    }
    match parsed {
        Err(e) => f.push(what, e),
        Ok(speeches) => {
            f.check(!speeches.is_empty(), what, || "no speech printed".into());
            for s in &speeches {
                f.check(s.encoding == "UTF-8", what, || {
                    format!("encoding: expected \"UTF-8\", got {:?}", s.encoding)
                });
                f.check(s.replaced >= 1, what, || {
                    format!("replaced: expected at least 1, got {}", s.replaced)
                });
            }
            for sentence in [
                "今天我们召开全县招商引资大会,部署全年招商引资工作。",
                "今年全县要新引进亿元以上项目二十个。",
                "招商引资是发展的生命线,各部门要高度重视,主要负责同志要亲自抓",
                "要把项目建设作为头等大事来抓,做到一个项目、一名领导、一抓到底。",
                "对工作推进不力的单位,要及时约谈",
                "主要负责人,确保各项任务落到实处。",
            ] {
                common::check_in_a_passage(&speeches, sentence, what, &mut f);
            }
        }
    }
    f.finish("invalid UTF-8");
}

#[test]
fn missing_path_and_directory_are_errors() {
    let dir = common::tempdir();
    fs::create_dir(dir.path().join("讲话稿")).expect("mkdir");
    let mut f = Failures::new();
    expect_error(
        dir.path(),
        "no-such-file.txt",
        "no-such-file.txt",
        1,
        "a missing path",
        &mut f,
    );
    expect_error(dir.path(), "讲话稿", "讲话稿", 1, "a directory", &mut f);
    f.finish("missing path and directory");
}

#[test]
fn page_with_nothing_but_chrome_is_an_error() {
    let dir = common::tempdir();
    let page = "您的位置:某某文秘网>>讲话稿/>>正文\n\n发表时间:2024/5/21 18:48:54\n文章搜索\n相关文章\n\n不存在或已删除\n注册  登陆\n客服微信号:example_wm\n";
    write(dir.path(), "chrome-only.txt", page.as_bytes());
    let mut f = Failures::new();
    expect_error(
        dir.path(),
        "chrome-only.txt",
        "chrome-only.txt",
        1,
        "a page of chrome only",
        &mut f,
    );
    f.finish("no speech text");
}

#[test]
fn odd_file_names_work() {
    let dir = common::tempdir();
    let mut f = Failures::new();
    for name in ["with space.txt", "县委书记讲话.txt", "-x.txt", "  lead.txt"] {
        write(dir.path(), name, GOOD_PAGE.as_bytes());
        let arg = if name.starts_with('-') {
            format!("./{name}")
        } else {
            name.to_owned()
        };
        let (run, parsed) = common::clean_json(dir.path(), Path::new(&arg), false);
        f.check(run.code == Some(0) && !run.panicked(), name, || {
            format!("expected exit 0: {}", run.describe())
        });
        match parsed {
            Err(e) => f.push(name, e),
            Ok(speeches) => {
                f.check(speeches.len() == 1, name, || {
                    format!("expected 1 speech, got {}", speeches.len())
                });
                for s in &speeches {
                    f.check(s.source.ends_with(name), name, || {
                        format!("source {:?} does not name the file", s.source)
                    });
                    f.check(
                        s.title.as_deref() == Some("在全县招商引资大会上的讲话"),
                        name,
                        || format!("title: got {:?}", s.title),
                    );
                }
                common::check_in_a_passage(
                    &speeches,
                    "今天我们召开全县招商引资大会,总结去年工作,部署今年任务。",
                    name,
                    &mut f,
                );
            }
        }
    }
    // The same names in error messages.
    for name in ["empty name.txt", "空白讲话.txt", "-e.txt"] {
        write(dir.path(), name, b"");
        let arg = if name.starts_with('-') {
            format!("./{name}")
        } else {
            name.to_owned()
        };
        expect_error(
            dir.path(),
            &arg,
            name,
            1,
            &format!("empty file {name:?}"),
            &mut f,
        );
    }
    f.finish("odd file names");
}

#[test]
fn usage_errors_exit_2() {
    let dir = common::tempdir();
    write(dir.path(), "good.txt", GOOD_PAGE.as_bytes());
    let mut f = Failures::new();
    for args in [vec!["clean"], vec!["clean", "good.txt", "--no-such-flag"]] {
        let run = common::run_in(dir.path(), &args);
        let what = format!("`jianghua {}`", args.join(" "));
        f.check(run.code == Some(2), &what, || {
            format!("expected exit 2 (usage): {}", run.describe())
        });
        f.check(!run.panicked(), &what, || run.describe());
        f.check(!run.stderr.trim().is_empty(), &what, || {
            "said nothing on stderr".into()
        });
    }
    f.finish("usage errors");
}

#[test]
fn help_mentions_explain() {
    let run = common::run(&["clean", "--help"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(
        run.stdout.contains("--explain"),
        "`jianghua clean --help` does not mention --explain:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--json"),
        "`jianghua clean --help` does not mention --json:\n{}",
        run.stdout
    );
}
