//! Repeated lines: a preview snippet, which a page prints before the text
//! it previews.
//!
//! A line cut off mid-sentence that the next line runs on from word for
//! word, and well beyond (a listing's preview of the opening, then the
//! opening) is the snippet: it goes, the full line stays. Lines are
//! compared in their folded form without whitespace, so a snippet in the
//! other script or with other spacing is still one.
//!
//! A sentence printed twice in a row is left alone: a speech may say it
//! twice, and the corpora we measure on hold such pairs as speech. A poll's
//! prompt printed twice goes as the poll's (`page_model`), and a title
//! printed twice as `title_repeat`.

use super::page_model::Status;

/// A preview snippet has at least this many non-whitespace chars.
const MIN_SNIPPET_CHARS: usize = 20;
/// The full line runs on for at least this many chars of text beyond the
/// snippet (a line and its copy with a lost tail mark `�` are no pair).
const MIN_RUN_ON_CHARS: usize = 10;

/// The lines (0-based) that are preview snippets of the next line.
pub(super) fn find(lines: &[Status]) -> Vec<usize> {
    // (line, text without whitespace, a finished sentence)
    let kept: Vec<(usize, String, bool)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Status::Kept(f) => Some((
                i,
                f.chars().filter(|c| !c.is_whitespace()).collect(),
                super::page_model::ends_with_stop(f),
            )),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (k, (i, norm, stop)) in kept.iter().enumerate() {
        if *stop || norm.chars().count() < MIN_SNIPPET_CHARS {
            continue;
        }
        // The next line must follow with nothing but blanks between.
        let snippet = kept.get(k + 1).is_some_and(|(j, next, _)| {
            next.strip_prefix(norm.as_str()).is_some_and(|rest| {
                rest.chars().filter(|c| *c != '\u{FFFD}').count() >= MIN_RUN_ON_CHARS
            }) && lines[i + 1..*j].iter().all(|s| *s == Status::Blank)
        });
        if snippet {
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
    fn a_preview_snippet_before_the_full_line_goes() {
        let page = "在全县大会上的讲话\n同志们: 今天的会议开得很好,研究的是全县的\n同志们: 今天的会议开得很好,研究的是全县的安全工作,着眼的是发展和稳定大局。";
        assert_eq!(repeats(page), vec![1]);
    }

    #[test]
    fn sentences_twice_titles_and_short_run_ons_stay() {
        // A sentence twice, a title twice, a line and its copy that lost its
        // tail, a finished line that the next continues.
        let page = "我们要抓项目、促发展,这是全县上下的共同任务。\n我们要抓项目、促发展,这是全县上下的共同任务。\n\
                    在全市工业倍增暨招商引资攻坚大会上的讲话\n在全市工业倍增暨招商引资攻坚大会上的讲话\n\
                    在全市工业倍增暨招商引资攻坚大会上的讲话\n在全市工业倍增暨招商引资攻坚大会上的讲话\u{FFFD}\n\
                    今天召开大会,主要任务是部署全年的各项工作。\n今天召开大会,主要任务是部署全年的各项工作。再讲三点意见。";
        assert!(repeats(page).is_empty(), "{:?}", repeats(page));
    }
}
