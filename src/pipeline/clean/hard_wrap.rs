//! Hard wraps: `…作了很好的` / `總結,對全年沖刺工作進行了` / `動員部署;…`.
//!
//! A sentence broken across lines is rejoined, so phrases that span the break
//! are found. Two adjacent lines (no blank line between) are joined when the
//! first does not end a sentence and neither is a heading, a title, a
//! salutation or a compilation heading, and no stub or cut lies between them.
//!
//! The top of a page (before its first finished sentence or salutation)
//! holds titles, bylines and metadata rather than wrapped prose: there a line
//! is joined to the next only when it carries a clause mark (`,` `、`) as
//! wrapped prose does, so a title is never glued to the line after it. A line
//! holding only a date (an official document's signing date) is never joined.

use super::{Kept, NoiseClass, Removed};
use crate::pipeline::heading;

/// A line this short that does not end a sentence is more likely a heading
/// or a label than the first half of a wrapped sentence, unless it ends with
/// a comma-like mark.
const MIN_WRAPPED_CHARS: usize = 10;

/// Whether a line of the page top reads like wrapped prose: it carries a
/// clause mark. Titles, labels, counters and bylines do not.
fn reads_as_prose(p: &str) -> bool {
    p.contains([',', '，', '、', ';', '；'])
}

/// Whether `next` continues `prev`; `p` and `n` are their folded texts;
/// `top`: no sentence has ended on the page yet.
fn wraps_into(prev: &Kept, p: &str, next: &Kept, n: &str, top: bool) -> bool {
    let adjacent = *prev.lines.end() + 1 == *next.lines.start();
    let clean_joint = prev.gap_after.is_none() && !prev.cut && !next.gap_before;
    let comma_end = p.ends_with([',', '，', '、']);
    adjacent
        && clean_joint
        && !heading::ends_sentence(p)
        && !p.ends_with([':', '：'])
        && (p.chars().count() >= MIN_WRAPPED_CHARS || comma_end)
        && !heading::is_heading_line(p)
        && !heading::is_part_heading(p)
        && !(heading::is_title_like(p) && heading::has_title_ending(p))
        && heading::section_level(n).is_none()
        && !heading::is_part_heading(n)
        && !heading::is_salutation(n)
        && (!top || reads_as_prose(p))
        && !crate::pipeline::date::is_date_line(p)
        && !crate::pipeline::date::is_date_line(n)
}

/// Joins hard-wrapped lines.
pub(super) fn rejoin(kept: Vec<Kept>, removed: &mut Vec<Removed>) -> Vec<Kept> {
    let mut out: Vec<Kept> = Vec::with_capacity(kept.len());
    // The folded text of `out`'s last line, grown with it (each line is
    // folded once, not again with every line joined to it).
    let mut last = String::new();
    // No line so far ended a sentence or opened the speech.
    let mut top = true;
    for k in kept {
        let folded = crate::fold::fold(&k.text);
        match out.last_mut() {
            Some(prev) if wraps_into(prev, &last, &k, &folded, top) => {
                removed.push(Removed {
                    line: *k.lines.start(),
                    text: k.text.clone(),
                    class: NoiseClass::HardWrap,
                    repair: true,
                });
                prev.absorb(k);
                last.push_str(&folded);
            }
            _ => {
                out.push(k);
                last = folded;
            }
        }
        top = top && !heading::ends_sentence(&last) && !heading::is_salutation(&last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(lines: &[(usize, &str)]) -> Vec<Kept> {
        lines
            .iter()
            .map(|&(n, t)| Kept {
                lines: n..=n,
                text: t.into(),
                cut: false,
                mojibake: false,
                gap_before: false,
                gap_after: None,
            })
            .collect()
    }

    fn texts(k: &[Kept]) -> Vec<&str> {
        k.iter().map(|k| k.text.as_str()).collect()
    }

    #[test]
    fn joins_a_sentence_broken_across_lines() {
        let mut removed = vec![];
        let out = rejoin(
            kept(&[
                (1, "剛才,陳興市長對活動作了很好的"),
                (2, "總結,對全年沖刺工作進行了"),
                (3, "動員部署;會上,還宣布了。"),
            ]),
            &mut removed,
        );
        assert_eq!(
            texts(&out),
            ["剛才,陳興市長對活動作了很好的總結,對全年沖刺工作進行了動員部署;會上,還宣布了。"]
        );
        assert_eq!(removed.len(), 2);
    }

    #[test]
    fn keeps_headings_titles_and_paragraphs_apart() {
        let mut removed = vec![];
        let input = kept(&[
            (1, "在全市工業倍增暨招商引資攻堅大會上的講話"),
            (2, "同志們:"),
            (3, "今年以來,我們取得了成績。"),
            (4, "一、進一步統一思想,凝心聚力,全力投入招商引資沖刺"),
            (5, "今年以來,特別是百日會戰活動以來,成效明顯"),
            (7, "三是要充分認識招商引資工作的長期性"),
        ]);
        assert_eq!(rejoin(input.clone(), &mut removed), input);
        assert!(removed.is_empty());
    }

    #[test]
    fn keeps_the_lines_of_the_page_top_apart() {
        let mut removed = vec![];
        let input = kept(&[
            (1, "20250 20250 88123"),
            (2, "在全区秋季防火工作推进会上的讲话"),
            (3, "区应急管理局局长 王某某"),
            (4, "同志们:"),
            (5, "今年以来,全区上下认真落实防火责任,各项"),
            (6, "工作取得了明显成效。"),
            (7, "某某区应急管理局办公室"),
            (8, "2025年10月8日"),
        ]);
        let out = rejoin(input, &mut removed);
        assert_eq!(
            texts(&out),
            [
                "20250 20250 88123",
                "在全区秋季防火工作推进会上的讲话",
                "区应急管理局局长 王某某",
                "同志们:",
                "今年以来,全区上下认真落实防火责任,各项工作取得了明显成效。",
                "某某区应急管理局办公室",
                "2025年10月8日",
            ]
        );
    }

    #[test]
    fn joins_wrapped_prose_at_the_page_top() {
        let mut removed = vec![];
        let out = rejoin(
            kept(&[
                (1, "10月8日上午,全区秋季防火工作推进会召开,区长"),
                (2, "出席会议并讲话。"),
            ]),
            &mut removed,
        );
        assert_eq!(
            texts(&out),
            ["10月8日上午,全区秋季防火工作推进会召开,区长出席会议并讲话。"]
        );
    }

    #[test]
    fn never_joins_across_a_gap() {
        let mut removed = vec![];
        let mut input = kept(&[
            (1, "不斷興起招商引資工作新高潮,取得了明顯成"),
            (3, "全市招商引資和經濟發展極不負責任。"),
        ]);
        input[0].gap_after = Some(614);
        input[1].lines = 2..=2;
        input[1].gap_before = true;
        assert_eq!(rejoin(input.clone(), &mut removed), input);
    }
}
