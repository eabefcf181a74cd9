//! `jianghua serve`: the index in a browser, and a JSON API for scripts.
//!
//! One process opens the index once and answers from memory
//! ([`live`]: a snapshot swapped for the next one when an ingest commits
//! or a `rebuild` swaps generations); [`api`] answers `/api/…` with the
//! CLI's JSON objects; [`page`] serves the web page, whose every asset is
//! embedded in the binary. Every response forbids inline script and any
//! other origin (`Content-Security-Policy`), so scraped text, which the
//! page only ever inserts as text, can never run.

pub mod api;
pub mod cache;
pub mod live;
pub mod page;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;

use crate::index::IndexError;

/// The address served by default: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7700";

/// The Content-Security-Policy of every response: scripts, styles and
/// requests from this origin only, no inline script, no frames, no plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen (port 0: any free port).
    pub addr: SocketAddr,
    /// The limits on each request.
    pub limits: api::Limits,
    /// How often the index folder is looked at for a new commit.
    pub refresh: Duration,
    /// Bytes of answers kept for requests asked again ([`cache`]; 0: none).
    pub cache_bytes: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            addr: DEFAULT_ADDR.parse().expect("a socket address"),
            limits: api::Limits {
                timeout: Duration::from_secs(10),
                slots: 8,
            },
            refresh: Duration::from_secs(1),
            cache_bytes: 64 << 20,
        }
    }
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No index to serve, or one this binary cannot read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime or the connection loop failed.
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// A response with the security headers every response carries.
pub fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<axum::body::Body>,
) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The routes: the API, the page and its assets.
pub fn router(api: api::Api) -> Router {
    Router::new()
        .route("/api/search", get(api::search_handler))
        .route("/api/mentions", get(api::mentions_handler))
        .route("/api/speeches/{id}", get(api::speech_handler))
        .route("/api/stats", get(api::stats_handler))
        .route("/api/{*rest}", get(api::unknown_handler))
        .route("/", get(page::index))
        .route("/assets/{name}", get(page::asset))
        .fallback(page::not_found)
        .with_state(api)
}

/// Serves the index folder `dir` until Ctrl-C or SIGTERM; `ready` is told
/// the address once the server listens (with port 0, the port it got).
pub fn run(dir: &Path, opts: Options, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let live = Arc::new(live::Live::open(dir)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: opts.addr,
                source,
            })?;
        let addr = listener.local_addr()?;
        ready(addr);
        let state = api::Api {
            live: Arc::clone(&live),
            limits: opts.limits,
            slots: Arc::new(tokio::sync::Semaphore::new(opts.limits.slots.max(1))),
            cache: Arc::new(cache::Cache::new(opts.cache_bytes)),
        };
        let watcher = tokio::spawn(live::watch(live, opts.refresh));
        let served = axum::serve(listener, router(state))
            .with_graceful_shutdown(stop_signal())
            .await;
        watcher.abort();
        served.map_err(ServeError::Io)
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
