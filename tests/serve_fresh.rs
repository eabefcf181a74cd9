//! `jianghua serve` stays fresh without a restart: it sees a new commit of
//! `ingest` within seconds, and keeps answering, without one failed
//! request, while a `rebuild` builds a new generation and swaps it in.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::server::{Server, enc};

const PAGE: &str =
    "在全市项目建设推进会上的讲话\n\n同志们:\n\n项目建设是经济工作的生命线,要抓好百日会战。\n";

fn ingest(index: &Path, folder: &Path) {
    common::ingest(index, &[folder]);
}

/// The occurrences of `phrase` the server counts now.
fn count(server: &Server, phrase: &str) -> u64 {
    let a = server.get(&format!("/api/mentions?phrase={}&count=1", enc(phrase)));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["phrases"][0]["count"]["occurrences"]
        .as_u64()
        .expect("a count")
}

/// Waits up to `within` for `ok`.
fn eventually(within: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    ok()
}

#[test]
fn a_commit_of_ingest_is_seen_within_seconds() {
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("pages");
    std::fs::write(pages.join("a.gov.cn_1.txt"), PAGE).expect("page");
    let index = dir.path().join("ix");
    ingest(&index, &pages);
    let server = Server::start(&index, &[]);
    assert_eq!(count(&server, "百日会战"), 1);
    assert_eq!(count(&server, "双过半"), 0);
    std::fs::write(
        pages.join("b.gov.cn_2.txt"),
        "在全市经济运行调度会上的讲话\n\n同志们:\n\n上半年要确保双过半,百日会战要见实效。\n",
    )
    .expect("page");
    ingest(&index, &pages);
    assert!(
        eventually(Duration::from_secs(10), || count(&server, "双过半") == 1),
        "the new page was not seen within 10 s"
    );
    assert_eq!(count(&server, "百日会战"), 2);
}

#[test]
fn requests_never_fail_across_a_rebuild_and_the_new_state_is_seen() {
    let dir = common::tempdir();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("pages");
    // Enough pages that the rebuild takes a while.
    for i in 0..60 {
        std::fs::write(
            pages.join(format!("site{}.gov.cn_{i}.txt", i % 5)),
            format!("在第{i}次项目建设推进会上的讲话\n\n同志们:\n\n项目建设是经济工作的生命线,第{i}批项目要抓好百日会战。\n"),
        )
        .expect("page");
    }
    let index = dir.path().join("ix");
    ingest(&index, &pages);
    let server = Arc::new(Server::start(&index, &[]));
    assert_eq!(count(&server, "百日会战"), 60);
    // A changed page, which the rebuild reads again.
    std::fs::write(
        pages.join("site0.gov.cn_0.txt"),
        "在第0次项目建设推进会上的讲话\n\n同志们:\n\n百日会战要确保双过半,双过半是硬任务。\n",
    )
    .expect("page");

    let done = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (server, done, ok, failed) = (
                Arc::clone(&server),
                Arc::clone(&done),
                Arc::clone(&ok),
                Arc::clone(&failed),
            );
            std::thread::spawn(move || {
                let paths = [
                    format!("/api/mentions?phrase={}&count=1", enc("百日会战")),
                    format!("/api/search?q={}", enc("项目建设")),
                    "/api/stats".to_owned(),
                    format!("/api/mentions?phrase={}&by=site", enc("项目")),
                ];
                let mut i = c;
                while !done.load(Ordering::SeqCst) {
                    let path = &paths[i % paths.len()];
                    match server.try_get(path) {
                        Ok(a) if a.status == 200 => ok.fetch_add(1, Ordering::SeqCst),
                        Ok(a) => {
                            eprintln!("{path}: {} {}", a.status, a.body);
                            failed.fetch_add(1, Ordering::SeqCst)
                        }
                        Err(e) => {
                            eprintln!("{path}: {e}");
                            failed.fetch_add(1, Ordering::SeqCst)
                        }
                    };
                    i += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let run = common::run(&["--index".as_ref(), index.as_os_str(), "rebuild".as_ref()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let seen = eventually(Duration::from_secs(10), || count(&server, "双过半") == 2);
    std::thread::sleep(Duration::from_millis(300));
    done.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().expect("a client");
    }
    assert!(seen, "the rebuilt state was not seen within 10 s");
    assert_eq!(failed.load(Ordering::SeqCst), 0, "failed requests");
    assert!(ok.load(Ordering::SeqCst) > 20, "too few requests ran");
    assert_eq!(count(&server, "百日会战"), 60);
}
