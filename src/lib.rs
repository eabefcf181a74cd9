//! jianghua (讲话, "speech"): full-text search for Chinese policy speeches
//! scraped from the web.
//!
//! The library turns a dirty scraped page into clean speeches:
//!
//! ```text
//! bytes → decode   (BOM / <meta charset> / chardetng → UTF-8)
//!       → extract  (HTML → block lines; plain text passes through)
//!       → clean    (chrome, stubs, outline, filler removed; artefacts repaired)
//!       → split    (compilations → one part per speech)
//!       → structure(title, date, site, truncation, outline, passages)
//! fold: the char→char search form (繁→简, full-width→half-width, lower-case)
//! ```
//!
//! ```
//! let page = "您的位置:某某网>>讲话/>>正文\n在全县大会上的讲话\n发表时间:2024/5/21 18:48:54\n同志们:\n今天我们召开招商引资大会。\n";
//! let out = jianghua::pipeline::process(page.as_bytes()).unwrap();
//! let speech = &out.speeches[0];
//! assert_eq!(speech.title.as_deref(), Some("在全县大会上的讲话"));
//! assert_eq!(speech.date.as_deref(), Some("2024-05-21"));
//! assert_eq!(speech.site.as_deref(), Some("某某网"));
//! assert!(speech.passages.iter().any(|p| p.text == "今天我们召开招商引资大会。"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod failpoint;
pub mod fold;
pub mod index;
pub mod output;
pub mod pipeline;
pub mod query;
pub mod serve;

pub use error::{Error, Result};
pub use pipeline::{CleanedFile, clean_file};
