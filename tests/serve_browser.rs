//! The web page of `jianghua serve` in a real browser: Debian's headless
//! Chromium driven over WebDriver (chromedriver) by fantoccini. A user types
//! a query and sees highlighted passages, opens a speech, follows a copied
//! link, counts two phrases and sees the chart's bars match the API's
//! counts, downloads a CSV, and a page with hostile text runs no script.
//! Screenshots go to `target/screenshots/`.
//!
//! Without `chromium` and `chromedriver` (`apt-get install chromium
//! chromium-driver`) the test says it is skipped; with `CI=true` it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{Server, enc};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

fn skip_or_fail(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true, and the browser test cannot run: {why}");
    }
    eprintln!("skipped: {why}");
}

/// The first of `names` found as an executable on `PATH` or as given.
fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        let p = Path::new(name);
        if p.is_absolute() && p.is_file() {
            return Some(p.to_owned());
        }
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start(bin: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture_index(dir: &Path) -> PathBuf {
    // Hostile text where the page shows it: the file name (the source), a
    // title and passages with markup-like text and a javascript: link.
    common::server::fixture_index_with(
        dir,
        (
            "<img src=x onerror=window.__xss=1>.txt",
            "在全县招商引资推进会上的讲话\n\n同志们:\n\n招商引资是头等大事,javascript:window.__xss=3 要抓好百日会战,确保双过半。\n\n\
             百日会战期间,\"引号\" & 符号 '单引号' 也要原样显示,百日会战要见实效。\n",
        ),
    )
}

/// Waits up to 15 s for `css` to match at least one element.
async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    let start = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            return e;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no {css} on the page"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for `check` (a script returning true) to hold.
async fn wait_true(c: &Client, what: &str, check: &str) {
    let start = Instant::now();
    loop {
        if c.execute(check, vec![]).await.ok() == Some(Value::Bool(true)) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "never true: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the first element matching `css`.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.expect("find_all") {
        out.push(e.text().await.expect("text"));
    }
    out
}

async fn screenshot(c: &Client, name: &str) {
    let dir = common::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(dir.join(name), png).expect("write the screenshot");
}

/// No script of the page's text ran: the marker stays unset, no alert.
async fn no_script_ran(c: &Client, when: &str) {
    let marker = c
        .execute("return typeof window.__xss", vec![])
        .await
        .expect("execute");
    assert_eq!(marker, json!("undefined"), "a hostile script ran ({when})");
    assert!(
        c.get_alert_text().await.is_err(),
        "an alert opened ({when})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_searches_counts_and_reads_in_the_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["/usr/bin/chromium", "chromium", "chromium-browser"]),
        find(&["/usr/bin/chromedriver", "chromedriver"]),
    ) else {
        return skip_or_fail("chromium or chromedriver is not installed");
    };
    let dir = common::tempdir();
    let index = fixture_index(dir.path());
    let server = Server::start(&index, &[]);
    let driver = Driver::start(&chromedriver);
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).expect("downloads");
    let profile = dir.path().join("profile");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
            },
        }
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session");
    let base = &server.base;

    // Search: type a query, see ranked passages with the phrase marked.
    c.goto(&format!("{base}/")).await.expect("open the page");
    let q = wait_css(&c, "#q").await;
    q.send_keys("百日会战").await.expect("type");
    click(&c, "#search-form button[type=submit]").await;
    wait_css(&c, "li.result").await;
    let api = server
        .get(&format!("/api/search?q={}", enc("百日会战")))
        .json();
    let total = api["total"].as_u64().expect("a total");
    wait_true(
        &c,
        "the total is shown",
        &format!("return document.querySelector('#total').textContent.includes('{total}')"),
    )
    .await;
    let marks = texts(&c, "li.result p.result-text mark").await;
    assert!(!marks.is_empty(), "no highlight");
    for m in &marks {
        assert!(
            ["百日会战", "百日會戰"].contains(&m.as_str()),
            "marked {m:?}"
        );
    }
    let results = c
        .find_all(Locator::Css("li.result"))
        .await
        .expect("results");
    assert_eq!(results.len(), api["results"].as_array().map_or(0, Vec::len));
    screenshot(&c, "search.png").await;

    // A copied link reproduces the page.
    let link = c.current_url().await.expect("url").to_string();
    assert!(link.contains("#/search"), "{link}");
    c.goto(&format!("{base}/#/mentions"))
        .await
        .expect("elsewhere");
    c.goto(&link).await.expect("the copied link");
    wait_css(&c, "li.result").await;
    let first_again = texts(&c, "li.result p.result-text").await;
    assert!(
        first_again[0].starts_with(&api["results"][0]["text"].as_str().unwrap_or("")[..6]),
        "the link shows another page: {}",
        first_again[0]
    );

    // Open the first speech: every occurrence of the phrase is marked.
    click(&c, "li.result a.result-speech").await;
    wait_css(&c, "#speech-title").await;
    let doc = api["results"][0]["doc_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let count = server
        .get(&format!(
            "/api/mentions?phrase={}&speech={doc}&count=1",
            enc("百日会战")
        ))
        .json()["phrases"][0]["count"]["occurrences"]
        .as_u64()
        .expect("a count");
    let marked = "return document.querySelectorAll('#speech article.passage mark, #speech-title mark').length";
    let start = Instant::now();
    while c.execute(marked, vec![]).await.expect("marks") != json!(count) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{} of the {count} occurrences in the speech are marked",
            c.execute(marked, vec![]).await.expect("marks")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&c, "speech.png").await;

    // Mentions of two phrases: totals, and bars that add up to the counts.
    let phrases = ["百日会战", "双过半"];
    c.goto(&format!(
        "{base}/#/mentions?phrase={}&phrase={}",
        enc(phrases[0]),
        enc(phrases[1])
    ))
    .await
    .expect("mentions");
    wait_css(&c, "svg#chart rect.bar").await;
    let by_month = server
        .get(&format!(
            "/api/mentions?phrase={}&phrase={}&by=month",
            enc(phrases[0]),
            enc(phrases[1])
        ))
        .json();
    for (i, phrase) in phrases.iter().enumerate() {
        let entry = &by_month["phrases"][i];
        let total = entry["count"]["occurrences"].as_u64().expect("a total");
        let shown = c
            .execute(
                "return document.querySelector(`span.phrase-total[data-phrase=\"${arguments[0]}\"]`).textContent",
                vec![json!(phrase)],
            )
            .await
            .expect("a total on the page");
        assert_eq!(shown, json!(total.to_string()), "{phrase}");
        for g in entry["groups"].as_array().expect("groups") {
            let Some(period) = g["group"].as_str() else {
                continue;
            };
            let bar = c
                .execute(
                    "const r = document.querySelector(`rect.bar[data-phrase=\"${arguments[0]}\"][data-period=\"${arguments[1]}\"]`); return r ? Number(r.getAttribute('data-count')) : -1",
                    vec![json!(phrase), json!(period)],
                )
                .await
                .expect("a bar");
            assert_eq!(bar, json!(g["occurrences"]), "{phrase} {period}");
        }
        let charted: u64 = entry["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .filter(|g| g["group"].is_string())
            .map(|g| g["occurrences"].as_u64().unwrap_or(0))
            .sum();
        let bars = c
            .execute(
                "return [...document.querySelectorAll(`rect.bar[data-phrase=\"${arguments[0]}\"]`)].reduce((s, r) => s + Number(r.getAttribute('data-count')), 0)",
                vec![json!(phrase)],
            )
            .await
            .expect("the bars");
        assert_eq!(
            bars,
            json!(charted),
            "{phrase}: the bars add up to the dated count"
        );
    }
    wait_css(&c, "#kwic .kwic-line mark.match").await;
    screenshot(&c, "mentions.png").await;

    // Download the per-month CSV: the API's rows, saved by the browser.
    click(&c, "a#csv-month").await;
    let expected = server
        .get(&format!(
            "/api/mentions?phrase={}&phrase={}&by=month&format=csv",
            enc(phrases[0]),
            enc(phrases[1])
        ))
        .body;
    let file = downloads.join("mentions-by-month.csv");
    let start = Instant::now();
    while !file.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no CSV was downloaded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(std::fs::read_to_string(&file).expect("the CSV"), expected);

    // A phone screen.
    c.set_window_size(390, 844).await.expect("resize");
    tokio::time::sleep(Duration::from_millis(500)).await;
    screenshot(&c, "mentions-phone.png").await;
    c.set_window_size(1280, 1000).await.expect("resize");

    // Hostile text shows as text and runs nothing.
    c.goto(&format!("{base}/#/search?q={}", enc("头等大事")))
        .await
        .expect("search");
    wait_css(&c, "li.result").await;
    let sources = texts(&c, "li.result .result-source").await;
    assert!(
        sources
            .iter()
            .any(|s| s.contains("<img src=x onerror=window.__xss=1>")),
        "the hostile file name is not shown as text: {sources:?}"
    );
    no_script_ran(&c, "search").await;
    click(&c, "li.result a.result-speech").await;
    wait_css(&c, "#speech-title").await;
    no_script_ran(&c, "speech").await;
    for hash in [
        format!("#/search?q={}", enc("<img src=x onerror=window.__xss=1>")),
        format!(
            "#/mentions?phrase={}",
            enc("<script>window.__xss=1</script>")
        ),
        format!("#/speech/{}", enc("\"><img src=x onerror=window.__xss=1>")),
    ] {
        c.goto(&format!("{base}/{hash}"))
            .await
            .expect("a hostile link");
        tokio::time::sleep(Duration::from_millis(800)).await;
        no_script_ran(&c, &hash).await;
    }
    c.close().await.expect("close the session");
    drop(driver);
}
