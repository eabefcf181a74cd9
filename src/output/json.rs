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
//! | `outline` | list of strings | the 目录/提纲 block's lines |
//! | `passages` | list of objects | `{"no", "section", "text", "flags", "lines": [first, last], "elided_after"}` |
//! | `removed` | list of objects | only with `--explain`: `{"line", "class", "text", "repair"}` |
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

// ---- ingest, mentions, show, stats -------------------------------------
//
// `jianghua ingest … --json`: one object, the ingest report: `files`,
// `files_indexed`, `speeches`, `passages`, `duplicates`, `failed` and
// `warnings` (lists of `{"path", "reason"}`), `seconds`.
//
// `jianghua search QUERY… --json`: one object per passage: `rank`, `score`,
// `doc_id`, `passage`, `title`, `date`, `site`, `source`, `section`, `text`,
// `highlights` (list of `[start, end)` char offsets into `text`). Strings
// are the real strings (a newline in `source` is a JSON `\n`). With
// `--limit 0`: nothing. With `--explain`, also `explain`: how `score` was
// made (`query::rank`): `{"exact", "bonus", "words": [{"word", "tf",
// "idf", "score"}], "bm25", "in_section", "context", "tokens", "chars",
// "prior", "mojibake", "score"}`, where `score` = `bonus` + `prior` ×
// `bm25` × `context`, × 0.05 when `mojibake`.
//
// `jianghua mentions PHRASE… --json`: one object per occurrence, each
// phrase's occurrences in turn (within `--offset`/`--limit`): `phrase` (as
// counted), `doc_id`, `passage` (null for a title), `title`, `date`,
// `site`, `source`, `section`, `start`, `end` (char offsets in the passage
// text), `left`, `match`, `right` (context, original script).
// With `--count`: one object per phrase, in the given order: `{"phrase",
// "occurrences", "passages", "speeches"}`. With `--by
// speech|site|year|month`: one object per phrase and group `{"phrase",
// "group", "title" (speech only), "occurrences", "passages", "speeches"}`;
// `group` is the speech id, the site (one stored spelling of the folded
// name), the year `YYYY` or month `YYYY-MM` (every period in the range,
// zero counts included), or null (unknown site or date).
//
// `jianghua show ID --json`: one object: `doc_id`, `title`, `date`, `site`,
// `source`, `sources` (every file holding the speech), `part`, `encoding`, `truncated` (`[shown, total]` or null),
// `outline`, `passages` (`{"no", "section", "text", "flags"}`).
//
// `jianghua stats --json`: one object: `index`, `speeches`, `passages`,
// `sources`, `sites` (distinct sites, folded: 新文秘網 is 新文秘网),
// `by_site` (list of `{"site", "speeches"}`, most speeches first; `site`
// is one stored spelling, null for the speeches with no known site, last),
// `first_date`, `last_date`, `index_bytes` (the live generation),
// `last_ingest` (seconds since the epoch), `leftovers` (`[{"path",
// "bytes"}]`: what interrupted rebuilds left, which the next ingest or
// rebuild removes).

/// Writes any serialisable value as one JSON line.
pub fn write_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct OccurrenceOut<'a> {
    phrase: &'a str,
    doc_id: &'a str,
    passage: Option<usize>,
    title: Option<&'a str>,
    date: Option<&'a str>,
    site: Option<&'a str>,
    source: &'a str,
    section: &'a str,
    start: usize,
    end: usize,
    left: &'a str,
    #[serde(rename = "match")]
    matched: &'a str,
    right: &'a str,
}

/// The object of one occurrence of `phrase` (a line of `mentions --json`).
pub fn occurrence<'a>(
    phrase: &'a str,
    l: &'a crate::output::kwic::Line<'a>,
) -> impl Serialize + 'a {
    let h = l.hit;
    OccurrenceOut {
        phrase,
        doc_id: &h.doc_id,
        passage: h.passage,
        title: h.title.as_deref(),
        date: h.date.as_deref(),
        site: h.site.as_deref(),
        source: &h.source,
        section: &h.section,
        start: l.span.0,
        end: l.span.1,
        left: l.left,
        matched: l.matched,
        right: l.right,
    }
}

/// Writes one object per occurrence of `phrase`.
pub fn write_mentions(
    out: &mut impl Write,
    phrase: &str,
    lines: &[crate::output::kwic::Line<'_>],
) -> io::Result<()> {
    for l in lines {
        write_line(out, &occurrence(phrase, l))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct CountOut<'a> {
    phrase: &'a str,
    occurrences: usize,
    passages: usize,
    speeches: usize,
}

/// The object of a mentions query's totals (`mentions --count --json`).
pub fn count<'a>(phrase: &'a str, t: &crate::query::mentions::Totals) -> impl Serialize + 'a {
    CountOut {
        phrase,
        occurrences: t.occurrences,
        passages: t.passages,
        speeches: t.speeches,
    }
}

/// Writes the totals of a mentions query.
pub fn write_count(
    out: &mut impl Write,
    phrase: &str,
    t: &crate::query::mentions::Totals,
) -> io::Result<()> {
    write_line(out, &count(phrase, t))
}

#[derive(Serialize)]
struct GroupOut<'a> {
    phrase: &'a str,
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    occurrences: usize,
    passages: usize,
    speeches: usize,
}

/// The object of one group of `phrase`'s counts (`mentions --by … --json`).
pub fn group<'a>(phrase: &'a str, g: &'a crate::output::kwic::Group) -> impl Serialize + 'a {
    GroupOut {
        phrase,
        group: g.key.as_deref(),
        title: g.title.as_deref(),
        occurrences: g.occurrences,
        passages: g.passages,
        speeches: g.speeches,
    }
}

/// Writes one object per group of `phrase`'s counts.
pub fn write_groups(
    out: &mut impl Write,
    phrase: &str,
    groups: &[crate::output::kwic::Group],
) -> io::Result<()> {
    for g in groups {
        write_line(out, &group(phrase, g))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ShowOut<'a> {
    doc_id: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    site: Option<&'a str>,
    source: &'a str,
    sources: &'a [String],
    part: usize,
    encoding: &'a str,
    truncated: Option<[u32; 2]>,
    outline: &'a [String],
    passages: Vec<ShowPassageOut<'a>>,
}

#[derive(Serialize)]
struct ShowPassageOut<'a> {
    no: usize,
    section: &'a str,
    text: &'a str,
    flags: &'a [&'static str],
}

/// Writes one stored speech.
pub fn write_show(out: &mut impl Write, s: &crate::query::show::StoredSpeech) -> io::Result<()> {
    write_line(out, &show(s))
}

/// The object of one stored speech (`show --json`).
pub fn show(s: &crate::query::show::StoredSpeech) -> impl Serialize + '_ {
    ShowOut {
        doc_id: &s.doc_id,
        title: s.title.as_deref(),
        date: s.date.as_deref(),
        site: s.site.as_deref(),
        source: &s.source,
        sources: &s.sources,
        part: s.part,
        encoding: &s.encoding,
        truncated: s.truncated,
        outline: &s.outline,
        passages: s
            .passages
            .iter()
            .map(|p| ShowPassageOut {
                no: p.no,
                section: &p.section,
                text: &p.text,
                flags: &p.flags,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct SearchOut<'a> {
    rank: usize,
    score: f32,
    doc_id: &'a str,
    passage: usize,
    title: Option<&'a str>,
    date: Option<&'a str>,
    site: Option<&'a str>,
    source: &'a str,
    section: &'a str,
    text: &'a str,
    highlights: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<ExplainOut<'a>>,
}

#[derive(Serialize)]
struct ExplainOut<'a> {
    exact: u32,
    bonus: f32,
    words: Vec<WordPartOut<'a>>,
    bm25: f32,
    in_section: u32,
    context: f32,
    tokens: u32,
    chars: u32,
    prior: f32,
    mojibake: bool,
    score: f32,
}

#[derive(Serialize)]
struct WordPartOut<'a> {
    word: &'a str,
    tf: u32,
    idf: f32,
    score: f32,
}

impl<'a> From<&'a crate::query::rank::Explanation> for ExplainOut<'a> {
    fn from(e: &'a crate::query::rank::Explanation) -> Self {
        ExplainOut {
            exact: e.exact,
            bonus: e.bonus,
            words: e
                .words
                .iter()
                .map(|w| WordPartOut {
                    word: &w.word,
                    tf: w.tf,
                    idf: w.idf,
                    score: w.score,
                })
                .collect(),
            bm25: e.bm25,
            in_section: e.in_section,
            context: e.context,
            tokens: e.tokens,
            chars: e.chars,
            prior: e.prior,
            mojibake: e.mojibake,
            score: e.score,
        }
    }
}

/// Writes one object per result.
pub fn write_search(out: &mut impl Write, found: &crate::query::search::Found) -> io::Result<()> {
    for r in &found.results {
        write_line(out, &search_result(r))?;
    }
    Ok(())
}

/// The object of one ranked passage (a line of `search --json`).
pub fn search_result(r: &crate::query::search::Result) -> impl Serialize + '_ {
    SearchOut {
        rank: r.rank,
        score: r.score,
        doc_id: &r.doc_id,
        passage: r.passage,
        title: r.title.as_deref(),
        date: r.date.as_deref(),
        site: r.site.as_deref(),
        source: &r.source,
        section: &r.section,
        text: &r.text,
        highlights: r.highlights.iter().map(|&(s, e)| [s, e]).collect(),
        explain: r.explain.as_ref().map(ExplainOut::from),
    }
}
