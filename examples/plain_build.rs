//! The plain tantivy + cang-jie peer of `benches/e2e.sh`: what an index of
//! the same cleaned text costs with tantivy's defaults and nothing of
//! jianghua's (no n-grams, no term field, no metadata fields).
//!
//! Reads the JSON Lines of `export_passages` (all of it, before the clock
//! starts), then builds one document per line in a fresh index: one field,
//! `TEXT | STORED` (positions on, as tantivy's `TEXT`; stored, as a search
//! engine that shows passages must), tokenized by cang-jie over
//! `Jieba::new()` (jieba-rs's own dictionary) with
//! `TokenizerOption::Default { hmm: false }` (`--search`: `ForSearch`, the
//! mode jianghua uses); the writer of `Index::writer` with the 50 MB budget
//! of tantivy's examples (tantivy has no default budget) and the default
//! merge policy; one commit, then the merges are waited for. The build is
//! timed from loading the dictionary to the end of the merges.
//!
//! Prints one JSON object on stdout: `docs`, `build_wall` and `build_cpu`
//! (user + sys of the whole process over the build, seconds, from
//! `/proc/self/stat`), `load_rss_kb` (resident memory when the text is
//! loaded, before the build) and `index_bytes`.
//!
//! ```sh
//! cargo run --release --example plain_build -- passages.jsonl OUT_DIR [--field folded|text] [--search]
//! ```

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use cang_jie::{CANG_JIE, CangJieTokenizer, TokenizerOption};
use jieba_rs::Jieba;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT, TextFieldIndexing};
use tantivy::{Index, IndexWriter, TantivyDocument, doc};

/// User + sys CPU seconds of this process so far, all threads (the clock
/// ticks of `/proc/self/stat`, which Linux counts at 100 per second).
fn cpu_seconds() -> Result<f64, Box<dyn std::error::Error>> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // Fields after the command name, which is in parentheses: state is
    // field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').ok_or("odd /proc/self/stat")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f[11].parse::<u64>()? + f[12].parse::<u64>()?;
    Ok(ticks as f64 / 100.0)
}

/// Resident memory of this process now, in kB (`VmRSS`).
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: plain_build PASSAGES.jsonl OUT_DIR [--field folded|text] [--search]";
    let mut args = std::env::args().skip(1);
    let (mut input, mut out, mut field, mut search) = (None, None, "folded".to_owned(), false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--search" => search = true,
            "--field" => field = args.next().ok_or(usage)?,
            _ if input.is_none() => input = Some(PathBuf::from(a)),
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            _ => return Err(usage.into()),
        }
    }
    let (input, out) = (input.ok_or(usage)?, out.ok_or(usage)?);

    let mut texts = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(&input)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let t = v[field.as_str()]
            .as_str()
            .ok_or("a line without the field")?;
        texts.push(t.to_owned());
    }
    let load_rss_kb = rss_kb();

    let (t0, cpu0) = (Instant::now(), cpu_seconds()?);
    let mut sb = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(CANG_JIE)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let body = sb.add_text_field("body", (TEXT | STORED).set_indexing_options(indexing));
    std::fs::create_dir_all(&out)?;
    let index = Index::create_in_dir(&out, sb.build())?;
    let option = if search {
        TokenizerOption::ForSearch { hmm: false }
    } else {
        TokenizerOption::Default { hmm: false }
    };
    let tokenizer = CangJieTokenizer {
        worker: Arc::new(Jieba::new()),
        option,
    };
    index.tokenizers().register(CANG_JIE, tokenizer);
    let mut writer: IndexWriter<TantivyDocument> = index.writer(50_000_000)?;
    for t in &texts {
        writer.add_document(doc!(body => t.as_str()))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let (build_wall, build_cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds()? - cpu0);

    println!(
        "{}",
        serde_json::json!({
            "docs": texts.len(),
            "build_wall": build_wall,
            "build_cpu": build_cpu,
            "load_rss_kb": load_rss_kb,
            "index_bytes": jianghua::index::layout::size_of(&out),
        })
    );
    Ok(())
}
