//! Anti-copy jammers: the random characters forum and document software
//! hides between the words of a post (`<font class="jammer">`), which a
//! scrape keeps as text: `/ G- k; W% a% |( ^# n% J3`, before, after or
//! inside a sentence, or as lines of their own.
//!
//! A jammer run is a row of at least [`MIN_TOKENS`] space-separated tokens
//! of one to three ASCII characters, most of them *odd* (holding ASCII
//! punctuation, or a letter next to a digit), two of them holding
//! punctuation and one a letter. The last token may run straight into the Chinese text it was
//! put before (`N: o在各级机关`). Speech text never looks like this: its
//! ASCII is numbers, units and words (`GDP 增长 5.2%`, `(1) (2) (3)`,
//! `5G 4K 8K`), and a list of single letters (`A B C D`) has no odd token. The run is cut out
//! and the sentence around it kept. So is a full stop put between two
//! ideographs (`的.重要`), which Chinese text never has, and the `?` that
//! open a line where a lossy re-encoding ate its full-width indent.

use super::{Hit, Line};

/// Fewest tokens in a jammer run.
pub const MIN_TOKENS: usize = 4;

/// One whitespace-separated token: its byte range in the folded line, and
/// how much of it is a jammer token (all of it, or an ASCII head glued to
/// Chinese text).
struct Token {
    start: usize,
    end: usize,
    /// The token is ASCII through `end` (a glued token ends at its ASCII head).
    whole: bool,
}

fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                let text: &str = &s[st..i];
                let head = text
                    .find(|c: char| !c.is_ascii_graphic())
                    .unwrap_or(text.len());
                out.push(Token {
                    start: st,
                    end: st + head,
                    whole: head == text.len(),
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

fn is_odd(t: &str) -> bool {
    let punct = t.chars().any(|c| c.is_ascii_punctuation());
    let letter = t.chars().any(|c| c.is_ascii_alphabetic());
    let digit = t.chars().any(|c| c.is_ascii_digit());
    punct || (letter && digit)
}

fn is_short_ascii(s: &str) -> bool {
    (1..=3).contains(&s.len()) && s.chars().all(|c| c.is_ascii_graphic())
}

/// A full stop between two ideographs, where Chinese text never has one
/// (`联系群众的.重要纽带`); after a numeral it is a heading's (`一.`).
fn stray_dot(s: &str) -> Option<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    chars.windows(3).find_map(|w| {
        let [(_, a), (at, '.'), (_, b)] = *w else {
            return None;
        };
        let han = crate::pipeline::is_han;
        (han(a) && han(b) && !"一二三四五六七八九十百零〇两".contains(a)).then_some(at..at + 1)
    })
}

/// Question marks opening a line (`??? 县委书记…`): an indent of
/// full-width spaces that a lossy re-encoding turned into `?`.
fn lost_indent(s: &str) -> Option<std::ops::Range<usize>> {
    let n = s.len() - s.trim_start_matches('?').len();
    let next = s[n..].chars().next();
    ((1..=4).contains(&n) && next.is_some()).then_some(0..n)
}

/// The first jammer run (or stray full stop, or lost indent) in the line.
pub(super) fn find(line: &Line) -> Option<Hit> {
    let s = line.folded;
    if let Some(span) = lost_indent(s).or_else(|| stray_dot(s)) {
        return Some(Hit {
            span,
            facts: Vec::new(),
            elided: None,
        });
    }
    if !s.is_ascii() && s.bytes().filter(|b| *b == b' ').count() < MIN_TOKENS - 1 {
        return None;
    }
    let toks = tokens(s);
    let mut i = 0;
    while i < toks.len() {
        // A run: short ASCII tokens; a glued token (ASCII head, then other
        // text) can only end it.
        let mut j = i;
        while j < toks.len() && is_short_ascii(&s[toks[j].start..toks[j].end]) {
            j += 1;
            if !toks[j - 1].whole {
                break;
            }
        }
        // A glued token that starts the run belongs to the text before it.
        if j > i && i < toks.len() && !toks[i].whole {
            i += 1;
            continue;
        }
        let run = &toks[i..j];
        if run.len() >= MIN_TOKENS {
            let texts: Vec<&str> = run.iter().map(|t| &s[t.start..t.end]).collect();
            let odd = texts.iter().filter(|t| is_odd(t)).count();
            let punct = texts
                .iter()
                .filter(|t| t.chars().any(|c| c.is_ascii_punctuation()))
                .count();
            let letters = texts
                .iter()
                .any(|t| t.chars().any(|c| c.is_ascii_alphabetic()));
            if odd * 5 >= texts.len() * 3 && punct >= 2 && letters {
                return Some(Hit {
                    span: run[0].start..run[run.len() - 1].end,
                    facts: Vec::new(),
                    elided: None,
                });
            }
        }
        i = j.max(i + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &str) -> Option<String> {
        super::super::cut_by(find, s)
    }

    #[test]
    fn jammer_lines_and_runs_inside_text() {
        assert_eq!(
            cut("q5 T# u! ^' Z3 d6 ~"),
            Some("q5 T# u! ^' Z3 d6 ~".into())
        );
        assert_eq!(
            cut("怎样起草通知 ^ Q% d! {1 w"),
            Some("^ Q% d! {1 w".into())
        );
        assert_eq!(
            cut("7 h; V; ]+ x0 c县里召开大会。"),
            Some("7 h; V; ]+ x0 c".into())
        );
        assert_eq!(
            cut("% _* ^( \\$ K+ }- ^& A5 ~"),
            Some("% _* ^( \\$ K+ }- ^& A5 ~".into())
        );
        assert_eq!(cut("联系群众的.重要纽带"), Some(".".into()));
        assert_eq!(cut("一.加强组织领导"), None);
        assert_eq!(cut("??? 县委召开常委会议。"), Some("???".into()));
        assert_eq!(cut("??2017年在大会上"), Some("??".into()));
        assert_eq!(cut("你说呢??"), None);
        assert_eq!(cut("要抓好落实...下一步"), None);
    }

    #[test]
    fn ascii_in_speech_text_is_not_a_jammer() {
        assert_eq!(cut("全市 GDP 增长 5.2% 以上"), None);
        assert_eq!(cut("(1) (2) (3) (4) 四项任务"), None);
        assert_eq!(cut("A B C D 四个等级"), None);
        assert_eq!(cut("I am a big fan of it."), None);
        assert_eq!(cut("5G 4K 8K VR"), None);
        assert_eq!(cut("同志们:今年我们要抓好三件事。"), None);
    }
}
