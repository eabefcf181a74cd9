//! Stage 4, split: one cleaned page → the parts that are separate speeches.
//!
//! A compilation page (`…讲话篇一` … `…讲话篇十五`, `第一篇`, `范文1`) holds
//! several speeches; each part heading starts one. A page with fewer than two
//! part headings is one speech (a lone `篇一` is just a title), unless a
//! collection title (`…(2篇)`) stands above it: then the page is a
//! compilation with one visible part, and the heading is its part heading
//! (structure takes its title from it). What stands
//! before the first heading — the collection's own title — goes with the
//! first part, where structure takes it as title lines; if it holds speech
//! text it becomes a part of its own, so nothing is dropped.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::clean::Cleaned;
use super::heading;

/// A collection's count of parts at the end of its title: `(2篇)`,
/// `(精选14篇)`, `(共4篇)`, `-10篇` (a page counter may follow).
pub static COLLECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:[(（\[]\s*(?:共|精选|精選)?\s*\d{1,3}\s*篇\s*[)）\]]|[-—]\s*\d{1,3}\s*篇)(?:\s*[(（]?第?\s*\d+\s*/\s*\d+\s*页[)）]?)?\s*$")
        .expect("constant collection pattern")
});

/// Whether a line is a collection's title (`某某讲话(2篇)`).
pub fn is_collection_title(folded: &str) -> bool {
    heading::is_title_like(folded) && COLLECTION.is_match(folded)
}

/// One speech's share of a cleaned page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Indices into `Cleaned::kept`.
    pub kept: Range<usize>,
    /// Index into `Cleaned::kept` of the part heading, when the part has one.
    pub heading: Option<usize>,
    /// The first source line of the part (1-based); the part runs to the
    /// line before the next part's first line.
    pub first_line: usize,
}

/// Splits a cleaned page into parts.
pub fn split(cleaned: &Cleaned) -> Vec<Part> {
    let headings: Vec<usize> = cleaned
        .kept
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            heading::may_be_part_heading(&k.text)
                && heading::is_part_heading(&crate::fold::fold(&k.text))
        })
        .map(|(i, _)| i)
        .collect();
    let n = cleaned.kept.len();
    if let [h] = headings[..] {
        let preamble = &cleaned.kept[..h];
        let folded: Vec<String> = preamble
            .iter()
            .map(|k| crate::fold::fold(&k.text))
            .collect();
        if folded.iter().any(|f| is_collection_title(f))
            && folded.iter().all(|f| heading::is_title_like(f))
        {
            return vec![Part {
                kept: 0..n,
                heading: Some(h),
                first_line: 1,
            }];
        }
    }
    if headings.len() < 2 {
        return vec![Part {
            kept: 0..n,
            heading: None,
            first_line: 1,
        }];
    }
    let mut parts = Vec::with_capacity(headings.len() + 1);
    let preamble = &cleaned.kept[..headings[0]];
    let preamble_has_text = preamble
        .iter()
        .any(|k| !heading::is_title_like(&crate::fold::fold(&k.text)));
    if preamble_has_text {
        parts.push(Part {
            kept: 0..headings[0],
            heading: None,
            first_line: 1,
        });
    }
    for (j, &h) in headings.iter().enumerate() {
        let end = headings.get(j + 1).copied().unwrap_or(n);
        let start = if j == 0 && !preamble_has_text { 0 } else { h };
        let first_line = if start == 0 {
            1
        } else {
            *cleaned.kept[h].lines.start()
        };
        parts.push(Part {
            kept: start..end,
            heading: Some(h),
            first_line,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Deadline;
    use crate::pipeline::clean::clean;

    fn parts(s: &str) -> (Cleaned, Vec<Part>) {
        let lines: Vec<String> = s.split('\n').map(str::to_owned).collect();
        let c = clean(&lines, &Deadline::never()).expect("no deadline");
        let p = split(&c);
        (c, p)
    }

    #[test]
    fn splits_a_compilation_and_keeps_the_collection_title_with_part_one() {
        let (c, p) = parts(
            "讲话大全(2篇)\n\n讲话篇一\n\n同志们:\n第一篇讲话的正文。\n讲话篇二\n第二篇讲话的正文。",
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].kept, 0..4);
        assert_eq!(p[0].heading, Some(1));
        assert_eq!(c.kept[p[1].heading.unwrap()].text, "讲话篇二");
        assert_eq!(p[1].first_line, 7);
    }

    #[test]
    fn speech_text_before_the_first_heading_is_a_part_of_its_own() {
        let (_, p) = parts("这是一段正文,不是标题。\n范文1\n正文一。\n范文2\n正文二。");
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].heading, None);
    }

    #[test]
    fn one_part_under_a_collection_title_is_a_part() {
        let (_, p) = parts(
            "车间安全管理制度(精选9篇)\n车间安全管理制度 篇1\n第一条 为了安全生产,制定本制度。",
        );
        assert_eq!(
            p,
            [Part {
                kept: 0..3,
                heading: Some(1),
                first_line: 1
            }]
        );
    }

    #[test]
    fn one_heading_is_one_speech() {
        let (_, p) = parts("讲话篇一\n正文。");
        assert_eq!(
            p,
            [Part {
                kept: 0..2,
                heading: None,
                first_line: 1
            }]
        );
    }
}
