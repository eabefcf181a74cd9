//! The web API of `jianghua serve`, against a real server on an ephemeral
//! loopback port over the fixture pages: every endpoint gives what the CLI's
//! `--json` (or `--csv`) gives for the same request, every error is a 4xx
//! with the CLI's sentence, the page is served with its assets and a
//! Content-Security-Policy, and SIGTERM stops the server.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::server::{Server, enc};
use serde_json::Value;

/// An index of the fixture pages, plus one page with a hostile file name.
fn fixture_index(dir: &Path) -> PathBuf {
    common::server::fixture_index_with(
        dir,
        (
            "<img src=x onerror=alert(1)>.txt",
            "在全县招商引资推进会上的讲话\n\n同志们:\n\n招商引资是全县工作的重中之重,要抓好百日会战。\n",
        ),
    )
}

/// `jianghua --index INDEX ARGS…`: stdout, or the stderr sentence.
fn cli(index: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all: Vec<&std::ffi::OsStr> = vec!["--index".as_ref(), index.as_os_str()];
    all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
    let run = common::run(&all);
    (run.code, run.stdout, run.stderr)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The sentence the CLI printed on stderr (`jianghua: …`).
fn sentence(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("jianghua: "))
        .unwrap_or_else(|| panic!("no sentence in {stderr:?}"))
        .to_owned()
}

struct Fixture {
    _dir: tempfile::TempDir,
    index: PathBuf,
    server: Server,
}

fn fixture() -> Fixture {
    let dir = common::tempdir();
    let index = fixture_index(dir.path());
    let server = Server::start(&index, &[]);
    Fixture {
        _dir: dir,
        index,
        server,
    }
}

#[test]
fn search_answers_what_the_cli_answers() {
    let f = fixture();
    for (q, extra) in [
        ("招商引资", vec![]),
        ("营商环境 \"一网通办\"", vec![]),
        ("招商引资 -会员", vec![("limit", "3"), ("offset", "2")]),
        ("百日会战 OR 双过半", vec![("sort", "date")]),
        ("招商引資", vec![("since", "2020"), ("until", "2024-06")]),
        ("title:讲话", vec![("limit", "20")]),
        ("招商引资", vec![("explain", "1"), ("limit", "2")]),
    ] {
        let mut url = format!("/api/search?q={}", enc(q));
        let mut args = vec!["search", q, "--json"];
        for (k, v) in &extra {
            url.push_str(&format!("&{k}={}", enc(v)));
        }
        let flags: Vec<String> = extra
            .iter()
            .flat_map(|(k, v)| {
                if *k == "explain" {
                    vec!["--explain".to_owned()]
                } else {
                    vec![format!("--{k}"), (*v).to_owned()]
                }
            })
            .collect();
        args.extend(flags.iter().map(String::as_str));
        let a = f.server.get(&url);
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        assert_eq!(a.content_type, "application/json");
        let v = a.json();
        let (code, out, err) = cli(&f.index, &args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert_eq!(v["results"], Value::Array(json_lines(&out)), "{url}");
        assert_eq!(v["query"], q);
        // The total: the same filters, no page.
        let filters: Vec<String> = extra
            .iter()
            .filter(|(k, _)| ["sort", "since", "until"].contains(k))
            .flat_map(|(k, v)| [format!("--{k}"), (*v).to_owned()])
            .collect();
        let mut count_args = vec!["search", q, "--limit", "0"];
        count_args.extend(filters.iter().map(String::as_str));
        let (_, total, _) = cli(&f.index, &count_args);
        assert!(
            total.contains(&format!("of {} matching", v["total"])),
            "{url}: total {} vs {total}",
            v["total"]
        );
    }
}

/// Phrases cut at random places out of the fixtures' passages (a fixed
/// seed), one to six chars long, and some that occur nowhere.
fn random_phrases(index: &Path, n: usize) -> Vec<String> {
    let (_, out, _) = cli(index, &["search", "的", "--json", "--limit", "100"]);
    let texts: Vec<Vec<char>> = json_lines(&out)
        .iter()
        .map(|v| v["text"].as_str().unwrap_or("").chars().collect())
        .filter(|t: &Vec<char>| t.len() > 8)
        .collect();
    assert!(!texts.is_empty());
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut phrases = vec![
        "不存在的短语乙丙".to_owned(),
        "招商引資".to_owned(),
        "哈哈".to_owned(),
    ];
    while phrases.len() < n {
        let t = &texts[(next() % texts.len() as u64) as usize];
        let len = 1 + (next() % 6) as usize;
        let start = (next() % (t.len() - len) as u64) as usize;
        let p: String = t[start..start + len].iter().collect();
        if !p.trim().is_empty() && !p.starts_with('-') {
            phrases.push(p);
        }
    }
    phrases
}

#[test]
fn mentions_counts_equal_the_cli_for_random_phrases() {
    let f = fixture();
    for phrase in random_phrases(&f.index, 40) {
        let a = f
            .server
            .get(&format!("/api/mentions?phrase={}&count=1", enc(&phrase)));
        assert_eq!(a.status, 200, "{phrase}: {}", a.body);
        let (code, out, err) = cli(&f.index, &["mentions", "--count", "--json", "--", &phrase]);
        assert_eq!(code, Some(0), "{phrase}: {err}");
        assert_eq!(
            a.json()["phrases"][0]["count"],
            json_lines(&out)[0],
            "{phrase:?}"
        );
    }
}

#[test]
fn mentions_groups_and_pages_equal_the_cli() {
    let f = fixture();
    // Several phrases, each its own series, grouped by month.
    let a = f
        .server
        .get("/api/mentions?phrase=%E6%8B%9B%E5%95%86%E5%BC%95%E8%B5%84&phrase=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&by=month");
    assert_eq!(a.status, 200, "{}", a.body);
    let v = a.json();
    let (_, out, _) = cli(
        &f.index,
        &[
            "mentions",
            "招商引资",
            "营商环境",
            "--by",
            "month",
            "--json",
        ],
    );
    let lines = json_lines(&out);
    let phrases = v["phrases"].as_array().expect("phrases");
    assert_eq!(phrases.len(), 2);
    let mut api_groups: Vec<Value> = Vec::new();
    for p in phrases {
        api_groups.extend(p["groups"].as_array().expect("groups").iter().cloned());
    }
    assert_eq!(api_groups, lines);
    for by in ["speech", "site", "year"] {
        let a = f
            .server
            .get(&format!("/api/mentions?phrase={}&by={by}", enc("招商引资")));
        let (_, out, _) = cli(&f.index, &["mentions", "招商引资", "--by", by, "--json"]);
        assert_eq!(
            a.json()["phrases"][0]["groups"],
            Value::Array(json_lines(&out)),
            "by {by}"
        );
    }
    // Pages of the listing, as `--offset`/`--limit` give them.
    for (offset, limit, context) in [(0, 5, 20), (3, 4, 5), (0, 1000, 0), (10_000, 5, 20)] {
        let a = f.server.get(&format!(
            "/api/mentions?phrase={}&offset={offset}&limit={limit}&context={context}",
            enc("招商引资")
        ));
        assert_eq!(a.status, 200, "{}", a.body);
        let (o, l, c) = (offset.to_string(), limit.to_string(), context.to_string());
        let (_, out, _) = cli(
            &f.index,
            &[
                "mentions",
                "招商引资",
                "--json",
                "--offset",
                &o,
                "--limit",
                &l,
                "--context",
                &c,
            ],
        );
        let v = a.json();
        assert_eq!(
            v["phrases"][0]["occurrences"],
            Value::Array(json_lines(&out))
        );
        let (_, count, _) = cli(&f.index, &["mentions", "招商引资", "--count", "--json"]);
        assert_eq!(v["phrases"][0]["count"], json_lines(&count)[0]);
    }
    // One speech's occurrences (the speech view marks them).
    let (_, all, _) = cli(
        &f.index,
        &["mentions", "招商引资", "--json", "--context", "0"],
    );
    let all = json_lines(&all);
    let id = all[all.len() / 2]["doc_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let mine: Vec<Value> = all
        .iter()
        .filter(|o| o["doc_id"] == id.as_str())
        .cloned()
        .collect();
    for speech in [id.clone(), id[..6].to_owned()] {
        let a = f.server.get(&format!(
            "/api/mentions?phrase={}&speech={speech}&context=0&limit=1000",
            enc("招商引资")
        ));
        let v = a.json();
        assert_eq!(v["phrases"][0]["occurrences"], Value::Array(mine.clone()));
        assert_eq!(v["phrases"][0]["count"]["occurrences"], mine.len());
        let a = f.server.get(&format!(
            "/api/mentions?phrase={}&speech={speech}&count=1",
            enc("招商引资")
        ));
        assert_eq!(a.json()["phrases"][0]["count"]["occurrences"], mine.len());
    }
    assert_eq!(
        f.server
            .get("/api/mentions?phrase=a&speech=0123456789abcdef")
            .json()["phrases"][0]["count"]["occurrences"],
        0
    );
    assert_eq!(f.server.get("/api/mentions?phrase=a&speech=zz").status, 400);
    assert_eq!(
        f.server.get("/api/mentions?phrase=a&speech=fffff").status,
        404
    );
    // CSV: the rows of --csv.
    for (query, args) in [
        ("&by=month", vec!["--by", "month"]),
        ("&by=site", vec!["--by", "site"]),
        ("&count=1", vec!["--count"]),
        ("&limit=1000", vec!["--limit", "1000"]),
    ] {
        let a = f.server.get(&format!(
            "/api/mentions?phrase={}{query}&format=csv",
            enc("招商引资")
        ));
        assert_eq!(a.status, 200);
        assert_eq!(a.content_type, "text/csv; charset=utf-8");
        assert!(
            a.header("content-disposition")
                .unwrap_or("")
                .starts_with("attachment")
        );
        let mut all = vec!["mentions", "招商引资", "--csv"];
        all.extend(args);
        let (_, out, _) = cli(&f.index, &all);
        assert_eq!(a.body, out, "{query}");
    }
    let a = f.server.get(&format!(
        "/api/search?q={}&format=csv&limit=100",
        enc("招商引资")
    ));
    let (_, out, _) = cli(&f.index, &["search", "招商引资", "--csv", "--limit", "100"]);
    assert_eq!(a.body, out);
}

#[test]
fn speeches_and_stats_equal_the_cli() {
    let f = fixture();
    let (_, out, _) = cli(&f.index, &["search", "招商引资", "--json", "--limit", "5"]);
    for hit in json_lines(&out) {
        let id = hit["doc_id"].as_str().expect("an id");
        let a = f.server.get(&format!("/api/speeches/{id}"));
        assert_eq!(a.status, 200);
        let (_, show, _) = cli(&f.index, &["show", id, "--json"]);
        assert_eq!(a.json(), json_lines(&show)[0]);
        // A unique prefix works as in the CLI.
        let a = f.server.get(&format!("/api/speeches/{}", &id[..8]));
        assert_eq!(a.json()["doc_id"], id);
    }
    let a = f.server.get("/api/stats");
    let (_, stats, _) = cli(&f.index, &["stats", "--json"]);
    let (mut api, mut cli_stats) = (a.json(), json_lines(&stats).remove(0));
    // The index's size on disk may differ by a lock file between the two reads.
    api["index_bytes"] = Value::Null;
    cli_stats["index_bytes"] = Value::Null;
    assert_eq!(api, cli_stats);
}

#[test]
fn every_error_is_a_sentence_with_a_4xx() {
    let f = fixture();
    let error = |path: &str, status: u16| -> String {
        let a = f.server.get(path);
        assert_eq!(a.status, status, "{path}: {}", a.body);
        assert_eq!(a.content_type, "application/json", "{path}");
        let v = a.json();
        let msg = v["error"].as_str().unwrap_or_else(|| panic!("{path}: {v}"));
        assert!(!msg.is_empty() && !msg.contains('\n'), "{path}: {msg:?}");
        msg.to_owned()
    };
    // A malformed query: the CLI's sentence.
    for q in ["\"abc", "-only", "   ", "A OR -B", &"长".repeat(1001)] {
        let msg = error(&format!("/api/search?q={}", enc(q)), 400);
        let (code, _, err) = cli(&f.index, &["search", q]);
        assert_eq!(code, Some(2));
        assert_eq!(msg, sentence(&err), "{q:?}");
    }
    let (_, _, err) = cli(&f.index, &["search", "招商", "--since", "2020-13"]);
    assert_eq!(error("/api/search?q=a&since=2020-13", 400), sentence(&err));
    let (_, _, err) = cli(&f.index, &["show", "ffff"]);
    assert_eq!(error("/api/speeches/ffff", 404), sentence(&err));
    let (_, _, err) = cli(&f.index, &["show", "xyz"]);
    assert_eq!(error("/api/speeches/xyz", 400), sentence(&err));
    error("/api/speeches/0123456789abcdef", 404);
    let (_, _, err) = cli(&f.index, &["mentions", &"长".repeat(1001)]);
    assert_eq!(
        error(
            &format!("/api/mentions?phrase={}", enc(&"长".repeat(1001))),
            400
        ),
        sentence(&err)
    );
    // The request itself.
    for path in [
        "/api/search",
        "/api/search?q=a&limit=101",
        "/api/search?q=a&limit=-1",
        "/api/search?q=a&offset=x",
        "/api/search?q=a&sort=best",
        "/api/search?q=a&q=b",
        "/api/search?q=a&bogus=1",
        "/api/search?q=a&explain=maybe",
        "/api/search?q=a&format=xml",
        "/api/mentions",
        "/api/mentions?phrase=a&by=week",
        "/api/mentions?phrase=a&by=month&count=1",
        "/api/mentions?phrase=a&limit=1001",
        "/api/mentions?phrase=a&context=201",
        "/api/mentions?phrase=a&since=yesterday",
        "/api/stats?x=1",
    ] {
        error(path, 400);
    }
    let eleven: String = (0..11).map(|i| format!("phrase={i}&")).collect();
    error(&format!("/api/mentions?{eleven}"), 400);
    error(&format!("/api/search?q={}", "a".repeat(20_000)), 400);
    error("/api/nothing", 404);
    error("/api/speeches", 404);
    let a = f.server.get("/etc/passwd");
    assert_eq!(a.status, 404);
    let a = f.server.get("/assets/..%2f..%2fCargo.toml");
    assert_eq!(a.status, 404);
}

#[test]
fn the_page_is_served_whole_with_a_policy_that_forbids_inline_script() {
    let f = fixture();
    let page = f.server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.body.contains("/assets/app.js") && page.body.contains("/assets/app.css"));
    for (asset, kind) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let a = f.server.get(&format!("/assets/{asset}"));
        assert_eq!(a.status, 200);
        assert!(a.content_type.starts_with(kind));
        assert!(a.header("content-security-policy").is_some());
        // Nothing is fetched from elsewhere: no network, no CDN (the SVG
        // namespace is a name, never fetched).
        let body = a.body.replace("http://www.w3.org/2000/svg", "");
        for far in ["http://", "https://", "//cdn", "fonts.googleapis"] {
            assert!(!body.contains(far), "{asset} names {far}");
        }
    }
    for far in ["http://", "https://"] {
        assert!(!page.body.contains(far), "the page names {far}");
    }
    // API answers carry the same policy.
    let a = f.server.get("/api/stats");
    assert_eq!(a.header("content-security-policy"), Some(csp));
}

#[test]
fn sigterm_stops_the_server_and_other_addresses_are_warned_of() {
    let dir = common::tempdir();
    let index = fixture_index(dir.path());
    let mut s = Server::start(&index, &[]);
    assert_eq!(s.get("/api/stats").status, 200);
    let status = s
        .stop(Duration::from_secs(10))
        .expect("stopped within 10 s");
    assert!(status.success(), "{status:?}");
    assert!(s.stderr().contains("stopped"));
    // Another address than loopback is served, with a warning.
    let run = std::process::Command::new(common::bin())
        .arg("--index")
        .arg(&index)
        .args(["serve", "--addr", "0.0.0.0:0", "--help"])
        .output()
        .expect("run");
    assert!(run.status.success());
    let mut open = std::process::Command::new(common::bin())
        .arg("--index")
        .arg(&index)
        .args(["serve", "--addr", "0.0.0.0:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(800));
    let _ = open.kill();
    let out = open.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not on loopback"), "{err}");
    // No index: one sentence and a non-zero exit, before listening.
    let none = dir.path().join("none");
    let run = common::run(&["--index".as_ref(), none.as_os_str(), "serve".as_ref()]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
    // A port in use: one sentence.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let run = common::run(&[
        "--index".as_ref(),
        index.as_os_str(),
        "serve".as_ref(),
        "--addr".as_ref(),
        addr.as_ref(),
    ]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("cannot listen on"), "{}", run.stderr);
}

/// The documented shapes of the answers, field for field (an unknown or a
/// missing field fails to parse).
mod shape {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SearchPage {
        pub query: String,
        pub total: usize,
        pub offset: usize,
        pub limit: usize,
        pub results: Vec<Hit>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Hit {
        pub rank: usize,
        pub score: f32,
        pub doc_id: String,
        pub passage: usize,
        pub title: Option<String>,
        pub date: Option<String>,
        pub site: Option<String>,
        pub source: String,
        pub section: String,
        pub text: String,
        pub highlights: Vec<[usize; 2]>,
        #[serde(default)]
        pub explain: Option<serde_json::Value>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Mentions {
        pub phrases: Vec<Phrase>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Phrase {
        pub count: Count,
        #[serde(default)]
        pub groups: Option<Vec<Group>>,
        #[serde(default)]
        pub offset: Option<usize>,
        #[serde(default)]
        pub limit: Option<usize>,
        #[serde(default)]
        pub occurrences: Option<Vec<Occurrence>>,
    }

    #[derive(Debug, Deserialize, PartialEq, Eq)]
    #[serde(deny_unknown_fields)]
    pub struct Count {
        pub phrase: String,
        pub occurrences: usize,
        pub passages: usize,
        pub speeches: usize,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Group {
        pub phrase: String,
        pub group: Option<String>,
        #[serde(default)]
        pub title: Option<String>,
        pub occurrences: usize,
        pub passages: usize,
        pub speeches: usize,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Occurrence {
        pub phrase: String,
        pub doc_id: String,
        pub passage: Option<usize>,
        pub title: Option<String>,
        pub date: Option<String>,
        pub site: Option<String>,
        pub source: String,
        pub section: String,
        pub start: usize,
        pub end: usize,
        pub left: String,
        #[serde(rename = "match")]
        pub matched: String,
        pub right: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Error {
        pub error: String,
    }
}

#[test]
fn answers_have_the_documented_shape() {
    let f = fixture();
    let page: shape::SearchPage = serde_json::from_str(
        &f.server
            .get(&format!("/api/search?q={}&limit=3", enc("招商引资")))
            .body,
    )
    .expect("a search page");
    assert_eq!(
        (page.query.as_str(), page.offset, page.limit),
        ("招商引资", 0, 3)
    );
    assert_eq!(page.results.len(), 3);
    assert!(page.total >= 3);
    for (i, h) in page.results.iter().enumerate() {
        assert_eq!(h.rank, i + 1);
        assert!(h.score > 100.0, "an exact match scores over the bonus");
        assert_eq!(h.doc_id.len(), 16);
        let chars = h.text.chars().count();
        assert!(h.highlights.iter().all(|[s, e]| s < e && *e <= chars));
        assert!(h.explain.is_none());
        let _ = (&h.title, &h.date, &h.site, &h.source, &h.section, h.passage);
    }
    let by: shape::Mentions = serde_json::from_str(
        &f.server
            .get(&format!(
                "/api/mentions?phrase={}&phrase={}&by=speech",
                enc("招商引资"),
                enc("双过半")
            ))
            .body,
    )
    .expect("groups");
    assert_eq!(by.phrases.len(), 2);
    for p in &by.phrases {
        let groups = p.groups.as_ref().expect("groups with by");
        assert!(p.occurrences.is_none() && p.offset.is_none());
        let sum: usize = groups.iter().map(|g| g.occurrences).sum();
        assert_eq!(
            sum, p.count.occurrences,
            "{}: the groups add up",
            p.count.phrase
        );
        assert!(
            groups
                .iter()
                .all(|g| g.phrase == p.count.phrase && g.group.is_some())
        );
        assert!(
            groups
                .iter()
                .all(|g| g.passages >= g.speeches && g.occurrences >= g.passages)
        );
        assert!(
            groups.iter().any(|g| g.title.is_some()),
            "speech groups carry titles"
        );
    }
    let page: shape::Mentions = serde_json::from_str(
        &f.server
            .get(&format!(
                "/api/mentions?phrase={}&limit=7&context=3",
                enc("招商引資")
            ))
            .body,
    )
    .expect("a page of occurrences");
    let p = &page.phrases[0];
    assert_eq!((p.offset, p.limit), (Some(0), Some(7)));
    let occ = p.occurrences.as_ref().expect("occurrences");
    assert_eq!(occ.len(), 7.min(p.count.occurrences));
    for o in occ {
        assert_eq!(o.phrase, "招商引資");
        assert_eq!(o.end - o.start, 4);
        assert!(o.left.chars().count() <= 3 && o.right.chars().count() <= 3);
        assert_eq!(jianghua::fold::fold(&o.matched), "招商引资");
        let _ = (
            &o.doc_id, o.passage, &o.title, &o.date, &o.site, &o.source, &o.section,
        );
    }
    let e: shape::Error =
        serde_json::from_str(&f.server.get("/api/search?q=").body).expect("an error");
    assert!(!e.error.is_empty());
}
