//! The PostgreSQL store gives the answers of the tantivy store: the
//! fixtures and seeds ingested into both (the PostgreSQL one sharded over
//! two workers) count and list every phrase alike, in totals, per speech,
//! site and month, and occurrence by occurrence in the listing's order: the named phrases (a hard wrap, a stub gap, 繁/简, one-char
//! and ASCII phrases) and 300 random substrings of the corpus. The
//! binary's `mentions` prints the same bytes for both (`--count`, `--by`,
//! the listing in JSON and as text, a page of it).
//!
//! Needs a coordinator and workers: `JIANGHUA_PG_URL` and
//! `JIANGHUA_PG_SHARDS` (`scripts/pg_cluster.sh start DIR && source
//! DIR/env`). Without them the tests say they are skipped; with `CI=true`
//! they fail instead. Each run makes its own databases on every server
//! (`jh_test_<pid>`), and drops those of earlier runs.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use jianghua::index::SpeechIndex;
use jianghua::index::pg::PgStore;
use jianghua::index::store::{self, Store};
use jianghua::index::writer::{IngestOptions, ingest};
use jianghua::output::kwic::{GroupBy, grouped_in};
use jianghua::query::filter::{Bounds, Filter};
use jianghua::query::search::Options;
use proptest::prelude::*;

/// The servers, from the environment; `None` (after saying why, or
/// failing under `CI=true`) when they are not given.
fn servers() -> Option<(String, Vec<String>)> {
    let url = std::env::var("JIANGHUA_PG_URL").ok();
    let shards = std::env::var("JIANGHUA_PG_SHARDS").ok();
    match (url, shards) {
        (Some(u), Some(s)) if !u.is_empty() && !s.trim().is_empty() => {
            Some((u, s.split_whitespace().map(str::to_owned).collect()))
        }
        _ => {
            let why = "JIANGHUA_PG_URL and JIANGHUA_PG_SHARDS are not set (scripts/pg_cluster.sh start DIR && source DIR/env)";
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true, and the PostgreSQL store cannot be tested: {why}");
            }
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// `url` with its database replaced by `db`.
fn with_db(url: &str, db: &str) -> String {
    let at = url.rfind('/').expect("a database in the URL");
    format!("{}/{db}", &url[..at])
}

/// A fresh database `db` on the server of `url` (dropping this name and
/// those of earlier runs, not this one's, first); returns its URL.
fn fresh_db(url: &str, db: &str) -> String {
    let mut c = postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    let old: Vec<String> = c
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'jh\\_test\\_%' \
             AND datname NOT LIKE $1",
            &[&format!("jh\\_test\\_{}%", std::process::id())],
        )
        .expect("list databases")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for name in old {
        let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
    c.batch_execute(&format!("CREATE DATABASE \"{db}\""))
        .expect("create a test database");
    with_db(url, db)
}

/// A new store sharded over every worker, in databases of its own named
/// `jh_test_<pid>_<name>` on every server: the coordinator's URL.
fn empty_store(name: &str) -> Option<String> {
    let (url, shards) = servers()?;
    let db = format!("jh_test_{}_{name}", std::process::id());
    let coordinator = fresh_db(&url, &db);
    let mut c = postgres::Client::connect(&coordinator, postgres::NoTls).expect("connect");
    c.batch_execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
        .expect("postgres_fdw on the coordinator");
    let shards: Vec<String> = shards.iter().map(|s| fresh_db(s, &db)).collect();
    PgStore::init(&coordinator, &shards, "").expect("pg init");
    Some(coordinator)
}

/// Both stores of the corpus.
struct Stores {
    _dir: tempfile::TempDir,
    tantivy: SpeechIndex,
    pg: PgStore,
    /// The coordinator's URL.
    url: String,
    /// Titles and passages of the corpus, for random phrases.
    texts: Vec<String>,
}

fn roots() -> Vec<PathBuf> {
    common::fixture_and_seed_roots()
}

fn stores() -> Option<&'static Stores> {
    static STORES: OnceLock<Option<Stores>> = OnceLock::new();
    STORES
        .get_or_init(|| {
            let coordinator = empty_store("corpus")?;
            let roots = roots();
            let report = store::ingest(
                std::path::Path::new(&coordinator),
                &roots,
                None,
                IngestOptions::default(),
                &mut |_| {},
            )
            .expect("ingest into PostgreSQL");
            assert!(report.failed.is_empty(), "{:?}", report.failed);
            let dir = tempfile::tempdir().expect("temp dir");
            let tantivy = SpeechIndex::create(&dir.path().join("index"), "").expect("index");
            ingest(&tantivy, &roots, IngestOptions::default(), &mut |_| {}).expect("ingest");
            let (files, _) = jianghua::index::writer::find_files(&roots, &dir.path().join("x"));
            let texts = files
                .iter()
                .flat_map(|f| jianghua::clean_file(f).expect("clean").processed.speeches)
                .flat_map(|s| {
                    s.title
                        .into_iter()
                        .chain(s.passages.into_iter().map(|p| p.text))
                })
                .collect();
            Some(Stores {
                _dir: dir,
                tantivy,
                pg: PgStore::open(&coordinator).expect("open the store"),
                url: coordinator,
                texts,
            })
        })
        .as_ref()
}

/// The two stores' answers for `phrase` differ in none of: totals, and
/// groups per speech, site and month (with and without bounds).
fn check_alike(s: &Stores, phrase: &str) -> Result<(), TestCaseError> {
    let (t, p) = (Store::Tantivy(&s.tantivy), Store::Postgres(&s.pg));
    let bounded = Bounds {
        since: Some(20220101),
        until: Some(20231231),
        ..Bounds::default()
    };
    for bounds in [Bounds::default(), bounded] {
        let want = t.totals_in(phrase, &bounds).map_err(|e| e.to_string());
        let got = p.totals_in(phrase, &bounds).map_err(|e| e.to_string());
        prop_assert_eq!(&got, &want, "totals of {:?} within {:?}", phrase, bounds);
        if want.is_err() {
            return Ok(());
        }
        let listing = |store: Store<'_>| {
            let mut hits = Vec::new();
            store
                .for_each_mention_in(phrase, &bounds, |h| {
                    hits.push(h.clone());
                    std::ops::ControlFlow::Continue(())
                })
                .map(|()| hits)
                .map_err(|e| e.to_string())
        };
        prop_assert_eq!(
            listing(p),
            listing(t),
            "listing of {:?} within {:?}",
            phrase,
            bounds
        );
        for by in [GroupBy::Speech, GroupBy::Site, GroupBy::Month] {
            let phrases = [phrase.to_owned()];
            let want = grouped_in(t, &phrases, by, &bounds).map_err(|e| e.to_string());
            let got = grouped_in(p, &phrases, by, &bounds).map_err(|e| e.to_string());
            prop_assert_eq!(
                got,
                want,
                "{:?} groups of {:?} within {:?}",
                by,
                phrase,
                bounds
            );
        }
    }
    Ok(())
}

#[test]
fn named_phrases_are_counted_alike_in_both_stores() {
    let Some(s) = stores() else { return };
    for phrase in [
        "百日会战",
        "双过半",
        "专精特新",
        "專精特新",
        "招商引資",
        "营商环境",
        "作了很好的交流發言", // across a hard wrap: once
        "百日会战收官战",     // only across a paywall stub: nowhere
        "打好百日",
        "的",
        "会",
        "3+7+5",
        "2022",
        "GDP",
        "，",
        "哈哈",
        "  ",
    ] {
        check_alike(s, phrase).unwrap_or_else(|e| panic!("{e}"));
    }
    let t = Store::Postgres(&s.pg)
        .totals_in("招商引资", &Bounds::default())
        .expect("count");
    assert!(t.occurrences > 50 && t.speeches > 5, "{t:?}");
}

#[test]
fn the_binary_prints_the_same_counts_for_both_stores() {
    let Some(s) = stores() else { return };
    let dir = s.tantivy.dir.display().to_string();
    for phrase in ["百日会战", "的", "營商環境"] {
        let args = |index: &str| {
            vec![
                "--index".to_owned(),
                index.to_owned(),
                "mentions".to_owned(),
                "--count".to_owned(),
                "--json".to_owned(),
                phrase.to_owned(),
            ]
        };
        let (a, b) = (common::run(&args(&dir)), common::run(&args(&s.url)));
        assert!(
            a.code == Some(0) && b.code == Some(0),
            "{}\n{}",
            a.describe(),
            b.describe()
        );
        assert_eq!(a.stdout, b.stdout, "{phrase}");
        let month = |index: &str| {
            let mut v = args(index);
            v[3] = "--by=month".to_owned();
            v
        };
        assert_eq!(
            common::run(&month(&dir)).stdout,
            common::run(&month(&s.url)).stdout,
            "{phrase} by month"
        );
        for listing in [
            vec!["--json"],
            vec![],
            vec!["--limit", "3", "--offset", "5"],
            vec!["--csv", "--site", "新文秘网"],
        ] {
            let run = |index: &str| {
                let mut v = vec!["--index", index, "mentions", phrase];
                v.extend(&listing);
                common::run(&v)
            };
            let (a, b) = (run(&dir), run(&s.url));
            assert_eq!(a.code, Some(0), "{}", a.describe());
            assert_eq!(a.stdout, b.stdout, "{phrase} {listing:?}");
        }
    }
}

#[test]
fn every_speech_shows_alike_and_ids_resolve_alike() {
    let Some(s) = stores() else { return };
    let (t, p) = (Store::Tantivy(&s.tantivy), Store::Postgres(&s.pg));
    let ids: Vec<String> =
        s.pg.with_client(|c| c.query("SELECT doc_id FROM jh_speeches ORDER BY doc_id", &[]))
            .expect("ids")
            .iter()
            .map(|r| r.get(0))
            .collect();
    assert!(ids.len() > 20, "{} speeches", ids.len());
    for id in &ids {
        assert_eq!(
            p.show(id).expect("pg show"),
            t.show(id).expect("show"),
            "{id}"
        );
    }
    let shown = |store: Store<'_>, id: &str| store.show(id).map_err(|e| e.to_string());
    for id in [&ids[0][..6], &ids[0][..4], "ffffffffffffffff", "zz", "0000"] {
        assert_eq!(shown(p, id), shown(t, id), "{id}");
    }
    let dir = s.tantivy.dir.display().to_string();
    let json = |index: &str| common::run(&["--index", index, "show", "--json", &ids[1]]).stdout;
    assert_eq!(json(&dir), json(&s.url));
}

#[test]
fn stats_agree_but_for_where_the_index_is() {
    let Some(s) = stores() else { return };
    let mut t = Store::Tantivy(&s.tantivy).stats().expect("tantivy stats");
    let p = Store::Postgres(&s.pg).stats().expect("pg stats");
    assert!(p.index_bytes > 0 && p.last_ingest > 0, "{p:?}");
    t.index = p.index.clone();
    t.index_bytes = p.index_bytes;
    t.last_ingest = p.last_ingest;
    assert_eq!(t, p);
    assert!(p.speeches > 20 && p.sites > 1, "{p:?}");
}

#[test]
fn the_counts_are_made_on_the_workers() {
    let Some(s) = stores() else { return };
    assert_eq!(s.pg.shards.len(), 2, "two workers");
    assert!(s.pg.shards.iter().all(|sh| sh.url.is_some()));
    // Each worker holds some of the passages, and the coordinator none.
    let mut held = 0;
    for (i, url) in s.pg.shard_urls().iter().enumerate() {
        let mut c = postgres::Client::connect(url, postgres::NoTls).expect("a worker");
        let n: i64 = c
            .query_one(&format!("SELECT count(*) FROM jh_passages_g1_{i}"), &[])
            .expect("count")
            .get(0);
        assert!(n > 0, "worker {i} holds no passage");
        held += n;
    }
    let total: i64 =
        s.pg.with_client(|c| c.query_one("SELECT count(*) FROM jh_passages", &[]))
            .expect("count through the coordinator")
            .get(0);
    assert_eq!(held, total);
    // The sum is pushed down: each worker counts its own rows.
    let plan: Vec<String> =
        s.pg.with_client(|c| {
            c.query(
                "EXPLAIN VERBOSE SELECT shard, sum(length(folded)) FROM jh_passages \
                 WHERE terms @> '{招商}' GROUP BY shard",
                &[],
            )
        })
        .expect("explain")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let remote_sums = plan
        .iter()
        .filter(|l| l.contains("Remote SQL") && l.contains("sum("))
        .count();
    assert_eq!(remote_sums, 2, "{}", plan.join("\n"));
}

/// A store of the fixture pages alone ([`empty_store`]).
fn own_store(name: &str) -> Option<String> {
    let coordinator = empty_store(name)?;
    let pages = common::repo_root().join("tests/fixtures/pages");
    let run = common::run(&[
        "--index",
        &coordinator,
        "ingest",
        &pages.display().to_string(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    Some(coordinator)
}

#[test]
fn a_worker_that_is_down_fails_the_count_with_a_sentence_naming_it() {
    let Some(url) = own_store("down") else { return };
    let up = common::run(&["--index", &url, "mentions", "--count", "的"]);
    assert_eq!(up.code, Some(0), "{}", up.describe());
    // The coordinator now reaches its second worker at a port nobody
    // listens on: as if that server were down.
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    c.batch_execute("ALTER SERVER jh_shard_1 OPTIONS (SET port '1')")
        .expect("point the shard elsewhere");
    let down = common::run(&["--index", &url, "mentions", "--count", "的"]);
    assert_eq!(down.code, Some(1), "{}", down.describe());
    assert!(down.stdout.is_empty(), "no partial count: {}", down.stdout);
    let err = down.stderr.trim();
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    assert!(
        err.contains("jh_shard_1") && err.contains("cannot be reached"),
        "names the shard: {err}"
    );
    let by = common::run(&["--index", &url, "mentions", "--by", "month", "的"]);
    assert_eq!(by.code, Some(1), "{}", by.describe());
    assert!(by.stderr.contains("jh_shard_1"), "{}", by.describe());
}

#[test]
fn a_second_writer_fails_at_once_with_a_sentence() {
    let Some(url) = own_store("lock") else { return };
    let (_store, _lock) = PgStore::open_for_writing(&url, None).expect("the first writer");
    let pages = common::repo_root().join("tests/fixtures/pages");
    let run = common::run(&["--index", &url, "ingest", &pages.display().to_string()]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stderr
            .contains("being written by another jianghua process"),
        "{}",
        run.describe()
    );
}

/// Everything a store answers about its speeches, but where it is, its
/// size and when it was written: its figures, every speech, and the
/// listing of a few phrases.
fn answers(url: &str) -> String {
    let pg = PgStore::open(url).expect("open");
    let store = Store::Postgres(&pg);
    let mut stats = store.stats().expect("stats");
    (stats.index, stats.index_bytes, stats.last_ingest) = (String::new(), 0, 0);
    let mut out = format!("{stats:?}\n");
    let ids: Vec<String> = pg
        .with_client(|c| c.query("SELECT doc_id FROM jh_speeches ORDER BY doc_id", &[]))
        .expect("ids")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for id in ids {
        out.push_str(&format!("{:?}\n", store.show(&id).expect("show")));
    }
    for phrase in ["的", "招商引资", "百日会战"] {
        store
            .for_each_mention_in(phrase, &Bounds::default(), |h| {
                out.push_str(&format!("{h:?}\n"));
                std::ops::ControlFlow::Continue(())
            })
            .expect("mentions");
    }
    out
}

#[test]
fn a_nightly_sequence_with_crashes_ends_as_one_clean_ingest() {
    let Some(nightly) = empty_store("nightly") else {
        return;
    };
    let clean = empty_store("clean").expect("servers");
    let work = common::tempdir();
    let pages = work.path().join("pages");
    std::fs::create_dir(&pages).expect("pages");
    let fixtures = common::fixture_pages();
    let names = common::fixture_page_names();
    for name in &names[..names.len() - 2] {
        std::fs::copy(fixtures.join(name), pages.join(name)).expect("copy");
    }
    let folder = pages.display().to_string();
    let ingest = |url: &str, extra: &[&str], crash: Option<&str>| {
        let mut args = vec!["--index", url, "ingest", &folder];
        args.extend(extra);
        match crash {
            Some(point) => common::run_in_env(work.path(), &args, &[("JIANGHUA_FAILPOINT", point)]),
            None => common::run(&args),
        }
    };
    let first = ingest(&nightly, &[], None);
    assert_eq!(first.code, Some(0), "{}", first.describe());
    // The night's changes: a page changed, one gone, a new one, a repost.
    let changed = pages.join(&names[0]);
    let mut text = std::fs::read(&changed).expect("read");
    text.extend_from_slice(
        "\n\n会议强调,要把招商引资作为一号工程,确保百日会战取得实效。\n".as_bytes(),
    );
    std::fs::write(&changed, text).expect("change a page");
    std::fs::remove_file(pages.join(&names[1])).expect("remove a page");
    let last = &names[names.len() - 2];
    std::fs::copy(fixtures.join(last), pages.join(last)).expect("a new page");
    std::fs::copy(fixtures.join(&names[2]), pages.join("repost.txt")).expect("a repost");
    for point in ["pg:first-shard-committed", "pg:shards-committed"] {
        let crashed = ingest(&nightly, &["--prune", "--batch", "2"], Some(point));
        assert_eq!(
            crashed.code,
            None,
            "killed at {point}: {}",
            crashed.describe()
        );
    }
    let again = ingest(&nightly, &["--prune"], None);
    assert_eq!(again.code, Some(0), "{}", again.describe());
    let once = ingest(&clean, &[], None);
    assert_eq!(once.code, Some(0), "{}", once.describe());
    let want = answers(&clean);
    assert_eq!(answers(&nightly), want);
    // Nothing left to do.
    let idle = ingest(&nightly, &["--prune", "--json"], None);
    assert!(idle.stdout.contains("\"commits\":0"), "{}", idle.describe());
    // A rebuild killed before its swap leaves the live store answering as
    // before; one that runs through gives the same answers from a new
    // generation of tables, the old ones gone.
    let rebuild = |crash: Option<&str>| {
        let args = ["--index", nightly.as_str(), "rebuild"];
        match crash {
            Some(point) => common::run_in_env(work.path(), &args, &[("JIANGHUA_FAILPOINT", point)]),
            None => common::run(&args),
        }
    };
    for point in ["pg-rebuild:created", "pg-rebuild:ingested"] {
        assert_eq!(rebuild(Some(point)).code, None, "killed at {point}");
        assert_eq!(answers(&nightly), want, "after a rebuild killed at {point}");
    }
    let done = rebuild(None);
    assert_eq!(done.code, Some(0), "{}", done.describe());
    assert_eq!(answers(&nightly), want, "after the rebuild");
    let pg = PgStore::open(&nightly).expect("open");
    assert_eq!(pg.generation, 2);
    let tables: Vec<String> = pg
        .with_client(|c| {
            c.query(
                "SELECT relname::text FROM pg_class WHERE relname LIKE 'jh\\_%\\_g%' ORDER BY 1",
                &[],
            )
        })
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        tables.iter().all(|t| !t.contains("_g1")) && tables.iter().any(|t| t.contains("_g2")),
        "{tables:?}"
    );
    for (i, url) in pg.shard_urls().iter().enumerate() {
        let mut c = postgres::Client::connect(url, postgres::NoTls).expect("a worker");
        let old: Option<String> = c
            .query_one(
                &format!("SELECT to_regclass('jh_passages_g1_{i}')::text"),
                &[],
            )
            .expect("look up")
            .get(0);
        assert_eq!(old, None, "worker {i} keeps the old generation");
    }
}

/// A random substring (1–8 chars) of a random title or passage.
fn phrase_from_corpus() -> impl Strategy<Value = String> {
    common::substring_of(|| stores().map_or(&[][..], |s| s.texts.as_slice()), 8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_phrases_are_counted_alike_in_both_stores(phrase in phrase_from_corpus()) {
        let Some(s) = stores() else { return Ok(()) };
        check_alike(s, &phrase)?;
    }
}

/// The passages a query matches in a store, each with what a result shows
/// but its rank and score, by speech id and passage; or the error.
fn matched(store: Store<'_>, query: &str, filter: &Filter) -> Result<Matched, String> {
    let opts = Options {
        limit: 1_000_000,
        filter: filter.clone(),
        ..Options::default()
    };
    let found = store.search(query, &opts).map_err(|e| e.to_string())?;
    let mut results: Vec<_> = found
        .results
        .into_iter()
        .map(|r| {
            let key = (r.doc_id.clone(), r.passage);
            let shown = (
                r.title,
                r.date,
                r.site,
                r.source,
                r.section,
                r.text,
                r.highlights,
            );
            (key, shown)
        })
        .collect();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((found.total, results))
}

/// A search's total and its results, sorted (see [`matched`]).
type Matched = (
    usize,
    Vec<(
        (String, usize),
        (
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
            String,
            Vec<(usize, usize)>,
        ),
    )>,
);

/// Both stores match the same passages for `query`, with and without a
/// date bound and a site.
fn check_search_alike(s: &Stores, query: &str) -> Result<(), TestCaseError> {
    let (t, p) = (Store::Tantivy(&s.tantivy), Store::Postgres(&s.pg));
    for filter in [
        Filter::default(),
        Filter {
            since: Some("2022".into()),
            until: Some("2023-06".into()),
            ..Filter::default()
        },
        Filter {
            site: Some("新文秘網".into()),
            ..Filter::default()
        },
    ] {
        let (want, got) = (matched(t, query, &filter), matched(p, query, &filter));
        prop_assert_eq!(got, want, "search {:?} within {:?}", query, filter);
    }
    Ok(())
}

#[test]
fn named_queries_match_the_same_passages_in_both_stores() {
    let Some(s) = stores() else { return };
    for query in [
        "百日会战",
        "\"百日会战\"",
        "专精特新",
        "專精特新",
        "招商 引资",
        "招商引资 营商环境",
        "招商 OR 营商 发展",
        "营商环境 -百日会战",
        "招商 -\"的\"",
        "title:讲话 招商",
        "-title:讲话 招商",
        "title:\"。\" 发展",
        "site:新文秘 招商",
        "-site:新文秘 招商",
        "\"3+7+5\"",
        "GDP",
        "2022年",
        "5G网络",
        "covid-19",
        "“，” 工作",
        "作了很好的交流發言",
        "工作。我们",
        "会议 OR 讲话 OR 发言",
        "\"", // malformed: the same sentence
        "-招商",
    ] {
        check_search_alike(s, query).unwrap_or_else(|e| panic!("{e}"));
    }
    // Some of them match a good many passages, loosely too.
    let (total, _) = matched(Store::Postgres(&s.pg), "招商 引资", &Filter::default()).unwrap();
    assert!(total > 20, "{total}");
}

#[test]
fn a_postgresql_search_puts_exact_matches_first_and_pages_like_tantivy() {
    let Some(s) = stores() else { return };
    let p = Store::Postgres(&s.pg);
    for word in ["招商引资", "营商环境", "工作会议"] {
        let all = p
            .search(
                word,
                &Options {
                    limit: 10_000,
                    ..Options::default()
                },
            )
            .expect("search");
        let folded = jianghua::fold::fold(word);
        let exact: Vec<bool> = all
            .results
            .iter()
            .map(|r| jianghua::fold::fold(&r.text).contains(&folded))
            .collect();
        assert!(exact.iter().any(|e| *e), "{word}: no exact match");
        assert!(
            exact.windows(2).all(|w| w[0] || !w[1]),
            "{word}: a loose match above an exact one"
        );
        // A page is the same slice of the whole order.
        let page = p
            .search(
                word,
                &Options {
                    limit: 3,
                    offset: 2,
                    ..Options::default()
                },
            )
            .expect("page");
        assert_eq!(page.total, all.total);
        let ids = |r: &[jianghua::query::search::Result]| {
            r.iter()
                .map(|r| (r.rank, r.doc_id.clone(), r.passage))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&page.results), ids(&all.results[2..5]));
    }
    let dir = s.tantivy.dir.display().to_string();
    // The binary: the same total; --explain is refused with a sentence.
    let total = |index: &str| {
        let out = common::run(&["--index", index, "search", "--limit", "0", "招商"]);
        assert_eq!(out.code, Some(0), "{}", out.describe());
        assert!(out.stdout.contains(" matching passages"), "{}", out.stdout);
        out.stdout
    };
    assert_eq!(total(&dir), total(&s.url));
    let out = common::run(&["--index", &s.url, "search", "--explain", "招商"]);
    assert_eq!(out.code, Some(2), "{}", out.describe());
    assert!(out.stderr.contains("ts_rank_cd"), "{}", out.stderr);
}

/// A query of one or two random corpus substrings, as words or phrases,
/// alternatives or exclusions.
fn query_from_corpus() -> impl Strategy<Value = String> {
    (phrase_from_corpus(), phrase_from_corpus(), 0..6u8).prop_map(|(a, b, shape)| match shape {
        0 => a,
        1 => format!("\"{a}\""),
        2 => format!("{a} {b}"),
        3 => format!("{a} OR {b}"),
        4 => format!("{a} -\"{b}\""),
        _ => format!("title:{b} {a}"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn random_queries_match_the_same_passages_in_both_stores(query in query_from_corpus()) {
        let Some(s) = stores() else { return Ok(()) };
        check_search_alike(s, &query)?;
    }
}

/// `jianghua serve` over the PostgreSQL store answers the API as over the
/// folder index: the same counts, groups, pages of mentions, speeches and
/// figures, the same passages for a search.
#[test]
fn serve_answers_from_postgresql_as_from_the_folder() {
    use common::server::{Server, enc};
    let Some(s) = stores() else { return };
    let mut folder = Server::start(&s.tantivy.dir, &[]);
    let mut pg = Server::start(std::path::Path::new(&s.url), &[]);
    let id = {
        let a = folder.get(&format!("/api/search?q={}&limit=1", enc("招商引资")));
        a.json()["results"][0]["doc_id"]
            .as_str()
            .expect("an id")
            .to_owned()
    };
    for path in [
        format!("/api/mentions?phrase={}&count=1", enc("百日会战")),
        format!(
            "/api/mentions?phrase={}&phrase={}&by=month",
            enc("招商引资"),
            enc("的")
        ),
        format!("/api/mentions?phrase={}&limit=5&offset=2", enc("营商环境")),
        format!("/api/mentions?phrase={}&speech={}", enc("的"), &id[..6]),
        format!("/api/mentions?phrase={}&format=csv", enc("双过半")),
        format!("/api/speeches/{id}"),
        "/api/speeches/zz".to_owned(),
        format!("/api/search?q={}", enc("\"")),
    ] {
        let (a, b) = (folder.get(&path), pg.get(&path));
        assert_eq!((b.status, &b.body), (a.status, &a.body), "{path}");
    }
    for q in [
        "招商 引资",
        "\"百日会战\" -title:动员",
        "营商环境 OR 专精特新",
    ] {
        // Every page of 100, to the end.
        let keys = |server: &Server| {
            let (mut keys, mut total, mut offset) = (Vec::new(), None, 0);
            loop {
                let path = format!("/api/search?q={}&limit=100&offset={offset}", enc(q));
                let a = server.get(&path);
                assert_eq!(a.status, 200, "{path}: {}", a.body);
                let j = a.json();
                total = j["total"].as_u64().or(total);
                let page = j["results"].as_array().expect("results").clone();
                keys.extend(page.iter().map(|r| {
                    let id = r["doc_id"].as_str().unwrap_or_default().to_owned();
                    (id, r["passage"].as_u64().unwrap_or_default())
                }));
                offset += 100;
                if page.is_empty() || offset as u64 >= total.unwrap_or(0) {
                    break;
                }
            }
            keys.sort();
            (total, keys)
        };
        let (got, want) = (keys(&pg), keys(&folder));
        assert!(want.0 > Some(0), "{q}: nothing found");
        assert_eq!(got, want, "{q}");
    }
    let stats = |server: &Server| {
        let mut j = server.get("/api/stats").json();
        for k in ["index", "index_bytes", "last_ingest"] {
            j.as_object_mut().expect("an object").remove(k);
        }
        j
    };
    assert_eq!(stats(&pg), stats(&folder));
    folder.stop(std::time::Duration::from_secs(10));
    pg.stop(std::time::Duration::from_secs(10));
}

/// A server over a PostgreSQL store sees an ingest's commits (its cached
/// answers are for the state it read them from).
#[test]
fn serve_over_postgresql_sees_a_new_ingest() {
    use common::server::{Server, enc};
    let Some(url) = empty_store("serve_fresh") else {
        return;
    };
    let pages = common::repo_root().join("tests/fixtures/pages");
    let one = pages.join("01_wenmi_simplified.txt");
    let run = common::run(&["--index", &url, "ingest", &one.display().to_string()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let mut server = Server::start(std::path::Path::new(&url), &[]);
    let path = format!("/api/mentions?phrase={}&count=1", enc("的"));
    let count =
        |server: &Server| server.get(&path).json()["phrases"][0]["count"]["occurrences"].as_u64();
    let before = count(&server);
    assert!(before.is_some_and(|n| n > 0), "{before:?}");
    let run = common::run(&["--index", &url, "ingest", &pages.display().to_string()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let want = common::run(&["--index", &url, "mentions", "--count", "--json", "的"]);
    let want: serde_json::Value =
        serde_json::from_str(want.stdout.lines().next().unwrap_or("{}")).expect("json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while count(&server) == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(count(&server), want["occurrences"].as_u64(), "{want}");
    server.stop(std::time::Duration::from_secs(10));
}
