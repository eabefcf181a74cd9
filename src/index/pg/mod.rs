//! The PostgreSQL store: an index that is a database, sharded by speech id.
//!
//! jianghua still decodes, cleans, folds and tokenizes (the same pipeline,
//! on the ingesting machine's cores); PostgreSQL stores the rows, indexes
//! them and fans each query out to the shards. The layout:
//!
//! - On the **coordinator** (the server `--index postgres://…` names):
//!   `jh_meta` (schema version, fingerprint, user dictionary, shards),
//!   `jh_sources` (the source records of the incremental ingest), and the
//!   parents `jh_speeches` and `jh_passages`, partitioned by `LIST (shard)`.
//! - On each **shard** `i`: the tables `jh_speeches_i` and `jh_passages_i`
//!   (the title of a speech is a row of `jh_passages` of kind 1, so a count
//!   covers titles and passages alike), with a GIN index over the
//!   passage's distinct n-gram terms (`terms`, the n-grams of
//!   [`analyzers::ngrams`] and every CJK char alone) and one over its jieba
//!   tokens (`words`, a `tsvector`). A shard on another server is a
//!   `postgres_fdw` foreign table partition of the coordinator's parent; a
//!   store with no `--shard` keeps one local partition.
//!
//! A speech's shard is its id's key modulo the number of shards
//! ([`shard_of`]), so the ingest writes each shard's rows straight to its
//! server with `COPY` (no row goes through the coordinator), and a lookup
//! by id goes to one shard. A row's day, site and title are kept on the
//! passage rows too, so a count per month or site is made on the shards,
//! without a join.

mod count;
mod generation;
mod listing;
mod search;
mod show;
mod sink;
mod stats;

use std::fmt::Write as _;
use std::sync::Mutex;

pub use generation::rebuild;
pub use sink::PgSink;

use super::analyzers::LazyJieba;
use super::{BuildInfo, IndexError, analyzers};

/// The version of the tables this binary writes and reads.
pub const PG_SCHEMA_VERSION: u32 = 3;

/// The advisory lock an ingest holds on the coordinator: one writer at a
/// time ("jh" and 17 in its bits; any fixed number would do).
const WRITER_LOCK: i64 = 0x6a68_0017;

/// How `jh_meta` names a shard kept on the coordinator (the others by
/// their URLs, one per line).
const LOCAL: &str = "local";

/// Whether `--index` names a PostgreSQL database rather than a folder.
pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// The shard of a speech: its key modulo the number of shards.
pub fn shard_of(key: u64, shards: usize) -> usize {
    (key % shards.max(1) as u64) as usize
}

/// A URL with its password hidden, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            match user.split_once(':') {
                Some((name, _)) => format!("{}{name}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// One shard of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// Its number: the value of `shard` in its rows.
    pub no: usize,
    /// Its server's URL, or `None` when its tables are on the coordinator.
    pub url: Option<String>,
}

/// An open PostgreSQL store.
pub struct PgStore {
    /// The coordinator's URL, as given.
    pub url: String,
    /// The shards, by number.
    pub shards: Vec<Shard>,
    /// How the store was built.
    pub info: BuildInfo,
    /// The generation of its tables the readers' views name
    /// (the `generation` module).
    pub generation: u32,
    /// Open connections not in use, by server URL: to the coordinator, and
    /// to the shards a search asks for its top rows (a request takes one,
    /// or opens one, and puts it back).
    clients: Mutex<std::collections::HashMap<String, Vec<postgres::Client>>>,
    /// The query side's jieba (with the store's user dictionary), made on
    /// first use.
    jieba: std::sync::OnceLock<LazyJieba>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &redact(&self.url))
            .field("shards", &self.shards)
            .finish()
    }
}

/// The error of a PostgreSQL call, as one sentence naming the server: a
/// shard that cannot be reached is named, since an answer without it would
/// be a silent partial count.
pub fn pg_error(url: &str, e: &postgres::Error) -> IndexError {
    let mut reason = match e.as_db_error() {
        Some(db) => {
            let mut r = db.message().to_owned();
            if let Some(d) = db.detail() {
                let _ = write!(r, " ({d})");
            }
            r
        }
        None => {
            let mut r = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                let _ = write!(r, ": {s}");
                source = s.source();
            }
            r
        }
    };
    // PostgreSQL's messages and details run over lines: one sentence.
    reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(shard) = reason
        .strip_prefix("could not connect to server \"")
        .and_then(|r| r.split('"').next())
    {
        reason = format!(
            "its shard {shard} cannot be reached, so no answer was given (one without it would miss its rows): {reason}"
        );
    }
    IndexError::Postgres {
        url: redact(url),
        reason,
    }
}

/// Connects to a server.
pub fn connect(url: &str) -> Result<postgres::Client, IndexError> {
    let mut client =
        postgres::Client::connect(url, postgres::NoTls).map_err(|e| pg_error(url, &e))?;
    // Sums per shard are made on the shards (postgres_fdw pushes an
    // aggregate grouped by the partition key down to each).
    client
        .batch_execute(
            "SET enable_partitionwise_aggregate = on; SET enable_partitionwise_join = on",
        )
        .map_err(|e| pg_error(url, &e))?;
    Ok(client)
}

/// The columns of `jh_speeches`.
pub(crate) const SPEECH_COLUMNS: &str = "shard smallint NOT NULL, speech_key bigint NOT NULL, \
    doc_id text NOT NULL, title text, date text, day integer NOT NULL, site text, \
    site_key text, source text NOT NULL, meta text NOT NULL";

/// The columns of `jh_passages`: `kind` 1 is the speech's title, 0 a
/// passage; `folded` is what mentions count in; `terms` the distinct
/// n-gram terms and CJK chars; `words` the jieba tokens.
pub(crate) const PASSAGE_COLUMNS: &str = "shard smallint NOT NULL, speech_key bigint NOT NULL, \
    kind smallint NOT NULL, passage integer NOT NULL, day integer NOT NULL, date text, \
    site text, site_key text, title text, source text NOT NULL, section text NOT NULL, \
    flags integer NOT NULL, chars integer NOT NULL, text text NOT NULL, \
    folded text NOT NULL, terms text[] NOT NULL, words tsvector NOT NULL";

/// Whether the database `client` is connected to holds a store (its
/// `jh_meta` table).
fn holds_store(client: &mut postgres::Client, url: &str) -> Result<bool, IndexError> {
    Ok(client
        .query_one("SELECT to_regclass('jh_meta') IS NOT NULL", &[])
        .map_err(|e| pg_error(url, &e))?
        .get(0))
}

/// A string as an SQL literal.
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl PgStore {
    /// Opens an existing store and checks it was built the way this binary
    /// builds indexes.
    pub fn open(url: &str) -> Result<PgStore, IndexError> {
        let store = Self::open_unchecked(url)?;
        store.check()?;
        Ok(store)
    }

    /// Opens an existing store without checking its build.
    pub fn open_unchecked(url: &str) -> Result<PgStore, IndexError> {
        let mut client = connect(url)?;
        let err = |e: postgres::Error| pg_error(url, &e);
        if !holds_store(&mut client, url)? {
            return Err(IndexError::Postgres {
                url: redact(url),
                reason: "it holds no jianghua index: run `jianghua ingest --index URL PATH…` (or `jianghua pg init`) to make one".into(),
            });
        }
        let mut meta = std::collections::HashMap::new();
        for row in client
            .query("SELECT key, value FROM jh_meta", &[])
            .map_err(err)?
        {
            meta.insert(row.get::<_, String>(0), row.get::<_, String>(1));
        }
        let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
        let shards = get("shards")
            .lines()
            .enumerate()
            .map(|(no, u)| Shard {
                no,
                url: (u != LOCAL).then(|| u.to_owned()),
            })
            .collect::<Vec<_>>();
        let info = BuildInfo {
            schema: get("schema").parse().unwrap_or(0),
            fingerprint: get("fingerprint"),
            user_dict: get("user_dict"),
            last_ingest: get("last_ingest").parse().unwrap_or(0),
        };
        if shards.is_empty() {
            return Err(IndexError::Postgres {
                url: redact(url),
                reason: "its jh_meta table names no shard: the store is damaged; make it again with `jianghua pg init`".into(),
            });
        }
        Ok(PgStore {
            url: url.to_owned(),
            shards,
            info,
            generation: get("generation").parse().unwrap_or(0),
            clients: Mutex::new([(url.to_owned(), vec![client])].into()),
            jieba: std::sync::OnceLock::new(),
        })
    }

    /// Whether the store was built with this binary's schema and tables.
    pub fn check(&self) -> Result<(), IndexError> {
        let want = BuildInfo::current(&self.info.user_dict);
        if self.info.schema != PG_SCHEMA_VERSION || self.info.fingerprint != want.fingerprint {
            return Err(IndexError::Postgres {
                url: redact(&self.url),
                reason: "it was built by another version of jianghua (another schema or dictionary): run `jianghua rebuild --index URL`".into(),
            });
        }
        Ok(())
    }

    /// Makes the tables of a new store: its shards' tables on their
    /// servers (none given: one shard on the coordinator), and on the
    /// coordinator the meta table, the source records and the partitioned
    /// parents, with each shard a `postgres_fdw` foreign partition (see
    /// the `generation` module). Refuses a database that holds a store already.
    pub fn init(url: &str, shards: &[String], user_dict: &str) -> Result<PgStore, IndexError> {
        let mut coord = connect(url)?;
        if holds_store(&mut coord, url)? {
            return Err(IndexError::Postgres {
                url: redact(url),
                reason: "it holds a jianghua index already; ingest into it, or drop its jh_ tables first".into(),
            });
        }
        generation::create(&mut coord, url, shards, 1)?;
        let shard_list: Vec<&str> = if shards.is_empty() {
            vec![LOCAL]
        } else {
            shards.iter().map(String::as_str).collect()
        };
        let info = BuildInfo::current(user_dict);
        let mut sql = String::from(
            "BEGIN; CREATE TABLE jh_meta (key text PRIMARY KEY, value text NOT NULL);",
        );
        for (k, v) in [
            ("schema", PG_SCHEMA_VERSION.to_string()),
            ("fingerprint", info.fingerprint.clone()),
            ("user_dict", info.user_dict.clone()),
            ("shards", shard_list.join("\n")),
            ("last_ingest", "0".into()),
            ("generation", "1".into()),
        ] {
            let _ = write!(
                sql,
                "INSERT INTO jh_meta VALUES ({}, {});",
                literal(k),
                literal(&v)
            );
        }
        sql.push_str(&generation::views(1));
        sql.push_str("COMMIT;");
        coord.batch_execute(&sql).map_err(|e| pg_error(url, &e))?;
        drop(coord);
        Self::open(url)
    }
    /// Opens the store for an ingest, making it when the database holds
    /// none (on the coordinator alone), and takes the writer's lock: one
    /// writer at a time, failing at once with a sentence when another
    /// holds it. The lock is held as long as the returned client lives.
    pub fn open_for_writing(
        url: &str,
        user_dict: Option<&str>,
    ) -> Result<(PgStore, postgres::Client), IndexError> {
        let store = if holds_store(&mut connect(url)?, url)? {
            let store = Self::open(url)?;
            if user_dict.is_some_and(|d| d != store.info.user_dict) {
                return Err(IndexError::Postgres {
                    url: redact(url),
                    reason: "it was built with a different user dictionary: run `jianghua rebuild --index URL`".into(),
                });
            }
            store
        } else {
            Self::init(url, &[], user_dict.unwrap_or(""))?
        };
        Self::lock(store)
    }

    /// Takes the writer's lock of `store` (failing at once with a sentence
    /// when another writer holds it) and drops what an interrupted rebuild
    /// left; the lock is held as long as the returned client lives.
    pub fn lock(store: PgStore) -> Result<(PgStore, postgres::Client), IndexError> {
        let url = store.url.clone();
        let url = url.as_str();
        let mut probe = connect(url)?;
        let locked: bool = probe
            .query_one("SELECT pg_try_advisory_lock($1)", &[&WRITER_LOCK])
            .map_err(|e| pg_error(url, &e))?
            .get(0);
        if !locked {
            return Err(IndexError::Postgres {
                url: redact(url),
                reason: "it is being written by another jianghua process (an ingest or a rebuild holds its writer lock); try again when it has finished".into(),
            });
        }
        // What an interrupted rebuild left: never the live generation.
        let shard_urls = store.remote_shards();
        for g in generation::leftovers(&mut probe, url, store.generation)? {
            generation::remove(&mut probe, url, &shard_urls, g)?;
        }
        Ok((store, probe))
    }

    /// The jieba that cuts queries as the store's words were cut.
    pub(crate) fn jieba(&self) -> &LazyJieba {
        self.jieba
            .get_or_init(|| LazyJieba::new(self.info.user_dict.clone()))
    }

    /// Runs `f` with a connection to the coordinator: an idle one, or a new
    /// one when every one is in use (so requests run side by side).
    pub fn with_client<T>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> Result<T, IndexError> {
        self.with_client_at(&self.url, f)
    }

    /// [`PgStore::with_client`] for the server at `url` (a shard's).
    pub fn with_client_at<T>(
        &self,
        url: &str,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> Result<T, IndexError> {
        let idle = || {
            self.clients
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let kept = idle()
            .get_mut(url)
            .and_then(Vec::pop)
            .filter(|c| !c.is_closed());
        let mut client = match kept {
            Some(c) => c,
            None => connect(url)?,
        };
        let done = f(&mut client).map_err(|e| pg_error(url, &e));
        if !client.is_closed() {
            idle().entry(url.to_owned()).or_default().push(client);
        }
        done
    }

    /// The generation the readers' views name now (`jh_meta`), which
    /// [`PgStore::generation`] was when the store was opened.
    pub(super) fn live_generation(&self) -> Result<u32, IndexError> {
        let value: String = self.with_client(|c| {
            c.query_one("SELECT value FROM jh_meta WHERE key = 'generation'", &[])
                .map(|row| row.get(0))
        })?;
        value.parse().map_err(|_| IndexError::Postgres {
            url: redact(&self.url),
            reason: format!("its jh_meta names generation {value:?}, not a number: the store is damaged; run `jianghua rebuild`"),
        })
    }

    /// What names the store's state now: its generation and the last
    /// commit of sources (a new one on every ingest commit and rebuild).
    pub fn commit_key(&self) -> Result<String, IndexError> {
        self.with_client(|c| {
            c.query_one(
                "SELECT string_agg(key || '=' || value || '@' || xmin::text, ';' ORDER BY key) \
                 FROM jh_meta WHERE key IN ('generation', 'last_ingest')",
                &[],
            )
            .map(|row| row.get::<_, Option<String>>(0).unwrap_or_default())
        })
    }

    /// The URLs of the shards on other servers, in shard order (empty when
    /// the one shard is on the coordinator).
    pub fn remote_shards(&self) -> Vec<String> {
        self.shards.iter().filter_map(|s| s.url.clone()).collect()
    }

    /// The connection to each shard's server, in shard order (the
    /// coordinator's URL for a shard kept there).
    pub fn shard_urls(&self) -> Vec<String> {
        self.shards
            .iter()
            .map(|s| s.url.clone().unwrap_or_else(|| self.url.clone()))
            .collect()
    }
}

/// The distinct terms a passage's `terms` array holds: its n-grams, and
/// each CJK char alone (so a one-char phrase, or one whose last char is a
/// lone CJK char, has a term to look for).
pub fn terms_of(folded: &str) -> Vec<String> {
    let grams = analyzers::ngrams(folded).into_iter().map(|g| g.text);
    with_cjk_chars(grams.collect(), folded)
}

/// The terms every title or passage holding `folded_phrase` holds too:
/// the phrase's exact n-grams ([`analyzers::phrase_tokens`]) and its CJK
/// chars. Words at the phrase's edges are left out (the text may hold
/// them inside longer words). Empty when the phrase has none: then every
/// row is a candidate.
pub fn phrase_terms(folded_phrase: &str) -> Vec<String> {
    let tokens = analyzers::phrase_tokens(folded_phrase);
    let exact = tokens.exact.into_iter().map(|g| g.text);
    with_cjk_chars(exact.collect(), folded_phrase)
}

/// `terms` and each CJK char of `text` alone, sorted, each once.
fn with_cjk_chars(mut terms: Vec<String>, text: &str) -> Vec<String> {
    terms.extend(
        text.chars()
            .filter(|c| analyzers::is_cjk(*c))
            .map(String::from),
    );
    terms.sort_unstable();
    terms.dedup();
    terms
}
