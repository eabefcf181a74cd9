//! Exact counts in a PostgreSQL store: the same answers as
//! `query::mentions` gives over the tantivy index.
//!
//! Candidates are the titles and passages whose `terms` array holds every
//! term of the phrase ([`super::phrase_terms`]: never misses, may
//! over-match, answered by the GIN index), then each is verified and
//! counted on its folded text: `(length(folded) - length(replace(folded,
//! phrase, ''))) / length(phrase)` is the number of non-overlapping
//! occurrences from the left, as `str::matches` counts. The sums are
//! grouped by `shard`, the partition key, so each shard counts its own rows
//! and sends back a few numbers (postgres_fdw pushes an aggregate grouped
//! by the partition key down to the foreign partition).

use postgres::types::ToSql;

use super::{PgStore, phrase_terms};
use crate::query::filter::Bounds;
use crate::query::mentions::{Counts, Detail, MentionsError, Tally, Totals, checked};

/// The occurrences of `$1` in a row's folded text.
const OCCURRENCES: &str = "(length(folded) - length(replace(folded, $1, ''))) / length($1)";

/// The `WHERE` of a count: candidates by terms, verified by the text, and
/// the bounds; with the parameters after the phrase and its terms.
pub(super) fn filter(bounds: &Bounds) -> (String, Vec<Box<dyn ToSql + Sync>>) {
    let mut params = Vec::new();
    let mut sql = String::from("terms @> $2 AND strpos(folded, $1) > 0");
    sql.push_str(&bounds_sql(bounds, 2, &mut params));
    (sql, params)
}

/// The conditions of `bounds`, each starting with ` AND ` (none for empty
/// bounds), their parameters pushed onto `params`, numbered after the
/// `before` parameters that precede them.
pub(super) fn bounds_sql(
    bounds: &Bounds,
    before: usize,
    params: &mut Vec<Box<dyn ToSql + Sync>>,
) -> String {
    let mut sql = String::new();
    if bounds.dated() {
        sql.push_str(" AND day > 0");
    }
    let conds: [(&str, Option<Box<dyn ToSql + Sync>>); 4] = [
        (
            "site_key =",
            bounds.site_key.clone().map(|s| Box::new(s) as _),
        ),
        ("day >=", bounds.since.map(|d| Box::new(d as i32) as _)),
        ("day <=", bounds.until.map(|d| Box::new(d as i32) as _)),
        (
            "speech_key =",
            bounds.speech.map(|k| Box::new(k as i64) as _),
        ),
    ];
    for (cond, param) in conds {
        if let Some(p) = param {
            params.push(p);
            sql.push_str(&format!(" AND {cond} ${}", before + params.len()));
        }
    }
    sql
}

/// The phrase (folded), its terms and the bound parameters, in `$` order.
pub(super) fn query_params<'a>(
    folded: &'a String,
    terms: &'a Vec<String>,
    bound: &'a [Box<dyn ToSql + Sync>],
) -> Vec<&'a (dyn ToSql + Sync)> {
    let mut all: Vec<&(dyn ToSql + Sync)> = vec![folded, terms];
    all.extend(bound.iter().map(|b| b.as_ref() as &(dyn ToSql + Sync)));
    all
}

impl PgStore {
    /// The totals of a phrase within `bounds`: occurrences, titles and
    /// passages, speeches.
    pub fn totals_in(&self, phrase: &str, bounds: &Bounds) -> Result<Totals, MentionsError> {
        let folded = checked(phrase)?;
        let terms = phrase_terms(&folded);
        let (cond, bound) = filter(bounds);
        let sql = format!(
            "SELECT shard, sum({OCCURRENCES})::bigint, count(*), count(DISTINCT speech_key) \
             FROM jh_passages WHERE {cond} GROUP BY shard"
        );
        let rows = self.with_client(|c| c.query(&sql, &query_params(&folded, &terms, &bound)))?;
        let mut t = Totals::default();
        for row in rows {
            t.occurrences += row.get::<_, i64>(1) as usize;
            t.passages += row.get::<_, i64>(2) as usize;
            t.speeches += row.get::<_, i64>(3) as usize;
        }
        Ok(t)
    }

    /// The count of a phrase per title and passage within `bounds`, ordered
    /// by speech id, then the title before the passages in order. Titles
    /// and sites are filled in as far as `detail` asks.
    pub fn count_in(
        &self,
        phrase: &str,
        detail: Detail,
        bounds: &Bounds,
    ) -> Result<Counts, MentionsError> {
        let folded = checked(phrase)?;
        let terms = phrase_terms(&folded);
        let (cond, bound) = filter(bounds);
        let sql = format!(
            "SELECT speech_key, kind, passage, day, site, title, sum({OCCURRENCES})::bigint \
             FROM jh_passages WHERE {cond} \
             GROUP BY shard, speech_key, kind, passage, day, site, title"
        );
        let rows = self.with_client(|c| c.query(&sql, &query_params(&folded, &terms, &bound)))?;
        let mut keyed: Vec<((u64, i16, i32), Tally)> = rows
            .into_iter()
            .map(|row| {
                let key = row.get::<_, i64>(0) as u64;
                let kind: i16 = row.get(1);
                let passage: i32 = row.get(2);
                let tally = Tally {
                    doc_key: key,
                    title: if detail.title { row.get(5) } else { None },
                    site: if detail.site { row.get(4) } else { None },
                    day: row.get::<_, i32>(3) as u64,
                    occurrences: row.get::<_, i64>(6) as usize,
                };
                ((key, -kind, passage), tally)
            })
            .collect();
        keyed.sort_unstable_by_key(|(k, _)| *k);
        Ok(Counts {
            phrase: phrase.to_owned(),
            tallies: keyed.into_iter().map(|(_, t)| t).collect(),
        })
    }
}
