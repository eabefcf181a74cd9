//! What does the JSON API answer? The CLI's `--json` objects, built by
//! `output::json` (one contract, one serialisation), wrapped in one JSON
//! document per request:
//!
//! - `GET /api/search?q=…` (`limit` ≤ 100, default 10; `offset`; `since`,
//!   `until`, `site`; `sort=relevance|date`; `explain=1`) →
//!   `{"query", "total", "offset", "limit", "results": [search objects]}`.
//! - `GET /api/mentions?phrase=…` (repeat `phrase` for several, up to 10;
//!   `by=speech|site|year|month`; `count=1`; `context` ≤ 200, default 20;
//!   `limit` ≤ 1000, default 50, and `offset` over the occurrences; `since`,
//!   `until`, `site`; `speech=ID`: one speech's only) → `{"phrases": [{"count": {…}, "groups": […]} or
//!   {"count": {…}, "offset", "limit", "occurrences": […]}]}`, one entry
//!   per phrase in the order given: `groups` with `by`, only `count` with
//!   `count=1`, else a page of occurrences in the listing's order.
//! - `GET /api/speeches/{id}` → the `show --json` object (a unique prefix
//!   of 4 or more hex digits works too).
//! - `GET /api/stats` → the `stats --json` object.
//!
//! `format=csv` on `/api/search` and `/api/mentions` answers the rows of
//! the CLI's `--csv` instead, as a download (`output::csv`).
//!
//! Every error is `{"error": "<one sentence>"}`: 400 for a malformed
//! request (the CLI's sentence for a malformed query, date or id; an
//! unknown or repeated parameter; a number out of range), 404 for an
//! unknown speech or path, 503 when the query took longer than the time
//! allowed or the server is busy, 500 when the index failed.
//!
//! Each request runs on tokio's blocking pool against the snapshot current
//! when it started ([`super::live`]), at most [`Limits::slots`] at once, and
//! is answered within [`Limits::timeout`] or with a 503 (the work itself
//! cannot be interrupted, but no worker waits on it).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::value::RawValue;

use super::cache::Kept;
use super::live::Live;
use super::respond;
use crate::index::store::Store;
use crate::output::{json, kwic};
use crate::query::filter::Filter;
use crate::query::mentions::MentionsError;
use crate::query::search::{Options, SearchError, Sort};
use crate::query::show::ShowError;

/// The most results one search request may ask for.
pub const MAX_SEARCH_LIMIT: usize = 100;
/// The deepest a search may page.
pub const MAX_SEARCH_OFFSET: usize = 10_000;
/// The most occurrences one mentions request may list.
pub const MAX_MENTIONS_LIMIT: usize = 1000;
/// The most phrases one mentions request may count.
pub const MAX_PHRASES: usize = 10;
/// The most context chars on a side.
pub const MAX_CONTEXT: usize = 200;
/// The longest query string read, in bytes.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// How much work the server takes on.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The longest a request is waited for.
    pub timeout: Duration,
    /// Requests answered at once (the others wait, within the timeout).
    pub slots: usize,
}

/// What every handler shares.
#[derive(Clone)]
pub struct Api {
    /// The index.
    pub live: Arc<Live>,
    /// The limits.
    pub limits: Limits,
    /// One permit per request being answered.
    pub slots: Arc<tokio::sync::Semaphore>,
    /// The answers of the current snapshot, for requests asked again.
    pub cache: Arc<super::cache::Cache>,
}

/// A request that cannot be answered: its status and one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in one sentence.
    pub message: String,
}

impl ApiError {
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.to_string(),
        }
    }

    /// The error as a response: `{"error": "…"}`.
    pub fn response(&self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: &'a str,
        }
        let body = serde_json::to_vec(&Body {
            error: &self.message,
        })
        .unwrap_or_default();
        respond(self.status, "application/json", body)
    }
}

/// The parameters of a query string, in order, repeated keys kept.
struct Params(Vec<(String, String)>);

impl Params {
    /// Reads a query string; only `known` names are taken.
    fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_BYTES {
            return Err(ApiError::bad(format!(
                "the query string is {} bytes long, more than the {MAX_QUERY_BYTES} a request may have",
                raw.len()
            )));
        }
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some((k, _)) = pairs.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(ApiError::bad(format!(
                "unknown parameter {k:?}: this endpoint takes {}",
                known.join(", ")
            )));
        }
        Ok(Params(pairs))
    }

    /// Every value of `name`.
    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of `name`, given at most once.
    fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.all(name)[..] {
            [] => Ok(None),
            [v] => Ok(Some(v)),
            _ => Err(ApiError::bad(format!("{name} is given more than once"))),
        }
    }

    /// A whole number from 0 to `max`, `default` when absent.
    fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.one(name)? else {
            return Ok(default);
        };
        match v.trim().parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::bad(format!(
                "{name} must be a whole number from 0 to {max}, not {v:?}"
            ))),
        }
    }

    /// A flag: absent, or `1`, `true`, `0`, `false`.
    fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.one(name)? {
            None | Some("0") | Some("false") => Ok(false),
            Some("") | Some("1") | Some("true") => Ok(true),
            Some(v) => Err(ApiError::bad(format!(
                "{name} must be 1 or 0 (true or false), not {v:?}"
            ))),
        }
    }

    /// `site`, `since` and `until`.
    fn filter(&self) -> Result<Filter, ApiError> {
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            Ok(self
                .one(name)?
                .filter(|v| !v.trim().is_empty())
                .map(str::to_owned))
        };
        Ok(Filter {
            site: text("site")?,
            since: text("since")?,
            until: text("until")?,
        })
    }
}

/// The response of a kept answer.
fn kept_response(kept: &Kept) -> Response {
    match kept.csv {
        None => respond(StatusCode::OK, "application/json", kept.body.clone()),
        Some(name) => {
            let mut r = respond(StatusCode::OK, "text/csv; charset=utf-8", kept.body.clone());
            if let Ok(v) =
                axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            {
                r.headers_mut()
                    .insert(axum::http::header::CONTENT_DISPOSITION, v);
            }
            r
        }
    }
}

/// Whether a request asks for CSV (`format=csv`) rather than JSON.
fn wants_csv(p: &Params) -> Result<bool, ApiError> {
    match p.one("format")? {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(v) => Err(ApiError::bad(format!(
            "format must be json or csv, not {v:?}"
        ))),
    }
}

/// CSV written by `write`, as a download named `name`.
fn csv_reply(
    name: &'static str,
    write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<Kept, ApiError> {
    let mut body = Vec::new();
    write(&mut body).map_err(ApiError::internal)?;
    Ok(Kept {
        body: body.into(),
        csv: Some(name),
    })
}

/// Answers with `work`'s reply, run on the blocking pool against the
/// current snapshot, within the time allowed; or with the reply kept for
/// the same request (`key`) under the same snapshot.
async fn answer(
    api: &Api,
    key: String,
    work: impl FnOnce(Store<'_>) -> Result<Kept, ApiError> + Send + 'static,
) -> Response {
    let snapshot = api.live.current();
    if let Some(kept) = api.cache.get(snapshot.serial, &key) {
        return kept_response(&kept);
    }
    let timeout = api.limits.timeout;
    let busy = || ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: format!(
            "the query took longer than the {} s a request may take; narrow it (a longer phrase, a site or a date range) or try again",
            timeout.as_secs_f64()
        ),
    };
    let started = tokio::time::Instant::now();
    let permit = match tokio::time::timeout(timeout, Arc::clone(&api.slots).acquire_owned()).await {
        Ok(Ok(p)) => p,
        Ok(Err(_)) | Err(_) => return busy().response(),
    };
    let serial = snapshot.serial;
    let job = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(snapshot.store())
    });
    let left = timeout.saturating_sub(started.elapsed());
    match tokio::time::timeout(left, job).await {
        Ok(Ok(Ok(kept))) => {
            let kept = Arc::new(kept);
            let r = kept_response(&kept);
            api.cache.put(serial, &key, kept);
            r
        }
        Ok(Ok(Err(e))) => e.response(),
        Ok(Err(e)) => ApiError::internal(format!("the query failed: {e}")).response(),
        Err(_) => busy().response(),
    }
}

fn to_json(value: &impl Serialize) -> Result<Kept, ApiError> {
    let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
    Ok(Kept {
        body: body.into(),
        csv: None,
    })
}

/// `GET /api/search`.
pub async fn search_handler(State(api): State<Api>, RawQuery(raw): RawQuery) -> Response {
    let p = match Params::parse(
        raw.as_deref(),
        &[
            "q", "limit", "offset", "since", "until", "site", "sort", "explain", "format",
        ],
    ) {
        Ok(p) => p,
        Err(e) => return e.response(),
    };
    let prepared = (|| -> Result<(String, Options, bool), ApiError> {
        let csv = wants_csv(&p)?;
        let q = p
            .one("q")?
            .ok_or_else(|| ApiError::bad("give a query: /api/search?q=…"))?
            .to_owned();
        let sort = match p.one("sort")? {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(v) => {
                return Err(ApiError::bad(format!(
                    "sort must be relevance or date, not {v:?}"
                )));
            }
        };
        let opts = Options {
            limit: p.number("limit", 10, MAX_SEARCH_LIMIT)?,
            offset: p.number("offset", 0, MAX_SEARCH_OFFSET)?,
            filter: p.filter()?,
            sort,
            explain: p.flag("explain")?,
        };
        Ok((q, opts, csv))
    })();
    let (q, opts, csv) = match prepared {
        Ok(x) => x,
        Err(e) => return e.response(),
    };
    answer(
        &api,
        format!("search?{}", raw.as_deref().unwrap_or("")),
        move |store| {
            let found = store.search(&q, &opts).map_err(|e| match e {
                SearchError::Parse(_) | SearchError::BadDate(_) | SearchError::Unsupported(_) => {
                    ApiError::bad(e.to_string())
                }
                e => ApiError::internal(e),
            })?;
            if csv {
                return csv_reply("search.csv", |out| {
                    crate::output::csv::header(out, crate::output::csv::SEARCH_HEADER)?;
                    found
                        .results
                        .iter()
                        .try_for_each(|r| crate::output::csv::search_row(out, r))
                });
            }
            #[derive(Serialize)]
            struct Out<'a, R: Serialize> {
                query: &'a str,
                total: usize,
                offset: usize,
                limit: usize,
                results: Vec<R>,
            }
            to_json(&Out {
                query: &q,
                total: found.total,
                offset: opts.offset,
                limit: opts.limit,
                results: found.results.iter().map(json::search_result).collect(),
            })
        },
    )
    .await
}

/// What a mentions request asks for, per phrase.
#[derive(Debug, Clone, Copy)]
enum Want {
    Count,
    Groups(kwic::GroupBy),
    Page(kwic::Page),
}

/// A mentions request, read.
struct MentionsRequest {
    phrases: Vec<String>,
    want: Want,
    filter: Filter,
    /// `format=csv`.
    csv: bool,
    /// `speech=ID`, not yet resolved.
    speech: Option<String>,
}

fn mentions_error(e: MentionsError) -> ApiError {
    match e {
        MentionsError::Empty | MentionsError::TooLong { .. } => ApiError::bad(e.to_string()),
        e => ApiError::internal(e),
    }
}

/// `GET /api/mentions`.
pub async fn mentions_handler(State(api): State<Api>, RawQuery(raw): RawQuery) -> Response {
    let p = match Params::parse(
        raw.as_deref(),
        &[
            "phrase", "by", "count", "context", "limit", "offset", "since", "until", "site",
            "speech", "format",
        ],
    ) {
        Ok(p) => p,
        Err(e) => return e.response(),
    };
    let prepared = (|| -> Result<MentionsRequest, ApiError> {
        let phrases: Vec<String> = p.all("phrase").into_iter().map(str::to_owned).collect();
        if phrases.is_empty() {
            return Err(ApiError::bad("give a phrase: /api/mentions?phrase=…"));
        }
        if phrases.len() > MAX_PHRASES {
            return Err(ApiError::bad(format!(
                "{} phrases given, more than the {MAX_PHRASES} a request may count",
                phrases.len()
            )));
        }
        let by = match p.one("by")? {
            None => None,
            Some("speech") => Some(kwic::GroupBy::Speech),
            Some("site") => Some(kwic::GroupBy::Site),
            Some("year") => Some(kwic::GroupBy::Year),
            Some("month") => Some(kwic::GroupBy::Month),
            Some(v) => {
                return Err(ApiError::bad(format!(
                    "by must be speech, site, year or month, not {v:?}"
                )));
            }
        };
        let page = kwic::Page {
            offset: p.number("offset", 0, usize::MAX)?,
            limit: Some(p.number("limit", 50, MAX_MENTIONS_LIMIT)?),
            context: p.number("context", 20, MAX_CONTEXT)?,
        };
        let want = match (p.flag("count")?, by) {
            (true, Some(_)) => return Err(ApiError::bad("count and by cannot be given together")),
            (true, None) => Want::Count,
            (false, Some(by)) => Want::Groups(by),
            (false, None) => Want::Page(page),
        };
        Ok(MentionsRequest {
            phrases,
            want,
            filter: p.filter()?,
            csv: wants_csv(&p)?,
            speech: p.one("speech")?.map(str::to_owned),
        })
    })();
    let MentionsRequest {
        phrases,
        want,
        filter,
        csv,
        speech,
    } = match prepared {
        Ok(x) => x,
        Err(e) => return e.response(),
    };
    answer(
        &api,
        format!("mentions?{}", raw.as_deref().unwrap_or("")),
        move |store| {
            let mut bounds = filter.bounds().map_err(|e| ApiError::bad(e.to_string()))?;
            if let Some(id) = &speech {
                bounds.speech = Some(store.resolve(id).map_err(show_error)?.key());
            }
            if csv {
                return mentions_csv(store, &phrases, want, &bounds);
            }
            let grouped = match want {
                Want::Groups(by) => grouped(store, &phrases, by, &bounds)?,
                _ => Vec::new(),
            };
            let mut out: Vec<Box<RawValue>> = Vec::with_capacity(phrases.len());
            for (i, phrase) in phrases.iter().enumerate() {
                let raw = match want {
                    Want::Count => {
                        let t = store.totals_in(phrase, &bounds).map_err(mentions_error)?;
                        to_raw(&PhraseOut::<_, (), ()> {
                            count: json::count(phrase, &t),
                            groups: None,
                            offset: None,
                            limit: None,
                            occurrences: None,
                        })?
                    }
                    Want::Groups(_) => {
                        let (t, groups) = &grouped[i];
                        to_raw(&PhraseOut::<_, _, ()> {
                            count: json::count(phrase, t),
                            groups: Some(groups.iter().map(|g| json::group(phrase, g)).collect()),
                            offset: None,
                            limit: None,
                            occurrences: None,
                        })?
                    }
                    Want::Page(page) => {
                        let mut lines: Vec<Box<RawValue>> = Vec::new();
                        let paged = kwic::for_each_line_in(store, phrase, &bounds, page, |l| {
                            serde_json::value::to_raw_value(&json::occurrence(phrase, l))
                                .map(|v| lines.push(v))
                        })
                        .map_err(|e| match e {
                            kwic::PageError::Query(e) => mentions_error(e),
                            kwic::PageError::Sink(e) => ApiError::internal(e),
                        })?;
                        to_raw(&PhraseOut::<_, (), _> {
                            count: json::count(
                                phrase,
                                &paged
                                    .totals(store, phrase, &bounds)
                                    .map_err(mentions_error)?,
                            ),
                            groups: None,
                            offset: Some(page.offset),
                            limit: page.limit,
                            occurrences: Some(lines),
                        })?
                    }
                };
                out.push(raw);
            }
            #[derive(Serialize)]
            struct Out {
                phrases: Vec<Box<RawValue>>,
            }
            to_json(&Out { phrases: out })
        },
    )
    .await
}

/// Each phrase's totals and groups ([`kwic::grouped_in`]).
fn grouped(
    store: Store<'_>,
    phrases: &[String],
    by: kwic::GroupBy,
    bounds: &crate::query::filter::Bounds,
) -> Result<Vec<(crate::query::mentions::Totals, Vec<kwic::Group>)>, ApiError> {
    kwic::grouped_in(store, phrases, by, bounds).map_err(mentions_error)
}

/// A mentions answer as CSV: the rows of `mentions --csv`.
fn mentions_csv(
    store: Store<'_>,
    phrases: &[String],
    want: Want,
    bounds: &crate::query::filter::Bounds,
) -> Result<Kept, ApiError> {
    use crate::output::csv;
    let mut body = Vec::new();
    let io = ApiError::internal;
    let name = match want {
        Want::Count => {
            csv::header(&mut body, csv::COUNT_HEADER).map_err(io)?;
            for phrase in phrases {
                let t = store.totals_in(phrase, bounds).map_err(mentions_error)?;
                csv::count_row(&mut body, phrase, &t).map_err(io)?;
            }
            "mentions-count.csv"
        }
        Want::Groups(by) => {
            csv::header(&mut body, csv::GROUPS_HEADER).map_err(io)?;
            for (phrase, (_, groups)) in phrases.iter().zip(grouped(store, phrases, by, bounds)?) {
                for g in &groups {
                    csv::group_row(&mut body, phrase, g).map_err(io)?;
                }
            }
            match by {
                kwic::GroupBy::Speech => "mentions-by-speech.csv",
                kwic::GroupBy::Site => "mentions-by-site.csv",
                kwic::GroupBy::Year => "mentions-by-year.csv",
                kwic::GroupBy::Month => "mentions-by-month.csv",
            }
        }
        Want::Page(page) => {
            csv::header(&mut body, csv::OCCURRENCES_HEADER).map_err(io)?;
            for phrase in phrases {
                kwic::for_each_line_in(store, phrase, bounds, page, |l| {
                    csv::occurrence_row(&mut body, phrase, l)
                })
                .map_err(|e| match e {
                    kwic::PageError::Query(e) => mentions_error(e),
                    kwic::PageError::Sink(e) => ApiError::internal(e),
                })?;
            }
            "mentions.csv"
        }
    };
    Ok(Kept {
        body: body.into(),
        csv: Some(name),
    })
}

/// One phrase's part of a mentions answer.
#[derive(Serialize)]
struct PhraseOut<C: Serialize, G: Serialize, O: Serialize> {
    count: C,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<G>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    occurrences: Option<Vec<O>>,
}

fn to_raw(value: &impl Serialize) -> Result<Box<RawValue>, ApiError> {
    serde_json::value::to_raw_value(value).map_err(ApiError::internal)
}

/// A speech id that names no speech is a 404; one that is no id, a 400.
fn show_error(e: ShowError) -> ApiError {
    match e {
        ShowError::NotFound(_) | ShowError::NoPrefix(_) => ApiError {
            status: StatusCode::NOT_FOUND,
            message: e.to_string(),
        },
        ShowError::BadId(_) | ShowError::Ambiguous { .. } => ApiError::bad(e.to_string()),
        e => ApiError::internal(e),
    }
}

/// `GET /api/speeches/{id}`.
pub async fn speech_handler(
    State(api): State<Api>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(e) = Params::parse(raw.as_deref(), &[]) {
        return e.response();
    }
    answer(&api, format!("speech/{id}"), move |store| {
        let s = store.show(&id).map_err(show_error)?;
        to_json(&json::show(&s))
    })
    .await
}

/// `GET /api/stats`.
pub async fn stats_handler(State(api): State<Api>, RawQuery(raw): RawQuery) -> Response {
    if let Err(e) = Params::parse(raw.as_deref(), &[]) {
        return e.response();
    }
    answer(&api, "stats".to_owned(), move |store| {
        let s = store.stats().map_err(ApiError::internal)?;
        to_json(&s)
    })
    .await
}

/// Any other path under `/api/`.
pub async fn unknown_handler() -> Response {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: "no such endpoint: the API has /api/search, /api/mentions, /api/speeches/{id} and /api/stats".into(),
    }
    .response()
}
