//! Watermarks: a site's name or address put after every paragraph
//! (`…成绩来之不易。某某日报网`), so that a copy carries it.
//!
//! No list names them: a watermark is what trails the last sentence of
//! [`MIN_LINES`] or more lines of the same page, the same short text each
//! time. Once known, it is cut wherever it stands, the end of a line or the
//! middle of a sentence, and the sentence closes over the cut. A speech's
//! own text never trails its sentences this way: what follows a full stop
//! on a line is the start of the next sentence, different each time, and
//! bracketed asides such as `(掌声)` are never taken.

use std::collections::BTreeMap;

/// Fewest lines a trailing text must end for it to be a watermark.
pub const MIN_LINES: usize = 3;

/// Longest watermark, in chars.
pub const MAX_CHARS: usize = 20;

/// What trails the last sentence of a folded line, if it could be a
/// watermark.
fn tail(folded: &str) -> Option<&str> {
    let end = folded.trim_end();
    let cut = end.rfind(['。', '!', '?', ';', '”'])?;
    let after = &end[cut..];
    let after = &after[after.chars().next()?.len_utf8()..];
    let t = after.trim();
    let n = t.chars().count();
    let bracketed = t.starts_with(['(', '（', '[', '【']) && t.ends_with([')', '）', ']', '】']);
    ((2..=MAX_CHARS).contains(&n)
        && !bracketed
        && !t.contains(['。', '!', '?', ';', ',', '、', ':', '“', '”']))
    .then_some(t)
}

/// The watermarks of a page: folded texts, longest first.
pub(super) fn find<S: AsRef<str>>(folded: &[S]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in folded {
        if let Some(t) = tail(f.as_ref()) {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut marks: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n >= MIN_LINES)
        .map(|(t, _)| t.to_owned())
        .collect();
    marks.sort_by_key(|m| std::cmp::Reverse(m.len()));
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_trailing_three_paragraphs_is_a_watermark() {
        let page = [
            "会议听取了情况汇报。某某日报网",
            "大家一致认为,报告实事求是。某某日报网",
            "会上,与会同志畅所欲言。",
            "要认真梳理、充分采纳。某某日报网",
        ];
        assert_eq!(find(&page), ["某某日报网"]);
    }

    #[test]
    fn hard_wraps_and_asides_are_not() {
        let page = [
            "我们取得了明显成效。下面",
            "我讲三点意见。一是",
            "要抓好落实。(掌声)",
            "要抓好落实。(掌声)",
            "要抓好落实。(掌声)",
            "今年是关键之年。二是",
        ];
        assert!(find(&page).is_empty());
    }
}
