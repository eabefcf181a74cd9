//! `jianghua clean` on hostile input: pages built to make the pipeline work
//! without end, files that are not regular files, standard input. Every run
//! has a watchdog: a run that is not done in time is killed and the
//! test fails, so a regression fails instead of hanging the test suite.
//! Nothing here asserts how fast a run is (the benchmarks measure that).

mod common;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Run;

/// How long a run on a small input may take before the watchdog kills it:
/// far beyond what it needs, even in a debug build on a loaded machine.
const WATCHDOG: Duration = Duration::from_secs(20);

/// The watchdog for the runs on pages of megabytes (a debug build needs
/// seconds for them).
const BIG_WATCHDOG: Duration = Duration::from_secs(120);

/// Runs `jianghua ARGS` in `cwd` with `stdin` fed to it, killing it (and
/// failing the test) when it is not done within `watchdog`.
fn run_watched<S: AsRef<OsStr>>(
    cwd: &Path,
    args: &[S],
    stdin: Option<&[u8]>,
    watchdog: Duration,
) -> Run {
    let mut child = Command::new(common::bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("JIANGHUA_INDEX", cwd.join("jianghua-test-index"))
        .env_remove("RUST_BACKTRACE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", common::bin().display()));
    let feeder = child
        .stdin
        .take()
        .zip(stdin.map(<[u8]>::to_vec))
        .map(|(mut pipe, bytes)| {
            // A broken pipe is the binary refusing the input early: fine.
            std::thread::spawn(move || drop(pipe.write_all(&bytes)))
        });
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let code = wait_or_kill(&mut child, args, watchdog);
    drop(feeder.map(std::thread::JoinHandle::join));
    Run {
        args: args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect(),
        code,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Reads a child's pipe to the end on a thread of its own.
fn reader(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            drop(pipe.read_to_end(&mut bytes));
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for the child; kills it and panics after `watchdog`.
fn wait_or_kill<S: AsRef<OsStr>>(child: &mut Child, args: &[S], watchdog: Duration) -> Option<i32> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if started.elapsed() < watchdog => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                drop(child.kill());
                drop(child.wait());
                let args: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
                panic!(
                    "`jianghua {}` was still running after {watchdog:?}: killed",
                    args.join(" ")
                );
            }
            Err(e) => panic!("cannot wait for jianghua: {e}"),
        }
    }
}

/// The paragraph that must come out of every hostile page.
const PARAGRAPH: &str =
    "同志们,今年全县招商引资要盯紧先进制造业项目,做到签约一批、开工一批、投产一批。";

/// A speech page with `depth` nested `open` … `close` tags around it.
fn nested_page(open: &str, close: &str, depth: usize) -> String {
    format!(
        "<html><body>{}<h1>在全县招商引资推进会上的讲话</h1><p>{PARAGRAPH}</p>{}</body></html>",
        open.repeat(depth),
        close.repeat(depth)
    )
}

/// `clean FILE --json` must succeed and give `PARAGRAPH` as a passage.
fn check_gives_the_paragraph(dir: &Path, name: &str, page: &str) {
    std::fs::write(dir.join(name), page).expect("write the page");
    let run = run_watched(dir, &["clean", name, "--json"], None, BIG_WATCHDOG);
    assert_eq!(run.code, Some(0), "{name}: {}", run.describe());
    let speeches = common::parse_speeches(&run.stdout, false).expect("JSON Lines");
    let found = common::find_passages(&speeches, PARAGRAPH);
    assert!(
        found.iter().any(|(_, p)| p.text == PARAGRAPH),
        "{name}: the paragraph is not a passage of its own: {found:?}"
    );
}

/// Through the binary, with the per-file budget on (a million nested tags,
/// the unit test in `pipeline::extract`, take a debug build longer than
/// that): pages of 100,000 and more nested tags, which took minutes before
/// the depth cap.
#[test]
fn deeply_nested_pages_still_give_the_paragraph() {
    let dir = common::tempdir();
    check_gives_the_paragraph(
        dir.path(),
        "div.html",
        &nested_page("<div>", "</div>", 100_000),
    );
    // Inline nesting, and blocks never closed.
    check_gives_the_paragraph(
        dir.path(),
        "span.html",
        &nested_page("<span><b>", "</b></span>", 100_000),
    );
    check_gives_the_paragraph(
        dir.path(),
        "unclosed.html",
        &nested_page("<div>", "", 200_000),
    );
}

/// Main-content selection on pages shaped to make it work hard: tens of
/// thousands of sibling content boxes (every one a main block), chrome
/// boxes nested 500 deep around the text, and `<time>` elements nested 500
/// deep (each read for a date).
#[test]
fn layout_shaped_pages_still_give_the_paragraph() {
    let dir = common::tempdir();
    let boxes = format!("<div class=\"content\"><p>{PARAGRAPH}</p></div>").repeat(50_000);
    check_gives_the_paragraph(
        dir.path(),
        "siblings.html",
        &format!("<html><body><div class=\"main\">{boxes}</div></body></html>"),
    );
    check_gives_the_paragraph(
        dir.path(),
        "chrome.html",
        &nested_page(
            "<div class=\"side share\"><a href=\"javascript:;\">分享</a>",
            "</div>",
            500,
        ),
    );
    check_gives_the_paragraph(
        dir.path(),
        "time.html",
        &nested_page("<time>2024-01-01", "</time>", 500),
    );
}

/// One line of half a megabyte with noise in every sentence (a stray mark,
/// a jammer run): the rules search a line again after every
/// cut, so this took seconds per hundred kilobytes until long lines were
/// cleaned a chunk at a time. Every sentence must come out, cleaned.
#[test]
fn a_long_line_full_of_inline_noise_is_cleaned_whole() {
    let dir = common::tempdir();
    let sentence = "今天召开全县大会,部署招商引资工作。";
    let noisy = "今天召开全县大会,部署招商.引资工作。";
    let jammed = "今天召开全县大会,部署 q5 T# u! ^' Z3 招商引资工作。";
    let line = [noisy, jammed].concat().repeat(6_000);
    std::fs::write(
        dir.path().join("long.txt"),
        format!("在全县大会上的讲话\n{line}\n"),
    )
    .expect("write the page");
    let run = run_watched(
        dir.path(),
        &["clean", "long.txt", "--json"],
        None,
        BIG_WATCHDOG,
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let speeches = common::parse_speeches(&run.stdout, false).expect("JSON Lines");
    let text: String = speeches[0]
        .passages
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    let start: String = text.chars().take(100).collect();
    assert_eq!(text.matches(sentence).count(), 12_000, "{start}");
    for junk in [".", "T#"] {
        assert!(!text.contains(junk), "{junk} left in");
    }
}

/// `clean PATH --json` must exit 1 at once with one sentence naming `path`
/// and saying what it is.
fn check_refused(dir: &Path, path: &Path, kind: &str) {
    let run = run_watched(
        dir,
        &[OsStr::new("clean"), path.as_os_str(), OsStr::new("--json")],
        None,
        WATCHDOG,
    );
    let shown = path.display().to_string();
    assert_eq!(run.code, Some(1), "{shown}: {}", run.describe());
    if let Err(e) = common::check_error_line(&run, &shown) {
        panic!("{shown}: {e}");
    }
    let want = format!("it is {kind}, not a regular file");
    assert!(
        run.stderr.contains(&want),
        "{shown}: expected {want:?}: {}",
        run.describe()
    );
    assert!(
        run.stdout.trim().is_empty(),
        "{shown}: printed {:?}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_named_and_skipped_not_waited_on() {
    let dir = common::tempdir();
    let fifo = dir.path().join("讲话.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo {} failed",
        fifo.display()
    );
    check_refused(dir.path(), &fifo, "a FIFO");
    // Named relative to the working directory, as given.
    check_refused(dir.path(), Path::new("讲话.fifo"), "a FIFO");
}

#[cfg(unix)]
#[test]
fn sockets_and_devices_are_named_and_skipped() {
    let dir = common::tempdir();
    let socket = dir.path().join("page.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind a socket");
    check_refused(dir.path(), &socket, "a socket");
    check_refused(dir.path(), Path::new("/dev/null"), "a character device");
}

/// `clean NAME --json` on `bytes` written to `dir/NAME`.
fn clean_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Run {
    std::fs::write(dir.join(name), bytes).expect("write the file");
    run_watched(dir, &["clean", name, "--json"], None, WATCHDOG)
}

#[test]
fn empty_and_whitespace_only_files_have_their_own_reasons() {
    let dir = common::tempdir();
    for (name, bytes, reason) in [
        ("empty.txt", b"".as_slice(), "the file is empty"),
        ("bom.txt", b"\xEF\xBB\xBF", "the file is empty"),
        (
            "blank.txt",
            " \n\t\r\n\u{3000}\n".as_bytes(),
            "the file holds only whitespace",
        ),
    ] {
        let run = clean_bytes(dir.path(), name, bytes);
        assert_eq!(run.code, Some(1), "{name}: {}", run.describe());
        if let Err(e) = common::check_error_line(&run, name) {
            panic!("{name}: {e}");
        }
        assert!(
            run.stderr.contains(reason),
            "{name}: expected {reason:?}: {}",
            run.describe()
        );
    }
}

#[test]
fn utf16_without_a_bom_is_read_in_either_byte_order() {
    let dir = common::tempdir();
    // Full-width punctuation only: the UTF-16 bytes hold hardly any NUL.
    let page = format!(
        "在全县招商引资推进会上的讲话\n{}\n",
        PARAGRAPH.replace(',', "，")
    );
    for (name, big_endian) in [("le.txt", false), ("be.txt", true)] {
        let bytes: Vec<u8> = page
            .encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        let run = clean_bytes(dir.path(), name, &bytes);
        assert_eq!(run.code, Some(0), "{name}: {}", run.describe());
        let speeches = common::parse_speeches(&run.stdout, false).expect("JSON Lines");
        let want = PARAGRAPH.replace(',', "，");
        let found = common::find_passages(&speeches, &want);
        assert!(
            !found.is_empty(),
            "{name}: {want:?} not found in {speeches:?}"
        );
        let encoding = if big_endian { "UTF-16BE" } else { "UTF-16LE" };
        assert!(
            speeches.iter().all(|s| s.encoding == encoding),
            "{name}: {speeches:?}"
        );
    }
}

#[test]
fn clean_dash_reads_standard_input() {
    let dir = common::tempdir();
    let page = format!(
        "<html><body><h1>在全县招商引资推进会上的讲话</h1><p>{PARAGRAPH}</p></body></html>"
    );
    let run = run_watched(
        dir.path(),
        &["clean", "-", "--json"],
        Some(page.as_bytes()),
        WATCHDOG,
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let speeches = common::parse_speeches(&run.stdout, false).expect("JSON Lines");
    assert!(
        !common::find_passages(&speeches, PARAGRAPH).is_empty(),
        "{speeches:?}"
    );
    assert!(
        speeches.iter().all(|s| s.source == "(stdin)"),
        "{speeches:?}"
    );

    let human = run_watched(dir.path(), &["clean", "-"], Some(page.as_bytes()), WATCHDOG);
    assert_eq!(human.code, Some(0), "{}", human.describe());
    assert!(human.stdout.contains(PARAGRAPH), "{}", human.stdout);

    let empty = run_watched(dir.path(), &["clean", "-", "--json"], Some(b""), WATCHDOG);
    assert_eq!(empty.code, Some(1), "{}", empty.describe());
    if let Err(e) = common::check_error_line(&empty, "(stdin)") {
        panic!("empty stdin: {e}");
    }
    assert!(
        empty.stderr.contains("the file is empty"),
        "{}",
        empty.describe()
    );
}

#[test]
fn standard_input_has_the_size_limit_too() {
    let dir = common::tempdir();
    let huge = vec![b'a'; jianghua::pipeline::decode::MAX_BYTES + 1];
    let run = run_watched(dir.path(), &["clean", "-"], Some(&huge), WATCHDOG);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    if let Err(e) = common::check_error_line(&run, "(stdin)") {
        panic!("oversized stdin: {e}");
    }
    assert!(run.stderr.contains("too large"), "{}", run.describe());
}

#[test]
fn clean_help_mentions_standard_input() {
    let dir = common::tempdir();
    let run = run_watched(dir.path(), &["clean", "--help"], None, WATCHDOG);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stdout.contains("standard input"), "{}", run.stdout);
}
