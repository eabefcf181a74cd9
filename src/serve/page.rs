//! What does the browser load? One page and its script and style sheet,
//! embedded in the binary (no network, no CDN, no fonts to fetch: the
//! browser's own Chinese fonts). The page is a shell: the script reads the
//! state from the URL (`#/search?q=…`, `#/mentions?phrase=…`,
//! `#/speech/ID?phrase=…`), asks the API, and builds every element with
//! `textContent`, never `innerHTML`, so scraped text shows as text.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

use super::respond;

/// The page.
pub const INDEX_HTML: &str = include_str!("assets/index.html");
/// Its script.
pub const APP_JS: &str = include_str!("assets/app.js");
/// Its style sheet.
pub const APP_CSS: &str = include_str!("assets/app.css");

/// `GET /`.
pub async fn index() -> Response {
    respond(
        StatusCode::OK,
        "text/html; charset=utf-8",
        INDEX_HTML.as_bytes().to_vec(),
    )
}

/// `GET /assets/{name}`: only the embedded assets, by name.
pub async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "app.js" => respond(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            APP_JS.as_bytes().to_vec(),
        ),
        "app.css" => respond(
            StatusCode::OK,
            "text/css; charset=utf-8",
            APP_CSS.as_bytes().to_vec(),
        ),
        _ => not_found().await,
    }
}

/// Any other path.
pub async fn not_found() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        b"not found: open / for the search page, or see /api/stats\n".to_vec(),
    )
}
