//! What a PostgreSQL store holds: the figures of `jianghua stats`, counted
//! by the servers (speeches per site are counted per spelling on the
//! shards, folded here as for a folder index).

use super::{PgStore, redact};
use crate::index::IndexError;
use crate::query::stats::{Stats, site_counts, template_counts};

impl PgStore {
    /// Gathers the figures. `index` is the coordinator's URL (password
    /// hidden), `index_bytes` the tables' and indexes' size on every
    /// server; there are no leftovers (a batch is a transaction).
    pub fn stats(&self) -> Result<Stats, IndexError> {
        let (speeches, passages, sources, first, last, spellings) = self.with_client(|c| {
            let one = |c: &mut postgres::Client, sql: &str| -> Result<i64, postgres::Error> {
                Ok(c.query_one(sql, &[])?.get(0))
            };
            let speeches = one(c, "SELECT count(*) FROM jh_speeches")?;
            let passages = one(c, "SELECT count(*) FROM jh_passages WHERE kind = 0")?;
            let sources = one(c, "SELECT count(*) FROM jh_sources")?;
            let days = c.query_one(
                "SELECT min(day) FILTER (WHERE day > 0), max(day) FROM jh_speeches",
                &[],
            )?;
            let spellings: Vec<(Option<String>, usize)> = c
                .query("SELECT site, count(*) FROM jh_speeches GROUP BY site", &[])?
                .iter()
                .map(|r| (r.get(0), r.get::<_, i64>(1) as usize))
                .collect();
            Ok((
                speeches,
                passages,
                sources,
                days.get::<_, Option<i32>>(0),
                days.get::<_, Option<i32>>(1),
                spellings,
            ))
        })?;
        let mut index_bytes = self
            .with_client(|c| {
                c.query_one(
                    &format!(
                        "SELECT (pg_total_relation_size('jh_sources_g{}') \
                     + pg_total_relation_size('jh_meta'))::bigint",
                        self.generation
                    ),
                    &[],
                )
            })?
            .get::<_, i64>(0) as u64;
        let g = self.generation;
        for (i, url) in self.shard_urls().iter().enumerate() {
            let mut c = super::connect(url)?;
            let row = c
                .query_one(
                    &format!(
                        "SELECT (pg_total_relation_size('jh_speeches_g{g}_{i}') \
                         + pg_total_relation_size('jh_passages_g{g}_{i}'))::bigint"
                    ),
                    &[],
                )
                .map_err(|e| super::pg_error(url, &e))?;
            index_bytes += row.get::<_, i64>(0) as u64;
        }
        let by_site = site_counts(spellings);
        let day = |d: Option<i32>| crate::index::writer::day_date(d.unwrap_or(0).max(0) as u64);
        Ok(Stats {
            index: redact(&self.url),
            speeches: speeches as usize,
            passages: passages as usize,
            sources: sources as usize,
            sites: by_site.iter().filter(|s| s.site.is_some()).count(),
            by_site,
            first_date: day(first),
            last_date: day(last),
            index_bytes,
            last_ingest: self.info.last_ingest,
            leftovers: Vec::new(),
            templates: template_counts(&self.sources()?),
        })
    }
}
