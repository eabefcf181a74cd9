//! Dumps the cleaned text of a jianghua index as JSON Lines, so peers
//! (`plain_build`, Groonga in `benches/e2e_run.py`) index exactly the text
//! jianghua indexed, without cleaning it again.
//!
//! One line per passage document and per speech document (its title):
//! `{"kind":"passage"|"title","doc_id":…,"passage":…,"source":…,"text":…,"folded":…}`,
//! `text` as stored (original script), `folded` its search form
//! ([`jianghua::fold`]: Simplified, half-width, lower-case; one char per
//! char). Source records are skipped. Not timed: it only feeds the peers.
//!
//! ```sh
//! cargo run --release --example export_passages -- INDEX_DIR > passages.jsonl
//! ```

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use jianghua::index::schema::{KIND_PASSAGE, KIND_SPEECH};
use jianghua::index::{SpeechIndex, stored_text, stored_u64};
use tantivy::{DocAddress, TantivyDocument};

#[derive(serde::Serialize)]
struct Line<'a> {
    kind: &'static str,
    doc_id: &'a str,
    passage: u64,
    source: &'a str,
    text: &'a str,
    folded: &'a str,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: export_passages INDEX_DIR > passages.jsonl")?
        .into();
    let idx = SpeechIndex::open(&dir)?;
    let f = idx.fields;
    let searcher = idx.searcher()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut passages, mut titles) = (0u64, 0u64);
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        for doc in 0..seg.max_doc() {
            if seg.is_deleted(doc) {
                continue;
            }
            let d: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
            let kind = match stored_u64(&d, f.kind) {
                KIND_PASSAGE => "passage",
                KIND_SPEECH => "title",
                _ => continue,
            };
            let Some(text) = stored_text(&d, f.text).filter(|t| !t.is_empty()) else {
                continue;
            };
            let line = Line {
                kind,
                doc_id: &stored_text(&d, f.doc_id).unwrap_or_default(),
                passage: stored_u64(&d, f.passage),
                source: &stored_text(&d, f.source).unwrap_or_default(),
                folded: &jianghua::fold::fold(&text),
                text: &text,
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
            if kind == "passage" {
                passages += 1;
            } else {
                titles += 1;
            }
        }
    }
    out.flush()?;
    eprintln!("exported {passages} passages and {titles} titles");
    Ok(())
}
