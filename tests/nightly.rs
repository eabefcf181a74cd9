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

/// Every file of the index folder with its length and mtime.
fn snapshot(index: &Path) -> Vec<(String, u64, SystemTime)> {
    let mut v: Vec<_> = fs::read_dir(index)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
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
        if index_of(dir.path()).join("meta.json").exists() {
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
