//! Truncation notices: `……(未完,全文共2925字,当前仅显示1860字,请阅读下面提示信息。收藏《TITLE》`.
//!
//! The notice says how much of the speech the site showed; the text before
//! it on the same line is the end of what was shown, so it is kept and
//! marked cut. The title inside `收藏《…》` is metadata, and a line holding
//! only `收藏《…》` belongs to the notice too when it comes right after one
//! ([`tail`]); anywhere else it is kept, since nothing says it is chrome
//! (content farms copy such lines into bodies). In either script, with or
//! without 仅/僅, with either count first. A sentence about an 未完成 task
//! is not a notice: the notice needs 未完 followed by 全文/待续/继续, or
//! both counts.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, Hit, Line, folded_regex};

/// Where a notice starts: `(未完,全文…` / `未完待续` / `(全文共N字,…显示M字`.
static START: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"[…\.]*\s*[(（]?\s*(?:未完\s*[,，、。:：]?\s*(?:全文|待续|继续|请)|全文共\s*\d+\s*字\s*[,，、]\s*(?:当前)?\s*仅?\s*显示\s*\d+\s*字|(?:当前)?\s*仅?\s*显示\s*\d+\s*字\s*[,，、]\s*全文共\s*\d+\s*字)",
    )
});
static TOTAL: LazyLock<Regex> = LazyLock::new(|| folded_regex(r"全文共\s*(\d+)\s*字"));
static SHOWN: LazyLock<Regex> = LazyLock::new(|| folded_regex(r"显示\s*(\d+)\s*字"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| folded_regex(r"收藏\s*《(?P<t>[^》]{1,120})》"));
/// A line that is only the `收藏《TITLE》)` tail of a notice.
static TAIL_ONLY: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"^\s*收藏\s*《[^》]{1,120}》\s*[)）]?\s*$"));

fn number(re: &Regex, s: &str) -> Option<u32> {
    re.captures(s)?.get(1)?.as_str().parse().ok()
}

pub(super) fn find(line: &Line) -> Option<Hit> {
    let start = START.find(line.folded)?.start();
    // The notice runs to the end of the line.
    Some(hit(line, start..line.folded.len()))
}

/// The `收藏《TITLE》)` line that ends a notice broken over two lines; the
/// caller asks only for the line right after a notice.
pub(super) fn tail(line: &Line) -> Option<Hit> {
    TAIL_ONLY
        .is_match(line.folded)
        .then(|| hit(line, 0..line.folded.len()))
}

fn hit(line: &Line, span: std::ops::Range<usize>) -> Hit {
    let notice = &line.folded[span.clone()];
    let mut facts = Vec::new();
    if let (Some(total), Some(shown)) = (number(&TOTAL, notice), number(&SHOWN, notice)) {
        facts.push(Fact::Truncation { shown, total });
    }
    if let Some(t) = TITLE.captures(notice).and_then(|c| c.name("t")) {
        let at = span.start + t.start()..span.start + t.end();
        facts.push(Fact::Title(line.orig(at).trim().to_owned()));
    }
    Hit {
        span,
        facts,
        elided: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Line};
    use super::{find, tail};

    fn run(s: &str) -> Option<(String, Vec<Fact>)> {
        let f = crate::fold::fold(s);
        let l = Line {
            text: s,
            folded: &f,
        };
        find(&l).map(|h| (l.orig(h.span).to_owned(), h.facts))
    }

    #[test]
    fn finds_notices_in_both_scripts() {
        let (cut, facts) =
            run("針對市直部門招商引資 ……(未完,全文共2713字,當前僅顯示1725字,請閱讀下面提示信息。")
                .unwrap();
        assert_eq!(
            cut,
            "……(未完,全文共2713字,當前僅顯示1725字,請閱讀下面提示信息。"
        );
        assert_eq!(
            facts,
            [Fact::Truncation {
                shown: 1725,
                total: 2713
            }]
        );
        let (_, facts) = run(
            "……(未完,全文共2925字,当前仅显示1860字,请阅读下面提示信息。收藏《在全区大会上的讲话》",
        )
        .unwrap();
        assert_eq!(
            facts,
            [
                Fact::Truncation {
                    shown: 1860,
                    total: 2925
                },
                Fact::Title("在全区大会上的讲话".into())
            ]
        );
        let (_, facts) = run("(未完，全文共3000字，当前显示1500字)").unwrap();
        assert_eq!(
            facts,
            [Fact::Truncation {
                shown: 1500,
                total: 3000
            }]
        );
        let (_, facts) = run("(当前显示1500字,全文共3000字)").unwrap();
        assert_eq!(
            facts,
            [Fact::Truncation {
                shown: 1500,
                total: 3000
            }]
        );
    }

    #[test]
    fn finds_a_tail_line_only_when_asked() {
        let s = "收藏《在市直部門招商引資會議上的講話》)";
        let f = crate::fold::fold(s);
        let l = Line {
            text: s,
            folded: &f,
        };
        assert_eq!(find(&l), None);
        let h = tail(&l).unwrap();
        assert_eq!(l.orig(h.span), s);
        assert_eq!(
            h.facts,
            [Fact::Title("在市直部門招商引資會議上的講話".into())]
        );
        let s = "收藏《在市直部門招商引資會議上的講話》,要認真學習。";
        let f = crate::fold::fold(s);
        let l = Line {
            text: s,
            folded: &f,
        };
        assert_eq!(tail(&l), None);
    }

    #[test]
    fn keeps_sentences_about_unfinished_work() {
        assert_eq!(run("对未完成全年任务的部门,要严肃问责。"), None);
        assert_eq!(run("要收藏好《工作手册》,认真学习。"), None);
        assert_eq!(run("全文共分三个部分。"), None);
    }
}
