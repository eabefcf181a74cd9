//! The integration-test harness: runs the real `jianghua` binary and reads its
//! `--json` output into typed values (after ripgrep's tests/util.rs).
//!
//! Every check here *collects* failures instead of panicking on the first one,
//! so a failing test names every file and every expectation that went wrong,
//! each with what was expected and what came out. Nothing here knows how the
//! cleaner works; it only knows the output contract of `jianghua clean`.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub mod server;

use regex::Regex;
use serde::Deserialize;

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jianghua"))
}

/// `CARGO_MANIFEST_DIR`: the repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder of the fixture pages.
pub fn fixture_pages() -> PathBuf {
    repo_root().join("tests/fixtures/pages")
}

/// The file names of the fixture pages, sorted.
pub fn fixture_page_names() -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(fixture_pages())
        .expect("the fixture pages")
        .map(|e| e.expect("a fixture").file_name())
        .collect();
    names.sort();
    names
}

/// The fixture pages, and the seeds when they are beside the checkout
/// (without them, a note says the fixtures alone are used; with `CI=true`
/// that fails instead): the corpus of the library-level index tests.
pub fn fixture_and_seed_roots() -> Vec<PathBuf> {
    let root = repo_root();
    let mut roots = vec![root.join("tests/fixtures/pages")];
    let seeds = root.join("../shared/corpus/seeds");
    if seeds.is_dir() {
        roots.push(seeds);
    } else if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the seed pages are missing at {}",
            seeds.display()
        );
    } else {
        eprintln!(
            "note: {} is missing; testing on the fixtures only",
            seeds.display()
        );
    }
    roots
}

/// A fresh temporary directory, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("jianghua-test-")
        .tempdir()
        .expect("cannot create a temporary directory")
}

/// What one run of the binary did.
#[derive(Debug, Clone)]
pub struct Run {
    /// The arguments, for messages.
    pub args: Vec<String>,
    /// The exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    /// Standard output (lossy UTF-8).
    pub stdout: String,
    /// Standard error (lossy UTF-8).
    pub stderr: String,
}

impl Run {
    /// `jianghua ARGS` → exit code, and the first lines of stderr.
    pub fn describe(&self) -> String {
        let mut err: String = self
            .stderr
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n    ");
        if err.is_empty() {
            err = "(empty)".into();
        }
        format!(
            "`jianghua {}` exited with {:?}; stderr:\n    {}",
            self.args.join(" "),
            self.code,
            err
        )
    }

    /// True when stderr shows a Rust panic.
    pub fn panicked(&self) -> bool {
        self.stderr.contains("panicked") || self.stderr.contains("RUST_BACKTRACE")
    }
}

/// Runs `jianghua ARGS` in `cwd`, with a private index location and no colour.
pub fn run_in<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Run {
    run_in_env(cwd, args, &[])
}

/// [`run_in`] with more environment variables set.
pub fn run_in_env<S: AsRef<OsStr>>(cwd: &Path, args: &[S], vars: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("JIANGHUA_INDEX", cwd.join("jianghua-test-index"))
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        .envs(vars.iter().copied());
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin().display()));
    Run {
        args: args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `jianghua --index INDEX ingest FOLDER…`, which must succeed.
pub fn ingest(index: &Path, folders: &[&Path]) {
    let mut args: Vec<&OsStr> = vec!["--index".as_ref(), index.as_os_str(), "ingest".as_ref()];
    args.extend(folders.iter().map(|f| f.as_os_str()));
    let run = run(&args);
    assert_eq!(run.code, Some(0), "ingest failed: {}", run.describe());
}

/// Runs `jianghua ARGS` in the repository root.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Run {
    run_in(&repo_root(), args)
}

/// One line of `jianghua clean FILE --json [--explain]`: one speech.
#[derive(Debug, Clone, Deserialize)]
pub struct Speech {
    pub source: String,
    pub encoding: String,
    pub replaced: u64,
    pub part: usize,
    pub parts: usize,
    pub title: Option<String>,
    pub date: Option<String>,
    pub site: Option<String>,
    pub truncated: Option<Truncation>,
    pub outline: Vec<String>,
    pub passages: Vec<Passage>,
    /// Present only with `--explain`.
    pub removed: Option<Vec<Removed>>,
}

/// Shown and total characters from a truncation notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Truncation {
    pub shown: u64,
    pub total: u64,
}

/// One passage of a speech.
#[derive(Debug, Clone, Deserialize)]
pub struct Passage {
    pub no: usize,
    pub section: String,
    pub text: String,
    pub flags: Vec<String>,
    /// First and last source line (1-based, inclusive).
    pub lines: (usize, usize),
}

/// One removed or repaired line (`--explain`).
#[derive(Debug, Clone, Deserialize)]
pub struct Removed {
    pub line: usize,
    pub class: String,
    pub text: String,
    pub repair: bool,
}

/// The keys every speech object must carry (null where there is no value).
pub const SPEECH_KEYS: [&str; 11] = [
    "source",
    "encoding",
    "replaced",
    "part",
    "parts",
    "title",
    "date",
    "site",
    "truncated",
    "outline",
    "passages",
];

/// Parses JSON Lines into speeches. Every non-empty line must be one object
/// with every key of [`SPEECH_KEYS`]; `removed` must be present exactly when
/// `explain` is.
pub fn parse_speeches(stdout: &str, explain: bool) -> Result<Vec<Speech>, String> {
    let mut out = Vec::new();
    for (i, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            format!(
                "stdout line {} is not JSON ({e}): {}",
                i + 1,
                clip(line, 160)
            )
        })?;
        let obj = value
            .as_object()
            .ok_or_else(|| format!("stdout line {} is not a JSON object", i + 1))?;
        let missing: Vec<&str> = SPEECH_KEYS
            .iter()
            .copied()
            .filter(|k| !obj.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "stdout line {} lacks the keys {missing:?} (keys given: {:?})",
                i + 1,
                obj.keys().collect::<Vec<_>>()
            ));
        }
        match (explain, obj.contains_key("removed")) {
            (true, false) => {
                return Err(format!(
                    "stdout line {}: `removed` missing under --explain",
                    i + 1
                ));
            }
            (false, true) => {
                return Err(format!(
                    "stdout line {}: `removed` given without --explain",
                    i + 1
                ));
            }
            _ => {}
        }
        let speech: Speech = serde_json::from_value(value)
            .map_err(|e| format!("stdout line {} does not fit the contract: {e}", i + 1))?;
        out.push(speech);
    }
    Ok(out)
}

/// Runs `jianghua clean PATH --json [--explain]` in `cwd`.
pub fn clean_json(cwd: &Path, path: &Path, explain: bool) -> (Run, Result<Vec<Speech>, String>) {
    let mut args: Vec<&OsStr> = vec![OsStr::new("clean"), path.as_os_str(), OsStr::new("--json")];
    if explain {
        args.push(OsStr::new("--explain"));
    }
    let run = run_in(cwd, &args);
    let parsed = parse_speeches(&run.stdout, explain);
    (run, parsed)
}

/// Checks the error contract: exactly one stderr line, starting `jianghua: `,
/// naming `name`; no panic.
pub fn check_error_line(run: &Run, name: &str) -> Result<(), String> {
    if run.panicked() {
        return Err(format!("it panicked: {}", run.describe()));
    }
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if lines.len() != 1 {
        return Err(format!(
            "expected exactly one stderr line, got {}: {}",
            lines.len(),
            run.describe()
        ));
    }
    if !lines[0].starts_with("jianghua: ") {
        return Err(format!(
            "the stderr line must start with `jianghua: `: {:?}",
            lines[0]
        ));
    }
    if !lines[0].contains(name) {
        return Err(format!(
            "the stderr line must name {name:?}: {:?}",
            lines[0]
        ));
    }
    Ok(())
}

/// A `(pinyin)` annotation: `(` then lower-case letters with at least one
/// tone-marked vowel, then `)`, e.g. `(jìn)`, `(huà)`. Never `(一)`, `(AI)`,
/// `(xx)`, `(**)`.
pub fn pinyin_annotation() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]*\)")
            .expect("valid regex")
    })
}

/// Removes `(pinyin)` annotations (to compare with headings of the source).
pub fn strip_pinyin(s: &str) -> String {
    pinyin_annotation().replace_all(s, "").into_owned()
}

/// Shortens a string for a message.
pub fn clip(s: &str, max_chars: usize) -> String {
    let n = s.chars().count();
    if n <= max_chars {
        s.to_owned()
    } else {
        let head: String = s.chars().take(max_chars).collect();
        format!("{head}…(+{} chars)", n - max_chars)
    }
}

/// Collected failures of one test, printed together at the end.
#[derive(Debug, Default)]
pub struct Failures {
    list: Vec<String>,
}

impl Failures {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a failure under a context (the file and variant).
    pub fn push(&mut self, context: &str, msg: impl AsRef<str>) {
        self.list.push(format!("{context}: {}", msg.as_ref()));
    }

    /// Records `msg` unless `ok`.
    pub fn check(&mut self, ok: bool, context: &str, msg: impl FnOnce() -> String) {
        if !ok {
            self.push(context, msg());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Panics listing every failure.
    pub fn finish(self, what: &str) {
        if self.list.is_empty() {
            return;
        }
        let mut msg = format!("{} failure(s) in {what}:\n", self.list.len());
        for f in &self.list {
            let _ = writeln!(msg, "\n- {f}");
        }
        panic!("{msg}");
    }
}

/// Decodes test input with `encoding_rs` the way a correct decoder would:
/// a BOM wins, otherwise the given encoding label. Line ends are normalised
/// to `\n`. Returns the text and whether malformed bytes were met.
pub fn decode_with(bytes: &[u8], label: &str) -> (String, bool) {
    let (enc, bom_len) = match encoding_rs::Encoding::for_bom(bytes) {
        Some(found) => found,
        None => (
            encoding_rs::Encoding::for_label(label.as_bytes())
                .unwrap_or_else(|| panic!("unknown encoding label {label:?}")),
            0,
        ),
    };
    let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
    (text.replace("\r\n", "\n").replace('\r', "\n"), had_errors)
}

/// Non-whitespace characters.
pub fn visible_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// True when the text holds nothing but punctuation, dots and spaces.
pub fn only_punctuation(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || "…。，、；：！？·—－「」『』“”‘’《》【】（）".contains(c)
    })
}

/// Where a string occurs among the passages: `(speech index, passage no)`.
pub fn find_passages<'a>(speeches: &'a [Speech], needle: &str) -> Vec<(usize, &'a Passage)> {
    speeches
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.passages.iter().map(move |p| (i, p)))
        .filter(|(_, p)| p.text.contains(needle))
        .collect()
}

/// Checks that hold for every `clean --json` result of a good page:
/// numbering, no empty or punctuation-only passage, no pinyin annotation or
/// U+FFFD in passages and titles, the title is not also a passage, outline
/// lines appear as a passage at most once, sane line ranges.
pub fn check_invariants(speeches: &[Speech], ctx: &str, f: &mut Failures) {
    if speeches.is_empty() {
        f.push(ctx, "no speech in the output");
        return;
    }
    for (i, s) in speeches.iter().enumerate() {
        let sctx = format!("{ctx}, speech {i}");
        f.check(s.part == i, &sctx, || {
            format!("`part` is {}, expected {i}", s.part)
        });
        f.check(s.parts == speeches.len(), &sctx, || {
            format!(
                "`parts` is {}, expected {} (the number of speech lines)",
                s.parts,
                speeches.len()
            )
        });
        f.check(!s.passages.is_empty(), &sctx, || "no passages".into());
        if let Some(d) = &s.date {
            f.check(is_iso_date(d), &sctx, || {
                format!("`date` {d:?} is not YYYY-MM-DD")
            });
        }
        if let Some(t) = &s.title {
            f.check(!t.trim().is_empty(), &sctx, || {
                "`title` is an empty string, expected null".into()
            });
            if let Some(m) = pinyin_annotation().find(t) {
                f.push(
                    &sctx,
                    format!("title {t:?} keeps the pinyin annotation {:?}", m.as_str()),
                );
            }
            if let Some(p) = s.passages.iter().find(|p| p.text.trim() == t.trim()) {
                f.push(
                    &sctx,
                    format!(
                        "the title {t:?} is also passage {} (titles are metadata)",
                        p.no
                    ),
                );
            }
        }
        for (k, p) in s.passages.iter().enumerate() {
            let pctx = format!("{sctx}, passage {k}");
            f.check(p.no == k, &pctx, || {
                format!("`no` is {}, expected {k}", p.no)
            });
            f.check(!only_punctuation(&p.text), &pctx, || {
                format!("passage is empty or punctuation only: {:?}", p.text)
            });
            f.check(p.lines.0 >= 1 && p.lines.0 <= p.lines.1, &pctx, || {
                format!("`lines` {:?} is not a 1-based [first, last] range", p.lines)
            });
            if let Some(m) = pinyin_annotation().find(&p.text) {
                f.push(
                    &pctx,
                    format!(
                        "keeps the pinyin annotation {:?} in {:?}",
                        m.as_str(),
                        clip(
                            &p.text[back_to_boundary(&p.text, m.start().saturating_sub(30))..],
                            60
                        )
                    ),
                );
            }
            f.check(!p.text.contains('\u{FFFD}'), &pctx, || {
                format!("keeps U+FFFD: {:?}", clip(&p.text, 80))
            });
        }
        for entry in &s.outline {
            let e = strip_pinyin(entry);
            let e = e.trim();
            if e.is_empty() {
                continue;
            }
            let n = s.passages.iter().filter(|p| p.text.trim() == e).count();
            f.check(n <= 1, &sctx, || {
                format!("the outline line {e:?} is a passage {n} times (at most once, as the body heading)")
            });
        }
        if let Some(removed) = &s.removed {
            for r in removed {
                f.check(r.line >= 1, &sctx, || {
                    format!("removed entry with line 0: {r:?}")
                });
                f.check(is_snake_case(&r.class), &sctx, || {
                    format!("removed class {:?} is not snake_case", r.class)
                });
            }
        }
    }
}

/// Checks that every non-blank line of `lines` (the decoded source, 1-based)
/// lies in some passage's range or in some `removed` entry (of any speech).
pub fn check_lines_accounted(speeches: &[Speech], lines: &[String], ctx: &str, f: &mut Failures) {
    let mut covered = BTreeSet::new();
    for s in speeches {
        for p in &s.passages {
            if p.lines.1 > lines.len() {
                f.push(
                    ctx,
                    format!(
                        "passage {} ends at line {} but the file has {} lines",
                        p.no,
                        p.lines.1,
                        lines.len()
                    ),
                );
            }
            covered.extend(p.lines.0..=p.lines.1);
        }
        for r in s.removed.iter().flatten() {
            covered.insert(r.line);
        }
    }
    let unaccounted: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !l.trim().is_empty() && !covered.contains(&(i + 1)))
        .map(|(i, l)| format!("{}: {}", i + 1, clip(l.trim(), 40)))
        .collect();
    f.check(unaccounted.is_empty(), ctx, || {
        format!(
            "{} non-blank line(s) are neither in a passage nor in `removed`: {:?}",
            unaccounted.len(),
            &unaccounted[..unaccounted.len().min(8)]
        )
    });
}

/// The 1-based line range of the `目录/提纲:……` … `……` block, if any.
pub fn outline_block(lines: &[String]) -> Option<(usize, usize)> {
    let start = lines.iter().position(|l| {
        let l = strip_pinyin(l);
        let l = l.trim_start();
        l.starts_with("目录/提纲") || l.starts_with("目錄/提綱")
    })?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| matches!(l.trim(), "……" | "..." | "......"))?;
    Some((start + 1, start + 1 + end + 1))
}

/// Checks that no passage comes from the outline block's lines.
pub fn check_outline_not_passages(
    speeches: &[Speech],
    lines: &[String],
    ctx: &str,
    f: &mut Failures,
) {
    let Some((a, b)) = outline_block(lines) else {
        return;
    };
    for s in speeches {
        for p in &s.passages {
            if p.lines.1 >= a && p.lines.0 <= b {
                f.push(
                    ctx,
                    format!(
                        "passage {} (lines {:?}) comes from the outline block (lines {a}..={b}): {:?}",
                        p.no,
                        p.lines,
                        clip(&p.text, 40)
                    ),
                );
            }
        }
    }
}

/// Checks that `needle` is inside one passage text.
pub fn check_in_a_passage(speeches: &[Speech], needle: &str, ctx: &str, f: &mut Failures) {
    if find_passages(speeches, needle).is_empty() {
        f.push(ctx, format!("no passage contains {needle:?}"));
    }
}

/// Checks that `needle` is in no passage text and no title.
pub fn check_nowhere(speeches: &[Speech], needle: &str, ctx: &str, f: &mut Failures) {
    for (i, p) in find_passages(speeches, needle) {
        f.push(
            ctx,
            format!(
                "speech {i}, passage {} contains {needle:?}: {:?}",
                p.no,
                clip(&p.text, 80)
            ),
        );
    }
    for s in speeches {
        if let Some(t) = &s.title
            && t.contains(needle)
        {
            f.push(
                ctx,
                format!("speech {} title {t:?} contains {needle:?}", s.part),
            );
        }
    }
}

/// Checks that a heading that stands on its own line in the source is never
/// glued to other text: every passage containing it is exactly the heading.
pub fn check_heading_alone(speeches: &[Speech], heading: &str, ctx: &str, f: &mut Failures) {
    for (i, p) in find_passages(speeches, heading) {
        if p.text.trim() != heading {
            f.push(
                ctx,
                format!(
                    "the heading {heading:?} is glued to other text in speech {i}, passage {}: {:?}",
                    p.no,
                    clip(&p.text, 90)
                ),
            );
        }
    }
}

/// The largest char boundary of `s` at or before byte `i`.
fn back_to_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A random substring (1 to `max` chars) of a random text of `texts`.
pub fn substring_of(
    texts: fn() -> &'static [String],
    max: usize,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy as _;
    (
        proptest::arbitrary::any::<proptest::sample::Index>(),
        proptest::arbitrary::any::<proptest::sample::Index>(),
        1usize..=max,
    )
        .prop_map(move |(t, at, len)| {
            let texts = texts();
            if texts.is_empty() {
                return String::new();
            }
            let chars: Vec<char> = texts[t.index(texts.len())].chars().collect();
            if chars.is_empty() {
                return String::new();
            }
            let start = at.index(chars.len());
            chars[start..(start + len).min(chars.len())]
                .iter()
                .collect()
        })
}
