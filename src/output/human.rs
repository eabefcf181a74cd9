//! Text output for people: each speech with its metadata, then its passages
//! under their section headings. Colour only when stdout is a terminal and
//! `NO_COLOR` is unset (no-color.org). A control char in a file name (a
//! newline, a tab) is shown escaped (`\n`), never written raw; counts per
//! group are tab-separated values under a header line.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use crate::index::writer::IngestReport;
use crate::output::kwic::{Group, GroupBy, Line};
use crate::pipeline::{CleanedFile, Flag, Speech};
use crate::query::search::Found;
use crate::query::show::StoredSpeech;
use crate::query::stats::Stats;

/// ANSI styles, or nothing.
struct Style {
    on: bool,
}

impl Style {
    fn detect() -> Style {
        Style {
            on: io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn cyan(&self, s: &str) -> String {
        self.paint("36", s)
    }
    fn mark(&self, s: &str) -> String {
        if self.on {
            self.paint("1;31", s)
        } else {
            format!("【{s}】")
        }
    }
}

fn metadata(file: &CleanedFile, s: &Speech) -> String {
    let p = &file.processed;
    let mut parts = vec![format!("part {}/{}", s.part + 1, p.speeches.len())];
    parts.push(format!("date {}", s.date.as_deref().unwrap_or("unknown")));
    parts.push(format!("site {}", s.site.as_deref().unwrap_or("unknown")));
    parts.push(format!("encoding {}", p.encoding));
    if let Some(t) = s.truncated {
        parts.push(format!(
            "truncated: {} of {} characters shown",
            t.shown, t.total
        ));
    }
    parts.join(" · ")
}

/// Writes a cleaned file for people; with `explain`, each speech's removed
/// and repaired lines follow it.
pub fn write_clean(out: &mut impl Write, file: &CleanedFile, explain: bool) -> io::Result<()> {
    let st = Style::detect();
    for (i, s) in file.processed.speeches.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let title = s.title.as_deref().unwrap_or("(no title found)");
        writeln!(out, "{}", st.bold(&format!("━━ {title}")))?;
        writeln!(
            out,
            "   {}",
            st.dim(&format!("{} · {}", file.source, metadata(file, s)))
        )?;
        if !s.outline.is_empty() {
            writeln!(
                out,
                "   {}",
                st.dim(&format!("outline: {}", s.outline.join(" | ")))
            )?;
        }
        let mut section = "";
        for p in &s.passages {
            if p.section != section && !p.section.is_empty() {
                writeln!(out, "\n   {}", st.cyan(&format!("§ {}", p.section)))?;
            }
            section = &p.section;
            let mut notes = Vec::new();
            if p.flags.contains(&Flag::Mojibake) {
                notes.push("mojibake".to_owned());
            }
            if p.flags.contains(&Flag::Truncated) {
                notes.push("cut off here by the page".to_owned());
            }
            let note = if notes.is_empty() {
                String::new()
            } else {
                st.dim(&format!("  [{}]", notes.join("; ")))
            };
            writeln!(out, "[{:>3}] {}{}", p.no, p.text, note)?;
            if let Some(n) = p.elided_after {
                let what = if n > 0 {
                    format!("{n} characters")
                } else {
                    "some text".to_owned()
                };
                writeln!(
                    out,
                    "      {}",
                    st.dim(&format!("[… {what} hidden by the site …]"))
                )?;
            }
        }
        if explain {
            writeln!(
                out,
                "\n   {}",
                st.bold(&format!("removed or repaired ({}):", s.removed.len()))
            )?;
            for r in &s.removed {
                let what = if r.repair { "repaired" } else { "removed" };
                writeln!(
                    out,
                    "   line {:>5}  {:<20} {:<8} {}",
                    r.line,
                    r.class.name(),
                    what,
                    st.dim(&r.text)
                )?;
            }
        }
    }
    Ok(())
}

/// The ingest summary (failed files are reported on stderr by the CLI).
pub fn write_ingest(out: &mut impl Write, r: &IngestReport) -> io::Result<()> {
    let mut parts = vec![
        format!("{} added", r.added),
        format!("{} updated", r.updated),
        format!("{} unchanged", r.unchanged),
        format!("{} removed", r.removed),
        format!("{} failed", r.failed.len()),
    ];
    if r.gone > 0 {
        parts.push(format!("{} gone but kept (use --prune to remove)", r.gone));
    }
    writeln!(out, "{} files: {}", r.files, parts.join(", "))?;
    let repost = if r.duplicates > 0 {
        format!(" ({} reposted speeches kept once)", r.duplicates)
    } else {
        String::new()
    };
    let removed = if r.speeches_removed > 0 {
        format!(", {} speeches removed", r.speeches_removed)
    } else {
        String::new()
    };
    let committed = if r.commits == 0 {
        "; index unchanged".to_owned()
    } else {
        String::new()
    };
    writeln!(
        out,
        "indexed {} speeches, {} passages{repost}{removed} in {:.1} s{committed}",
        r.speeches, r.passages, r.seconds
    )
}

/// `s` with each control char escaped (`\n`, `\t`, `\r`, else `\u{…}`),
/// so a file name or a field never breaks a line or a column.
pub fn escaped(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn speech_line(title: Option<&str>, date: Option<&str>, site: Option<&str>) -> String {
    format!(
        "{} · {} · {}",
        title.unwrap_or("(no title)"),
        date.unwrap_or("date unknown"),
        site.unwrap_or("site unknown")
    )
}

/// How a score was made, on one line: `score 104.2 = 100 (1 exact) + 0.67
/// prior × 4.9 BM25 (招商引资 tf 3 × idf 1.63 → 4.9) × 1.50 context (1 word
/// in the section) · 80 chars, 41 tokens`.
fn explanation(e: &crate::query::rank::Explanation) -> String {
    let words: Vec<String> = e
        .words
        .iter()
        .map(|w| {
            format!(
                "{} tf {} × idf {:.2} → {:.2}",
                escaped(&w.word),
                w.tf,
                w.idf,
                w.score
            )
        })
        .collect();
    let mojibake = if e.mojibake { ", × 0.05 mojibake" } else { "" };
    format!(
        "score {:.2} = {} ({} exact) + {:.2} prior × {:.2} BM25 ({}) × {:.2} context ({} in the section){mojibake} · {} chars, {} tokens",
        e.score,
        e.bonus,
        e.exact,
        e.prior,
        e.bm25,
        words.join("; "),
        e.context,
        e.in_section,
        e.chars,
        e.tokens
    )
}

/// Ranked passages: title · date · site, section, text with highlights
/// (and with `--explain`, how each score was made).
pub fn write_search(out: &mut impl Write, found: &Found) -> io::Result<()> {
    let st = Style::detect();
    for r in &found.results {
        writeln!(
            out,
            "{:>3}. {}",
            r.rank,
            st.bold(&speech_line(
                r.title.as_deref(),
                r.date.as_deref(),
                r.site.as_deref()
            ))
        )?;
        let section = if r.section.is_empty() {
            String::new()
        } else {
            format!(" · § {}", r.section)
        };
        writeln!(
            out,
            "     {}",
            st.dim(&format!(
                "{} ¶{}{} · {}",
                r.doc_id,
                r.passage,
                section,
                escaped(&r.source)
            ))
        )?;
        let chars: Vec<char> = r.text.chars().collect();
        let mut line = String::new();
        let mut at = 0;
        for &(s, e) in &r.highlights {
            line.extend(&chars[at..s]);
            line.push_str(&st.mark(&chars[s..e].iter().collect::<String>()));
            at = e;
        }
        line.extend(&chars[at..]);
        writeln!(out, "     {line}")?;
        if let Some(e) = &r.explain {
            writeln!(out, "     {}", st.dim(&explanation(e)))?;
        }
        writeln!(out)?;
    }
    let shown = found.results.len();
    writeln!(out, "{shown} of {} matching passages", found.total)
}

/// A listing of keyword-in-context lines grouped by speech, written as the
/// occurrences stream in, then the totals ([`MentionsListing::end`]).
pub struct MentionsListing {
    st: Style,
    /// The speech of the last line written.
    current: Option<String>,
}

impl MentionsListing {
    /// Starts a listing; `heading`: a line naming the phrase first (when
    /// several are listed).
    pub fn start(out: &mut impl Write, phrase: &str, heading: bool) -> io::Result<Self> {
        let st = Style::detect();
        if heading {
            writeln!(out, "{}", st.bold(&format!("━━ {phrase}")))?;
        }
        Ok(MentionsListing { st, current: None })
    }

    /// One occurrence, under its speech's line when a new speech starts.
    pub fn line(&mut self, out: &mut impl Write, l: &Line<'_>) -> io::Result<()> {
        let (st, h) = (&self.st, l.hit);
        if self.current.as_deref() != Some(h.doc_id.as_str()) {
            self.current = Some(h.doc_id.clone());
            writeln!(
                out,
                "\n{}",
                st.bold(&speech_line(
                    h.title.as_deref(),
                    h.date.as_deref(),
                    h.site.as_deref()
                ))
            )?;
            writeln!(
                out,
                "{}",
                st.dim(&format!("  {} · {}", h.doc_id, escaped(&h.source)))
            )?;
        }
        // `  {whence:>6}  …{left}{mark(matched)}{right}…`, written piece by
        // piece: this runs once per occurrence, millions of times for 的.
        out.write_all(b"  ")?;
        if st.on {
            out.write_all(b"\x1b[2m")?;
        }
        match h.passage {
            None if st.on => out.write_all(b"title")?,
            None => out.write_all(b" title")?,
            Some(p) => {
                let digits = p.checked_ilog10().unwrap_or(0) as usize + 1;
                let pad = if st.on {
                    0
                } else {
                    5usize.saturating_sub(digits)
                };
                write!(out, "{:pad$}¶{p}", "")?;
            }
        }
        if st.on {
            out.write_all(b"\x1b[0m")?;
        }
        out.write_all("  …".as_bytes())?;
        out.write_all(l.left.as_bytes())?;
        if st.on {
            out.write_all(b"\x1b[1;31m")?;
            out.write_all(l.matched.as_bytes())?;
            out.write_all(b"\x1b[0m")?;
        } else {
            out.write_all("【".as_bytes())?;
            out.write_all(l.matched.as_bytes())?;
            out.write_all("】".as_bytes())?;
        }
        out.write_all(l.right.as_bytes())?;
        out.write_all("…\n".as_bytes())
    }

    /// The totals, and which of the occurrences were shown: `shown` lines
    /// after skipping `offset`.
    pub fn end(
        out: &mut impl Write,
        phrase: &str,
        t: &crate::query::mentions::Totals,
        offset: usize,
        shown: usize,
    ) -> io::Result<()> {
        let page = if shown == t.occurrences {
            String::new()
        } else if shown == 0 {
            "; none shown".to_owned()
        } else {
            format!("; shown: {}–{}", offset + 1, offset + shown)
        };
        writeln!(
            out,
            "\n{} occurrences of {phrase} in {} passages of {} speeches{page}",
            t.occurrences, t.passages, t.speeches
        )
    }
}

/// Totals only.
pub fn write_count(
    out: &mut impl Write,
    phrase: &str,
    t: &crate::query::mentions::Totals,
) -> io::Result<()> {
    writeln!(
        out,
        "{}\t{} occurrences in {} passages of {} speeches",
        phrase, t.occurrences, t.passages, t.speeches
    )
}

/// The header line of [`write_groups`]' rows: `speech`, `site` or
/// `period`, then `occurrences passages speeches` (and `title` for
/// speeches), tab-separated; `phrase` first when several phrases are
/// counted.
pub fn write_groups_header(out: &mut impl Write, by: GroupBy, phrase: bool) -> io::Result<()> {
    let key = match by {
        GroupBy::Speech => "speech",
        GroupBy::Site => "site",
        GroupBy::Year | GroupBy::Month => "period",
    };
    let lead = if phrase { "phrase\t" } else { "" };
    let title = if by == GroupBy::Speech { "\ttitle" } else { "" };
    writeln!(out, "{lead}{key}\toccurrences\tpassages\tspeeches{title}")
}

/// Counts per group, one tab-separated row each (an unknown site or date:
/// `(unknown)`), under [`write_groups_header`]; `phrase` is the leading
/// column when given.
pub fn write_groups(
    out: &mut impl Write,
    phrase: Option<&str>,
    groups: &[Group],
) -> io::Result<()> {
    let lead = phrase
        .map(|p| format!("{}\t", escaped(p)))
        .unwrap_or_default();
    for g in groups {
        let key = escaped(g.key.as_deref().unwrap_or("(unknown)"));
        let title = g
            .title
            .as_deref()
            .map(|t| format!("\t{}", escaped(t)))
            .unwrap_or_default();
        writeln!(
            out,
            "{lead}{key}\t{}\t{}\t{}{title}",
            g.occurrences, g.passages, g.speeches
        )?;
    }
    Ok(())
}

/// Counts per year or month as a bar chart, for a terminal: one block per
/// phrase, one row per period (`2023-12 ████▌ 9`), every bar scaled to the
/// largest count of any phrase in `width` columns (eighths of a column for
/// the remainder); undated occurrences are said below, not charted.
pub fn write_chart(
    out: &mut impl Write,
    series: &[(&str, &[Group])],
    width: usize,
) -> io::Result<()> {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let st = Style::detect();
    let max = series
        .iter()
        .flat_map(|(_, gs)| gs.iter().filter(|g| g.key.is_some()))
        .map(|g| g.occurrences)
        .max()
        .unwrap_or(0)
        .max(1);
    let digits = max.to_string().len();
    for (i, (phrase, groups)) in series.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", st.bold(&escaped(phrase)))?;
        let mut undated = 0;
        for g in groups.iter() {
            let Some(key) = &g.key else {
                undated += g.occurrences;
                continue;
            };
            let eighths = (g.occurrences * width * 8).div_ceil(max);
            let bar = format!("{}{}", "█".repeat(eighths / 8), EIGHTHS[eighths % 8]);
            let pad = width + 1 - bar.chars().count();
            writeln!(
                out,
                "  {} {}{} {:>digits$}",
                escaped(key),
                if bar.is_empty() {
                    bar.clone()
                } else {
                    st.cyan(&bar)
                },
                " ".repeat(pad),
                g.occurrences
            )?;
        }
        if undated > 0 {
            writeln!(
                out,
                "  {}",
                st.dim(&format!("{undated} in undated speeches (not charted)"))
            )?;
        }
    }
    Ok(())
}

/// One stored speech.
pub fn write_show(out: &mut impl Write, s: &StoredSpeech) -> io::Result<()> {
    let st = Style::detect();
    writeln!(
        out,
        "{}",
        st.bold(&format!(
            "━━ {}",
            s.title.as_deref().unwrap_or("(no title found)")
        ))
    )?;
    let mut meta = vec![
        s.doc_id.clone(),
        format!("date {}", s.date.as_deref().unwrap_or("unknown")),
        format!("site {}", s.site.as_deref().unwrap_or("unknown")),
        format!(
            "{} (part {}, {})",
            escaped(&s.source),
            s.part + 1,
            s.encoding
        ),
    ];
    if let Some([shown, total]) = s.truncated {
        meta.push(format!("truncated: {shown} of {total} characters shown"));
    }
    writeln!(out, "   {}", st.dim(&meta.join(" · ")))?;
    if !s.outline.is_empty() {
        writeln!(
            out,
            "   {}",
            st.dim(&format!("outline: {}", s.outline.join(" | ")))
        )?;
    }
    let mut section = "";
    for p in &s.passages {
        if p.section != section && !p.section.is_empty() {
            writeln!(out, "\n   {}", st.cyan(&format!("§ {}", p.section)))?;
        }
        section = &p.section;
        let flags = if p.flags.is_empty() {
            String::new()
        } else {
            st.dim(&format!("  [{}]", p.flags.join(", ")))
        };
        writeln!(out, "[{:>3}] {}{}", p.no, p.text, flags)?;
    }
    Ok(())
}

/// Index figures.
pub fn write_stats(out: &mut impl Write, s: &Stats) -> io::Result<()> {
    writeln!(out, "index        {}", s.index)?;
    writeln!(out, "speeches     {}", s.speeches)?;
    writeln!(out, "passages     {}", s.passages)?;
    writeln!(out, "sources      {}", s.sources)?;
    writeln!(out, "sites        {}", s.sites)?;
    for site in &s.by_site {
        let name = site.site.as_deref().unwrap_or("(unknown)");
        writeln!(out, "  {}\t{} speeches", escaped(name), site.speeches)?;
    }
    let range = match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => format!("{a} … {b}"),
        _ => "no dates".to_owned(),
    };
    writeln!(out, "dates        {range}")?;
    writeln!(out, "size on disk {:.1} MB", s.index_bytes as f64 / 1e6)?;
    if !s.leftovers.is_empty() {
        let bytes: u64 = s.leftovers.iter().map(|l| l.bytes).sum();
        writeln!(
            out,
            "leftovers    {} from interrupted writes ({:.1} MB), removed by the next ingest or rebuild:",
            s.leftovers.len(),
            bytes as f64 / 1e6
        )?;
        for l in &s.leftovers {
            writeln!(out, "             {}", l.path)?;
        }
    }
    writeln!(
        out,
        "last ingest  {}",
        if s.last_ingest == 0 {
            "never".to_owned()
        } else {
            utc(s.last_ingest)
        }
    )
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC` (civil-from-days,
/// proleptic Gregorian calendar).
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod chart_tests {
    use super::write_chart;
    use crate::output::kwic::Group;

    fn group(key: Option<&str>, occurrences: usize) -> Group {
        Group {
            key: key.map(str::to_owned),
            title: None,
            occurrences,
            passages: occurrences,
            speeches: 1,
        }
    }

    #[test]
    fn bars_are_scaled_to_the_largest_count_of_any_phrase() {
        let a = [
            group(Some("2024-01"), 8),
            group(Some("2024-02"), 0),
            group(None, 3),
        ];
        let b = [group(Some("2024-01"), 1), group(Some("2024-02"), 4)];
        let mut out = Vec::new();
        write_chart(&mut out, &[("百日会战", &a), ("双过半", &b)], 8).expect("write");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(
            text,
            "百日会战\n  2024-01 ████████  8\n  2024-02           0\n  3 in undated speeches (not charted)\n\n\
             双过半\n  2024-01 █         1\n  2024-02 ████      4\n"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn control_chars_are_escaped() {
        use super::escaped;
        assert_eq!(escaped("a\nb\tc\r\u{1}.txt"), "a\\nb\\tc\\r\\u{1}.txt");
        assert!(matches!(escaped("讲话.txt"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn utc_times() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_795_384_444), "2026-11-22 21:54:04 UTC");
    }
}
