//! Repeated lines: text a page prints twice, which a speech never says twice
//! in a row.
//!
//! - **A sentence printed again** on the next line (a poll's question
//!   above its own widget): the later print goes. Only finished sentences
//!   of some length count (`同志们:` or `谢谢!` may well recur); a title
//!   printed twice is left to `title_repeat`, which needs both prints to
//!   choose it, and a section heading twice is left as it is (an outline's
//!   item and the section it names).
//! - **A preview snippet**: a line cut off mid-sentence that the next line
//!   runs on from word for word (a listing's preview of the opening, then
//!   the opening). The snippet goes; the full line stays.
//!
//! Lines are compared in their folded form without whitespace, so a
//! repeat in the other script or with other spacing is still a repeat.

use super::page_model::{Status, ends_with_stop};
use crate::pipeline::heading;

/// A repeated sentence has at least this many non-whitespace chars.
const MIN_SENTENCE_CHARS: usize = 8;
/// A preview snippet has at least this many non-whitespace chars.
const MIN_SNIPPET_CHARS: usize = 20;

/// The lines (0-based) that repeat text the page prints in full elsewhere.
pub(super) fn find(lines: &[Status]) -> Vec<usize> {
    // (line, text without whitespace, a finished sentence and no heading)
    let kept: Vec<(usize, String, bool)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Status::Kept(f) => Some((
                i,
                f.chars().filter(|c| !c.is_whitespace()).collect(),
                ends_with_stop(f) && heading::section_level(f.trim()).is_none(),
            )),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (k, (i, norm, stop)) in kept.iter().enumerate() {
        let n = norm.chars().count();
        let again = *stop && n >= MIN_SENTENCE_CHARS && k > 0 && kept[k - 1].1 == *norm;
        // The next line must follow with nothing but blanks between.
        let snippet = !*stop
            && n >= MIN_SNIPPET_CHARS
            && kept.get(k + 1).is_some_and(|(j, next, _)| {
                next.len() > norm.len()
                    && next.starts_with(norm.as_str())
                    && lines[i + 1..*j].iter().all(|s| *s == Status::Blank)
            });
        if again || snippet {
            out.push(*i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeats(page: &str) -> Vec<usize> {
        let folded: Vec<String> = page.lines().map(crate::fold::fold).collect();
        let status: Vec<Status> = folded
            .iter()
            .map(|l| {
                if l.trim().is_empty() {
                    Status::Blank
                } else {
                    Status::Kept(l)
                }
            })
            .collect();
        find(&status)
    }

    #[test]
    fn a_sentence_printed_again_nearby_goes_once() {
        let page =
            "某某活动,你怎么看?\n\n某某活動,你怎麼看?\n投票\n今天召开大会,主要任务是部署工作。";
        assert_eq!(repeats(page), vec![2]);
    }

    #[test]
    fn a_preview_snippet_before_the_full_line_goes() {
        let page = "在全县大会上的讲话\n同志们: 今天的会议开得很好,研究的是全县的\n同志们: 今天的会议开得很好,研究的是全县的安全工作。";
        assert_eq!(repeats(page), vec![1]);
    }

    #[test]
    fn short_refrains_titles_and_distant_repeats_stay() {
        // A salutation, a short thanks, a title printed twice, a sentence
        // said again a paragraph later, a heading twice.
        let page = "在全县大会上的讲话\n在全县大会上的讲话\n同志们:\n谢谢!\n谢谢!\n\
                    我们要抓项目、促发展。\n第一段。\n我们要抓项目、促发展。\n\
                    (三)开展招商引资是当前的迫切需要。\n(三)开展招商引资是当前的迫切需要。";
        assert!(repeats(page).is_empty(), "{:?}", repeats(page));
        // A finished line that the next line continues is no snippet.
        let page = "今天召开大会,主要任务是部署工作。\n今天召开大会,主要任务是部署工作。再讲三点。";
        assert!(repeats(page).is_empty());
    }
}
