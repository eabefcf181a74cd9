//! The nightly-rebuild guarantees, driving the binary: incremental ingest,
//! crash safety under `kill -9`, searches during an ingest, one writer at a
//! time, bad files named and skipped.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::{Run, run_in};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Report {
    added: usize,
    updated: usize,
    unchanged: usize,
    removed: usize,
    gone: usize,
    commits: usize,
    failed: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    path: String,
    reason: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Stats {
    speeches: usize,
    passages: usize,
    sources: usize,
    sites: usize,
    first_date: Option<String>,
    last_date: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Count {
    occurrences: usize,
    passages: usize,
    speeches: usize,
}

fn fixtures() -> PathBuf {
    common::repo_root().join("tests/fixtures/pages")
}

/// A folder of `n` distinct pages made from the fixtures (each with its own
/// closing sentence, so each is a distinct speech).
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let pages = dir.join("pages");
    fs::create_dir_all(&pages).unwrap();
    let mut sources: Vec<String> = fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| fs::read(e.unwrap().path()).ok())
        .filter_map(|b| String::from_utf8(b).ok())
        .collect();
    sources.sort();
    for i in 0..n {
        let text = format!(
            "{}\n第{i}号补充说明:要抓好百日会战各项工作。\n",
            sources[i % sources.len()]
        );
        fs::write(pages.join(format!("p{i:04}.txt")), text).unwrap();
    }
    pages
}

fn ingest(dir: &Path, pages: &Path, extra: &[&str]) -> (Run, Option<Report>) {
    let mut args: Vec<&std::ffi::OsStr> =
        vec!["ingest".as_ref(), pages.as_os_str(), "--json".as_ref()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let run = run_in(dir, &args);
    let report = serde_json::from_str(run.stdout.trim()).ok();
    (run, report)
}

fn stats(dir: &Path) -> Stats {
    let run = run_in(dir, &["stats", "--json"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    serde_json::from_str(run.stdout.trim()).unwrap()
}

fn count(dir: &Path, phrase: &str) -> Count {
    let run = run_in(dir, &["mentions", phrase, "--count", "--json"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    serde_json::from_str(run.stdout.trim()).unwrap()
}

/// Every file and folder under the index folder with its length and mtime.
fn snapshot(index: &Path) -> Vec<(String, u64, SystemTime)> {
    let mut v: Vec<_> = walkdir::WalkDir::new(index)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.path().strip_prefix(index).unwrap().display().to_string(),
                m.len(),
                m.modified().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Starts `jianghua ingest PAGES [--batch N]` in the background, output discarded.
fn spawn_ingest(dir: &Path, pages: &Path, batch: Option<usize>) -> std::process::Child {
    let mut cmd = Command::new(common::bin());
    cmd.arg("ingest").arg(pages);
    if let Some(n) = batch {
        cmd.arg("--batch").arg(n.to_string());
    }
    cmd.current_dir(dir)
        .env("JIANGHUA_INDEX", index_of(dir))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jianghua ingest")
}

fn index_of(dir: &Path) -> PathBuf {
    dir.join("jianghua-test-index")
}

#[test]
fn a_batch_ends_at_its_byte_bound_as_well_as_its_file_count() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 12);
    let sizes: Vec<u64> = (0..12)
        .map(|i| {
            fs::metadata(pages.join(format!("p{i:04}.txt")))
                .unwrap()
                .len()
        })
        .collect();
    // A bound of two of the smallest pages: any two pages reach it, so a
    // batch holds two pages at most, and 12 pages take 6 commits or more.
    let bound = 2 * sizes.iter().min().unwrap();
    let (run, report) = ingest(dir.path(), &pages, &["--batch-bytes", &bound.to_string()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let report = report.unwrap();
    assert_eq!(report.added, 12);
    assert!((6..=13).contains(&report.commits), "{}", report.commits);
    // The same pages under the default bounds: one commit.
    let other = common::tempdir();
    let (run, one) = ingest(other.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(one.unwrap().commits, 1);
    assert_eq!(
        count(dir.path(), "百日会战"),
        count(other.path(), "百日会战")
    );
}

#[test]
fn a_second_ingest_reads_nothing_and_writes_nothing() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 20);
    let (run, first) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(first.unwrap().added, 20);
    let before = snapshot(&index_of(dir.path()));
    std::thread::sleep(Duration::from_millis(20));
    let (run, second) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let second = second.unwrap();
    assert_eq!(
        (
            second.added,
            second.updated,
            second.unchanged,
            second.removed,
            second.commits
        ),
        (0, 0, 20, 0, 0)
    );
    assert_eq!(
        snapshot(&index_of(dir.path())),
        before,
        "the index files were touched"
    );
}

#[test]
fn edits_deletions_and_additions_are_exactly_applied() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 12);
    ingest(dir.path(), &pages, &[]);
    let base = stats(dir.path());
    // Edit one, delete one, add one, and touch one without changing it.
    let edited = pages.join("p0001.txt");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("\n今天再强调一点:双过半目标必须完成。\n");
    fs::write(&edited, text).unwrap();
    fs::remove_file(pages.join("p0002.txt")).unwrap();
    fs::write(
        pages.join("new.txt"),
        "在全县大会上的讲话\n\n同志们:\n今天新增一篇讲话,专精特新要加快培育。\n",
    )
    .unwrap();
    let touched = pages.join("p0003.txt");
    let t = fs::read(&touched).unwrap();
    fs::write(&touched, t).unwrap();
    let (run, r) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let r = r.unwrap();
    assert_eq!(
        (r.added, r.updated, r.unchanged, r.removed, r.gone),
        (1, 1, 10, 0, 1)
    );
    assert_eq!(
        stats(dir.path()).speeches,
        base.speeches + 1,
        "without --prune the deleted file's speech stays"
    );
    assert_eq!(count(dir.path(), "双过半目标必须完成").occurrences, 1);
    let (run, r) = ingest(dir.path(), &pages, &["--prune"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let r = r.unwrap();
    assert_eq!((r.added, r.updated, r.unchanged, r.removed), (0, 0, 12, 1));
    let s = stats(dir.path());
    assert_eq!(s.speeches, base.speeches);
    assert_eq!(s.sources, 12);
    assert_eq!(count(dir.path(), "第2号补充说明").occurrences, 0);
    assert_eq!(count(dir.path(), "第1号补充说明").occurrences, 1);
    // Counts over segments with deleted documents (one char's count reads
    // them a document at a time) equal those of a fresh index.
    let clean = common::tempdir();
    ingest(clean.path(), &pages, &[]);
    for phrase in ["的", "双", "号", "今天", "专精特新", "双过半"] {
        assert_eq!(
            count(dir.path(), phrase),
            count(clean.path(), phrase),
            "{phrase}"
        );
    }
}

#[test]
fn a_repost_is_one_speech_with_two_sources() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 3);
    fs::copy(pages.join("p0000.txt"), pages.join("repost.txt")).unwrap();
    ingest(dir.path(), &pages, &[]);
    let s = stats(dir.path());
    assert_eq!(s.sources, 4);
    assert_eq!(count(dir.path(), "第0号补充说明").speeches, 1);
    let run = run_in(dir.path(), &["mentions", "第0号补充说明", "--json"]);
    let hit: serde_json::Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let run = run_in(
        dir.path(),
        &["show", hit["doc_id"].as_str().unwrap(), "--json"],
    );
    let shown: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    let sources: Vec<&str> = shown["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(
        sources[0].ends_with("p0000.txt") && sources[1].ends_with("repost.txt"),
        "{sources:?}"
    );
    // Removing one copy keeps the speech; removing both removes it.
    fs::remove_file(pages.join("p0000.txt")).unwrap();
    ingest(dir.path(), &pages, &["--prune"]);
    assert_eq!(count(dir.path(), "第0号补充说明").occurrences, 1);
    fs::remove_file(pages.join("repost.txt")).unwrap();
    ingest(dir.path(), &pages, &["--prune"]);
    assert_eq!(count(dir.path(), "第0号补充说明").occurrences, 0);
}

#[test]
fn kill_9_at_random_points_never_corrupts_the_index() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 160);
    // The clean result to compare with.
    let clean = common::tempdir();
    let (run, _) = ingest(clean.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let want = (
        stats(clean.path()),
        count(clean.path(), "百日会战"),
        count(clean.path(), "招商引资"),
    );
    // Pseudo-random kill delays, different every run but reproducible from the log.
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    eprintln!("kill delays seed {seed}");
    let mut x = seed | 1;
    for round in 0..4 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let delay = Duration::from_millis(30 + x % 900);
        let mut child = spawn_ingest(dir.path(), &pages, Some(15));
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whatever was committed opens and answers.
        if index_of(dir.path()).join("CURRENT").exists() {
            let s = stats(dir.path());
            assert!(s.speeches <= want.0.speeches, "round {round}: {s:?}");
            let run = run_in(dir.path(), &["search", "招商引资", "--json"]);
            assert_eq!(
                run.code,
                Some(0),
                "round {round} after {delay:?}: {}",
                run.describe()
            );
        }
    }
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let got = (
        stats(dir.path()),
        count(dir.path(), "百日会战"),
        count(dir.path(), "招商引资"),
    );
    assert_eq!(got, want);
}

#[test]
fn searches_during_an_ingest_never_fail() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 120);
    ingest(dir.path(), &corpus(&dir.path().join("first"), 5), &[]);
    let mut child = spawn_ingest(dir.path(), &pages, Some(10));
    let started = Instant::now();
    let mut searches = 0;
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(60) {
        for args in [
            &["search", "招商引资", "--json"][..],
            &["mentions", "百日会战", "--count"],
            &["stats"],
        ] {
            let run = run_in(dir.path(), args);
            assert_eq!(run.code, Some(0), "during the ingest: {}", run.describe());
            searches += 1;
        }
    }
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(searches > 0);
}

#[test]
fn a_second_writer_fails_fast_with_one_sentence() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 150);
    ingest(dir.path(), &corpus(&dir.path().join("first"), 2), &[]);
    let mut child = spawn_ingest(dir.path(), &pages, Some(1000));
    std::thread::sleep(Duration::from_millis(300));
    let run = run_in(dir.path(), &["ingest".as_ref(), pages.as_os_str()]);
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.wait();
    if still_running {
        // It returned while the first still runs: it did not wait for the lock.
        assert_eq!(run.code, Some(1), "{}", run.describe());
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", run.describe());
        assert!(lines[0].contains("lock"), "{}", lines[0]);
    } else {
        eprintln!(
            "note: the first ingest finished before the second started; nothing to check this run"
        );
    }
}

#[test]
fn a_killed_writer_leaves_no_lock_behind() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 100);
    let mut child = Command::new(common::bin())
        .args(["ingest".as_ref(), pages.as_os_str()])
        .current_dir(dir.path())
        .env("JIANGHUA_INDEX", index_of(dir.path()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let _ = child.kill();
    let _ = child.wait();
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
}

#[test]
fn bad_files_are_named_the_rest_indexed_exit_3() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 4);
    fs::write(pages.join("empty.txt"), b"").unwrap();
    fs::write(
        pages.join("binary.dat"),
        [0u8, 159, 146, 150, 0, 1, 2, 3].repeat(100),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::{PermissionsExt, symlink};
        symlink(pages.join("does-not-exist"), pages.join("broken-link.txt")).unwrap();
        fs::create_dir(pages.join("loop")).unwrap();
        symlink(pages.join("loop"), pages.join("loop").join("again")).unwrap();
        let odd = pages.join(std::ffi::OsStr::from_bytes(b"odd-\xff-name.txt"));
        fs::copy(pages.join("p0000.txt"), &odd).unwrap();
        let locked = pages.join("locked.txt");
        fs::write(&locked, "同志们:\n今天开会。\n").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    }
    let (run, report) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert!(!run.panicked());
    let report = report.unwrap();
    let mut expect = vec!["empty.txt", "binary.dat"];
    if cfg!(unix) {
        expect.extend(["broken-link.txt", "again"]);
        // root reads a file whatever its permissions say.
        if !is_root() {
            expect.push("locked.txt");
        }
    }
    for name in &expect {
        assert!(
            report
                .failed
                .iter()
                .any(|p| p.path.contains(name) && !p.reason.is_empty()),
            "{name} not named: {:?}",
            report.failed
        );
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("jianghua: ") && l.contains(name)),
            "{name}: {}",
            run.stderr
        );
    }
    // The good pages, the odd name among them, are indexed.
    assert_eq!(count(dir.path(), "第0号补充说明").occurrences, 1);
    assert!(report.added >= 4);
    // The odd name is recorded losslessly: the next run finds it unchanged.
    let (_, again) = ingest(dir.path(), &pages, &[]);
    let again = again.unwrap();
    assert_eq!((again.added, again.updated), (0, 0), "{again:?}");
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0"))
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The acceptance run on a copy of the seeds: ingest, change files,
/// ingest --prune, kill during ingest, ingest, rebuild — then the same
/// stats and mention counts as one clean ingest of the final folder.
#[test]
fn a_nightly_sequence_on_the_seeds_ends_as_a_clean_ingest() {
    let seeds = common::repo_root().join("../shared/corpus/seeds");
    if !seeds.is_dir() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but {} is missing",
            seeds.display()
        );
        eprintln!("note: {} is missing; skipped", seeds.display());
        return;
    }
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    for e in fs::read_dir(&seeds).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), pages.join(e.file_name())).unwrap();
    }
    let names: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = fs::read_dir(&pages)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // Change: edit one (a re-scrape with one more sentence), delete one,
    // add a repost of another under a new name.
    let mut edited = fs::read_to_string(&names[3]).unwrap();
    edited.push_str("\n要确保双过半,全力打好百日会战。\n");
    fs::write(&names[3], edited).unwrap();
    fs::remove_file(&names[1]).unwrap();
    fs::copy(&names[4], pages.join("repost-of-004.txt")).unwrap();
    let (run, r) = ingest(dir.path(), &pages, &["--prune"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let r = r.unwrap();
    assert_eq!((r.added, r.updated, r.removed), (1, 1, 1));
    // More pages, and a kill in the middle of ingesting them.
    for i in 0..40 {
        let text = format!(
            "{}\n第{i}号附件说明:专精特新企业培育。\n",
            fs::read_to_string(&names[3]).unwrap()
        );
        fs::write(pages.join(format!("extra-{i:02}.txt")), text).unwrap();
    }
    let mut child = spawn_ingest(dir.path(), &pages, Some(5));
    std::thread::sleep(Duration::from_millis(250));
    let _ = child.kill();
    let _ = child.wait();
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let run = run_in(dir.path(), &["rebuild"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());

    let clean = common::tempdir();
    let (run, _) = ingest(clean.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(stats(dir.path()), stats(clean.path()));
    for phrase in [
        "百日会战",
        "双过半",
        "专精特新",
        "招商引资",
        "營商環境",
        "3+7+5",
    ] {
        assert_eq!(
            count(dir.path(), phrase),
            count(clean.path(), phrase),
            "{phrase}"
        );
    }
}

/// An index written by an older version (another schema: here only a
/// `source` field, as before source records existed) is rebuilt from the
/// sources it names, not refused.
#[test]
fn rebuild_reads_an_index_of_an_older_schema() {
    use tantivy::schema::{STORED, STRING, Schema};
    let dir = common::tempdir();
    let index = index_of(dir.path());
    fs::create_dir(&index).unwrap();
    let mut b = Schema::builder();
    let source = b.add_text_field("source", STRING | STORED);
    let old = tantivy::Index::create_in_dir(&index, b.build()).unwrap();
    let mut w: tantivy::IndexWriter = old.writer(15_000_000).unwrap();
    let page = fixtures()
        .join("01_wenmi_simplified.txt")
        .canonicalize()
        .unwrap();
    let mut d = tantivy::TantivyDocument::default();
    d.add_text(source, page.to_str().unwrap());
    w.add_document(d).unwrap();
    w.commit().unwrap();
    drop(w);
    let run = run_in(dir.path(), &["stats"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("rebuild"), "{}", run.describe());
    let run = run_in(dir.path(), &["rebuild"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let s = stats(dir.path());
    assert_eq!((s.sources, s.speeches), (1, 1));
}

// ---- Data safety: the index folder is jianghua's alone, swaps are atomic,
// nightly traps stop with an error, a full disk loses nothing. ----

#[derive(Debug, Deserialize)]
struct Leftovers {
    leftovers: Vec<Leftover>,
}

#[derive(Debug, Deserialize)]
struct Leftover {
    path: String,
    bytes: u64,
}

/// Runs `jianghua ARGS` in `dir`, made to abort at a failpoint.
fn run_crashing_at(dir: &Path, args: &[&str], point: &str) -> Run {
    common::run_in_env(dir, args, &[("JIANGHUA_FAILPOINT", point)])
}

fn leftovers(dir: &Path) -> Vec<Leftover> {
    let run = run_in(dir, &["stats", "--json"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    serde_json::from_str::<Leftovers>(run.stdout.trim())
        .unwrap()
        .leftovers
}

/// The names directly in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_folder_of_the_users_is_never_taken_for_an_index() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 3);
    let before = snapshot(&pages);
    let run = run_in(
        dir.path(),
        &[
            "--index".as_ref(),
            pages.as_os_str(),
            "ingest".as_ref(),
            pages.as_os_str(),
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stderr.contains("is not a jianghua index") && run.stderr.lines().count() == 1,
        "{}",
        run.describe()
    );
    assert_eq!(snapshot(&pages), before, "the user's folder was touched");
}

/// An index of an earlier version (tantivy's files directly in the folder)
/// that a user kept other files in: `rebuild` moves it into a generation
/// and removes only tantivy's files, never the user's.
#[test]
fn rebuild_removes_only_its_own_files_from_the_index_folder() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 4);
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let want = (stats(dir.path()), count(dir.path(), "百日会战"));
    // Lay it out as an earlier version did, with the user's files beside.
    let index = index_of(dir.path());
    let generation = fs::read_to_string(index.join("CURRENT")).unwrap();
    let data = index.join(generation.trim());
    for e in fs::read_dir(&data).unwrap() {
        let e = e.unwrap();
        fs::rename(e.path(), index.join(e.file_name())).unwrap();
    }
    fs::remove_dir(&data).unwrap();
    fs::remove_file(index.join("CURRENT")).unwrap();
    fs::write(index.join("notes.txt"), "我的笔记").unwrap();
    fs::create_dir(index.join("mine")).unwrap();
    fs::write(index.join("mine/page.html"), "<p>同志们</p>").unwrap();
    assert_eq!((stats(dir.path()), count(dir.path(), "百日会战")), want);

    for round in 0..2 {
        let run = run_in(dir.path(), &["rebuild"]);
        assert_eq!(run.code, Some(0), "round {round}: {}", run.describe());
        assert_eq!(
            fs::read_to_string(index.join("notes.txt")).unwrap(),
            "我的笔记"
        );
        assert!(index.join("mine/page.html").is_file(), "round {round}");
        assert!(
            !index.join("meta.json").exists(),
            "round {round}: legacy files left"
        );
        assert_eq!((stats(dir.path()), count(dir.path(), "百日会战")), want);
        let gens = names_in(&index)
            .into_iter()
            .filter(|n| n.starts_with("gen-"))
            .count();
        assert_eq!(gens, 1, "round {round}: {:?}", names_in(&index));
    }
}

/// A crash (an abort at a named point, as `kill -9` there) at every step
/// of a rebuild and of a first ingest: an index is always at the path and
/// answers as before; the next writer removes what was left.
#[test]
fn a_crash_at_every_step_of_a_swap_leaves_a_whole_index() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 12);
    let index = index_of(dir.path());

    // A first ingest killed before its empty index is published.
    let run = run_crashing_at(
        dir.path(),
        &["ingest", pages.to_str().unwrap()],
        "publish:written",
    );
    assert_eq!(run.code, None, "not aborted: {}", run.describe());
    let run = run_in(dir.path(), &["stats"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("no index"), "{}", run.describe());
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let want = (stats(dir.path()), count(dir.path(), "百日会战"));
    assert!(leftovers(dir.path()).is_empty());

    for point in [
        "rebuild:locked",
        "rebuild:created",
        "rebuild:ingested",
        "publish:written",
        "publish:renamed",
        "rebuild:cleaned",
    ] {
        let run = run_crashing_at(dir.path(), &["rebuild"], point);
        assert_eq!(run.code, None, "{point}: not aborted: {}", run.describe());
        assert_eq!(
            (stats(dir.path()), count(dir.path(), "百日会战")),
            want,
            "{point}: the index at the path changed"
        );
        let left = leftovers(dir.path());
        let expect_left = !matches!(point, "rebuild:locked" | "rebuild:cleaned");
        assert_eq!(!left.is_empty(), expect_left, "{point}: {left:?}");
        assert!(
            left.iter()
                .all(|l| l.path.contains("gen-") || l.path.ends_with("CURRENT.tmp"))
        );
        if point == "rebuild:ingested" {
            assert!(left.iter().any(|l| l.bytes > 0), "{left:?}");
        }
    }
    // The next writer cleans up; what stays is one live generation.
    let (run, _) = ingest(dir.path(), &pages, &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(leftovers(dir.path()).is_empty());
    let names = names_in(&index);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"CURRENT".to_owned()) && names.contains(&"writer.lock".to_owned()));
    let run = run_in(dir.path(), &["rebuild"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!((stats(dir.path()), count(dir.path(), "百日会战")), want);
}

#[test]
fn a_missing_path_is_an_error_that_touches_nothing() {
    let dir = common::tempdir();
    let gone = dir.path().join("unmounted");
    let run = run_in(dir.path(), &["ingest".as_ref(), gone.as_os_str()]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("no such file"), "{}", run.describe());
    assert!(!index_of(dir.path()).exists(), "an index was created");

    let pages = corpus(dir.path(), 3);
    ingest(dir.path(), &pages, &[]);
    let before = snapshot(&index_of(dir.path()));
    let (run, _) = ingest(dir.path(), &gone, &["--prune"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    let run = run_in(
        dir.path(),
        &["ingest".as_ref(), pages.as_os_str(), gone.as_os_str()],
    );
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert_eq!(snapshot(&index_of(dir.path())), before);
}

#[test]
fn pruning_most_of_the_index_needs_prune_all() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 6);
    ingest(dir.path(), &pages, &[]);
    // One file gone: an ordinary night.
    fs::remove_file(pages.join("p0000.txt")).unwrap();
    let (run, report) = ingest(dir.path(), &pages, &["--prune"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(report.unwrap().removed, 1);
    // Four of the five left gone: an emptied folder, refused.
    for i in 1..5 {
        fs::remove_file(pages.join(format!("p{i:04}.txt"))).unwrap();
    }
    let before = stats(dir.path());
    let (run, _) = ingest(dir.path(), &pages, &["--prune"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stderr.contains("4 of the 5") && run.stderr.contains("--prune-all"),
        "{}",
        run.describe()
    );
    assert_eq!(stats(dir.path()), before);
    let (run, report) = ingest(dir.path(), &pages, &["--prune", "--prune-all"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(report.unwrap().removed, 4);
    assert_eq!(stats(dir.path()).sources, 1);
}

#[test]
fn rebuild_of_the_current_directory_is_refused() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 2);
    ingest(dir.path(), &pages, &[]);
    let index = index_of(dir.path());
    let before = snapshot(&index);
    let run = run_in(&index, &["--index", ".", "rebuild"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains("current directory"),
        "{}",
        run.describe()
    );
    assert_eq!(snapshot(&index), before);
}

#[cfg(unix)]
#[test]
fn fifos_and_sockets_in_a_folder_are_named_and_skipped() {
    let dir = common::tempdir();
    let pages = corpus(dir.path(), 2);
    let made = Command::new("mkfifo")
        .arg(pages.join("pipe.txt"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(pages.join("sock.html")).unwrap();
    let mut child = Command::new(common::bin())
        .args(["ingest", pages.to_str().unwrap(), "--json"])
        .current_dir(dir.path())
        .env("JIANGHUA_INDEX", index_of(dir.path()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("ingest hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.added, 2);
    let reasons: Vec<&str> = report.failed.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("pipe.txt") && reasons[0].contains("FIFO"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("sock.html") && reasons[1].contains("socket"),
        "{reasons:?}"
    );
}

/// A mounted tmpfs too small for the index: the ingest stops with one
/// sentence, the last commit answers, the failed batch's files are gone,
/// and after the disk grows the same ingest ends as a clean one would.
#[test]
fn a_full_disk_keeps_the_last_commit_and_frees_the_failed_batch() {
    let dir = common::tempdir();
    let mnt = dir.path().join("small-disk");
    fs::create_dir(&mnt).unwrap();
    let mounted = is_root()
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
            .arg(&mnt)
            .status()
            .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "CI=true, and a tmpfs cannot be mounted (needs root)"
        );
        eprintln!("skipped: mounting a small tmpfs needs root (run as root, as CI does)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mnt);
    let pages = corpus(dir.path(), 600);
    let index = mnt.join("index");
    let ingest_on_mnt = || {
        run_in(
            dir.path(),
            &[
                "--index".as_ref(),
                index.as_os_str(),
                "ingest".as_ref(),
                pages.as_os_str(),
                "--batch".as_ref(),
                "50".as_ref(),
            ],
        )
    };
    let run = ingest_on_mnt();
    assert_eq!(run.code, Some(1), "the index fitted: {}", run.describe());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.describe());
    for words in [
        "disk is full",
        "last commit is intact",
        "run the same ingest again",
    ] {
        assert!(run.stderr.contains(words), "{words}: {}", run.describe());
    }
    assert!(!run.panicked());
    // What was committed answers, and only its files are left.
    let stats_on_mnt = || {
        let run = run_in(
            dir.path(),
            &[
                "--index".as_ref(),
                index.as_os_str(),
                "stats".as_ref(),
                "--json".as_ref(),
            ],
        );
        assert_eq!(run.code, Some(0), "{}", run.describe());
        serde_json::from_str::<Stats>(run.stdout.trim()).unwrap()
    };
    let partial = stats_on_mnt();
    assert!(partial.sources > 0 && partial.sources < 600, "{partial:?}");
    let generation = fs::read_to_string(index.join("CURRENT")).unwrap();
    let data = index.join(generation.trim());
    let meta = fs::read_to_string(data.join("meta.json")).unwrap();
    for e in fs::read_dir(&data).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some((segment, _)) = name.split_once('.')
            && !segment.is_empty()
            && name != "meta.json"
        {
            let dashed = meta.contains(&segment.to_string());
            let plain = meta.replace('-', "").contains(segment);
            assert!(
                dashed || plain,
                "{name}: a file of the failed batch is left"
            );
        }
    }
    // A rebuild needs room for a second generation: it fails the same way,
    // and the live index stays as it was, with nothing left beside it.
    let run = run_in(
        dir.path(),
        &["--index".as_ref(), index.as_os_str(), "rebuild".as_ref()],
    );
    assert_eq!(run.code, Some(1), "the rebuild fitted: {}", run.describe());
    assert!(
        run.stderr.contains("disk is full") && run.stderr.contains("live index is unchanged"),
        "{}",
        run.describe()
    );
    assert_eq!(stats_on_mnt(), partial);
    assert_eq!(
        names_in(&index)
            .iter()
            .filter(|n| n.starts_with("gen-"))
            .count(),
        1,
        "{:?}",
        names_in(&index)
    );
    // More room: the same ingest resumes and ends as a clean ingest.
    let grown = Command::new("mount")
        .args(["-o", "remount,size=64m"])
        .arg(&mnt)
        .status()
        .unwrap();
    assert!(grown.success());
    let run = ingest_on_mnt();
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let clean = common::tempdir();
    ingest(clean.path(), &pages, &[]);
    assert_eq!(stats_on_mnt(), stats(clean.path()));
}
