//! `search` over a PostgreSQL store: the same matching passages as the
//! tantivy store's `query::search`, ranked by the engine.
//!
//! **Matching** is the query language's, worked out the same way
//! (`query::search::prepare`): a text term matches a passage whose folded
//! text holds it (candidates by the `terms` GIN index, checked by `strpos`),
//! and a word also matches a passage that holds all its jieba tokens (the
//! `words` tsvector, `@@` an `&` of them); `title:` holds in the folded
//! title (the speech's title row), `site:` in the folded site; an excluded
//! term is excluded where it occurs exactly. Dates and sites bound the
//! passages as in `mentions`.
//!
//! **Ranking** is `ts_rank_cd` over the `words` tsvector for the query's
//! jieba words (as `query::rank` takes them), times the length prior of
//! `query::rank`, plus [`EXACT_BONUS`] for each positive text term found
//! exactly, so exact matches come first; a passage with mojibake keeps
//! [`MOJIBAKE_FACTOR`] of its score. Equal scores go newer speech first,
//! then smaller speech id, then earlier passage. There is no BM25 (no
//! document frequencies across shards), so the order within the exact and
//! the loose matches is not the tantivy store's.
//!
//! **Where it runs**: the total is one count through the coordinator, each
//! shard counting its rows (the `WHERE` is made only of what postgres_fdw
//! sends on: no `coalesce`, no subquery, `title:` terms looked up first);
//! the page asks every shard's server at once for its own top rows and
//! merges them, so no shard sends more than `offset + limit` passages.

use std::collections::HashMap;

use postgres::error::SqlState;
use postgres::types::ToSql;

use super::sink::{fits_lexeme, quoted_lexeme};
use super::{PgStore, phrase_terms};
use crate::index::DocId;
use crate::index::analyzers::{LazyJieba, jieba_words};
use crate::query::highlight::highlights_with;
use crate::query::parse::{Field, parse};
use crate::query::rank::{EXACT_BONUS, MOJIBAKE_FACTOR, PRIOR_CHARS};
use crate::query::search::{
    Found, Options, PClause, Prepared, Result as Hit, SearchError, Sort, marks, positive_texts,
    prepare,
};

/// An SQL text being built with its parameters.
#[derive(Default)]
struct Sql {
    params: Vec<Box<dyn ToSql + Sync>>,
    /// The speeches whose title holds each folded `title:` term, asked
    /// beforehand ([`PgStore::title_keys`]): a subquery in the `WHERE`
    /// would keep postgres_fdw from sending the condition to the shards.
    titles: std::collections::HashMap<String, Vec<i64>>,
}

impl Sql {
    /// The placeholder of a new parameter.
    fn param(&mut self, value: impl ToSql + Sync + 'static) -> String {
        self.params.push(Box::new(value));
        format!("${}", self.params.len())
    }

    /// The parameters, in `$` order.
    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(|p| p.as_ref() as _).collect()
    }

    /// Rows whose folded text holds `folded`: candidates by their terms,
    /// checked by the text.
    fn holds(&mut self, folded: &str) -> String {
        format!(
            "(terms @> {} AND strpos(folded, {}) > 0)",
            self.param(phrase_terms(folded)),
            self.param(folded.to_owned())
        )
    }

    /// The condition of one term on a passage row. Never NULL (the
    /// columns it reads are `NOT NULL`, but for `site_key`, tested first),
    /// and built of what postgres_fdw sends to the shards (no `coalesce`,
    /// no subquery), so each shard filters its own rows with its indexes.
    fn term(&mut self, p: &Prepared<'_>) -> String {
        let folded = p.folded.as_str();
        let cond = match p.term.field {
            Field::Text => {
                let mut c = self.holds(folded);
                if let Some(all) = p.loose().then(|| tsquery(&p.tokens, " & ")).flatten() {
                    c = format!("({c} OR words @@ {}::text::tsquery)", self.param(all));
                }
                c
            }
            // Everything holds the empty text, a speech with no title too.
            Field::Title if folded.is_empty() => "TRUE".to_owned(),
            Field::Title => {
                let keys = self.titles.get(folded).cloned().unwrap_or_default();
                format!("speech_key = ANY({})", self.param(keys))
            }
            Field::Site => format!(
                "(site_key IS NOT NULL AND strpos(site_key, {}) > 0)",
                self.param(folded.trim().to_owned())
            ),
        };
        format!("({cond})")
    }

    /// The `WHERE` of a query's clauses over passage rows.
    fn clauses(&mut self, clauses: &[PClause<'_>]) -> String {
        let mut all = vec!["kind = 0".to_owned()];
        for c in clauses {
            all.push(match c {
                PClause::Any(terms) => {
                    let any: Vec<String> = terms.iter().map(|t| self.term(t)).collect();
                    format!("({})", any.join(" OR "))
                }
                // Excluded where it occurs exactly, never for a loose match.
                PClause::Not(t) if t.term.field == Field::Text => {
                    format!("NOT {}", self.holds(&t.folded))
                }
                PClause::Not(t) => format!("NOT {}", self.term(t)),
            });
        }
        all.join(" AND ")
    }
}

/// A `tsquery` of the lexemes joined by `op`, or `None` when there is none
/// or one is too long for a lexeme (no row holds it then).
fn tsquery(lexemes: &[String], op: &str) -> Option<String> {
    if lexemes.is_empty() || !lexemes.iter().all(|l| fits_lexeme(l)) {
        return None;
    }
    let mut out = String::new();
    for (i, l) in lexemes.iter().enumerate() {
        if i > 0 {
            out.push_str(op);
        }
        quoted_lexeme(&mut out, l);
    }
    Some(out)
}

impl PgStore {
    /// Runs a query (see the module documentation for how it matches and
    /// ranks).
    pub fn search(&self, query: &str, opts: &Options) -> Result<Found, SearchError> {
        if opts.explain {
            return Err(SearchError::Unsupported(
                "--explain shows the tantivy store's BM25 parts; a PostgreSQL store ranks by ts_rank_cd (README, \"Scaling out\")",
            ));
        }
        let parsed = parse(query)?;
        let jieba = self.jieba();
        // Every text term is checked on the text here: none needs knowing.
        let clauses = prepare(jieba, &|_| false, &parsed.clauses);
        let bounds = opts.filter.bounds()?;
        let mut sql = Sql {
            titles: self.title_keys(&clauses)?,
            ..Sql::default()
        };
        let mut cond = sql.clauses(&clauses);
        // The bounds' parameters go after the clauses', in the same list.
        cond.push_str(&super::count::bounds_sql(&bounds, 0, &mut sql.params));
        let count = format!("SELECT shard, count(*) FROM jh_passages WHERE {cond} GROUP BY shard");
        let total: i64 = self
            .with_client(|c| c.query(&count, &sql.refs()))?
            .iter()
            .map(|row| row.get::<_, i64>(1))
            .sum();
        let total = total as usize;
        if opts.limit == 0 || opts.offset >= total {
            return Ok(Found {
                total,
                results: Vec::new(),
            });
        }
        let score = score_sql(&mut sql, jieba, &clauses);
        let rows = self.top_rows(&cond, &score, &sql.refs(), opts)?;
        let (marks, mark_tokens) = marks(&clauses);
        let results = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let text: String = row.get(7);
                Hit {
                    rank: opts.offset + i + 1,
                    score: row.get(8),
                    doc_id: DocId::from_key(row.get::<_, i64>(0) as u64)
                        .as_str()
                        .to_owned(),
                    passage: row.get::<_, i32>(1) as usize,
                    title: row.get(2),
                    date: row.get(3),
                    site: row.get(4),
                    source: row.get(5),
                    section: row.get(6),
                    highlights: highlights_with(&text, &marks, &mark_tokens),
                    text,
                    explain: None,
                }
            })
            .collect();
        Ok(Found { total, results })
    }
}

impl PgStore {
    /// The speeches whose title holds each folded `title:` term of the
    /// clauses (the title rows' candidates by terms, checked by the text).
    fn title_keys(
        &self,
        clauses: &[PClause<'_>],
    ) -> Result<HashMap<String, Vec<i64>>, SearchError> {
        let mut out = HashMap::new();
        let terms = clauses.iter().flat_map(|c| match c {
            PClause::Any(terms) => terms.iter().collect::<Vec<_>>(),
            PClause::Not(t) => vec![t],
        });
        for t in terms {
            let folded = &t.folded;
            if t.term.field != Field::Title || folded.is_empty() || out.contains_key(folded) {
                continue;
            }
            let mut sql = Sql::default();
            let query = format!(
                "SELECT speech_key FROM jh_passages WHERE kind = 1 AND {}",
                sql.holds(folded)
            );
            let rows = self.with_client(|c| c.query(&query, &sql.refs()))?;
            out.insert(folded.clone(), rows.iter().map(|r| r.get(0)).collect());
        }
        Ok(out)
    }

    /// The rows of the page `opts` asks for: the first `offset + limit` of
    /// each shard in the order of `opts.sort`, asked of every shard's
    /// server at once (as the ingest writes to them), then merged. Through
    /// the coordinator's partitioned table, postgres_fdw sends the `WHERE`
    /// to the shards but sorts on the coordinator, so it would fetch every
    /// matching row with its text; asked on its own server, a shard sorts
    /// its matches and sends back its top rows only. The shards' tables
    /// are the live generation's; when a rebuild swaps generations in
    /// between, they are looked up again.
    fn top_rows(
        &self,
        cond: &str,
        score: &str,
        params: &[&(dyn ToSql + Sync)],
        opts: &Options,
    ) -> Result<Vec<postgres::Row>, SearchError> {
        let order = match opts.sort {
            Sort::Relevance => "score DESC, day DESC",
            Sort::Date => "day DESC, score DESC",
        };
        let k = opts.offset + opts.limit;
        for _ in 0..3 {
            let g = self.live_generation()?;
            let urls = self.shard_urls();
            let asked: Vec<Option<Vec<postgres::Row>>> = std::thread::scope(|s| {
                let asks: Vec<_> = urls
                    .iter()
                    .enumerate()
                    .map(|(i, url)| {
                        let sql = format!(
                            "SELECT speech_key, passage, title, date, site, source, section, text, \
                             ({score})::real AS score, day FROM jh_passages_g{g}_{i} WHERE {cond} \
                             ORDER BY {order}, speech_key # (-9223372036854775808)::bigint, passage \
                             LIMIT {k}"
                        );
                        s.spawn(move || {
                            self.with_client_at(url, |c| match c.query(&sql, params) {
                                Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => Ok(None),
                                asked => asked.map(Some),
                            })
                        })
                    })
                    .collect();
                asks.into_iter()
                    .map(|a| a.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect::<Result<_, _>>()
            })?;
            // A shard's table gone: a rebuild swapped generations meanwhile.
            let Some(asked) = asked.into_iter().collect::<Option<Vec<_>>>() else {
                continue;
            };
            let mut rows: Vec<postgres::Row> = asked.into_iter().flatten().collect();
            let key = |r: &postgres::Row| {
                (
                    r.get::<_, f32>(8),
                    r.get::<_, i32>(9),
                    r.get::<_, i64>(0) as u64,
                    r.get::<_, i32>(1),
                )
            };
            rows.sort_by(|a, b| {
                let ((sa, da, ka, pa), (sb, db, kb, pb)) = (key(a), key(b));
                let by_score = sb.partial_cmp(&sa).unwrap_or(std::cmp::Ordering::Equal);
                let by_day = db.cmp(&da);
                match opts.sort {
                    Sort::Relevance => by_score.then(by_day),
                    Sort::Date => by_day.then(by_score),
                }
                .then(ka.cmp(&kb))
                .then(pa.cmp(&pb))
            });
            return Ok(rows
                .into_iter()
                .skip(opts.offset)
                .take(opts.limit)
                .collect());
        }
        Err(SearchError::Index(crate::index::IndexError::Postgres {
            url: super::redact(&self.url),
            reason: "its tables were rebuilt three times while the search ran; run it again".into(),
        }))
    }
}

/// The score of a passage row: the exact bonus, plus `ts_rank_cd` of the
/// query's jieba words times the length prior (1 times the prior when the
/// query has no text word), the mojibake factor over both.
fn score_sql(sql: &mut Sql, jieba: &LazyJieba, clauses: &[PClause<'_>]) -> String {
    let mut texts = positive_texts(clauses);
    texts.sort_unstable();
    texts.dedup();
    let mut exact = vec!["0".to_owned()];
    for t in &texts {
        exact.push(format!(
            "(strpos(folded, {}) > 0)::int",
            sql.param(t.to_string())
        ));
    }
    let mut words: Vec<String> = Vec::new();
    for t in &texts {
        for w in jieba_words(jieba, t) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
    }
    let rank = match tsquery(&words, " | ") {
        Some(q) => format!("ts_rank_cd(words, {}::text::tsquery)", sql.param(q)),
        None => "1".to_owned(),
    };
    format!(
        "({bonus} * ({exact}) + chars::real / (chars + {PRIOR_CHARS}) * {rank}) \
         * CASE WHEN flags & {mojibake} <> 0 THEN {MOJIBAKE_FACTOR} ELSE 1 END",
        bonus = EXACT_BONUS,
        exact = exact.join(" + "),
        mojibake = crate::index::schema::flag::MOJIBAKE,
    )
}
