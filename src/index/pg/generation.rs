//! Generations of a PostgreSQL store's tables, so `rebuild` can build a
//! whole new store beside the live one and swap it in at once.
//!
//! Generation `g` is: on each shard's server `jh_speeches_g{g}_{i}` and
//! `jh_passages_g{g}_{i}` (with their GIN indexes); on the coordinator
//! `jh_sources_g{g}` and the parents `jh_speeches_g{g}`/`jh_passages_g{g}`
//! partitioned by `LIST (shard)`, whose partitions are the shards' tables
//! (foreign tables through the servers `jh_shard_{i}`, or the local table
//! itself). Readers ask the views `jh_speeches`, `jh_passages` and
//! `jh_sources`, which name the live generation (`jh_meta.generation`); a
//! swap replaces the three views and the meta rows in one transaction, so
//! a query sees the old store or the new one, never a mix. The ingest
//! writes straight to its generation's shard tables.

use std::fmt::Write as _;
use std::str::FromStr;

use super::{PASSAGE_COLUMNS, SPEECH_COLUMNS, connect, literal, pg_error};
use crate::index::IndexError;

/// The statements that make shard `i`'s tables of generation `g`, on its
/// server.
fn shard_ddl(g: u32, i: usize) -> String {
    format!(
        "DROP TABLE IF EXISTS jh_passages_g{g}_{i}, jh_speeches_g{g}_{i};
         CREATE TABLE jh_speeches_g{g}_{i} ({SPEECH_COLUMNS}, PRIMARY KEY (speech_key));
         CREATE TABLE jh_passages_g{g}_{i} ({PASSAGE_COLUMNS}, PRIMARY KEY (speech_key, kind, passage));
         CREATE INDEX ON jh_passages_g{g}_{i} USING gin (terms);
         CREATE INDEX ON jh_passages_g{g}_{i} USING gin (words);"
    )
}

/// The server options of a shard's URL: `(host, port, dbname)`, and its
/// user mapping's options.
fn server_options(shard: &str) -> Result<(String, String), IndexError> {
    let cfg = postgres::Config::from_str(shard).map_err(|e| pg_error(shard, &e))?;
    let host = match cfg.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    let db = cfg.get_dbname().unwrap_or("postgres");
    let server = format!(
        "host {}, port {}, dbname {}, fetch_size '10000', async_capable 'true'",
        literal(&host),
        literal(&port.to_string()),
        literal(db)
    );
    let mut mapping = Vec::new();
    if let Some(user) = cfg.get_user() {
        mapping.push(format!("user {}", literal(user)));
    }
    if let Some(pw) = cfg.get_password() {
        mapping.push(format!(
            "password {}",
            literal(&String::from_utf8_lossy(pw))
        ));
    }
    Ok((server, mapping.join(", ")))
}

/// Makes generation `g`: the shards' tables on their servers (`shards`
/// empty: one shard on the coordinator), and the coordinator's source
/// table and partitioned parents. Tables of that generation left by an
/// interrupted run are dropped first.
pub fn create(
    coord: &mut postgres::Client,
    url: &str,
    shards: &[String],
    g: u32,
) -> Result<(), IndexError> {
    for (i, shard) in shards.iter().enumerate() {
        let mut c = connect(shard)?;
        c.batch_execute(&shard_ddl(g, i))
            .map_err(|e| pg_error(shard, &e))?;
    }
    let mut sql = String::from("BEGIN;");
    let _ = write!(
        sql,
        "DROP TABLE IF EXISTS jh_sources_g{g}, jh_speeches_g{g}, jh_passages_g{g} CASCADE;
         CREATE TABLE jh_sources_g{g} (key text PRIMARY KEY, size bigint NOT NULL, \
         mtime bigint NOT NULL, hash text NOT NULL, ids text[] NOT NULL, site text NOT NULL, \
         candidates bigint[] NOT NULL, body bigint NOT NULL, applied bigint[] NOT NULL);
         CREATE TABLE jh_speeches_g{g} ({SPEECH_COLUMNS}) PARTITION BY LIST (shard);
         CREATE TABLE jh_passages_g{g} ({PASSAGE_COLUMNS}) PARTITION BY LIST (shard);"
    );
    if shards.is_empty() {
        sql.push_str(&shard_ddl(g, 0));
        let _ = write!(
            sql,
            "ALTER TABLE jh_speeches_g{g} ATTACH PARTITION jh_speeches_g{g}_0 FOR VALUES IN (0);
             ALTER TABLE jh_passages_g{g} ATTACH PARTITION jh_passages_g{g}_0 FOR VALUES IN (0);"
        );
    }
    if !shards.is_empty() {
        // Only a superuser (or a trusted owner) may make it: anyone else
        // gets PostgreSQL's sentence saying so.
        sql.push_str("CREATE EXTENSION IF NOT EXISTS postgres_fdw;");
    }
    for (i, shard) in shards.iter().enumerate() {
        let (server, mapping) = server_options(shard)?;
        let _ = write!(
            sql,
            "CREATE SERVER IF NOT EXISTS jh_shard_{i} FOREIGN DATA WRAPPER postgres_fdw \
             OPTIONS ({server});"
        );
        let options = if mapping.is_empty() {
            String::new()
        } else {
            format!(" OPTIONS ({mapping})")
        };
        let _ = write!(
            sql,
            "CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER jh_shard_{i}{options};"
        );
        for t in ["speeches", "passages"] {
            let _ = write!(
                sql,
                "CREATE FOREIGN TABLE jh_{t}_g{g}_{i} PARTITION OF jh_{t}_g{g} FOR VALUES IN ({i}) \
                 SERVER jh_shard_{i} OPTIONS (table_name 'jh_{t}_g{g}_{i}');"
            );
        }
    }
    sql.push_str("COMMIT;");
    coord.batch_execute(&sql).map_err(|e| pg_error(url, &e))
}

/// The statements (for a transaction) that point the readers' views at
/// generation `g`.
pub fn views(g: u32) -> String {
    let mut sql = String::from("DROP VIEW IF EXISTS jh_speeches, jh_passages, jh_sources;");
    for t in ["speeches", "passages", "sources"] {
        let _ = write!(sql, "CREATE VIEW jh_{t} AS SELECT * FROM jh_{t}_g{g};");
    }
    sql
}

/// Drops generation `g` everywhere (what is missing is skipped).
pub fn remove(
    coord: &mut postgres::Client,
    url: &str,
    shards: &[String],
    g: u32,
) -> Result<(), IndexError> {
    coord
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS jh_speeches_g{g}, jh_passages_g{g}, jh_sources_g{g} CASCADE"
        ))
        .map_err(|e| pg_error(url, &e))?;
    for (i, shard) in shards.iter().enumerate() {
        let mut c = connect(shard)?;
        c.batch_execute(&format!(
            "DROP TABLE IF EXISTS jh_passages_g{g}_{i}, jh_speeches_g{g}_{i}"
        ))
        .map_err(|e| pg_error(shard, &e))?;
    }
    Ok(())
}

/// The generations whose parents exist on the coordinator, but `live`:
/// what an interrupted rebuild left.
pub fn leftovers(
    coord: &mut postgres::Client,
    url: &str,
    live: u32,
) -> Result<Vec<u32>, IndexError> {
    let rows = coord
        .query(
            "SELECT relname FROM pg_class WHERE relkind = 'p' AND relname LIKE 'jh\\_passages\\_g%'",
            &[],
        )
        .map_err(|e| pg_error(url, &e))?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            r.get::<_, &str>(0)
                .strip_prefix("jh_passages_g")?
                .parse()
                .ok()
        })
        .filter(|g| *g != live)
        .collect())
}

/// `jianghua rebuild` of a PostgreSQL store: every recorded source is
/// ingested again into a new generation, beside the live one (which
/// readers keep using), under the writer's lock; then the views and the
/// build info switch to it in one transaction, and the old generation is
/// dropped. A rebuild killed before the switch leaves the live store as it
/// was (the next writer drops the half-built generation). A user
/// dictionary given here replaces the recorded one.
pub fn rebuild(
    url: &str,
    user_dict: Option<&str>,
    progress: &mut dyn FnMut(crate::index::writer::Progress),
) -> Result<crate::index::writer::IngestReport, IndexError> {
    use super::{PG_SCHEMA_VERSION, PgSink, PgStore};
    let (old, mut lock) = PgStore::lock(PgStore::open_unchecked(url)?)?;
    let mut paths: Vec<std::path::PathBuf> = old
        .sources()?
        .records
        .into_values()
        .map(|r| r.path)
        .collect();
    paths.sort();
    let user_dict = user_dict.map_or_else(|| old.info.user_dict.clone(), str::to_owned);
    let shards = old.remote_shards();
    let g = old.generation + 1;
    create(&mut lock, url, &shards, g)?;
    crate::failpoint::hit("pg-rebuild:created");
    let fresh = PgStore {
        generation: g,
        info: crate::index::BuildInfo::current(&user_dict),
        ..PgStore::open_unchecked(url)?
    };
    // The sink writes through a connection of its own; `lock` keeps the
    // writer's lock meanwhile.
    let report = crate::index::writer::ingest_into(
        PgSink::new(&fresh, connect(url)?),
        &paths,
        crate::index::writer::IngestOptions::default(),
        progress,
    )?;
    crate::failpoint::hit("pg-rebuild:ingested");
    let mut sql = String::from("BEGIN;");
    sql.push_str(&views(g));
    for (k, v) in [
        ("schema", PG_SCHEMA_VERSION.to_string()),
        ("fingerprint", fresh.info.fingerprint.clone()),
        ("user_dict", fresh.info.user_dict.clone()),
        ("generation", g.to_string()),
    ] {
        let _ = write!(
            sql,
            "UPDATE jh_meta SET value = {} WHERE key = {};",
            literal(&v),
            literal(k)
        );
    }
    sql.push_str("COMMIT;");
    lock.batch_execute(&sql).map_err(|e| pg_error(url, &e))?;
    crate::failpoint::hit("pg-rebuild:published");
    remove(&mut lock, url, &shards, old.generation)?;
    Ok(report)
}
