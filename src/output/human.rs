//! Text output for people: each speech with its metadata, then its passages
//! under their section headings. Colour only when stdout is a terminal and
//! `NO_COLOR` is unset (no-color.org).

use std::io::{self, IsTerminal, Write};

use crate::pipeline::{CleanedFile, Flag, Speech};

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
