//! JSON Lines output: one object per line, stable snake_case field names.
//!
//! Serialises dedicated `Serialize` structs, never the domain types, so the
//! format only changes on purpose. The format, in one place:
//!
//! `jianghua clean FILE --json [--explain]` — one object per speech:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `source` | string | the path as given |
//! | `encoding` | string | WHATWG name of the encoding the bytes were decoded from |
//! | `replaced` | int | malformed byte runs replaced with U+FFFD |
//! | `part` / `parts` | int | 0-based index of the speech in its file / how many |
//! | `title`, `date`, `site` | string or null | `date` is `YYYY-MM-DD` |
//! | `truncated` | `{"shown", "total"}` or null | from a 未完 notice |
//! | `outline` | [string] | the 目录/提纲 block's lines |
//! | `passages` | [object] | `{"no", "section", "text", "flags", "lines": [first, last], "elided_after"}` |
//! | `removed` | [object] | only with `--explain`: `{"line", "class", "text", "repair"}` |
//!
//! `flags` holds `truncated`, `mojibake`, `elided`; `elided_after` is the
//! number of characters a paywall stub hid after the passage (0 when the
//! stub did not say, null when there was no stub).

use std::io::{self, Write};

use serde::Serialize;

use crate::pipeline::{CleanedFile, Passage, Removed, Speech};

#[derive(Serialize)]
struct SpeechOut<'a> {
    source: &'a str,
    encoding: &'a str,
    replaced: usize,
    part: usize,
    parts: usize,
    title: Option<&'a str>,
    date: Option<&'a str>,
    site: Option<&'a str>,
    truncated: Option<TruncatedOut>,
    outline: &'a [String],
    passages: Vec<PassageOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<Vec<RemovedOut<'a>>>,
}

#[derive(Serialize)]
struct TruncatedOut {
    shown: u32,
    total: u32,
}

#[derive(Serialize)]
struct PassageOut<'a> {
    no: usize,
    section: &'a str,
    text: &'a str,
    flags: Vec<&'static str>,
    lines: [usize; 2],
    elided_after: Option<u32>,
}

#[derive(Serialize)]
struct RemovedOut<'a> {
    line: usize,
    class: &'static str,
    text: &'a str,
    repair: bool,
}

fn passage(p: &Passage) -> PassageOut<'_> {
    PassageOut {
        no: p.no,
        section: &p.section,
        text: &p.text,
        flags: p.flags.iter().map(|f| f.name()).collect(),
        lines: [*p.lines.start(), *p.lines.end()],
        elided_after: p.elided_after,
    }
}

fn removed(r: &Removed) -> RemovedOut<'_> {
    RemovedOut {
        line: r.line,
        class: r.class.name(),
        text: &r.text,
        repair: r.repair,
    }
}

fn speech<'a>(file: &'a CleanedFile, s: &'a Speech, explain: bool) -> SpeechOut<'a> {
    let p = &file.processed;
    SpeechOut {
        source: &file.source,
        encoding: p.encoding,
        replaced: p.replaced,
        part: s.part,
        parts: p.speeches.len(),
        title: s.title.as_deref(),
        date: s.date.as_deref(),
        site: s.site.as_deref(),
        truncated: s.truncated.map(|t| TruncatedOut {
            shown: t.shown,
            total: t.total,
        }),
        outline: &s.outline,
        passages: s.passages.iter().map(passage).collect(),
        removed: explain.then(|| s.removed.iter().map(removed).collect()),
    }
}

/// Writes one JSON object per speech of a cleaned file.
pub fn write_clean(out: &mut impl Write, file: &CleanedFile, explain: bool) -> io::Result<()> {
    for s in &file.processed.speeches {
        serde_json::to_writer(&mut *out, &speech(file, s, explain))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
